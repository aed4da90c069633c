"""Keys of the ``sync_state`` table (migration 0004_sync)."""

from __future__ import annotations

SERVER_URL = "server_url"
STORE_CODE = "store_code"
DEVICE_ID = "device_id"
DECISIONS_CURSOR = "decisions_cursor"
CATALOG_CURSOR = "catalog_cursor"
BLACKLIST_STATE = "blacklist_state:"  # + name: the opaque state of the last delta
RULEPACK_ETAG = "rulepack_etag"
SERVER_EPOCH = "server_epoch"
LAST_SYNC_AT = "last_sync_at"  # the last run that completed
LAST_ATTEMPT_AT = "last_attempt_at"
LAST_ERROR = "last_error"  # JSON {"code", "params", "message"} of the last run's first error
PAUSED = "paused_reason"  # REENROLL_NEEDED | DEVICE_REVOKED
CLOCK_OFFSET = "clock_offset_s"  # server minus this PC, from the Date header
ONLINE = "online"  # "1": the server answered during the last run
FAILURES = "consecutive_failures"  # runs in a row that ended early (backoff exponent)
NOT_BEFORE = "not_before"  # "<wall time> <seconds>": the server asked us not to call before
