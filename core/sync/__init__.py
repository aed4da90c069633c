"""Sync with the central scoring API.

``wire`` (the contract, shared with server/), ``payload`` and ``outbox`` (what saving
writes), ``http`` and ``deadline`` (bounded calls, classified answers), ``engine`` with
``push`` and ``pull`` (one blocking run), ``enroll``, ``tokens`` (keyring), ``service``
(what the screens and the CLI call), ``report``, ``messages`` (i18n), ``keys``
(sync_state keys).
"""
