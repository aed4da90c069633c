"""The application service: what the clerk's screens and the CLI call.

One user action is one transaction and, for a state change, one audit row. "Saved"
means COMMIT returned (``synchronous=FULL``, so it also survived a power cut).

Saving pre-screens first (reads only, outside the transaction), then writes the
application, its decision receipt, its outbox row (the sealed payload the sync engine
sends) and its audit rows (created -> prescreened, prescreened -> queued) in one
transaction: a saved application is always ``queued``, always has its receipt and is
always in the outbox.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import datetime
from typing import Any

import sqlite_utils

from core.applications.form_rules import FormRules
from core.applications.paperwork import Paperwork, dated
from core.applications.reads import Actor, ApplicationReads, ServiceError, writing
from core.applications.status import Action, transition
from core.attachments import AttachmentOptions, EvidenceItem
from core.basket import require_one_category
from core.clock import Clock, iso_now
from core.ids import uuid7
from core.models import (
    ApplicationInput,
    CatalogItem,
    RepaymentMethod,
    Scenario,
    Status,
    TermsPolicy,
)
from core.money import Schedule
from core.operators import access
from core.prescreen.facts import Subject, iso
from core.prescreen.normalize import address_key
from core.prescreen.outcome import PrescreenContext, PrescreenOutcome, prescreen
from core.prescreen.params import parse_params, terms_policy
from core.prescreen.rebuild import compact_inputs
from core.rules import RulePackStore
from core.security.permissions import Permission, Role
from core.store.db import StorageEnvironmentError, bulk_page_cache
from core.store.receipts_repo import ReceiptPaperwork, ReceiptsRepo
from core.store.references import local_day
from core.store.repositories import Repositories
from core.store.screening_repo import ScreeningRepo
from core.sync.outbox import Outbox
from core.validation.application import ValidationResult

log = logging.getLogger("loandesk.applications")
CANCEL_REASONS = frozenset({"customer_withdrew", "entered_in_error", "duplicate", "other"})
DEFAULT_POLICY = TermsPolicy()


class ApplicationService(ApplicationReads, Paperwork):
    """Every entry point checks the actor's role first (core.security.permissions);
    a refusal raises PermissionDenied, whatever the screens showed."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        actor: Actor,
        clock: Clock,
        policy: TermsPolicy | None = None,
        rules: RulePackStore | None = None,
        attachments: AttachmentOptions | None = None,
    ) -> None:
        self._db = db
        if attachments is not None:
            self.attachment_options = attachments
        self._repo = Repositories(db)
        self._screening = ScreeningRepo(db)
        self._receipts = ReceiptsRepo(db)
        self._outbox = Outbox(db)
        self._actor = actor
        self._clock = clock
        self._fixed_policy = policy
        self._pack_policy: tuple[str, TermsPolicy] | None = None
        self.rules = rules
        self._subject = Subject(
            store_id=actor.store_id,
            operator_id=actor.operator_id,
            device_id=self._screening.device_id(),
            store_city=self._screening.store_city(actor.store_id),
        )
        self._prescreen = PrescreenContext(rules, self._screening, self._subject, clock)

    def ensure_operator(self, login: str, display_name: str, role: str = "clerk") -> str:
        """The id of this store's operator ``login``, created if new (demo salespeople;
        no password, so it cannot log in). Needs MANAGE_OPERATORS; a creation leaves an
        ``operator_created`` audit row naming the role (never the name or login)."""
        access.require_current(self._db, self._actor, Permission.MANAGE_OPERATORS)
        try:
            role_v = Role(role)
        except ValueError:
            raise ServiceError("OPERATOR_ROLE_UNKNOWN") from None
        with self._writing():
            found = self._repo.operator_by_login(login)
            if found is None:
                op_id, at = uuid7(), iso_now(self._clock)
                self._repo.insert_operator(
                    op_id, self._actor.store_id, login, display_name, role_v.value, at
                )
                self._repo.audit(
                    at,
                    self._actor.operator_id,
                    "operator_created",
                    "operator",
                    op_id,
                    detail={"role": role_v.value},
                )
                return op_id
            return str(found["id"])

    def for_operator(self, operator_id: str) -> ApplicationService:
        """The same service acting as another operator of the same store (seeding,
        tools): acting for someone else needs MANAGE_OPERATORS."""
        access.require_current(self._db, self._actor, Permission.MANAGE_OPERATORS)
        found = self._repo.operator_by_id(operator_id)
        if found is None:
            raise ServiceError("OPERATOR_NOT_FOUND", id=operator_id)
        actor = Actor(self._actor.store_id, operator_id, Role(found["role"]))
        return ApplicationService(
            self._db, actor, self._clock, self._fixed_policy, self.rules, self.attachment_options
        )

    # --- validation and quotes ------------------------------------------------------------
    @property
    def policy(self) -> TermsPolicy:
        """Terms on offer: given explicitly, else from the usable rule pack (cached per
        pack), else the built-in defaults."""
        if self._fixed_policy is not None:
            return self._fixed_policy
        try:
            pack = self.rules.usable() if self.rules is not None else None
        except sqlite3.Error as exc:  # the pre-screen reports it (RULES_ERROR); keep the form
            log.warning("rule pack unreadable for the terms policy: %s", type(exc).__name__)
            pack = None
        if pack is None:
            return DEFAULT_POLICY
        if self._pack_policy is None or self._pack_policy[0] != pack.sha256:
            policy = terms_policy(parse_params(pack.parameters), DEFAULT_POLICY)
            self._pack_policy = (pack.sha256, policy)
        return self._pack_policy[1]

    def form_rules(self) -> FormRules:
        """The terms on offer now and the clock: what the form validates and quotes with."""
        return FormRules(self.policy, self._clock)

    def validate(self, raw: object) -> ValidationResult:
        """Validate the form; an application without its own ``consent`` section gets
        the consent recorded for the form now open (:meth:`record_consent`), if any."""
        return self._with_pending_consent(self.form_rules().validate(raw))

    def quote(
        self, scenario: Scenario, principal_fen: int, term_months: int, method: RepaymentMethod
    ) -> Schedule:
        """The installment schedule the customer would sign for."""
        return self.form_rules().quote(scenario, principal_fen, term_months, method)

    # --- pre-screening -----------------------------------------------------------------------
    def prescreen(self, app: ApplicationInput) -> PrescreenOutcome:
        """The outcome the clerk sees on the review step, before saving (reads only).
        Refused without the customer's consent (CONSENT_MISSING)."""
        self._require_consent(app)
        catalog = self._catalog_items()
        require_one_category(catalog, app)
        with self._rules_once(), self._screening.catalog_known(catalog):
            try:
                schedule: Schedule | None = self.quote(
                    app.scenario, app.principal_fen, app.terms.term_months, app.terms.method
                )
            except (ValueError, KeyError):
                schedule = None  # the pack's own rate is used instead
            return self._screen(app, self._clock.now(), schedule)

    def _rules_once(self) -> AbstractContextManager[None]:
        """One read of the pack state for a whole pre-screen or save (evidence, terms,
        screening and blacklist lookups alike)."""
        return self.rules.reading_once() if self.rules is not None else nullcontext()

    def _screen(
        self, app: ApplicationInput, at: datetime, schedule: Schedule | None
    ) -> PrescreenOutcome:
        # a storage problem reading the facts arrives sorted (core.store.connection)
        return prescreen(
            app,
            self._prescreen,
            at=at,
            max_installment_fen=schedule.max_payment_fen if schedule is not None else None,
        )

    # --- writes -----------------------------------------------------------------------------
    def save(self, app: ApplicationInput) -> str:
        """Pre-screen and store a validated application; returns its UUIDv7 once COMMIT
        has returned. The receipt and the outbox row are written in the same transaction."""
        access.require_current(self._db, self._actor, Permission.CREATE_APPLICATION)
        app = dataclasses.replace(app, consent=self._require_consent(app))
        catalog = self._catalog_items()
        require_one_category(catalog, app)
        evidence = self.pending_attachments()
        with self._rules_once(), self._screening.catalog_known(catalog):
            self._check_paperwork(app, evidence)
            now = self._clock.now()
            schedule = dated(self._quote_for(app), app.terms.first_due_date, now)
            outcome = self._screen(app, now, schedule)
        origin = self._outbox.origin(self._actor.store_id, self._actor.operator_id)
        with self._writing():
            app_id = self._insert(app, schedule, iso(now), uuid7(), outcome, origin, evidence)
            self._screening.written_at(iso(now))  # a clock set back: later days' baselines
            self._repo.delete_form_draft(self._actor.operator_id)
            self._clear_pending_paperwork()
        return app_id

    def _installment(self, app: ApplicationInput) -> int | None:
        """The largest installment of ``app``'s quote (None: no quote for its terms)."""
        try:
            return self._quote_for(app).max_payment_fen
        except (ValueError, KeyError):
            return None

    def _quote_for(self, app: ApplicationInput) -> Schedule:
        return self.quote(app.scenario, app.principal_fen, app.terms.term_months, app.terms.method)

    def save_many(
        self,
        items: Sequence[tuple[ApplicationInput, datetime]],
        evidence: Sequence[list[EvidenceItem]] | None = None,
    ) -> list[str]:
        """Store many applications (bulk import, demo data) in one transaction.

        Each keeps its own creation time; its id is a UUIDv7 of that time. Each is
        pre-screened as of that time, seeing the ones saved before it. ``evidence``:
        per item, the attachments it is saved with (stored by :meth:`store_evidence`).
        """
        kept = list(evidence) if evidence is not None else [[] for _ in items]
        access.require_current(self._db, self._actor, Permission.CREATE_APPLICATION)
        quotes: dict[tuple[Scenario, int, int, RepaymentMethod], Schedule] = {}
        schedules: list[Schedule] = []
        for (app, created), papers in zip(items, kept, strict=True):
            self._check_paperwork(app, papers, own_consent=True)
            key = (app.scenario, app.principal_fen, app.terms.term_months, app.terms.method)
            schedule = quotes.get(key)
            if schedule is None:
                schedule = quotes[key] = self.quote(*key)
            schedules.append(dated(schedule, app.terms.first_due_date, created))
        ids: list[str] = []
        try:
            with self._writing(), self._rules_once():
                self._prescreen.warm(  # inside: the pack state is this transaction's
                    (app, created, s.max_payment_fen)
                    for (app, created), s in zip(items, schedules, strict=True)
                )
                origin = self._outbox.origin(self._actor.store_id, self._actor.operator_id)
                for (app, created), schedule, papers in zip(items, schedules, kept, strict=True):
                    outcome = self._screen(app, created, schedule)
                    app_id = uuid7(int(created.timestamp() * 1000))
                    at = iso(created)
                    ids.append(self._insert(app, schedule, at, app_id, outcome, origin, papers))
                    self._screening.written_at(at)  # a back-dated row changes later baselines
        except BaseException:
            self._screening.clear_cache()  # rolled back: what was counted is gone
            raise
        finally:
            self._prescreen.cool()
        return ids

    def loading_many(self) -> AbstractContextManager[None]:
        """Around many :meth:`bulk` calls (demo data): a larger page cache meanwhile
        (core.store.db.bulk_page_cache)."""
        return bulk_page_cache(self._db)

    @contextmanager
    def bulk(self, ahead: Sequence[tuple[ApplicationInput, datetime]] = ()) -> Iterator[None]:
        """One outer transaction around several :meth:`save_many` calls (each then a
        savepoint): demo data saved in time order across salespeople, one commit.
        ``ahead``: what those calls will save (whoever for), whose decision graphs are
        evaluated first, back to back (core.prescreen.context.PrescreenContext.ahead)."""
        access.require_current(self._db, self._actor, Permission.CREATE_APPLICATION)
        try:
            # one pack state for the whole transaction: no other program can install a
            # pack while it holds the write lock, and an install in it is seen at once
            with self._writing(), self._rules_once():
                self._prescreen.ahead(
                    (app, created, self._installment(app)) for app, created in ahead
                )
                yield
        except BaseException:
            self._screening.clear_cache()  # rolled back: what was counted is gone
            raise

    def _insert(
        self,
        app: ApplicationInput,
        schedule: Schedule,
        at: str,
        app_id: str,
        outcome: PrescreenOutcome,
        origin: tuple[str, str],
        evidence: list[EvidenceItem],
    ) -> str:
        assert app.consent is not None, "save() and save_many() checked it"
        customer_id = uuid7()
        self._repo.insert_customer(customer_id, app.customer, at)
        # after the first write: read under the write lock (a read first would make the
        # transaction fail at once, not wait, when another program holds the lock)
        reference = self._repo.next_reference(origin[0], local_day(at))
        row: dict[str, Any] = {
            "id": app_id,
            "store_id": self._actor.store_id,
            "operator_id": self._actor.operator_id,
            "customer_id": customer_id,
            "scenario": app.scenario.value,
            "status": Status.PRESCREENED.value,  # queued by the outbox, below
            "revision": 1,
            "order_total_fen": app.order_total_fen,
            "down_payment_fen": app.terms.down_payment_fen,
            "principal_fen": app.principal_fen,
            "term_months": app.terms.term_months,
            "method": app.terms.method.value,
            "annual_rate": str(schedule.annual_rate),
            "upfront_fee_fen": schedule.upfront_fee_fen,
            "period_fee_fen": schedule.period_fee_fen,
            "first_payment_fen": schedule.first_payment_fen,
            "total_repayment_fen": schedule.total_repayment_fen,
            "apr": str(schedule.apr),
            "delivery_city": app.delivery_city,
            "delivery_address": app.delivery_address,
            "customer_name": app.customer.name,
            "phone_tail": app.customer.phone[-4:],
            "created_at": at,
            "updated_at": at,
            "device_id": self._subject.device_id,
            "delivery_key": address_key(app.delivery_city, app.delivery_address),
            "first_due_date": (
                schedule.first_due_date.isoformat() if schedule.first_due_date else None
            ),
            "due_day": schedule.due_day,
            "reference": reference,
        }
        self._repo.insert_application(row)
        self._repo.insert_lines(app_id, app.lines)
        self._receipts.insert_receipt(
            app_id,
            outcome.pack_id,
            outcome.pack_version,
            outcome.inputs_sha256,
            # the inputs once: what the rows just written rebuild is not stored again
            compact_inputs(
                outcome.inputs_json, outcome.inputs_sha256, app, schedule.max_payment_fen
            ),
            outcome.outcome,
            [r.to_record() for r in outcome.reasons],
            at,
            ReceiptPaperwork(
                schedule,
                [e.to_json() for e in evidence],
                app.consent.to_json(),
                terms=row,  # the schedule once: what the row's terms rebuild is not kept again
            ),
        )
        papers = self._save_paperwork(app_id, app.consent, evidence, at)
        self._repo.audit(
            at,
            self._actor.operator_id,
            "created",
            "application",
            app_id,
            None,
            Status.PRESCREENED.value,
            {"outcome": outcome.outcome, "pack_version": outcome.pack_version, **papers},
        )
        self._outbox.enqueue(
            app,
            schedule,
            at,
            app_id,
            outcome,
            origin,
            self._actor.operator_id,
            reference,
            evidence=[e.to_json() for e in evidence],
        )
        return app_id

    def transition(self, app_id: str, to: Status) -> None:
        """Record a status change by hand (head office's decision, in tools and tests):
        CHANGE_SETTINGS for every target, the status machine permitting. The audit row
        is action ``status`` with no detail: callers cannot put text in the log.
        Clerks and managers cancel through :meth:`cancel`."""
        access.require_current(self._db, self._actor, Permission.CHANGE_SETTINGS)
        self._change_status(app_id, to, "status", None)

    def cancel(self, app_id: str, reason: str = "") -> None:
        """CANCEL_APPLICATION; another store's application also needs VIEW_ALL_STORES;
        the status machine refuses what was already submitted to head office.

        ``reason`` is one of :data:`CANCEL_REASONS`, never free text: it goes into the
        audit log, which must not hold personal data. The application's upload that has
        not gone yet is withdrawn in the same transaction: a customer who withdrew is
        not sent to head office."""
        access.require_current(self._db, self._actor, Permission.CANCEL_APPLICATION)
        if reason and reason not in CANCEL_REASONS:
            raise ServiceError("CANCEL_REASON_UNKNOWN")
        self._change_status(
            app_id, Status.CANCELLED, "cancelled", {"reason": reason} if reason else None
        )

    def _change_status(
        self, app_id: str, to: Status, action: Action, detail: dict[str, str] | None
    ) -> None:
        """One status change and its audit row, in one transaction: this actor's access
        to the application first, then :func:`core.applications.status.transition` (the status
        machine, the row, the audit event). ``action`` and ``detail`` are codes chosen
        here, never a caller's text."""
        at = iso_now(self._clock)
        with self._writing():
            store_id = self._repo.application_store_id(app_id)
            if store_id is None:
                raise ServiceError("APPLICATION_NOT_FOUND", id=app_id)
            if to is Status.CANCELLED:
                access.require_cancel(self._actor.role, self._actor.store_id, store_id)
            else:
                access.require_store(self._actor.role, self._actor.store_id, store_id)
            transition(
                self._repo,
                app_id,
                to,
                at=at,
                action=action,
                operator_id=self._actor.operator_id,
                detail=detail,
            )

    # --- reference data -------------------------------------------------------------------
    def load_catalog(self, items: Iterable[CatalogItem]) -> int:
        """Replace catalog prices by hand (seeding, tools): CHANGE_SETTINGS, as it is
        reference data head office normally sends with a sync. One ``catalog_loaded``
        audit row with the count."""
        access.require_current(self._db, self._actor, Permission.CHANGE_SETTINGS)
        at = iso_now(self._clock)
        with self._writing():
            count = self._repo.upsert_catalog(items, at)
            self._repo.audit(
                at,
                self._actor.operator_id,
                "catalog_loaded",
                "catalog",
                "",
                detail={"count": count},
            )
            return count

    # --- the form's draft, kept across closing the window ------------------------------------
    def save_form_draft(self, data: dict[str, Any]) -> None:
        access.require_current(self._db, self._actor, Permission.EDIT_DRAFT)
        with self._writing():
            self._repo.save_form_draft(
                self._actor.operator_id, json.dumps(data, ensure_ascii=False), iso_now(self._clock)
            )

    def load_form_draft(self) -> dict[str, Any] | None:
        access.require_current(self._db, self._actor, Permission.EDIT_DRAFT)
        text = self._repo.load_form_draft(self._actor.operator_id)
        if text is None:
            return None
        try:
            data = json.loads(text)
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def discard_form_draft(self) -> None:
        access.require_current(self._db, self._actor, Permission.EDIT_DRAFT)
        with self._writing():
            self._repo.delete_form_draft(self._actor.operator_id)

    def _writing(self) -> AbstractContextManager[None]:
        return writing(self._db)


__all__ = ["Actor", "ApplicationService", "ServiceError", "StorageEnvironmentError"]
