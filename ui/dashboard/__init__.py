"""The field managers' dashboard window (ui.dashboard.window)."""

from __future__ import annotations

from ui.dashboard.window import DashboardWindow

__all__ = ["DashboardWindow"]
