"""Migration 0013's statements (core/store/migrations.py runs them): what the field
managers' dashboard reads fast, and the catalog's change history.

- ``applications.prescreen_outcome`` and ``applications.decided_amount_fen``: copies of
  the pre-screen receipt's outcome and of head office's approved amount, kept by
  triggers on ``prescreen_receipts`` and ``decisions`` (so no save or sync code has to
  remember them) and filled once here for the applications already saved;
- ``applications_dashboard``: every column the dashboard counts and sums, in
  ``created_at`` order, so a date range is one index range scan that reads neither the
  table nor a receipt or decision (joining those by their text keys cost 3x more).
- ``catalog_history``: one row per change of a catalog entry (added, changed, removed),
  written by triggers, so every way the catalog changes (a sync page, a return bundle,
  a seed) is recorded and nothing has to remember to. Only real changes: an update that
  sets the same name, category and price writes nothing.
"""

from __future__ import annotations

_NOW = "strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')"

_COPY_OUTCOME = (
    "UPDATE applications SET prescreen_outcome = NEW.outcome WHERE id = NEW.application_id"
)
_COPY_AMOUNT = (
    "UPDATE applications SET decided_amount_fen = NEW.approved_amount_fen "
    "WHERE id = NEW.application_id"
)

STATEMENTS: tuple[str, ...] = (
    "ALTER TABLE applications ADD COLUMN prescreen_outcome TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE applications ADD COLUMN decided_amount_fen INTEGER",
    "UPDATE applications SET prescreen_outcome = COALESCE((SELECT r.outcome FROM "
    "prescreen_receipts r WHERE r.application_id = applications.id), '')",
    "UPDATE applications SET decided_amount_fen = (SELECT d.approved_amount_fen FROM "
    "decisions d WHERE d.application_id = applications.id)",
    f"CREATE TRIGGER applications_outcome_added AFTER INSERT ON prescreen_receipts "
    f"BEGIN {_COPY_OUTCOME}; END",
    f"CREATE TRIGGER applications_outcome_changed AFTER UPDATE OF outcome ON "
    f"prescreen_receipts BEGIN {_COPY_OUTCOME}; END",
    f"CREATE TRIGGER applications_decision_added AFTER INSERT ON decisions "
    f"BEGIN {_COPY_AMOUNT}; END",
    f"CREATE TRIGGER applications_decision_changed AFTER UPDATE ON decisions "
    f"BEGIN {_COPY_AMOUNT}; END",
    "CREATE INDEX applications_dashboard ON applications(created_at, status, scenario, "
    "operator_id, store_id, prescreen_outcome, principal_fen, order_total_fen, "
    "decided_amount_fen)",
    "CREATE INDEX outbox_state_application ON outbox(state, application_id)",
    """CREATE TABLE catalog_history (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        sku TEXT NOT NULL,
        change TEXT NOT NULL CHECK (change IN ('added', 'changed', 'removed')),
        old_name TEXT,
        new_name TEXT,
        old_category TEXT,
        new_category TEXT,
        old_price_fen INTEGER,
        new_price_fen INTEGER,
        at TEXT NOT NULL
    )""",
    "CREATE INDEX catalog_history_sku ON catalog_history(sku, seq)",
    """CREATE TRIGGER catalog_history_added AFTER INSERT ON catalog BEGIN
        INSERT INTO catalog_history(sku, change, new_name, new_category, new_price_fen, at)
        VALUES (NEW.sku, 'added', NEW.name, NEW.category, NEW.price_fen, NEW.updated_at);
    END""",
    """CREATE TRIGGER catalog_history_changed AFTER UPDATE ON catalog
    WHEN OLD.name IS NOT NEW.name OR OLD.category IS NOT NEW.category
        OR OLD.price_fen IS NOT NEW.price_fen BEGIN
        INSERT INTO catalog_history(sku, change, old_name, new_name, old_category,
            new_category, old_price_fen, new_price_fen, at)
        VALUES (NEW.sku, 'changed', OLD.name, NEW.name, OLD.category, NEW.category,
            OLD.price_fen, NEW.price_fen, NEW.updated_at);
    END""",
    f"""CREATE TRIGGER catalog_history_removed AFTER DELETE ON catalog BEGIN
        INSERT INTO catalog_history(sku, change, old_name, old_category, old_price_fen, at)
        VALUES (OLD.sku, 'removed', OLD.name, OLD.category, OLD.price_fen, {_NOW});
    END""",
)
