"""Attachment upload against the real reference server, through a TCP proxy that cuts
the link: a 5 MB file cut at half resumes from there (it does not start again), the
server's hash matches, a resend is idempotent, a wrong hash is refused, and the evidence
check names what has not arrived."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import requests

from core.config import resolve_paths
from core.context import open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from core.store.attachments_repo import AttachmentsRepo
from core.sync.attachments import AttachmentUploader
from tests.core.sync.conftest import FAST
from tests.helpers.evidence import save_with_photos
from tests.helpers.proxy import Proxy
from tests.helpers.server import RealServer

MB = 1024 * 1024
CHUNK = MB // 2


def test_a_5mb_upload_cut_at_half_resumes_and_the_hash_matches(tmp_path: Path) -> None:
    with RealServer(tmp_path) as srv, Proxy(srv.port) as proxy:
        code = srv.add_store("S101", name="门店", city="北京")
        ctx = open_context(resolve_paths(tmp_path / "client"))
        try:
            assert ctx.sync is not None
            ctx.sync.enroll(proxy.url, "S101", code, timeouts=FAST)
            gen = DemoGenerator(5, ctx.clock.now().date(), load_demo_catalog())
            app_id = save_with_photos(ctx.applications, gen.application())
            assert ctx.sync.sync_once(timeouts=FAST).acked == 1
            pdf = b"%PDF-1.7\n" + os.urandom(5 * MB - 9)
            sha = ctx.applications.attach_to(app_id, "printed_pdf", pdf).sha256
            prefix = f"/v1/applications/{app_id}/attachments"

            def cut_at_half(_sha: str, held: int, total: int) -> None:
                if held == total // 2 - CHUNK:  # the next chunk reaches 50%, its reply is lost
                    proxy.cut_after_request(prefix)

            engine = ctx.sync.engine(timeouts=FAST)
            try:
                uploader = AttachmentUploader(ctx.db, engine.http, ctx.clock, chunk_bytes=CHUNK)
                first = uploader.run(progress=cut_at_half)
                assert (first.uploaded, first.failed) == (0, 1)
                part = srv.data_dir / "attachments" / app_id / f"{sha}.part"
                assert part.stat().st_size == 5 * MB // 2  # the server holds half
                puts_before = len([r for r in proxy.requests(prefix) if r.startswith("PUT")])

                second = uploader.run()
                assert (second.uploaded, second.failed) == (1, 0)
                assert second.bytes_sent == 5 * MB // 2  # resumed: only the second half went
                puts = [r for r in proxy.requests(prefix) if r.startswith("PUT")]
                assert len(puts) - puts_before == 5
                assert uploader.run().uploaded == 0  # nothing left to send
            finally:
                engine.http.close()
            done = srv.data_dir / "attachments" / app_id / sha
            assert hashlib.sha256(done.read_bytes()).hexdigest() == sha
            assert not part.exists()
            held = {s: (k, u) for k, s, u in AttachmentsRepo(ctx.db).for_application(app_id)}
            kind, uploaded_at = held[sha]  # beside the ID photos the first sync sent
            assert kind == "printed_pdf" and all(u is not None for _k, u in held.values())
        finally:
            ctx.close()


def test_the_server_verifies_the_hash_and_is_idempotent(tmp_path: Path) -> None:
    with RealServer(tmp_path) as srv:
        code = srv.add_store("S102")
        ctx = open_context(resolve_paths(tmp_path / "client"))
        try:
            assert ctx.sync is not None
            ctx.sync.enroll(srv.url, "S102", code, timeouts=FAST)
            gen = DemoGenerator(6, ctx.clock.now().date(), load_demo_catalog())
            app_id = save_with_photos(ctx.applications, gen.application())
            assert ctx.sync.sync_once(timeouts=FAST).acked == 1
            engine = ctx.sync.engine(timeouts=FAST)
            token = engine.http.token
            engine.http.close()
            base = f"{srv.url}/v1/applications/{app_id}/attachments"
            auth = {"Authorization": f"Bearer {token}"}
            body = b"%PDF-1.4 small"
            sha = hashlib.sha256(body).hexdigest()
            wrong = requests.put(f"{base}/{'0' * 64}?kind=printed_pdf", data=body, headers=auth)
            assert wrong.status_code == 422
            assert wrong.json()["error"]["code"] == "ATTACHMENT_HASH_MISMATCH"
            put = requests.put(f"{base}/{sha}?kind=printed_pdf", data=body, headers=auth)
            assert put.status_code == 201 and put.json()["complete"] is True
            again = requests.put(f"{base}/{sha}?kind=printed_pdf", data=body, headers=auth)
            assert again.status_code == 200 and again.json()["received"] == len(body)
            ahead = requests.put(
                f"{base}/{'1' * 64}?kind=id_front",
                data=b"xy",
                headers={**auth, "Content-Range": "bytes 5-6/10"},
            )
            assert ahead.status_code == 409
            assert ahead.json()["error"]["code"] == "UPLOAD_OFFSET_MISMATCH"
            other = requests.get(f"{srv.url}/v1/applications/nope/attachments/{sha}", headers=auth)
            assert other.status_code == 404
        finally:
            ctx.close()
