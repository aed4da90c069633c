"""The attachment files in the data folder: content-addressed, encrypted, durable.

A file is named by the sha256 of its plain content (``attachments/ab/abcdef...``) and
holds that content encrypted with the install's data key, bound to its name (a file
copied over another name does not decrypt). Writing goes to a temporary file in the
same folder, is fsynced, renamed into place and the folder fsynced, all before the
database row naming it commits: a crash leaves at worst a file without a row (an
orphan, removed at the next start), never a row without its file. Reading decrypts
and checks the sha256 again, so a file changed on disk is refused, never shown.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import shutil
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from core.attachments.kinds import AttachmentError, AttachmentOptions
from core.security.crypto import DecryptError
from core.store.vault import Vault

log = logging.getLogger("loandesk.attachments")

FOLDER = "attachments"
_TMP_PREFIX = ".tmp-"
_MB = 1024 * 1024


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int  # plain bytes
    stored_size: int  # bytes on disk
    written: bool  # False: the same content was already stored
    warnings: tuple[str, ...] = ()  # i18n codes, e.g. ATTACHMENT_DISK_LOW


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class AttachmentFiles:
    def __init__(self, root: Path, vault: Vault, options: AttachmentOptions) -> None:
        self.root = root
        self._vault = vault
        self.options = options

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a sha256 hex digest")
        return self.root / sha256[:2] / sha256

    def _name(self, sha256: str) -> str:
        return f"{FOLDER}/{sha256}"

    def put(self, data: bytes, used_bytes: int) -> StoredFile:
        """Store ``data`` (once per content); ``used_bytes`` is what the folder holds
        now (the caller's database knows). Raises AttachmentError for the quota or a
        failed write; a low disk is a warning on the result."""
        sha = sha256_hex(data)
        final = self.path(sha)
        warn = self._disk_warnings()
        if final.exists():
            return StoredFile(sha, len(data), final.stat().st_size, False, warn)
        sealed = self._vault.seal_file(self._name(sha), data)
        if used_bytes + len(sealed) > self.options.quota_bytes:
            raise AttachmentError("ATTACHMENT_QUOTA_FULL", quota_mb=self.options.quota_bytes // _MB)
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            tmp = final.parent / f"{_TMP_PREFIX}{uuid.uuid4().hex}"
            try:
                with open(tmp, "wb") as fh:
                    fh.write(sealed)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, final)
            finally:
                tmp.unlink(missing_ok=True)
            _fsync_dir(final.parent)
        except OSError as exc:
            reason = errno.errorcode.get(exc.errno or 0, type(exc).__name__)
            log.error("attachment write failed: %s", reason)
            raise AttachmentError("ATTACHMENT_WRITE_FAILED", reason=reason) from None
        return StoredFile(sha, len(data), len(sealed), True, warn)

    def read(self, sha256: str) -> bytes:
        """The plain content, checked against its sha256."""
        try:
            blob = self.path(sha256).read_bytes()
        except FileNotFoundError:
            raise AttachmentError("ATTACHMENT_MISSING", sha256=sha256[:12]) from None
        try:
            data = self._vault.open_file(self._name(sha256), blob)
        except DecryptError:
            log.error("attachment %s does not decrypt: changed on disk", sha256[:12])
            raise AttachmentError("ATTACHMENT_CHANGED", sha256=sha256[:12]) from None
        if sha256_hex(data) != sha256:
            log.error("attachment %s does not match its sha256", sha256[:12])
            raise AttachmentError("ATTACHMENT_CHANGED", sha256=sha256[:12])
        return data

    def delete(self, sha256: str) -> None:
        self.path(sha256).unlink(missing_ok=True)

    def names(self) -> list[Path]:
        """Every file under the folder (bounded by what is there)."""
        if not self.root.is_dir():
            return []
        return [p for p in self.root.glob("*/*") if p.is_file()]

    def clean_orphans(self, known: Iterable[str]) -> int:
        """Remove temporary files and files no database row names; returns how many."""
        keep = set(known)
        removed = 0
        for p in self.names():
            if p.name.startswith(_TMP_PREFIX) or p.name not in keep:
                p.unlink(missing_ok=True)
                removed += 1
        if removed:
            log.info("attachments: %d orphaned files removed", removed)
        return removed

    def _disk_warnings(self) -> tuple[str, ...]:
        try:
            free = shutil.disk_usage(self.root if self.root.exists() else self.root.parent).free
        except OSError:
            return ()
        return ("ATTACHMENT_DISK_LOW",) if free < self.options.warn_free_bytes else ()


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # directories cannot be opened for fsync on Windows
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


__all__ = ["FOLDER", "AttachmentFiles", "StoredFile", "sha256_hex"]
