"""Reading and writing bundle files: a ``.part`` file until it is complete and its audit
row is committed, then renamed into place (a failure leaves no file); reading tells a
store bundle from a return bundle."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import sqlite_utils
from pydantic import BaseModel, ValidationError

from core.applications.reads import writing
from core.bundle.errors import BundleError
from core.bundle.format import ReturnBundle, StoreBundle, kind_of
from core.clock import Clock, iso_now
from core.ids import uuid7
from core.operators.actor import Actor
from core.store.repositories import Repositories

MAX_FILE_BYTES = 512 * 1024 * 1024


def write_bundle(
    db: sqlite_utils.Database,
    actor: Actor,
    clock: Clock,
    target: Path,
    bundle: BaseModel,
    action: str,
    target_id: str,
    detail: dict[str, Any],
) -> None:
    part = target.with_name(f".{target.name}.{uuid7()[-8:]}.part")
    try:
        with open(part, "w", encoding="utf-8") as out:
            out.write(bundle.model_dump_json())
            out.flush()
            os.fsync(out.fileno())
        with writing(db):
            Repositories(db).audit(
                iso_now(clock), actor.operator_id, action, "bundle", target_id, detail=detail
            )
        os.replace(part, target)
    except OSError as exc:
        raise BundleError(
            "BUNDLE_WRITE_FAILED", file=str(target), detail=exc.strerror or type(exc).__name__
        ) from exc
    finally:
        part.unlink(missing_ok=True)


def read_bundle(source: Path) -> StoreBundle | ReturnBundle:
    """The bundle in ``source``; BundleError saying what is wrong with the file."""
    try:
        if source.stat().st_size > MAX_FILE_BYTES:
            raise BundleError("BUNDLE_NOT_A_BUNDLE", file=str(source), detail="too large")
        text = source.read_text(encoding="utf-8")
    except OSError as exc:
        raise BundleError(
            "BUNDLE_FILE_UNREADABLE", file=str(source), detail=exc.strerror or type(exc).__name__
        ) from None
    except UnicodeDecodeError:
        raise BundleError("BUNDLE_NOT_A_BUNDLE", file=str(source), detail="not UTF-8") from None
    try:
        data = json.loads(text)
    except ValueError:
        raise BundleError("BUNDLE_NOT_A_BUNDLE", file=str(source), detail="not JSON") from None
    kind = kind_of(data)
    if kind is None:
        raise BundleError("BUNDLE_NOT_A_BUNDLE", file=str(source), detail="no bundle header")
    try:
        return (
            StoreBundle.model_validate(data)
            if kind == "store"
            else ReturnBundle.model_validate(data)
        )
    except ValidationError as exc:  # a bundle whose fields were changed or cut
        where = ".".join(str(p) for p in exc.errors()[0]["loc"])
        raise BundleError("BUNDLE_TAMPERED", file=str(source), detail=where) from None
