from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from core import i18n
from core.config import Settings, SettingsError, resolve_paths
from core.ids import is_uuid7, uuid7


def test_uuid7_is_version_7_and_ordered() -> None:
    ids = [uuid7() for _ in range(3000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert all(uuid.UUID(i).version == 7 and uuid.UUID(i).variant == uuid.RFC_4122 for i in ids)
    assert is_uuid7(ids[0]) and not is_uuid7("not-an-id") and not is_uuid7(str(uuid.uuid4()))


def test_uuid7_embeds_the_given_time() -> None:
    u = uuid.UUID(uuid7(1_700_000_000_123))
    assert u.int >> 80 == 1_700_000_000_123


def test_data_dir_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOANDESK_DATA_DIR", str(tmp_path / "env"))
    assert resolve_paths().data_dir == (tmp_path / "env").resolve()
    assert resolve_paths(tmp_path / "arg").data_dir == (tmp_path / "arg").resolve()
    monkeypatch.delenv("LOANDESK_DATA_DIR")
    assert "LoanDesk" in str(resolve_paths().data_dir)


def test_settings_defaults_types_and_bad_files(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    s = Settings(path)
    assert s.get("list_page_size") == 200
    s.set("language", "en")
    assert json.loads(path.read_text())["language"] == "en"
    with pytest.raises(SettingsError):
        s.set("list_page_size", "many")
    with pytest.raises(SettingsError):
        s.set("no_such_setting", 1)
    path.write_text('{"list_page_size": true, "language": "fr", "other": 1}')
    s2 = Settings(path)
    assert s2.get("list_page_size") == 200 and s2.get("language") == ""
    assert len(s2.problems) == 2
    path.write_text("{not json")
    s3 = Settings(path)
    assert s3.get("language") == "" and "unreadable" in s3.problems[0]


def test_i18n_catalog() -> None:
    import core.applications.labels  # noqa: F401 - registers the codes

    assert i18n.translate("STATUS_draft", "zh_CN") == "已保存"
    assert i18n.translate("STATUS_draft", "en_US") == "Saved"
    assert i18n.translate("NO_SUCH_CODE", "en") == "NO_SUCH_CODE"
    assert i18n.translate("APPLICATION_NOT_FOUND", "en", id="x") == "Application x was not found"
    with pytest.raises(ValueError):
        i18n.register({"HALF": {"en": "only English"}})


def test_settings_set_keeps_what_others_wrote_and_unknown_keys(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    first, second = Settings(path), Settings(path)
    first.set("store_code", "S001")
    second.set("language", "en")  # a stale object must not drop store_code
    data = json.loads(path.read_text())
    assert data["store_code"] == "S001" and data["language"] == "en"
    data["from_a_newer_version"] = {"x": 1}
    path.write_text(json.dumps(data))
    Settings(path).set("list_page_size", 300)
    assert json.loads(path.read_text())["from_a_newer_version"] == {"x": 1}
