"""``main.py --demo``: the reference server in-process on 127.0.0.1, this PC enrolled as
the demo store, sample applications, and one demo account per role.

Demo only: the customers are made up, the accounts' password is printed, and on a PC
without a secure keyring the demo's secrets live in a file in the demo folder.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from core.config import Paths

log = logging.getLogger("loandesk.demo")

DEMO_STORE = ("DEMO01", "演示门店", "北京")
DEMO_COUNT = 300
#: made-up accounts of the demo folder only; a real install never has a default password
DEMO_ACCOUNTS = (
    ("demo-admin", "演示管理员", "admin"),
    ("demo-manager", "演示经理", "field_manager"),
    ("demo-clerk", "演示专员", "clerk"),
)
DEMO_PASSWORD = "demo2468"
DEMO_HINT = (
    "演示账户 / demo accounts: demo-admin, demo-manager, demo-clerk — "
    f"密码 / password: {DEMO_PASSWORD}"
)


def use_demo_keyring(paths: Paths) -> None:
    """Demo only: with no secure keyring on this PC, keep the demo's secrets (data keys
    of made-up customers, the token for the in-process server) in a file in the demo
    folder, so the next ``make demo`` can read its data again. Never for real data."""
    import keyring

    from core.security import KeyringUnavailable, require_secure_backend

    try:
        require_secure_backend()
        return
    except KeyringUnavailable:
        log.warning("demo: no secure keyring; demo secrets are kept in the demo folder")

    from core.security.demo_keyring import FileKeyring

    keyring.set_keyring(FileKeyring(paths.data_dir / "demo-keyring.json"))


def _demo_port(ctx: Any) -> int:
    """The port of the last demo run (so the enrollment stays valid), else any."""
    from urllib.parse import urlsplit

    url = ctx.sync.sync_state().server_url or ""
    parts = urlsplit(url)
    return (parts.port or 0) if parts.hostname == "127.0.0.1" else 0


def _start_demo_server(paths: Paths, ctx: Any) -> Any:
    from server.app import start_in_thread

    port = _demo_port(ctx)
    try:
        return start_in_thread(paths.data_dir / "server", port=port)
    except RuntimeError:
        if port == 0:
            raise
        log.info("demo: port %d is taken; the demo server takes another", port)
        return start_in_thread(paths.data_dir / "server")


def _demo_needs_enrollment(ctx: Any, url: str) -> bool:
    from core.sync.errors import SyncError

    state = ctx.sync.sync_state()
    if (
        not state.enrolled
        or state.server_url != url
        or state.store_code != DEMO_STORE[0]
        or state.paused_reason
    ):
        return True
    try:
        engine = ctx.sync.engine()  # raises when this PC has no token (a new keyring)
    except SyncError:
        return True
    engine.http.close()
    return False


def _demo_accounts(ctx: Any) -> None:
    """The demo's three accounts (one per role), made once, with the printed password."""
    from core.operators.service import OperatorService
    from core.store.operators_repo import OperatorsRepo

    service = OperatorService(ctx.db, ctx.clock, ctx.actor)
    repo = OperatorsRepo(ctx.db)
    for login, name, role in DEMO_ACCOUNTS:
        if repo.by_login(login) is None:
            service.create_operator(login, name, role, DEMO_PASSWORD)
    print(
        f"demo: log in as demo-admin, demo-manager or demo-clerk with the password {DEMO_PASSWORD}",
        file=sys.stderr,
    )


def prepare_demo(paths: Paths, ctx: Any, reopen: Callable[[Paths], Any]) -> tuple[Any, Any]:
    """Start the reference server in-process, enroll this PC as the demo store, seed
    sample applications (queued for sync like any other). Returns (context, server)."""
    from core.demo_data import seed_demo
    from core.sync.errors import SyncError

    server = _start_demo_server(paths, ctx)
    try:
        if _demo_needs_enrollment(ctx, server.url):
            code = server.add_store(*DEMO_STORE)
            try:
                done = ctx.sync.enroll(server.url, DEMO_STORE[0], code)
            except SyncError as exc:  # the window opens anyway and shows "not enrolled"
                print(f"demo: enrolling failed: {exc.text('en')}", file=sys.stderr)
            else:
                log.info("demo: enrolled device %s with %s", done.device_id, done.server_url)
                ctx.close()  # enrolling renamed the store and rewrote the settings
                ctx = reopen(paths)
        if ctx.applications.count_all() == 0:
            seed_demo(ctx.applications, DEMO_COUNT, 1, ctx.clock.now(), plant_rate=0.03)
        _demo_accounts(ctx)
    except BaseException:
        server.stop()
        raise
    print(f"demo: head-office server at {server.url} (data in {server.data_dir})", file=sys.stderr)
    return ctx, server
