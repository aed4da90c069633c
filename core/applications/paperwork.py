"""The paper side of an application, for the service: the customer's consent and the
attachments (photos, signature, printed copies), before and after saving.

Consent comes first: the clerk records it for the form now open (:meth:`record_consent`,
one audit row), and it is kept with the application when it is saved. Attachments
taken before saving wait with the open form; saving links them to the application.
Withdrawing consent before the application reached head office deletes the customer's
data: the open form's draft, consent and attachments, or a saved application's
personal fields, unsent upload and attachments (it is cancelled).
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import date, datetime
from typing import Any

import sqlite_utils

from core.applications.due_dates import default_first_due
from core.applications.status import transition
from core.attachments import AttachmentFiles, AttachmentOptions, EvidenceItem, StoredFile
from core.attachments.files import FOLDER
from core.attachments.images import prepare
from core.attachments.kinds import AttachmentError, kind_of, missing_error
from core.clock import CHINA_TZ, Clock, iso_now
from core.config import Settings
from core.consent import ConsentMethod, ConsentRecord, consent_from_json
from core.consent.texts import ConsentVersion, bundled_texts
from core.models import ApplicationInput, Status
from core.money import Schedule
from core.operators import access
from core.operators.actor import Actor, ServiceError
from core.rules import RulePackStore
from core.rules.evidence import evidence_rules, missing_evidence, required_evidence
from core.security.permissions import Permission, require
from core.store.attachments_repo import AttachmentsRepo, database_folder
from core.store.paperwork_repo import PaperworkRepo
from core.store.repositories import Repositories
from core.store.retention_repo import RetentionRepo
from core.store.vault import vault_of
from core.validation.application import ValidationResult

log = logging.getLogger("loandesk.paperwork")
BEFORE_SUBMISSION = (Status.DRAFT, Status.PRESCREENED, Status.QUEUED)


def attachment_options(settings: Settings) -> AttachmentOptions:
    mb = 1024 * 1024
    return AttachmentOptions(
        max_long_side_px=int(settings.get("photo_max_px")),
        jpeg_quality=int(settings.get("photo_jpeg_quality")),
        quota_bytes=int(settings.get("attachments_quota_mb")) * mb,
        warn_free_bytes=int(settings.get("free_disk_warn_mb")) * mb,
    )


def attachment_files(db: sqlite_utils.Database, options: AttachmentOptions) -> AttachmentFiles:
    folder = database_folder(db)
    if folder is None:
        raise AttachmentError("ATTACHMENT_WRITE_FAILED", reason="no data folder")
    return AttachmentFiles(folder / FOLDER, vault_of(db), options)


def clean_orphans(db: sqlite_utils.Database, options: AttachmentOptions | None = None) -> int:
    """At start: drop blob rows nothing links to, then remove files no row names
    (and temporary files a crash left). Returns how many files went."""
    repo = AttachmentsRepo(db)
    if not repo.has_tables() or database_folder(db) is None:
        return 0
    with db.atomic():
        repo.delete_blobs(repo.unreferenced_blobs())
    files = attachment_files(db, options or AttachmentOptions())
    return files.clean_orphans(repo.blob_shas())


def dated(schedule: Schedule, first_due_date: date | None, at: datetime) -> Schedule:
    """``schedule`` with its due dates: from the store's first-payment date, else one
    month after the application day ``at`` (China time; core.applications.due_dates)."""
    if first_due_date is not None:
        return schedule.with_due_dates(first_due_date)
    return schedule.with_due_dates(*default_first_due(at.astimezone(CHINA_TZ).date()))


class Paperwork:
    """Mixed into core.applications.ApplicationService."""

    _db: sqlite_utils.Database
    _repo: Repositories
    _actor: Actor
    _clock: Clock
    rules: RulePackStore | None
    attachment_options: AttachmentOptions = AttachmentOptions()

    def _may_open(self, app_id: str) -> bool:  # pragma: no cover - ApplicationReads has it
        raise NotImplementedError

    # --- consent -------------------------------------------------------------------------
    def consent_texts(self) -> ConsentVersion:
        """The texts the customer is shown now (the current version)."""
        return bundled_texts().current_version

    def record_consent(
        self, method: ConsentMethod | str, signature_sha256: str | None = None
    ) -> ConsentRecord:
        """Record the customer's consent to the current texts for the form now open
        (replacing an earlier one); one ``consent_recorded`` audit row. A signature
        consent names the signature image attached to the form."""
        require(self._actor.role, Permission.CREATE_APPLICATION)
        try:
            how = ConsentMethod(method)
        except ValueError:
            raise ServiceError("CONSENT_METHOD_UNKNOWN") from None
        if how is ConsentMethod.SIGNATURE and not signature_sha256:
            raise ServiceError("CONSENT_SIGNATURE_MISSING")
        current = self.consent_texts()
        at = iso_now(self._clock)
        record = ConsentRecord(current.version, at, how, current.sha256, signature_sha256)
        with self._db.atomic():
            PaperworkRepo(self._db).set_pending_consent(
                self._actor.operator_id, record.to_json(), at
            )
            self._repo.audit(
                at,
                self._actor.operator_id,
                "consent_recorded",
                "operator",
                self._actor.operator_id,
                detail={"version": record.version, "method": how.value},
            )
        return record

    def pending_consent(self) -> ConsentRecord | None:
        """The consent recorded for the form now open, if any."""
        return consent_from_json(PaperworkRepo(self._db).pending_consent(self._actor.operator_id))

    def _with_pending_consent(self, result: ValidationResult) -> ValidationResult:
        if result.value is None or result.value.consent is not None:
            return result
        pending = self.pending_consent()
        if pending is None:
            return result
        return ValidationResult(dataclasses.replace(result.value, consent=pending), result.errors)

    def _require_consent(self, app: ApplicationInput) -> ConsentRecord:
        consent = app.consent if app.consent is not None else self.pending_consent()
        if consent is None:
            raise ServiceError("CONSENT_MISSING")
        return consent

    def withdraw_consent(self, app_id: str | None = None) -> None:
        """The customer withdraws consent. ``None``: for the form now open (its draft,
        consent and attachments are deleted). An application not yet submitted to head
        office is cancelled (reason ``customer_withdrew``), its unsent upload dropped,
        its customer's personal fields blanked and its attachments deleted; one after
        submission is refused (CONSENT_ALREADY_SUBMITTED)."""
        require(self._actor.role, Permission.CREATE_APPLICATION)
        at = iso_now(self._clock)
        papers, attachments = PaperworkRepo(self._db), AttachmentsRepo(self._db)
        with self._db.atomic():
            if app_id is None:
                papers.clear_pending_consent(self._actor.operator_id)
                attachments.remove_pending(self._actor.operator_id)
                self._repo.delete_form_draft(self._actor.operator_id)
                target_type, target = "operator", self._actor.operator_id
            else:
                self._withdraw_saved(app_id, at)
                target_type, target = "application", app_id
            gone = attachments.unreferenced_blobs()
            attachments.delete_blobs(gone)
            self._repo.audit(
                at,
                self._actor.operator_id,
                "consent_withdrawn",
                target_type,
                target,
                detail={"attachments_deleted": len(gone)},
            )
        files = attachment_files(self._db, self.attachment_options)
        for sha in gone:  # after COMMIT: a crash before here leaves orphans, cleaned at start
            files.delete(sha)

    def _withdraw_saved(self, app_id: str, at: str) -> None:
        store_id = self._repo.application_store_id(app_id)
        found = self._repo.application_status(app_id)
        if store_id is None or found is None:
            raise ServiceError("APPLICATION_NOT_FOUND", id=app_id)
        access.require_cancel(self._actor.role, self._actor.store_id, store_id)
        if Status(found[0]) not in BEFORE_SUBMISSION:
            raise ServiceError("CONSENT_ALREADY_SUBMITTED")
        transition(
            self._repo,
            app_id,
            Status.CANCELLED,
            at=at,
            action="cancelled",
            operator_id=self._actor.operator_id,
            detail={"reason": "customer_withdrew"},
        )
        RetentionRepo(self._db).blank_personal_data([app_id], at)
        PaperworkRepo(self._db).mark_withdrawn(app_id, at)
        AttachmentsRepo(self._db).unlink_application(app_id)

    # --- attachments ---------------------------------------------------------------------
    def attach(self, kind: str, data: bytes) -> StoredFile:
        """Attach a photo, the signature or a printed PDF to the form now open (it is
        kept with the application when the form is saved). The file is on disk before
        its row commits; the same content twice is stored once."""
        require(self._actor.role, Permission.CREATE_APPLICATION)
        return self._store(kind, data, None)

    def attach_to(self, app_id: str, kind: str, data: bytes) -> StoredFile:
        """Attach to a saved application (not a cancelled one); one audit row."""
        require(self._actor.role, Permission.CREATE_APPLICATION)
        if not self._may_open(app_id):
            raise ServiceError("APPLICATION_NOT_FOUND", id=app_id)
        found = self._repo.application_status(app_id)
        if found is not None and found[0] == Status.CANCELLED.value:
            raise AttachmentError("ATTACHMENT_APPLICATION_CLOSED")
        return self._store(kind, data, app_id)

    def _store(self, kind_text: str, data: bytes, app_id: str | None) -> StoredFile:
        kind = kind_of(kind_text)
        prepared = prepare(kind, data, self.attachment_options)
        files = attachment_files(self._db, self.attachment_options)
        repo = AttachmentsRepo(self._db)
        stored = files.put(prepared.data, repo.used_bytes())
        at = iso_now(self._clock)
        with self._db.atomic():
            repo.insert_blob(
                stored.sha256, prepared.media_type, stored.size, stored.stored_size, at
            )
            if app_id is None:
                repo.add_pending(self._actor.operator_id, kind.value, stored.sha256, at)
            elif repo.link(app_id, kind.value, stored.sha256, at):
                self._repo.audit(
                    at,
                    self._actor.operator_id,
                    "attachment_added",
                    "application",
                    app_id,
                    detail={"kind": kind.value, "sha256": stored.sha256},
                )
        return stored

    def store_evidence(self, kind_text: str, data: bytes) -> EvidenceItem:
        """Store a file for a bulk save (``save_many``'s ``evidence``) without linking
        it to a form or an application yet; the save links it. Left unlinked (a crash
        before the save), it is removed at the next start like any orphan."""
        require(self._actor.role, Permission.CREATE_APPLICATION)
        kind = kind_of(kind_text)
        prepared = prepare(kind, data, self.attachment_options)
        repo = AttachmentsRepo(self._db)
        stored = attachment_files(self._db, self.attachment_options).put(
            prepared.data, repo.used_bytes()
        )
        at = iso_now(self._clock)
        with self._db.atomic():
            repo.insert_blob(
                stored.sha256, prepared.media_type, stored.size, stored.stored_size, at
            )
        return EvidenceItem(kind.value, stored.sha256)

    def pending_attachments(self) -> list[EvidenceItem]:
        rows = AttachmentsRepo(self._db).pending(self._actor.operator_id)
        return [EvidenceItem(k, s) for k, s in rows]

    def attachments(self, app_id: str) -> list[EvidenceItem]:
        if not self._may_open(app_id):
            return []
        return [
            EvidenceItem(k, s) for k, s, _u in AttachmentsRepo(self._db).for_application(app_id)
        ]

    def read_attachment(self, app_id: str, sha256: str) -> bytes:
        """The plain content of one of the application's attachments (ATTACHMENT_CHANGED
        when the file on disk no longer matches)."""
        if sha256 not in {e.sha256 for e in self.attachments(app_id)}:
            raise AttachmentError("ATTACHMENT_MISSING", sha256=sha256[:12])
        return attachment_files(self._db, self.attachment_options).read(sha256)

    def required_evidence(self, app: ApplicationInput) -> tuple[str, ...]:
        """What the usable rule pack asks to be attached for ``app`` (nothing without
        a pack, or with a pack that has no evidence section)."""
        pack = self.rules.usable() if self.rules is not None else None
        rules = evidence_rules(pack.parameters if pack is not None else None)
        return required_evidence(rules, app.scenario.value, app.principal_fen)

    def _check_paperwork(
        self, app: ApplicationInput, evidence: list[EvidenceItem], own_consent: bool = False
    ) -> None:
        """Refuse to save what lacks the consent (``own_consent``: the application's
        own, as each customer of a bulk import consents for themselves), required
        evidence or the consent's signature."""
        if own_consent and app.consent is None:
            raise ServiceError("CONSENT_MISSING")
        present = {e.kind for e in evidence}
        missing = missing_evidence(self.required_evidence(app), present)
        if missing:
            raise missing_error(missing)
        consent = app.consent
        if (
            consent is not None
            and consent.signature_sha256 is not None
            and consent.signature_sha256
            not in {e.sha256 for e in evidence if e.kind == "signature"}
        ):
            raise ServiceError("CONSENT_SIGNATURE_MISSING")

    def _clear_pending_paperwork(self) -> None:
        """The open form's consent and attachments now belong to the saved application."""
        PaperworkRepo(self._db).clear_pending_consent(self._actor.operator_id)
        AttachmentsRepo(self._db).remove_pending(self._actor.operator_id)

    def receipt_paperwork(self, app_id: str) -> dict[str, Any] | None:
        """What the decision receipt keeps beside the pre-screen: ``schedule`` (each
        period with its due date), ``evidence`` (kind and sha256 of each attachment)
        and ``consent``; None for applications saved before these existed."""
        if not self._may_open(app_id):
            return None
        found = PaperworkRepo(self._db).receipt_paperwork(app_id)
        if found is None or (not found["schedule"] and found["consent"] is None):
            return None
        return found

    def _save_paperwork(
        self,
        app_id: str,
        consent: ConsentRecord,
        evidence: list[EvidenceItem],
        at: str,
    ) -> dict[str, Any]:
        """In the save's transaction: the consent and the attachments (the receipt's
        paperwork went in with the receipt). Returns what the application's ``created``
        audit row adds: the evidence list (kind and sha256 of each) and the consent's
        version and method."""
        papers, repo = PaperworkRepo(self._db), AttachmentsRepo(self._db)
        papers.insert_consent(app_id, consent.to_json())
        for item in evidence:
            repo.link(app_id, item.kind, item.sha256, at)
        listed = [e.to_json() for e in evidence]
        return {
            "evidence": listed,
            "consent_version": consent.version,
            "consent_method": consent.method.value,
        }
