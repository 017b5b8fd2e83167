"""The index's own schema inside the store's database: `index_meta` (versions, settings the
index was built with) and `index_pending` (documents whose index entry is behind the store).

The store's MIGRATIONS list (PRAGMA user_version) is not touched: the index manages its
tables here, each group versioned by a key in `index_meta`, created on open with
``IF NOT EXISTS``. Triggers on the store's `articles` table (and `events`, once the store
has one) mark every stored change as pending *in the same transaction as the store write*,
so a crash between storing and indexing, or an Elasticsearch cluster that is down, leaves a
durable stale marker that `SearchIndex.catch_up` works off later.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from coopwatch.errors import SearchIndexError

STATE_VERSION_KEY = "state.schema_version"
_NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now')"

# Each entry moves the index-state schema one version up; append, never edit.
STATE_MIGRATIONS: list[list[str]] = [
    [
        """CREATE TABLE IF NOT EXISTS index_pending (
            doc_id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,             -- article | event
            payload TEXT,                   -- the record as JSON when the store has no copy
            since TEXT NOT NULL,            -- when it fell behind (UTC)
            error TEXT                      -- why the last attempt failed, if one did
        )""",
    ],
]


def _record_triggers(table: str, kind: str) -> list[str]:
    mark = (
        f"INSERT OR REPLACE INTO index_pending (doc_id, kind, payload, since, error) "
        f"VALUES ({{row}}.id, '{kind}', NULL, {_NOW}, NULL)"
    )
    return [
        f"CREATE TRIGGER IF NOT EXISTS index_{table}_inserted AFTER INSERT ON {table} "
        f"BEGIN {mark.format(row='new')}; END",
        f"CREATE TRIGGER IF NOT EXISTS index_{table}_updated AFTER UPDATE ON {table} "
        f"BEGIN {mark.format(row='new')}; END",
        f"CREATE TRIGGER IF NOT EXISTS index_{table}_deleted AFTER DELETE ON {table} "
        f"BEGIN {mark.format(row='old')}; END",
    ]


@dataclass(slots=True)
class Pending:
    doc_id: str
    kind: str
    payload: dict[str, Any] | None
    since: str
    error: str | None


class IndexState:
    """index_meta and index_pending on the store's connection."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        # Opening is read-only once the schema is in place (the API opens per request).
        if self._in_place():
            return
        exists = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'index_meta'"
        ).fetchone()
        if not exists:
            with self.transaction():
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS index_meta"
                    " (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
                )
        self.migrate(STATE_VERSION_KEY, STATE_MIGRATIONS)
        self._watch_store_tables()

    def _in_place(self) -> bool:
        """Tables, migrations and triggers all in place: one read (the API opens the index
        for every request)."""
        keys = (STATE_VERSION_KEY, "state.watching.articles", "state.watching.events")
        try:
            found = dict(
                self.conn.execute(
                    "SELECT key, value FROM index_meta WHERE key IN (?, ?, ?)", keys
                ).fetchall()
            )
        except sqlite3.OperationalError:  # no index_meta yet
            return False
        return found == {keys[0]: str(len(STATE_MIGRATIONS)), keys[1]: "1", keys[2]: "1"}

    # -- meta and migrations ---------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM index_meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO index_meta (key, value) VALUES (?, ?)", (key, value)
        )

    def delete_meta(self, key: str) -> None:
        self.conn.execute("DELETE FROM index_meta WHERE key = ?", (key,))

    def migrate(self, key: str, migrations: list[list[str]]) -> None:
        """Apply `migrations` past the version recorded under `key`, each in one transaction."""
        current = int(self.get_meta(key) or 0)
        if current > len(migrations):
            raise SearchIndexError(
                f"index schema {key} is version {current}, newer than this coopwatch "
                f"({len(migrations)}); upgrade coopwatch"
            )
        for version, statements in enumerate(migrations[current:], start=current + 1):
            with self.transaction():
                for statement in statements:
                    self.conn.execute(statement)
                self.set_meta(key, str(version))

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction, or the caller's if one is already open (then it commits)."""
        if self.conn.in_transaction:
            yield self.conn
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def _watch_store_tables(self) -> None:
        """Triggers on the store's record tables; records stored before are marked once."""
        for table, kind in (("articles", "article"), ("events", "event")):
            exists = self.conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
            ).fetchone()
            if not exists:
                continue
            columns = {row[1] for row in self.conn.execute(f"PRAGMA table_info({table})")}
            key = f"state.watching.{table}"
            if "id" not in columns or self.get_meta(key) == "1":
                continue
            with self.transaction():
                for statement in _record_triggers(table, kind):
                    self.conn.execute(statement)
                self.conn.execute(
                    f"INSERT OR IGNORE INTO index_pending (doc_id, kind, payload, since) "
                    f"SELECT id, '{kind}', NULL, {_NOW} FROM {table}"
                )
                self.set_meta(key, "1")

    # -- pending documents -----------------------------------------------------------------

    def mark(
        self, doc_id: str, kind: str, payload: dict[str, Any] | None = None, error: str = ""
    ) -> None:
        """Record that `doc_id` is behind (`since` becomes now: the latest change counts)."""
        with self.transaction():
            self.conn.execute(
                f"INSERT INTO index_pending (doc_id, kind, payload, since, error) "
                f"VALUES (?, ?, ?, {_NOW}, ?) ON CONFLICT (doc_id) DO UPDATE SET "
                "payload = coalesce(excluded.payload, payload), since = excluded.since, "
                "error = excluded.error",
                (doc_id, kind, json.dumps(payload, ensure_ascii=False) if payload else None, error),
            )

    def clear(self, doc_ids: list[str], before: str | None = None) -> None:
        """Forget pending marks of `doc_ids` (only those set before `before`, when given)."""
        with self.transaction():
            if before is None:
                self.conn.executemany(
                    "DELETE FROM index_pending WHERE doc_id = ?", [(i,) for i in doc_ids]
                )
            else:
                self.conn.executemany(
                    "DELETE FROM index_pending WHERE doc_id = ? AND since <= ?",
                    [(i, before) for i in doc_ids],
                )

    def clear_all(self, before: str) -> None:
        with self.transaction():
            self.conn.execute("DELETE FROM index_pending WHERE since <= ?", (before,))

    def now(self) -> str:
        return self.conn.execute(f"SELECT {_NOW}").fetchone()[0]

    def pending(self, limit: int = 500, after: str = "") -> list[Pending]:
        rows = self.conn.execute(
            "SELECT doc_id, kind, payload, since, error FROM index_pending WHERE doc_id > ? "
            "ORDER BY doc_id LIMIT ?",
            (after, limit),
        ).fetchall()
        return [Pending(r[0], r[1], json.loads(r[2]) if r[2] else None, r[3], r[4]) for r in rows]

    def pending_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM index_pending").fetchone()[0]
