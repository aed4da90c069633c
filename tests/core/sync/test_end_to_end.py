"""Against the real reference server (python -m server) on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

from core.config import resolve_paths
from core.context import open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from tests.core.sync.conftest import FAST, outbox_states, statuses
from tests.helpers.evidence import save_with_photos
from tests.helpers.server import RealServer

DECIDED = {"approved", "declined", "review"}


def test_fifty_applications_arrive_exactly_once_and_come_back_decided(tmp_path: Path) -> None:
    with RealServer(tmp_path) as srv:
        code = srv.add_store("S001", name="朝阳门店", city="北京")
        ctx = open_context(resolve_paths(tmp_path / "client"))
        try:
            assert ctx.sync is not None
            ctx.sync.enroll(srv.url, "S001", code, timeouts=FAST)
            gen = DemoGenerator(11, ctx.clock.now().date(), load_demo_catalog())
            ids = [save_with_photos(ctx.applications, gen.application()) for _ in range(50)]
            assert set(statuses(ctx).values()) == {"queued"}

            report = ctx.sync.sync_once(timeouts=FAST)
            assert report.exit_code == 0, report.to_json("en")
            assert (report.pushed, report.acked, report.rejected) == (50, 50, 0)
            stats = srv.stats()
            assert stats["distinct_application_ids"] == 50
            assert stats["applications_received"] == 50 and stats["duplicates"] == 0
            # 50 on day one by one clerk: head office may also revise some in review (a
            # new salesperson's volume), each a further decision of the feed; those with
            # ID photos are held (HO_EVIDENCE_PENDING) until their uploads land, in the
            # same run, and then decided again
            assert report.decisions == stats["decisions"] >= 50
            assert set(statuses(ctx).values()) <= DECIDED
            for app_id in ids[:5]:
                actions = [e.action for e in ctx.applications.history(app_id)]
                assert actions[:4] == ["created", "queued", "submitted", "decided"]
                assert set(actions[4:]) <= {"decision", "decided"}  # a revision
                decision = ctx.sync.decision(app_id)
                assert decision is not None and decision.decision == statuses(ctx)[app_id]
                assert "HO_EVIDENCE_PENDING" not in decision.reasons  # the photos arrived

            again = ctx.sync.sync_once(timeouts=FAST)
            assert (again.pushed, again.decisions, again.exit_code) == (0, 0, 0)
            assert srv.stats()["items_processed"] == 50
            state = ctx.sync.sync_state()
            assert state.online and state.pending == 0 and state.last_sync_at
        finally:
            ctx.close()


def test_a_reply_lost_after_the_server_committed_is_resent_not_duplicated(
    tmp_path: Path,
) -> None:
    with RealServer(tmp_path) as srv:
        code = srv.add_store("S002")
        ctx = open_context(resolve_paths(tmp_path / "client"))
        try:
            assert ctx.sync is not None
            ctx.sync.enroll(srv.url, "S002", code, timeouts=FAST)
            gen = DemoGenerator(12, ctx.clock.now().date(), load_demo_catalog())
            for _ in range(10):
                save_with_photos(ctx.applications, gen.application())
            srv.faults(malformed_reply=True)  # the server commits, the reply is cut
            first = ctx.sync.sync_once(timeouts=FAST)
            assert first.exit_code == 1 and first.acked == 0
            assert set(outbox_states(ctx).values()) == {"pending"}
            assert srv.stats()["distinct_application_ids"] == 10
            second = ctx.sync.sync_once(timeouts=FAST)
            assert second.acked == 10 and second.exit_code == 0
            stats = srv.stats()
            assert stats["distinct_application_ids"] == 10 and stats["duplicates"] == 10
            assert set(statuses(ctx).values()) <= DECIDED

            srv.new_epoch()  # restored from a backup: nothing is lost, nothing doubled
            third = ctx.sync.sync_once(timeouts=FAST)
            assert third.exit_code == 0 and [n.code for n in third.notices] == [
                "SYNC_EPOCH_CHANGED"
            ]
            assert srv.stats()["distinct_application_ids"] == 10
        finally:
            ctx.close()
