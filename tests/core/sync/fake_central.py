"""A small, fully scriptable central API on a real socket, for engine unit tests that
need exact control (the reference server in server/ is used end to end elsewhere)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from core.sync import wire
from tests.core.sync.scripted import Reply, Request, ScriptedServer

P = wire.API_PREFIX
TOKEN = "good-token"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class FakeCentral(ScriptedServer):
    def __init__(self) -> None:
        super().__init__()
        self.epoch = "epoch-1"
        self.apps: dict[str, str] = {}  # application id -> payload sha
        self.received: list[str] = []  # every application id created, in order
        self.decisions: list[dict[str, Any]] = []
        self.decide_as: dict[str, str] = {}
        self.auto_decide = True
        self.max_items: int | None = None  # more items -> 413
        self.poison: set[str] = set()  # a batch holding one -> 500
        self.invalid: set[str] = set()
        self.conflict: set[str] = set()
        self.retry: set[str] = set()
        self.drop: set[str] = set()  # left out of the answer
        self.auth_status: int | None = None  # 401 / 403 for every authenticated call
        self.retention: int | None = None  # decisions older than newest - N: 410
        self.lists: dict[str, set[str]] = {n: set() for n in wire.BLACKLIST_NAMES}
        self.changes: list[tuple[int, str, str, bool]] = []
        self.pack: bytes | None = None
        self.catalog: list[dict[str, Any]] = []
        self.heartbeats: list[dict[str, Any]] = []
        self.date: datetime | None = None  # the Date header to send (default: now)
        self.attachments: dict[tuple[str, str], str] = {}  # (application id, sha) -> kind
        r = self.routes
        r[("POST", f"{P}/devices/enroll")] = self._enroll
        r[("POST", f"{P}/applications/batch")] = self._authed(self._batch)
        r[("GET", f"{P}/decisions")] = self._authed(self._decisions)
        r[("GET", f"{P}/rulepacks/current")] = self._authed(self._rulepack)
        r[("GET", f"{P}/catalog")] = self._authed(self._catalog)
        r[("POST", f"{P}/devices/heartbeat")] = self._authed(self._heartbeat)
        for name in wire.BLACKLIST_NAMES:
            r[("GET", f"{P}/blacklists/{name}/delta")] = self._authed(self._blacklist)

    def route(self, req: Request) -> Reply:
        """Attachment uploads (any application, any sha256) as head office takes them:
        a GET says nothing is held yet, a PUT of the whole file completes it."""
        parts = req.path.split("/")
        is_attachment = len(parts) == 6 and parts[2:3] == ["applications"]
        if (
            is_attachment
            and parts[4] == "attachments"
            and (req.method, req.path) not in self.queued
        ):
            return self._authed(self._attachment)(req)
        return super().route(req)

    def _attachment(self, req: Request) -> Reply:
        app_id, sha = req.path.split("/")[3], req.path.split("/")[5]
        if app_id not in self.apps:
            return self._json({"error": {"code": "NOT_FOUND", "message": "push it first"}}, 404)
        if req.method == "PUT":
            self.attachments[(app_id, sha)] = req.query.get("kind", "")
        kind = self.attachments.get((app_id, sha))
        body = {"sha256": sha, "received": 0, "complete": kind is not None, "kind": kind}
        return self._json(body, 201 if req.method == "PUT" else 200)

    # --- helpers for tests ---------------------------------------------------------------
    def batch_sizes(self) -> list[int]:
        return [
            len(q.json()["items"]) for q in self.requests if q.path == f"{P}/applications/batch"
        ]

    def blacklist_add(self, name: str, *values: str) -> None:
        for v in values:
            self.lists[name].add(digest(v))
            self.changes.append((len(self.changes) + 1, name, digest(v), True))

    def _headers(self) -> dict[str, str]:
        return {"Date": format_datetime(self.date or datetime.now(UTC), usegmt=True)}

    def _json(self, body: Any, status: int = 200) -> Reply:
        return Reply(status, body, self._headers())

    def _authed(self, handler: Any) -> Any:
        def run(req: Request) -> Reply:
            if req.headers.get("Authorization") != f"Bearer {TOKEN}":
                return self._json({"error": {"code": "UNAUTHORIZED", "message": "?"}}, 401)
            if self.auth_status is not None:
                return self._json({"error": {"code": "NO", "message": "no"}}, self.auth_status)
            reply: Reply = handler(req)
            return reply

        return run

    # --- endpoints --------------------------------------------------------------------------
    def _enroll(self, req: Request) -> Reply:
        body = req.json()
        if body["enrollment_code"] != "CODE-1234":
            return self._json({"error": {"code": "ENROLL_REFUSED", "message": "bad code"}}, 403)
        return self._json(
            {
                "device_token": TOKEN,
                "device_id": body["device_id"],
                "store_code": body["store_code"],
                "store_name": "中心店",
                "store_city": "北京",
                "server_epoch": self.epoch,
            }
        )

    def _batch(self, req: Request) -> Reply:
        items = req.json()["items"]
        if self.max_items is not None and len(items) > self.max_items:
            return self._json({"error": {"code": "BODY_TOO_LARGE", "message": "big"}}, 413)
        if any(i["application_id"] in self.poison for i in items):
            return self._json({"error": {"code": "INTERNAL", "message": "boom"}}, 500)
        results = []
        for item in items:
            app_id = item["application_id"]
            assert wire.payload_sha256(item["payload"]) == item["payload_sha256"]
            status: str
            if app_id in self.drop:
                continue
            if app_id in self.invalid:
                results.append(
                    {
                        "op_id": item["op_id"],
                        "application_id": app_id,
                        "status": "invalid",
                        "reasons": [
                            {
                                "field": "customer.phone",
                                "code": "PHONE_INVALID",
                                "message": "手机号无效",
                            }
                        ],
                    }
                )
                continue
            if app_id in self.retry:
                status = "retry"
            elif app_id in self.conflict:
                status = "conflict"
            elif app_id in self.apps:
                status = "duplicate"
            else:
                status = "created"
                self.apps[app_id] = item["payload_sha256"]
                self.received.append(app_id)
                if self.auto_decide:
                    self.decide(app_id, self.decide_as.get(app_id, "approved"))
            results.append(
                {
                    "op_id": item["op_id"],
                    "application_id": app_id,
                    "status": status,
                    "server_rev": 1,
                }
            )
        return self._json({"results": results, "server_epoch": self.epoch})

    def decide(self, app_id: str, decision: str) -> None:
        self.decisions.append(
            {
                "seq": len(self.decisions) + 1,
                "application_id": app_id,
                "decision": decision,
                "approved_amount_fen": 100000 if decision == "approved" else None,
                "score": 600,
                "reasons": ["R1"],
                "decided_at": "2026-11-27T10:00:00+00:00",
            }
        )

    def _decisions(self, req: Request) -> Reply:
        after = int(req.query.get("cursor") or 0)
        limit = int(req.query.get("limit") or 100)
        newest = len(self.decisions)
        if after > newest or (self.retention is not None and 0 < after < newest - self.retention):
            return self._json({"error": {"code": "CURSOR_EXPIRED", "message": "old"}}, 410)
        page = self.decisions[after : after + limit]
        nxt = str(page[-1]["seq"]) if page else str(after)
        return self._json(
            {
                "items": page,
                "next_cursor": nxt,
                "has_more": after + limit < newest,
                "server_epoch": self.epoch,
            }
        )

    def _rulepack(self, req: Request) -> Reply:
        if self.pack is None:
            return self._json({"error": {"code": "NOT_FOUND", "message": "none"}}, 404)
        etag = '"' + hashlib.sha256(self.pack).hexdigest() + '"'
        if req.headers.get("If-None-Match") == etag:
            return Reply(304, None, {**self._headers(), "ETag": etag})
        return Reply(200, self.pack, {**self._headers(), "ETag": etag})

    def _catalog(self, req: Request) -> Reply:
        after = int(req.query.get("cursor") or 0)
        page = self.catalog[after : after + int(req.query.get("limit") or 100)]
        return self._json(
            {
                "items": page,
                "next_cursor": str(after + len(page)),
                "has_more": after + len(page) < len(self.catalog),
            }
        )

    def _blacklist(self, req: Request) -> Reply:
        name = req.path.split("/")[-2]
        state = req.query.get("state", "")
        newest = len(self.changes)
        since = int(state.split("@")[0]) if state.endswith("@" + self.epoch) else None
        full = since is None
        adds, rems = [], []
        if full:
            adds = sorted(self.lists[name])
        else:
            for seq, n, d, present in self.changes:
                if n == name and since is not None and seq > since:
                    (adds if present else rems).append(d)
        return self._json(
            {
                "name": name,
                "state": f"{newest}@{self.epoch}",
                "full": full,
                "additions": adds,
                "removals": rems,
                "sha256": wire.list_sha256(sorted(self.lists[name])),
            }
        )

    def _heartbeat(self, req: Request) -> Reply:
        self.heartbeats.append(req.json())
        return self._json(
            {"server_time": datetime.now(UTC).isoformat(), "server_epoch": self.epoch}
        )
