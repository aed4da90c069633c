"""The rules page: which signed rule pack is active (version, validity, scenarios,
signature) and loading a newer pack from a file, for stores that receive packs on a
USB stick. A refused file changes nothing: the current pack stays active.

Loading goes through core.admin.AdminService (LOAD_RULE_PACK, audited); roles without
it see the page read-only."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDir, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.admin import AdminService
from core.applications import labels
from core.operators.actor import Actor
from core.rules import PackError, PackStatus, RulePack
from core.rules.pack import MAX_PACK_BYTES
from core.security.permissions import Permission, PermissionDenied
from ui.db_lane import CoreLane
from ui.formatting import local_datetime
from ui.permissions import can
from ui.widgets import error_text, monospace_font, no_auto_default

log = logging.getLogger("loandesk.ui")

OK_COLOUR, BAD_COLOUR, WARN_COLOUR = "#2e7d32", "#c62828", "#8a5a00"
_BANNER = (
    "padding: 8px; border-radius: 4px; border: 1px solid {border}; background: {bg}; color: {fg};"
)
BANNER_OK = _BANNER.format(border="#a5d6a7", bg="#e8f5e9", fg="#1b5e20")
BANNER_WARN = _BANNER.format(border="#ffcc80", bg="#fff8e1", fg=WARN_COLOUR)
MESSAGE_OK = BANNER_OK
MESSAGE_ERROR = _BANNER.format(border="#e57373", bg="#ffebee", fg="#b71c1c")
SHA_SHORT = 16


class RulesDialog(QDialog):
    """Shows the active pack's status; installs a pack file as ``actor`` (through core's
    AdminService, on ``lane``; no actor: read-only)."""

    def __init__(
        self,
        lane: CoreLane | None,
        lang: str,
        parent: QWidget | None = None,
        *,
        actor: Actor | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("rules_dialog")
        self.setWindowTitle(self.tr("Rule pack"))
        self.setMinimumWidth(620)
        self._lane = lane
        self._actor = actor
        self._lang = lang
        self._last_dir = QDir.homePath()
        self.pack_status: PackStatus | None = None

        self.banner = QLabel()
        self.banner.setObjectName("rules_banner")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.PlainText)

        self.values: dict[str, QLabel] = {}
        self.details = QGroupBox(self.tr("Active rule pack"))
        form = QFormLayout(self.details)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        for key, caption in (
            ("pack_id", self.tr("Pack:")),
            ("version", self.tr("Version:")),
            ("valid_from", self.tr("Valid from:")),
            ("valid_until", self.tr("Valid until:")),
            ("validity", self.tr("Validity:")),
            ("signature", self.tr("Signature:")),
            ("key_id", self.tr("Signing key:")),
            ("scenarios", self.tr("Categories:")),
            ("source", self.tr("Source:")),
            ("installed_at", self.tr("Installed:")),
            ("sha256", self.tr("SHA-256:")),
        ):
            value = QLabel()
            value.setObjectName(f"rules_{key}")
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = value
            form.addRow(caption, value)
        bold = QFont(self.values["version"].font())
        bold.setBold(True)
        self.values["version"].setFont(bold)
        self.values["sha256"].setFont(monospace_font())

        self.message = QLabel()
        self.message.setObjectName("rules_message")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()

        self.load_button = QPushButton(self.tr("&Load pack from file…"))
        self.load_button.setObjectName("load_pack_button")
        self.load_button.setToolTip(
            self.tr(
                "Install a signed rule pack (.json), e.g. from a "
                "USB stick. A pack that fails the checks is "
                "refused and the current one stays active."
            )
        )
        self.load_button.clicked.connect(self.choose_file)
        self.may_load = actor is not None and can(actor, Permission.LOAD_RULE_PACK)
        self.load_button.setEnabled(lane is not None and self.may_load)
        if not self.may_load:
            self.load_button.setToolTip(
                self.tr("Only a field manager or an administrator can load a rule pack.")
            )
        close_button = QPushButton(self.tr("Close"))
        close_button.setObjectName("close_button")
        close_button.clicked.connect(self.accept)
        no_auto_default(self.load_button, close_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.load_button)
        buttons.addStretch(1)
        buttons.addWidget(close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.details)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.refresh()

    # --- showing the active pack --------------------------------------------------------
    def refresh(self) -> None:
        """Read the active pack's status again (on the lane) and show it."""
        if self._lane is None:
            self._show_status(None)
            return
        op = self._lane.call(_pack_status, "rules_status", self)
        op.on_success(self._show_status)
        op.on_failure(self._status_unreadable)

    def _status_unreadable(self, exc: Exception) -> None:
        self._show_status(None)
        self._show_message(error_text(exc, self._lang), ok=False)

    def _show_status(self, status: PackStatus | None) -> None:
        self.pack_status = status
        s = self.pack_status
        self.details.setVisible(s is not None)
        if s is None:
            self._set_banner(
                self.tr(
                    "No rule pack installed — applications will be referred "
                    "(RULES_STALE). Load a pack from a file."
                ),
                ok=False,
            )
            for value in self.values.values():
                value.clear()
            return
        self._set_banner(self._state_text(s), ok=s.usable)
        v = self.values
        v["pack_id"].setText(s.pack_id)
        v["version"].setText(f"v{s.version}")
        v["valid_from"].setText(local_datetime(s.valid_from))
        v["valid_until"].setText(local_datetime(s.valid_until))
        if s.expired:
            self._coloured(v["validity"], self.tr("✗ Expired"), BAD_COLOUR)
        elif s.not_yet_valid:
            self._coloured(
                v["validity"], self.tr("✗ Not valid yet (check this PC's date)"), WARN_COLOUR
            )
        else:
            self._coloured(v["validity"], self.tr("✓ Valid now"), OK_COLOUR)
        if s.signature_ok:
            self._coloured(v["signature"], self.tr("✓ Verified"), OK_COLOUR)
        else:
            text = self.tr("✗ Does not verify")
            if s.problem:
                text += f" ({s.problem})"
            self._coloured(v["signature"], text, BAD_COLOUR)
        v["key_id"].setText(s.key_id)
        sep = "、" if self._lang == "zh_CN" else ", "
        v["scenarios"].setText(
            sep.join(labels.scenario_text(name, self._lang) for name in s.scenarios) or "—"
        )
        v["source"].setText(self._source_text(s.source))
        v["installed_at"].setText(local_datetime(s.installed_at))
        v["sha256"].setText(s.sha256[:SHA_SHORT] + "…" if s.sha256 else "—")
        v["sha256"].setToolTip(s.sha256)

    def _state_text(self, s: PackStatus) -> str:
        if not s.signature_ok:
            return self.tr(
                "The installed rule pack fails verification — applications will be "
                "referred (RULES_STALE). Load a correctly signed pack."
            )
        if s.expired:
            return self.tr(
                "The rule pack has expired — applications will be referred "
                "(RULES_STALE). Load a newer pack."
            )
        if s.not_yet_valid:
            return self.tr(
                "The rule pack is not valid yet — applications will be referred "
                "(RULES_STALE). Ask IT to check this PC's date."
            )
        return self.tr("Applications are pre-screened with this rule pack.")

    def _source_text(self, source: str) -> str:
        if source == "bundled":
            return self.tr("Shipped with the program")
        if source == "file":
            return self.tr("Loaded from a file")
        if source == "server":
            return self.tr("From the server")
        return source

    def _set_banner(self, text: str, *, ok: bool) -> None:
        self.banner.setText(text)
        self.banner.setStyleSheet(BANNER_OK if ok else BANNER_WARN)

    @staticmethod
    def _coloured(label: QLabel, text: str, colour: str) -> None:
        label.setText(text)
        label.setStyleSheet(f"color: {colour};")

    def _show_message(self, text: str, *, ok: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(MESSAGE_OK if ok else MESSAGE_ERROR)
        self.message.show()

    # --- loading a pack ---------------------------------------------------------------------
    def choose_file(self) -> bool:
        """Ask for a .json file (the native dialog), then load it."""
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Load rule pack"),
            self._last_dir,
            self.tr("Rule packs (*.json);;All files (*)"),
        )
        if not path:
            return False
        self._last_dir = str(Path(path).parent)
        return self.load_file(Path(path))

    def load_file(self, path: Path) -> bool:
        """Verify and install the pack in ``path``; say what happened. On any refusal the
        active pack is unchanged. Returns True when the pack is active afterwards."""
        if self._lane is None or self._actor is None:
            return False
        before = self.pack_status
        try:
            if path.stat().st_size > MAX_PACK_BYTES:
                raise PackError("PACK_MALFORMED", f"file is larger than {MAX_PACK_BYTES} bytes")
            data = path.read_bytes()
        except OSError as exc:
            log.warning("rule pack file cannot be read: %s", type(exc).__name__)
            self._show_message(
                self.tr("The file cannot be read: %1").replace(
                    "%1", exc.strerror or type(exc).__name__
                )
                + "\n"
                + self._stays(before),
                ok=False,
            )
            return False
        except PackError as exc:
            self._refused(exc, before)
            return False
        actor = self._actor

        def install(core: Any) -> tuple[RulePack, PackStatus | None]:
            pack = AdminService.of(core, actor).install_rule_pack(data)
            return pack, _pack_status(core)

        op = self._lane.call(install, "install_rule_pack", self)
        op.on_success(lambda got: self._installed(before, *got))
        op.on_failure(lambda exc: self._not_installed(before, exc))
        return op.succeeded

    def _not_installed(self, before: PackStatus | None, exc: Exception) -> None:
        if isinstance(exc, PermissionDenied):
            self._show_message(exc.message(self._lang), ok=False)
        elif isinstance(exc, PackError):
            self._refused(exc, before)
        else:
            log.warning("rule pack install failed: %s", getattr(exc, "code", type(exc).__name__))
            self._show_message(error_text(exc, self._lang) + "\n" + self._stays(before), ok=False)

    def _installed(
        self, before: PackStatus | None, pack: RulePack, status: PackStatus | None
    ) -> None:
        self._show_status(status)
        same = before is not None and (before.pack_id, before.version, before.sha256) == (
            pack.pack_id,
            pack.version,
            pack.sha256,
        )
        text = (
            self.tr("Rule pack %1 v%2 is already active; nothing changed.")
            if same
            else self.tr("Rule pack %1 v%2 is now active.")
        )
        self._show_message(
            text.replace("%1", pack.pack_id).replace("%2", str(pack.version)), ok=True
        )
        log.info(
            "rule pack %s v%s loaded from a file in the rules page", pack.pack_id, pack.version
        )

    def _refused(self, exc: PackError, before: PackStatus | None) -> None:
        log.warning("rule pack file refused: %s", exc.code)
        self.refresh()
        text = self.tr("The rule pack was not loaded: %1").replace(
            "%1", self.pack_error_text(exc.code)
        )
        details = self.tr("Details: %1").replace("%1", exc.detail)
        self._show_message(f"{text}\n{details}\n{self._stays(before)}", ok=False)

    def _stays(self, before: PackStatus | None) -> str:
        if before is None:
            return self.tr(
                "No rule pack was active before and none is now; applications are "
                "still referred (RULES_STALE)."
            )
        return (
            self.tr("The current rule pack %1 v%2 stays active.")
            .replace("%1", before.pack_id)
            .replace("%2", str(before.version))
        )

    def pack_error_text(self, code: str) -> str:
        """The clerk's text for a PACK_* refusal code (core has none for these)."""
        texts = {
            "PACK_MALFORMED": self.tr("the file is not a rule pack (damaged, or not a pack file)."),
            "PACK_SIGNATURE": self.tr(
                "the signature does not match: the file was altered or damaged."
            ),
            "PACK_UNKNOWN_KEY": self.tr("it is signed with a key this program does not trust."),
            "PACK_SHAPE": self.tr(
                "it is correctly signed, but its content is incomplete or wrong."
            ),
            "PACK_DECISION_INVALID": self.tr(
                "it is correctly signed, but one of its decisions cannot be run."
            ),
            "PACK_ROLLBACK": self.tr(
                "it is not newer than the rule pack this PC uses (or has already used)."
            ),
            "PACK_EXPIRED_ON_LOAD": self.tr("it has already expired."),
            "PACK_SCENARIO_UNKNOWN": self.tr("it has no rules for a product category."),
            "PACK_TRUSTED_KEYS": self.tr(
                "this program's list of trusted keys is missing or damaged; call IT."
            ),
        }
        return texts.get(code, self.tr("it was refused (%1).").replace("%1", code))


def _pack_status(core: Any) -> PackStatus | None:
    """On the lane: the active pack's status (None: no rule store)."""
    rules = core.rules
    return rules.status() if rules is not None else None
