"""Role-based courtesy for the screens: what to hide or disable for the operator at the
counter, and the plain text of a refusal. Core services refuse anyway
(core.security.permissions.require); nothing here is a security boundary."""

from __future__ import annotations

from core.applications.reads import Actor
from core.security.permissions import Permission, PermissionDenied, allowed
from ui.widgets import error_text


def can(actor: Actor, permission: Permission) -> bool:
    return allowed(actor.role, permission)


def refusal_text(exc: Exception, lang: str) -> str:
    """What the clerk reads when core refused: the role's refusal in plain words, or
    the storage/service error text."""
    if isinstance(exc, PermissionDenied):
        return exc.message(lang)
    return error_text(exc, lang)
