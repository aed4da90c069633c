"""Offline sync bundles: a store with no network exports what head office has not
acknowledged into one file (``export``), a connected PC relays it (``relay``) and
brings back head office's answers, which the store imports (``apply``). The file
format and its cryptography are in ``format`` and ``envelope``; the keys in ``keys``.
Step by step for field managers: docs/field-managers.md."""
