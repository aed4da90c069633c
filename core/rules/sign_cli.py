"""Sign rule packs (reference server, tests, risk staff). Not used by the app itself.

    python -m core.rules.sign_cli --key ISSUER.pem --in PACK.unsigned.json --out PACK.json
    python -m core.rules.sign_cli --new-key ISSUER.pem --key-id ID

Signing checks the result exactly as a store will (signature, shape, every decision
compiles), so a pack this tool writes is one the app accepts. Exit 2 on bad input.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from core.rules.errors import PackError
from core.rules.pack import decode_pack_json, parse_pack
from core.rules.signing import sign_pack
from core.rules.trusted_keys import (
    TrustedKey,
    load_private_key_file,
    load_trusted_keys,
    new_private_key_file,
    trusted_key_entry,
)


class _UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m core.rules.sign_cli", description="Sign LoanDesk rule packs."
    )
    p.add_argument("--key", type=Path, help="issuer private key (PEM) to sign with")
    p.add_argument("--in", dest="src", type=Path, help="unsigned pack JSON")
    p.add_argument("--out", type=Path, help="where to write the signed pack")
    p.add_argument("--trusted", type=Path, help="trusted_keys.json to cross-check the key id")
    p.add_argument("--new-key", type=Path, help="generate a new issuer key into this file")
    p.add_argument("--key-id", help="key id for --new-key, e.g. central-2027")
    return p


def _new_key(path: Path, key_id: str | None) -> int:
    if not key_id or not key_id.strip():
        raise _UsageError("--new-key needs --key-id")
    if path.exists():
        raise _UsageError(f"{path} already exists; refusing to overwrite an issuer key")
    try:
        key = new_private_key_file(path)
    except OSError as exc:
        raise _UsageError(f"{path}: cannot write ({exc.strerror})") from None
    print(json.dumps(trusted_key_entry(key_id, key.public_key()), ensure_ascii=False))
    print(f"private key written to {path} (mode 0600); keep it off store PCs", file=sys.stderr)
    return 0


def _sign(key_path: Path, src: Path, out: Path, trusted: Path | None) -> int:
    try:
        private_key = load_private_key_file(key_path)
    except ValueError as exc:
        raise _UsageError(str(exc)) from None
    try:
        data = src.read_bytes()
    except OSError as exc:
        raise _UsageError(f"{src}: cannot read ({exc.strerror})") from None
    try:
        doc = decode_pack_json(data)
    except PackError as exc:
        raise _UsageError(f"{src}: {exc.detail}") from None
    manifest = doc.get("manifest")
    key_id = manifest.get("key_id") if isinstance(manifest, dict) else None
    if not isinstance(key_id, str) or not key_id:
        raise _UsageError(f"{src}: manifest.key_id: missing; it names the signing key")
    if trusted is not None:
        try:
            pinned = load_trusted_keys(trusted).get(key_id)
        except PackError as exc:
            raise _UsageError(exc.detail) from None
        own = trusted_key_entry(key_id, private_key.public_key())["public_key"]
        if pinned is None or trusted_key_entry(key_id, pinned.public_key)["public_key"] != own:
            raise _UsageError(f"{trusted}: {key_id!r} there is not the public half of {key_path}")
    try:
        signed = sign_pack(doc, private_key)
    except (ValueError, TypeError) as exc:
        raise _UsageError(f"{src}: cannot serialise ({exc})") from None
    try:
        pack = parse_pack(signed, {key_id: TrustedKey(key_id, private_key.public_key())})
    except PackError as exc:
        raise _UsageError(f"{src}: {exc.code}: {exc.detail}") from None
    tmp = out.with_name(out.name + ".tmp")
    try:
        tmp.write_bytes(signed)
        os.replace(tmp, out)
    except OSError as exc:
        raise _UsageError(f"{out}: cannot write ({exc.strerror})") from None
    print(f"signed {pack.pack_id} v{pack.version} ({', '.join(pack.scenarios)}) -> {out}")
    print(f"sha256 {pack.sha256}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.new_key is not None:
            if args.key or args.src or args.out:
                raise _UsageError("--new-key cannot be combined with --key/--in/--out")
            return _new_key(args.new_key, args.key_id)
        if not (args.key and args.src and args.out):
            raise _UsageError("signing needs --key, --in and --out (or use --new-key)")
        return _sign(args.key, args.src, args.out, args.trusted)
    except _UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
