"""``python -m server``: run the reference API, or one admin command.

    python -m server [--host 127.0.0.1] [--port 8765] [--data-dir D] [--test-hooks]
                     [--max-body-bytes N] [--decision-retention N]
                     [--database postgresql://USER@HOST:PORT/DB] [--workers N]
    python -m server --data-dir D add-store CODE [--name N] [--city C] [--valid-days 7]
    python -m server --data-dir D revoke DEVICE_ID
    python -m server --data-dir D release DEVICE_ID
    python -m server --data-dir D stats
    python -m server --data-dir D publish-pack FILE [--sign-key PEM]
    python -m server --data-dir D blacklist add|remove NAME VALUE
    python -m server --data-dir D catalog set SKU [--name N] [--category C] [--price YUAN]
    python -m server --data-dir D catalog delete SKU
    python -m server --data-dir D new-epoch
    python -m server openapi > docs/openapi.json
    python -m server evaluate --truth truth.json --data D [--json FILE]

Every command takes ``--database`` too (default: $LOANDESK_SERVER_DATABASE, else the
SQLite file server.db in --data-dir). Put the password in ~/.pgpass or $PGPASSWORD, not
in the URL (a command line is visible to every user of the machine).

Exit status: 0 done, 1 failed (the reason on stderr), 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

DEFAULT_DATA_DIR = Path(os.environ.get("LOANDESK_SERVER_DATA_DIR", "server-data"))
DEFAULT_DATABASE = os.environ.get("LOANDESK_SERVER_DATABASE") or None


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m server", description=__doc__.splitlines()[0], allow_abbrev=False
    )
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    p.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    p.add_argument(
        "--database",
        default=DEFAULT_DATABASE,
        help="a postgresql://… URL (default: SQLite, server.db in --data-dir)",
    )
    p.add_argument("--workers", type=int, default=1, help="server processes sharing the port (1)")
    p.add_argument("--max-body-bytes", type=int, default=2 * 1024 * 1024)
    p.add_argument(
        "--decision-retention",
        type=int,
        default=None,
        help="serve only the newest N decisions (older cursors get 410); default unlimited",
    )
    p.add_argument("--test-hooks", action="store_true", help="enable /v1/_test/faults (tests)")
    p.add_argument("--tls-cert", type=Path, help="serve HTTPS with this certificate chain (PEM)")
    p.add_argument("--tls-key", type=Path, help="the private key of --tls-cert (PEM)")
    sub = p.add_subparsers(dest="command")
    add = sub.add_parser("add-store", help="register a store; print a one-time enrollment code")
    add.add_argument("code")
    add.add_argument("--name")
    add.add_argument("--city")
    add.add_argument(
        "--valid-days", type=int, default=7, help="the code expires after this many days (7)"
    )
    revoke = sub.add_parser("revoke", help="revoke a device (its requests get 403)")
    revoke.add_argument("device_id")
    release = sub.add_parser(
        "release", help="forget a device: it may enroll again (another store, or after a revoke)"
    )
    release.add_argument("device_id")
    sub.add_parser("stats", help="print counts as JSON")
    publish = sub.add_parser("publish-pack", help="publish a rule pack (verified first)")
    publish.add_argument("file", type=Path)
    publish.add_argument("--sign-key", type=Path, help="sign an unsigned pack with this PEM")
    black = sub.add_parser("blacklist", help="add or remove a blacklist value")
    black.add_argument("action", choices=("add", "remove"))
    black.add_argument("name", choices=("id", "phone", "device"))
    black.add_argument("value")
    catalog = sub.add_parser("catalog", help="add, change or delete a catalog entry")
    catalog.add_argument("action", choices=("set", "delete"))
    catalog.add_argument("sku")
    catalog.add_argument("--name")
    catalog.add_argument("--category", choices=("appliance", "furniture"))
    catalog.add_argument("--price", help="in yuan, e.g. 3999.00")
    sub.add_parser("new-epoch", help="change server_epoch (simulates a restore from backup)")
    sub.add_parser("openapi", help="print the OpenAPI document")
    sub.add_parser(
        "risk-list", help="approved applications a later fraud cluster implicates (JSON lines)"
    )
    pickup = sub.add_parser("store-address", help="a store's own address (pick-ups link nobody)")
    pickup.add_argument("code")
    pickup.add_argument("city")
    pickup.add_argument("address")
    ev = sub.add_parser("evaluate", help="recall of planted fraud, store / head office")
    ev.add_argument("--truth", type=Path, required=True, help="seed-demo's truth file")
    ev.add_argument("--data", type=Path, required=True, help="seed-demo --stores data folder")
    ev.add_argument("--json", type=Path, help="also write the result as JSON here")
    return p


def openapi_text() -> str:
    from server.app import ServerConfig, create_app

    doc = create_app(ServerConfig(Path("unused"))).openapi()
    return json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def _admin(args: argparse.Namespace) -> int:
    from server import devices, feeds
    from server.admin import blacklist_change, catalog_change
    from server.db import open_database
    from server.packs import PublishError, publish_pack_file

    db = open_database(args.data_dir, args.database)
    try:
        if args.command == "add-store":
            print(devices.add_store(db, args.code, args.name, args.city, args.valid_days))
        elif args.command == "revoke":
            if not devices.revoke(db, args.device_id):
                print(f"error: no device {args.device_id!r} was ever enrolled", file=sys.stderr)
                return 1
            print(f"revoked {args.device_id}")
        elif args.command == "release":
            if not devices.release(db, args.device_id):
                print(f"error: no device {args.device_id!r} is enrolled", file=sys.stderr)
                return 1
            print(f"released {args.device_id}")
        elif args.command == "stats":
            print(json.dumps(feeds.stats(db), sort_keys=True))
        elif args.command == "publish-pack":
            try:
                stored = publish_pack_file(db, args.file, sign_key=args.sign_key)
            except PublishError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 1
            print(f"published {stored.pack_id} v{stored.version} etag {stored.etag}")
        elif args.command == "blacklist":
            print(blacklist_change(db, args.action, args.name, args.value))
        elif args.command == "catalog":
            seq = catalog_change(
                db,
                args.sku,
                name=args.name,
                category=args.category,
                price=args.price,
                delete=args.action == "delete",
            )
            print(seq)
        elif args.command == "new-epoch":
            print(feeds.new_epoch(db))
        elif args.command == "risk-list":
            from server.signals_store import risk_list

            for entry in risk_list(db):
                print(json.dumps(entry, sort_keys=True))
        elif args.command == "store-address":
            from server.signals_store import set_pickup

            set_pickup(db, args.code, args.city, args.address)
            print(f"store {args.code}: pick-up address recorded")
        return 0
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        db.close()


def _evaluate(args: argparse.Namespace) -> int:
    from server.evaluate import EvaluateError, evaluate, table

    try:
        result = evaluate(args.truth, args.data)
    except EvaluateError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(table(result))
    text = json.dumps(result, ensure_ascii=False, sort_keys=True)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "openapi":
        sys.stdout.write(openapi_text())
        return 0
    if args.command == "evaluate":
        return _evaluate(args)
    from server.db import is_postgres_url

    if args.database is not None and not is_postgres_url(args.database):
        print(
            "error: --database 只接受 postgresql://… 地址 / --database takes a "
            "postgresql://… URL (leave it out for SQLite in --data-dir)",
            file=sys.stderr,
        )
        return 2
    if args.command is not None:
        try:
            return _admin(args)
        except sqlite3.OperationalError as exc:  # the database cannot be reached
            print(f"error: {exc}", file=sys.stderr)
            return 1
    if args.workers < 1:
        print("error: --workers must be >= 1", file=sys.stderr)
        return 2
    if args.max_body_bytes < 1 or (
        args.decision_retention is not None and args.decision_retention < 1
    ):
        print("error: --max-body-bytes and --decision-retention must be >= 1", file=sys.stderr)
        return 2
    from server.app import ServerConfig, serve

    config = ServerConfig(
        args.data_dir,
        args.max_body_bytes,
        args.decision_retention,
        args.test_hooks,
        args.database,
    )
    if bool(args.tls_cert) != bool(args.tls_key):
        print("server: error: --tls-cert and --tls-key go together", file=sys.stderr)
        return 2
    tls = (args.tls_cert, args.tls_key) if args.tls_cert else None
    if args.workers > 1:
        from server.workers import serve_workers

        return serve_workers(config, args.host, args.port, tls, args.workers)
    return serve(config, args.host, args.port, tls)


if __name__ == "__main__":
    raise SystemExit(main())
