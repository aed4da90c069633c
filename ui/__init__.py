"""LoanDesk's Qt user interface: windows, dialogs and Qt models over core services.

Nothing here talks SQL or HTTP; every read and write goes through ``core`` services.
"""
