"""What the command-line commands share: opening the install, printing JSON."""

from __future__ import annotations

import json
from typing import Any

from core.config import Paths


def open_ctx(paths: Paths) -> Any:
    """The app context of the data folder ``paths`` (imported here: commands stay light)."""
    from core.context import open_context

    return open_context(paths)


def print_json(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2))
