"""Uploading attachments to head office, after their application was acknowledged.

For each attachment not yet uploaded whose application's create upload is acked
(core/store/attachments_repo.py ``unsent``: fewest attempts first), the uploader asks
head office how much it holds (GET), then sends the rest in chunks (PUT with
``Content-Range``), so an upload cut halfway resumes where it stopped instead of
starting again. Head office verifies the sha256 itself. A failure is recorded on that
attachment and the uploader moves on to the next one: one attachment that keeps
failing never holds up the others, nor the applications' own push. Only a refused
device (401/403) stops the run, as it stops every other phase.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from core.applications.paperwork import attachment_files
from core.attachments import AttachmentError, AttachmentOptions
from core.clock import Clock, iso_now
from core.store.attachments_repo import AttachmentsRepo
from core.sync.http import Answer, SyncHttp
from core.sync.run import SyncRun
from core.sync.wire import API_PREFIX, AttachmentStatus

log = logging.getLogger("loandesk.sync.attachments")

CHUNK_BYTES = 1024 * 1024  # below the server's body limit, small enough for slow links
MAX_PER_RUN = 200
UploadProgress = Callable[[str, int, int], None]  # (sha256, bytes held by the server, total)


@dataclass
class UploadReport:
    uploaded: int = 0
    failed: int = 0
    bytes_sent: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    stop: Answer[Any] | None = None  # 401/403: the run stops here


class AttachmentUploader:
    def __init__(
        self,
        db: sqlite_utils.Database,
        http: SyncHttp,
        clock: Clock,
        options: AttachmentOptions | None = None,
        chunk_bytes: int = CHUNK_BYTES,
    ) -> None:
        self._db = db
        self._http = http
        self._clock = clock
        self._repo = AttachmentsRepo(db)
        self._files = attachment_files(db, options or AttachmentOptions())
        self.chunk_bytes = chunk_bytes

    def run(self, limit: int = MAX_PER_RUN, progress: UploadProgress | None = None) -> UploadReport:
        report = UploadReport()
        if not self._repo.has_tables():
            return report
        for app_id, kind, sha, _attempts in self._repo.unsent(limit):
            try:
                data = self._files.read(sha)
            except AttachmentError as exc:  # missing or changed on disk: say so, go on
                self._failed(report, app_id, sha, {"code": exc.code, "kind": "local"})
                continue
            answer = self._send(app_id, kind, sha, data, report, progress)
            if answer is None:
                with self._db.atomic():
                    self._repo.mark_uploaded(app_id, sha, iso_now(self._clock))
                report.uploaded += 1
            elif answer.kind in ("unauthorized", "forbidden"):
                report.stop = answer
                return report
            else:
                self._failed(report, app_id, sha, answer.error())
        return report

    def _failed(self, report: UploadReport, app_id: str, sha: str, error: dict[str, Any]) -> None:
        report.failed += 1
        report.errors.append({"sha256": sha[:12], **error})
        log.warning("attachment %s of %s not uploaded: %s", sha[:12], app_id, error.get("code"))
        with self._db.atomic():
            self._repo.record_failure(app_id, sha, json.dumps(error, sort_keys=True))

    def _send(
        self,
        app_id: str,
        kind: str,
        sha: str,
        data: bytes,
        report: UploadReport,
        progress: UploadProgress | None,
    ) -> Answer[Any] | None:
        """None once head office holds the whole verified file, else the answer that
        ended the attempt."""
        path = f"{API_PREFIX}/applications/{app_id}/attachments/{sha}"
        held = self._http.get(path, AttachmentStatus)
        if not held.ok or held.value is None:
            return held
        offset, total = held.value.received, len(data)
        if held.value.complete:
            return None
        for _ in range(total // self.chunk_bytes + 3):  # bounded: one pass plus a resync
            if offset > total:
                offset = 0  # the server holds more than this file: its hash check decides
            end = min(offset + self.chunk_bytes, total)
            answer = self._http.call(
                "PUT",
                path,
                AttachmentStatus,
                params={"kind": kind},
                headers={
                    "Content-Type": "application/octet-stream",
                    "Content-Range": f"bytes {offset}-{max(end - 1, 0)}/{total}",
                },
                data=data[offset:end],
            )
            if answer.status == 409:  # another attempt got further: ask where to resume
                again = self._http.get(path, AttachmentStatus)
                if not again.ok or again.value is None:
                    return again
                offset = again.value.received
                continue
            if not answer.ok or answer.value is None:
                return answer
            report.bytes_sent += end - offset
            offset = answer.value.received
            if progress is not None:
                progress(sha, offset, total)
            if answer.value.complete:
                return None
        return Answer("unknown", detail="upload did not complete", code="SYNC_OUTCOME_UNKNOWN")


def upload_attachments(run: SyncRun) -> Answer[Any] | None:
    """The sync run's attachments phase: upload what is due; only a refused device
    stops the run (other failures stay on their attachments, retried next run)."""
    report = AttachmentUploader(run.db, run.http, run.clock).run()
    if report.uploaded or report.failed:
        log.info("attachments: %d uploaded, %d failed", report.uploaded, report.failed)
    return report.stop


__all__ = ["CHUNK_BYTES", "AttachmentUploader", "UploadReport", "upload_attachments"]
