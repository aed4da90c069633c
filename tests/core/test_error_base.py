"""One coded error base: every refusal core can hand a person is a CoreError with a
stable code, params and text in Chinese and English."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import core
from core import i18n
from core.errors import CoreError

#: exceptions that are not refusals for a person: internal control flow of one module,
#: and the test-only guard for screens touching the database on the GUI thread
NOT_REFUSALS = {"ScreenTouchedDatabase", "ParamError"}


def _core_exceptions() -> list[type[BaseException]]:
    found: dict[str, type[BaseException]] = {}
    for info in pkgutil.walk_packages(core.__path__, "core."):
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if (
                inspect.isclass(obj)
                and issubclass(obj, BaseException)
                and obj.__module__ == module.__name__
                and not name.startswith("_")
            ):
                found[f"{obj.__module__}.{name}"] = obj
    return list(found.values())


def test_every_core_refusal_is_a_core_error() -> None:
    classes = _core_exceptions()
    assert len(classes) > 20  # the walk found the areas' errors
    outside = sorted(
        f"{c.__module__}.{c.__name__}"
        for c in classes
        if not issubclass(c, CoreError) and c.__name__ not in NOT_REFUSALS
    )
    assert outside == []


def test_every_fixed_code_has_text_in_both_languages() -> None:
    missing = sorted(
        f"{c.__module__}.{c.__name__}: {c.code}"
        for c in _core_exceptions()
        if issubclass(c, CoreError)
        and "code" in vars(c)  # a class that names its own code
        and not i18n.has(c.code)
    )
    assert missing == []


def test_a_core_error_speaks_both_languages_and_keeps_its_params() -> None:
    from core.operators.actor import ServiceError
    from core.store.errors import DatabaseLocked
    from core.sync.errors import SyncError

    refused = ServiceError("APPLICATION_NOT_FOUND", id="0190abc")
    assert isinstance(refused, CoreError) and refused.params == {"id": "0190abc"}
    assert refused.text("zh_CN") != refused.text("en")
    assert all(t != "APPLICATION_NOT_FOUND" for t in (refused.text("zh_CN"), refused.text("en")))
    locked = DatabaseLocked("database is locked")
    assert isinstance(locked, CoreError) and locked.code == "STORAGE_LOCKED"
    assert locked.text("en") != locked.code
    sync = SyncError("SYNC_NOT_ENROLLED")
    assert isinstance(sync, CoreError) and sync.text("zh_CN") != sync.code
