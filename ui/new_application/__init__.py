"""The new-application form, one file per step."""

from ui.new_application.dialog import NewApplicationDialog

__all__ = ["NewApplicationDialog"]
