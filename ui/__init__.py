"""LoanDesk's Qt user interface: windows, dialogs and Qt models over core services.

Nothing here talks SQL or HTTP; every read and write goes through ``core`` services.
"""

from ui import qt_compat as _qt_compat

_qt_compat.apply()  # before any window emits a signal (see ui/qt_compat.py)
