"""Who is acting, and the plain refusal a service gives: small types the first screen
(sign-in) needs, kept apart from the services so that importing them is cheap."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.errors import CoreError
from core.security.permissions import Role


class ServiceError(CoreError):
    """A refused request with an i18n code and parameters."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Actor:
    """Who is acting: the store and operator the audit log names, and the role the
    services check permissions against (core.security.permissions)."""

    store_id: str
    operator_id: str
    role: Role


__all__ = ["Actor", "ServiceError"]
