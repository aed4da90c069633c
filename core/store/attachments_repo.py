"""The attachments' rows: blobs (one per stored file, by the sha256 of its content),
their links to an application by kind, the links to an operator's open form until it
is saved, and each application attachment's upload state. The files themselves are in
core.attachments.files; a blob row is inserted only after its file is on disk."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import sqlite_utils


def database_folder(db: sqlite_utils.Database) -> Path | None:
    """The folder of the connection's main database file (None in memory)."""
    for row in db.execute("PRAGMA database_list").fetchall():
        if row[1] == "main" and row[2]:
            return Path(str(row[2])).parent
    return None


class AttachmentsRepo:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def has_tables(self) -> bool:
        return "attachment_blobs" in self.db.table_names()

    # --- blobs --------------------------------------------------------------------------
    def used_bytes(self) -> int:
        row = self.db.execute("SELECT coalesce(sum(stored_size), 0) FROM attachment_blobs")
        return int(row.fetchone()[0])

    def insert_blob(self, sha: str, media_type: str, size: int, stored: int, at: str) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO attachment_blobs(sha256, media_type, size, stored_size, "
            "created_at) VALUES (?, ?, ?, ?, ?)",
            [sha, media_type, size, stored, at],
        )

    def blob_shas(self) -> set[str]:
        return {str(r[0]) for r in self.db.execute("SELECT sha256 FROM attachment_blobs")}

    def media_type(self, sha: str) -> str | None:
        row = self.db.execute(
            "SELECT media_type FROM attachment_blobs WHERE sha256 = ?", [sha]
        ).fetchone()
        return str(row[0]) if row else None

    def unreferenced_blobs(self) -> list[str]:
        rows = self.db.execute(
            "SELECT b.sha256 FROM attachment_blobs b WHERE NOT EXISTS "
            "(SELECT 1 FROM application_attachments a WHERE a.sha256 = b.sha256) "
            "AND NOT EXISTS (SELECT 1 FROM pending_attachments p WHERE p.sha256 = b.sha256) "
            "ORDER BY b.sha256"
        ).fetchall()
        return [str(r[0]) for r in rows]

    def delete_blobs(self, shas: Iterable[str]) -> None:
        self.db.conn.executemany(
            "DELETE FROM attachment_blobs WHERE sha256 = ?", [(s,) for s in shas]
        )

    # --- the operator's open form -------------------------------------------------------
    def add_pending(self, operator_id: str, kind: str, sha: str, at: str) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO pending_attachments(operator_id, kind, sha256, added_at) "
            "VALUES (?, ?, ?, ?)",
            [operator_id, kind, sha, at],
        )

    def pending(self, operator_id: str) -> list[tuple[str, str]]:
        """(kind, sha256) attached to the operator's open form, in the order added."""
        rows = self.db.execute(
            "SELECT kind, sha256 FROM pending_attachments WHERE operator_id = ? "
            "ORDER BY added_at, kind, sha256",
            [operator_id],
        ).fetchall()
        return [(str(k), str(s)) for k, s in rows]

    def remove_pending(self, operator_id: str, kind: str | None = None) -> None:
        if kind is None:
            self.db.execute("DELETE FROM pending_attachments WHERE operator_id = ?", [operator_id])
        else:
            self.db.execute(
                "DELETE FROM pending_attachments WHERE operator_id = ? AND kind = ?",
                [operator_id, kind],
            )

    # --- an application's attachments ---------------------------------------------------
    def link(self, app_id: str, kind: str, sha: str, at: str) -> bool:
        cur = self.db.execute(
            "INSERT OR IGNORE INTO application_attachments(application_id, kind, sha256, "
            "added_at) VALUES (?, ?, ?, ?)",
            [app_id, kind, sha, at],
        )
        return bool(cur.rowcount)

    def for_application(self, app_id: str) -> list[tuple[str, str, str | None]]:
        """(kind, sha256, uploaded_at) of an application, in the order added."""
        rows = self.db.execute(
            "SELECT kind, sha256, uploaded_at FROM application_attachments "
            "WHERE application_id = ? ORDER BY added_at, kind, sha256",
            [app_id],
        ).fetchall()
        return [(str(k), str(s), u) for k, s, u in rows]

    def unlink_application(self, app_id: str) -> None:
        self.db.execute("DELETE FROM application_attachments WHERE application_id = ?", [app_id])

    # --- uploads ------------------------------------------------------------------------
    def unsent(self, limit: int) -> list[tuple[str, str, str, int]]:
        """(application id, kind, sha256, attempts) not uploaded yet whose application
        head office has acknowledged (its create upload is acked), fewest attempts
        first, so one that keeps failing never holds up the others."""
        rows = self.db.execute(
            "SELECT a.application_id, a.kind, a.sha256, a.upload_attempts "
            "FROM application_attachments a WHERE a.uploaded_at IS NULL AND EXISTS "
            "(SELECT 1 FROM outbox o WHERE o.application_id = a.application_id "
            " AND o.op = 'create' AND o.state = 'acked') "
            "ORDER BY a.upload_attempts, a.added_at, a.application_id LIMIT ?",
            [limit],
        ).fetchall()
        return [(str(r[0]), str(r[1]), str(r[2]), int(r[3])) for r in rows]

    def count_unsent(self) -> int:
        row = self.db.execute(
            "SELECT count(*) FROM application_attachments WHERE uploaded_at IS NULL"
        ).fetchone()
        return int(row[0])

    def mark_uploaded(self, app_id: str, sha: str, at: str) -> None:
        self.db.execute(
            "UPDATE application_attachments SET uploaded_at = ?, last_error = NULL "
            "WHERE application_id = ? AND sha256 = ?",
            [at, app_id, sha],
        )

    def record_failure(self, app_id: str, sha: str, error: str) -> None:
        self.db.execute(
            "UPDATE application_attachments SET upload_attempts = upload_attempts + 1, "
            "last_error = ? WHERE application_id = ? AND sha256 = ?",
            [error, app_id, sha],
        )
