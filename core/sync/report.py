"""What one sync run did, for the status bar, the sync panel, the CLI and logs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core import i18n
from core.sync.errors import SyncIssue

EXIT_OK, EXIT_PROBLEM, EXIT_PAUSED = 0, 1, 4


@dataclass
class SyncReport:
    started_at: str = ""
    finished_at: str = ""
    online: bool = False  # the server answered at least once
    pushed: int = 0  # items sent (a resend counts again)
    acked: int = 0  # created / duplicate / updated
    rejected: int = 0  # invalid or conflict: shown to the user, not resent
    quarantined: int = 0  # failed alone too often: kept aside, the queue moved on
    retried: int = 0  # "retry" or missing from the answer: resent later
    decisions: int = 0  # decisions applied to local applications
    pack_installed: str | None = None  # "pack_id vN" when a new rule pack went in
    catalog_changes: int = 0
    blacklist_changes: dict[str, int] = field(default_factory=dict)
    repushed: int = 0  # acked rows pending again after a server_epoch change
    pending: int = 0  # outbox rows still pending at the end
    paused: str | None = None  # REENROLL_NEEDED | DEVICE_REVOKED
    cancelled: bool = False
    waiting: bool = False  # the server's Retry-After is still in force: nothing was sent
    clock_offset_s: float | None = None
    next_attempt_in: float | None = None  # seconds until the next run is worthwhile
    errors: list[SyncIssue] = field(default_factory=list)  # problems: exit code 1
    notices: list[SyncIssue] = field(default_factory=list)  # handled, worth knowing

    @property
    def exit_code(self) -> int:
        if self.paused:
            return EXIT_PAUSED
        if self.errors or self.rejected or self.quarantined or self.waiting:
            return EXIT_PROBLEM
        return EXIT_OK

    def to_json(self, lang: str | None = None) -> dict[str, Any]:
        return {
            "ok": self.exit_code == EXIT_OK,
            "exit_code": self.exit_code,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "online": self.online,
            "pushed": self.pushed,
            "acked": self.acked,
            "rejected": self.rejected,
            "quarantined": self.quarantined,
            "retried": self.retried,
            "decisions": self.decisions,
            "pack_installed": self.pack_installed,
            "catalog_changes": self.catalog_changes,
            "blacklist_changes": dict(self.blacklist_changes),
            "repushed": self.repushed,
            "pending": self.pending,
            "paused": self.paused,
            "cancelled": self.cancelled,
            "waiting": self.waiting,
            "clock_offset_s": self.clock_offset_s,
            "next_attempt_in": self.next_attempt_in,
            "errors": [e.to_json(lang) for e in self.errors],
            "notices": [n.to_json(lang) for n in self.notices],
        }

    def summary(self, lang: str | None = None) -> str:
        """A few human lines (English or Chinese) for the CLI."""
        zh = i18n.normalize_language(lang) == "zh_CN"
        lines: list[str] = []
        if self.paused:
            lines.append(i18n.translate(f"SYNC_{self.paused}", lang))
        elif self.waiting:
            pass
        elif zh:
            lines.append(
                f"上传 {self.pushed} 份：成功 {self.acked}，退回 {self.rejected}，"
                f"暂放一边 {self.quarantined}，待重发 {self.retried}；"
                f"收到决定 {self.decisions} 份；"
                f"规则包{'更新为 ' + self.pack_installed if self.pack_installed else '无变化'}；"
                f"仍在排队 {self.pending} 份"
            )
        else:
            lines.append(
                f"sent {self.pushed}: {self.acked} accepted, {self.rejected} rejected, "
                f"{self.quarantined} kept aside, {self.retried} to resend; "
                f"{self.decisions} decisions; rule pack "
                f"{'now ' + self.pack_installed if self.pack_installed else 'unchanged'}; "
                f"{self.pending} still queued"
            )
        lines += [n.text(lang) for n in self.notices]
        lines += [e.text(lang) for e in self.errors]
        if self.cancelled:
            lines.append(i18n.translate("SYNC_CANCELLED", lang))
        return "\n".join(lines)
