"""While the window is open, the audit checkpoint outside the database keeps up with the
log (every minute in use; a short interval here), both the file and its copy in the OS
keyring, so `check` notices rows cut off its end without waiting for the window to close."""

from __future__ import annotations

from typing import Any

from core.audit.checkpoint import checkpoint_path_of, read_checkpoint
from core.audit.checkpoint_copies import install_id_of, read_keyring_checkpoint
from core.demo_data import DemoGenerator, load_demo_catalog
from core.store.audit_repo import AuditRepo
from core.store.vault import vault_of
from tests.ui.conftest import WindowFactory, context_of


def test_the_open_window_moves_the_checkpoint_forward(
    qtbot: Any, open_window: WindowFactory
) -> None:
    window = open_window()
    ctx = context_of(window)
    path = checkpoint_path_of(ctx.db)
    assert path is not None
    key = vault_of(ctx.db).chain_key
    before = read_checkpoint(path, key)
    start = before.seq if before is not None else 0

    gen = DemoGenerator(4, ctx.clock.now().date(), load_demo_catalog(), ctx.applications.policy)
    for _ in range(3):
        ctx.applications.save(gen.application())
    newest = max(int(r["seq"]) for r in AuditRepo(ctx.db).rows())
    assert newest > start

    window._checkpoint_timer.setInterval(20)
    window._checkpoint_timer.start()

    def caught_up() -> None:
        found = read_checkpoint(path, key)
        assert found is not None and found.seq == newest

    qtbot.waitUntil(caught_up, timeout=5000)
    install_id = install_id_of(ctx.db)
    assert install_id is not None  # and its copy in the OS keyring is as far
    assert read_keyring_checkpoint(install_id, key) == read_checkpoint(path, key)
    window.close()
    assert not window._checkpoint_timer.isActive()
