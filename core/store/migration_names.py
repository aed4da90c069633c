"""The names of this build's migrations, in order, without importing them (the first
screen compares them with the file's record to refuse a database a newer LoanDesk
made). core.store.migrations checks at import that this list matches its migrations."""

MIGRATION_NAMES: tuple[str, ...] = (
    "0001_initial",
    "0002_rules",
    "0003_prescreen_indexes",
    "0004_sync",
    "0005_encrypt_personal_data",
    "0006_audit_chain",
    "0007_operators",
    "0008_list_sort_indexes",
    "0009_queue_applications_saved_before_sync",
    "0010_drop_decided_acked_payloads",
    "0011_seal_password_hashes",
    "0012_paperwork",
    "0013_dashboard_index_and_catalog_history",
    "0014_application_references",
    "0015_list_outcome_index",
    "0016_compact_receipt_inputs",
    "0017_compact_receipt_schedules",
    "0018_drop_prefix_indexes",
)
