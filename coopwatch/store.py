"""The embedded store of record: SQLite (WAL) in the data directory, with versioned migrations.

It holds fetched pages (compressed bytes, headers, URL, fetch time, content hash),
articles and their paragraphs. Every write of one page and its article is a single
transaction, so a process killed at any moment leaves each record stored once or not at all.
"""

from __future__ import annotations

import json
import sqlite3
import struct
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Protocol

from coopwatch.errors import StoreError
from coopwatch.records import Article, FetchedPage

STORE_FILE = "coopwatch.sqlite3"

# Each entry moves the schema one version up; never edit a released entry, append a new one.
MIGRATIONS: list[str] = [
    # 1: pages, articles, paragraphs
    """
    CREATE TABLE pages (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        status INTEGER NOT NULL,
        headers TEXT NOT NULL,          -- JSON object
        body BLOB NOT NULL,             -- zlib-compressed response body
        fetched_at TEXT,
        stored_at TEXT NOT NULL,
        UNIQUE (url, content_hash)
    );
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        site TEXT NOT NULL,
        language TEXT,
        title TEXT,
        published TEXT,
        relevant INTEGER NOT NULL DEFAULT 0,
        relevance_score REAL NOT NULL DEFAULT 0,
        repeated_paragraphs INTEGER NOT NULL DEFAULT 0,
        duplicate_of TEXT,
        event_id TEXT,
        content_hash TEXT NOT NULL,
        previous_hashes TEXT NOT NULL DEFAULT '[]',  -- JSON list, oldest first
        page_id INTEGER NOT NULL REFERENCES pages(id),
        record TEXT NOT NULL,           -- full ARTICLE record as JSON
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX articles_published ON articles(published);
    CREATE TABLE paragraphs (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        text TEXT NOT NULL,
        PRIMARY KEY (article_id, position)
    ) WITHOUT ROWID;
    """,
    # 2: crawler state (crawler/state.py): what each canonical URL answered last, and runs
    """
    CREATE TABLE crawl_urls (
        url TEXT PRIMARY KEY,           -- canonical URL (coopwatch.urls.canonical_url)
        source TEXT NOT NULL,
        etag TEXT,
        last_modified TEXT,             -- Last-Modified header as sent
        lastmod TEXT,                   -- sitemap lastmod or feed date, ISO
        status INTEGER,                 -- last HTTP status, 0 for a network error
        outcome TEXT NOT NULL,          -- imported, updated, unchanged, not_modified, failed
        error TEXT,
        fetched_at TEXT NOT NULL,
        changed_at TEXT
    );
    CREATE INDEX crawl_urls_source ON crawl_urls(source);
    CREATE TABLE crawl_runs (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        pid INTEGER,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        state TEXT NOT NULL,            -- running, finished, failed
        reason TEXT,                    -- Scrapy close reason or error
        fetched INTEGER NOT NULL DEFAULT 0,
        new INTEGER NOT NULL DEFAULT 0,
        updated INTEGER NOT NULL DEFAULT 0,
        unchanged INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        skipped INTEGER NOT NULL DEFAULT 0,
        duration REAL,
        last_error TEXT
    );
    CREATE INDEX crawl_runs_source ON crawl_runs(source, id);
    """,
    # 3: syndicated copies (nlp/syndication.py): a MinHash signature per article and its LSH
    # band keys, so the copy check is a few index look-ups at any store size, across restarts
    """
    CREATE TABLE syndication_signatures (
        id INTEGER PRIMARY KEY,         -- storage order: the earliest stored match is the original
        article_id TEXT NOT NULL UNIQUE REFERENCES articles(id) ON DELETE CASCADE,
        language TEXT NOT NULL,         -- only same-language articles are compared
        scheme TEXT NOT NULL,           -- nlp.syndication.SCHEME: only equal schemes compare
        shingles INTEGER NOT NULL,      -- distinct shingles, for the containment estimate
        signature BLOB NOT NULL,        -- MinHash hash values, uint32 little-endian
        bands BLOB NOT NULL             -- this row's band keys, int64 little-endian
    );
    CREATE TABLE syndication_bands (
        band INTEGER NOT NULL,
        hash INTEGER NOT NULL,
        signature_id INTEGER NOT NULL,  -- syndication_signatures.id
        PRIMARY KEY (band, hash, signature_id)
    ) WITHOUT ROWID;
    CREATE INDEX articles_duplicate_of ON articles(duplicate_of) WHERE duplicate_of IS NOT NULL;
    """,
    # 4: api/ — digest subscriptions, the per-(subscription, week) send log, hashed API keys
    """
    CREATE TABLE subscriptions (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL,
        filters TEXT NOT NULL,          -- JSON: countries, actors, projects, text, languages
        active INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX subscriptions_email ON subscriptions(email);
    CREATE TABLE digest_sends (
        subscription_id TEXT NOT NULL,
        week TEXT NOT NULL,             -- ISO week, e.g. 2026-W45
        state TEXT NOT NULL,            -- sending, sent, failed, rejected
        message_id TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        updated_at TEXT NOT NULL,
        sent_at TEXT,
        PRIMARY KEY (subscription_id, week)
    ) WITHOUT ROWID;
    CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,            -- public key id (part of the key)
        name TEXT NOT NULL,
        salt BLOB NOT NULL,
        hash BLOB NOT NULL,             -- sha256(salt + secret); the secret itself is never stored
        scopes TEXT NOT NULL,           -- JSON list
        created_at TEXT NOT NULL,
        revoked_at TEXT
    );
    """,
    # 5: events (coopwatch/events.py): merged events, aliases of merged-away ids, and which
    # report belongs to which event with the facts it contributed
    """
    CREATE TABLE events (
        id TEXT PRIMARY KEY,
        day TEXT,                        -- merged event date (ISO), for candidate lookup
        countries TEXT NOT NULL,         -- sorted ISO codes joined by ","
        record TEXT NOT NULL,            -- EVENT record as JSON
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX events_day ON events(day);
    CREATE TABLE event_aliases (
        alias TEXT PRIMARY KEY,
        event_id TEXT NOT NULL
    );
    CREATE TABLE event_members (
        article_id TEXT PRIMARY KEY,
        event_id TEXT NOT NULL,
        joined INTEGER NOT NULL,         -- order in which reports joined (ties go to the earliest)
        independent INTEGER NOT NULL,    -- 0 for syndicated copies: listed, but they do not vote
        facts TEXT NOT NULL              -- ReportFacts as JSON
    );
    CREATE INDEX event_members_event ON event_members(event_id, joined);
    """,
    # 6: actor registry (coopwatch/actors.py): one id per person/organisation/project across
    # languages, every name variant, the articles that name it, and analysts' merges
    """
    CREATE TABLE actors (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,              -- person | organization | project
        canonical TEXT NOT NULL,         -- English form
        country TEXT,
        role TEXT,
        key TEXT NOT NULL,               -- identity key (coopwatch.actors.entity_key)
        loose_key TEXT NOT NULL,         -- persons: coarser spelling key, '' otherwise
        source_language TEXT,            -- language the canonical form was taken from
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX actors_key ON actors(kind, key);
    CREATE INDEX actors_loose_key ON actors(kind, loose_key);
    CREATE TABLE actor_names (
        actor_id TEXT NOT NULL,
        name TEXT NOT NULL,              -- a variant as written
        folded TEXT NOT NULL,            -- coopwatch.actors.fold(name), for look-ups
        pinned INTEGER NOT NULL DEFAULT 0,  -- 1: an analyst put this name here (split)
        PRIMARY KEY (actor_id, name)
    ) WITHOUT ROWID;
    CREATE INDEX actor_names_folded ON actor_names(folded);
    CREATE TABLE actor_mentions (
        article_id TEXT NOT NULL,
        actor_id TEXT NOT NULL,
        name TEXT NOT NULL,
        PRIMARY KEY (article_id, actor_id, name)
    ) WITHOUT ROWID;
    CREATE INDEX actor_mentions_actor ON actor_mentions(actor_id);
    CREATE TABLE actor_merges (
        alias TEXT PRIMARY KEY,          -- a merged-away id
        actor_id TEXT NOT NULL,          -- the id it stands for now
        created_at TEXT NOT NULL
    );
    """,
    # 7: the next join number is max(joined): without its own index that read every member
    """
    CREATE INDEX event_members_joined ON event_members(joined);
    """,
    # 8: per crawl run, pages that were consent walls or error pages instead of articles
    # (coopwatch/walls.py), and the source's flags when the run ended (crawler/state.py)
    """
    ALTER TABLE crawl_runs ADD COLUMN consent INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE crawl_runs ADD COLUMN error_pages INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE crawl_runs ADD COLUMN flags TEXT NOT NULL DEFAULT '';
    """,
    # 9: failed API key checks of the last minute per client (api/auth.py), shared by every
    # API process
    """
    CREATE TABLE auth_failures (
        client TEXT NOT NULL,
        at REAL NOT NULL                -- unix time
    );
    CREATE INDEX auth_failures_client ON auth_failures(client, at);
    """,
    # 10: the registry's settings: which version of the identity keys its actors carry
    # (coopwatch/actors.py re-keys them when a new release spells keys differently)
    """
    CREATE TABLE registry_meta (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID;
    """,
]


class CopyCheck(Protocol):
    """An article's syndication signature (nlp.syndication.Signature): the store keeps its
    bytes and band keys and asks it whether a stored signature is the same text."""

    @property
    def scheme(self) -> str: ...

    @property
    def shingles(self) -> int: ...

    def to_bytes(self) -> bytes: ...

    def band_keys(self) -> list[int]: ...

    def match(self, stored: bytes, shingles: int) -> float | None: ...


# Articles read per band at most, earliest stored first: a band shared by very many articles
# (left-over boilerplate) cannot make the check grow with the store; a real copy shares many bands.
MAX_PER_BAND = 50


class SaveOutcome(StrEnum):
    IMPORTED = "imported"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(slots=True)
class StoredPage:
    url: str
    content_hash: str
    fetched_at: str | None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    """Store of record. One instance per process/thread; SQLite handles concurrent readers."""

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create data directory {self.data_dir}: {exc}") from exc
        self.path = self.data_dir / STORE_FILE
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self._set_wal()
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open store {self.path}: {exc}") from exc

    def _set_wal(self) -> None:
        """WAL mode. Switching a new database file to it takes an exclusive lock that SQLite
        does not wait for (no busy handler): when other connections open the same new file
        at that moment it answers "database is locked" at once, so wait here."""
        for attempt in range(200):
            try:
                self.conn.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == 199:
                    raise
                time.sleep(0.05)

    # -- schema ---------------------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        current = self.schema_version
        if current > len(MIGRATIONS):
            raise StoreError(
                f"store {self.path} has schema version {current}, newer than this coopwatch "
                f"({len(MIGRATIONS)}); upgrade coopwatch"
            )
        for version, script in enumerate(MIGRATIONS[current:], start=current + 1):
            with self.transaction():
                if self.schema_version >= version:
                    continue  # another process or thread migrated while this one waited
                for statement in script.split(";\n"):
                    if statement.strip():
                        self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {version}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing. Nested use joins the outer transaction (as a savepoint), so a
        caller can wrap several store operations — an article and its event — in one."""
        if self.conn.in_transaction:
            self.conn.execute("SAVEPOINT nested")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK TO nested")
                self.conn.execute("RELEASE nested")
                raise
            else:
                self.conn.execute("RELEASE nested")
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- pages and articles ---------------------------------------------------------------

    def current_hash(self, url: str) -> str | None:
        """Content hash of the article stored for `url`, or None when there is none."""
        row = self.conn.execute(
            "SELECT content_hash FROM articles WHERE url = ?", (url,)
        ).fetchone()
        return row[0] if row else None

    def save(
        self,
        page: FetchedPage,
        article: Article,
        copy_check: CopyCheck | None = None,
        reanalysed: bool = False,
    ) -> SaveOutcome:
        """Store the page and its article in one transaction (idempotent per URL and content).

        With `copy_check` (the article's syndication signature) the same transaction sets
        `article.duplicate_of` to the original it copies and records the signature.
        `reanalysed` stores a new analysis of an unchanged page (`coopwatch reprocess`).
        """
        page_hash = page.sha256
        now = _now()
        fetched_at = page.fetched_at.isoformat() if page.fetched_at else None
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT content_hash, previous_hashes FROM articles WHERE url = ?", (article.url,)
            ).fetchone()
            if row and row[0] == page_hash and not reanalysed:
                return SaveOutcome.UNCHANGED
            conn.execute(
                "INSERT OR IGNORE INTO pages (url, content_hash, status, headers, body, fetched_at,"
                " stored_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    article.url,
                    page_hash,
                    page.status,
                    json.dumps(page.headers, ensure_ascii=False),
                    zlib.compress(page.body, 6),
                    fetched_at,
                    now,
                ),
            )
            page_id = conn.execute(
                "SELECT id FROM pages WHERE url = ? AND content_hash = ?", (article.url, page_hash)
            ).fetchone()[0]
            article.content_hash = page_hash
            article.fetched_at = fetched_at
            if copy_check is not None:
                article.duplicate_of = self.find_original(article, copy_check)
            previous = json.loads(row[1]) if row else []
            if row and row[0] != page_hash:
                previous.append(row[0])
            values = {
                "id": article.id,
                "url": article.url,
                "site": article.site,
                "language": article.language,
                "title": article.title,
                "published": article.published,
                "relevant": int(article.relevant),
                "relevance_score": article.relevance_score,
                "repeated_paragraphs": article.repeated_paragraphs,
                "duplicate_of": article.duplicate_of,
                "event_id": article.event_id,
                "content_hash": page_hash,
                "previous_hashes": json.dumps(previous),
                "page_id": page_id,
                "record": json.dumps(article.to_record(), ensure_ascii=False),
                "now": now,
            }
            if row:
                conn.execute(
                    "UPDATE articles SET site=:site, language=:language, title=:title,"
                    " published=:published, relevant=:relevant, relevance_score=:relevance_score,"
                    " repeated_paragraphs=:repeated_paragraphs, duplicate_of=:duplicate_of,"
                    " event_id=:event_id, content_hash=:content_hash,"
                    " previous_hashes=:previous_hashes, page_id=:page_id, record=:record,"
                    " updated_at=:now WHERE url=:url",
                    values,
                )
                conn.execute("DELETE FROM paragraphs WHERE article_id = ?", (article.id,))
            else:
                conn.execute(
                    "INSERT INTO articles (id, url, site, language, title, published, relevant,"
                    " relevance_score, repeated_paragraphs, duplicate_of, event_id, content_hash,"
                    " previous_hashes, page_id, record, created_at, updated_at) VALUES (:id, :url,"
                    " :site, :language, :title, :published, :relevant, :relevance_score,"
                    " :repeated_paragraphs, :duplicate_of, :event_id, :content_hash,"
                    " :previous_hashes, :page_id, :record, :now, :now)",
                    values,
                )
            conn.executemany(
                "INSERT INTO paragraphs (article_id, position, text) VALUES (?, ?, ?)",
                [(article.id, i, text) for i, text in enumerate(article.paragraphs)],
            )
            self._save_signature(article, copy_check)
        return SaveOutcome.UPDATED if row else SaveOutcome.IMPORTED

    def previous_hashes(self, url: str) -> list[str]:
        row = self.conn.execute(
            "SELECT previous_hashes FROM articles WHERE url = ?", (url,)
        ).fetchone()
        return json.loads(row[0]) if row else []

    def get_article(self, article_id: str) -> Article | None:
        row = self.conn.execute(
            "SELECT record FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return Article.from_record(json.loads(row[0])) if row else None

    def iter_articles(self, since: str | None = None) -> Iterator[Article]:
        """Every stored article in storage order; `since` filters on the publication date."""
        query = "SELECT record FROM articles"
        params: tuple[str, ...] = ()
        if since:
            query += " WHERE published >= ?"
            params = (since,)
        query += " ORDER BY rowid"
        for (record,) in self.conn.execute(query, params):
            yield Article.from_record(json.loads(record))

    def iter_events(self, since: str | None = None) -> Iterator[dict]:
        """Every stored EVENT record (oldest first); `since` filters on the event date."""
        query = "SELECT record FROM events"
        params: tuple[str, ...] = ()
        if since:
            query += " WHERE day >= ?"
            params = (since,)
        for (record,) in self.conn.execute(query + " ORDER BY created_at, id", params):
            yield json.loads(record)

    def count_articles(self) -> int:
        return self.conn.execute("SELECT count(*) FROM articles").fetchone()[0]

    def stored_page(self, url: str) -> FetchedPage | None:
        """The fetched page currently behind the article at `url` (for re-processing)."""
        row = self.conn.execute(
            "SELECT p.body, p.headers, p.status, p.fetched_at FROM pages p"
            " JOIN articles a ON a.page_id = p.id WHERE a.url = ?",
            (url,),
        ).fetchone()
        if row is None:
            return None
        fetched = datetime.fromisoformat(row[3]) if row[3] else None
        return FetchedPage(url, zlib.decompress(row[0]), json.loads(row[1]), row[2], fetched)

    def page_body(self, url: str) -> bytes | None:
        """The bytes of the page currently behind the article at `url`."""
        page = self.stored_page(url)
        return page.body if page else None

    # -- syndicated copies ----------------------------------------------------------------

    def find_original(self, article: Article, check: CopyCheck) -> str | None:
        """The stored article that `article` copies: of the same-language articles stored
        before it whose text matches, the earliest stored (its original, if it is a copy).

        Earliest stored, not earliest published: the decision is final when a copy arrives,
        so a stored `duplicate_of` never changes under later imports (published dates are also
        often guessed). Candidates come from the LSH bands in SQLite, never from memory.
        """
        if not article.language:
            return None
        own = self.conn.execute(
            "SELECT id FROM syndication_signatures WHERE article_id = ?", (article.id,)
        ).fetchone()
        keys = check.band_keys()
        params = [value for band, key in enumerate(keys) for value in (band, key, MAX_PER_BAND)]
        candidates = {sid for (sid,) in self.conn.execute(_band_query(len(keys)), params)}
        if own:  # updated in place: only what was stored before it can be its original
            candidates = {sid for sid in candidates if sid < own[0]}
        if not candidates:
            return None
        rows = self.conn.execute(
            "SELECT s.article_id, s.shingles, s.signature, a.duplicate_of"
            " FROM syndication_signatures s JOIN articles a ON a.id = s.article_id"
            f" WHERE s.id IN ({','.join('?' * len(candidates))})"
            " AND s.language = ? AND s.scheme = ? ORDER BY s.id",
            (*sorted(candidates), article.language, check.scheme),
        )
        for article_id, shingles, stored, duplicate_of in rows:
            if article_id != article.id and check.match(stored, shingles) is not None:
                original = duplicate_of or article_id
                return None if original == article.id else original
        return None

    def _save_signature(self, article: Article, check: CopyCheck | None) -> None:
        """Replace the article's signature and band keys (its storage-order id is kept)."""
        old = self.conn.execute(
            "SELECT id, bands FROM syndication_signatures WHERE article_id = ?", (article.id,)
        ).fetchone()
        if old:
            self.conn.executemany(
                "DELETE FROM syndication_bands WHERE band = ? AND hash = ? AND signature_id = ?",
                [(band, key, old[0]) for band, key in enumerate(_unpack_keys(old[1]))],
            )
        if check is None or not article.language:
            if old:
                self.conn.execute("DELETE FROM syndication_signatures WHERE id = ?", (old[0],))
            return
        keys = check.band_keys()
        values = (
            article.language,
            check.scheme,
            check.shingles,
            check.to_bytes(),
            struct.pack(f"<{len(keys)}q", *keys),
        )
        if old:
            signature_id = old[0]
            self.conn.execute(
                "UPDATE syndication_signatures SET language = ?, scheme = ?, shingles = ?,"
                " signature = ?, bands = ? WHERE id = ?",
                (*values, signature_id),
            )
        else:
            signature_id = self.conn.execute(
                "INSERT INTO syndication_signatures (language, scheme, shingles, signature,"
                " bands, article_id) VALUES (?, ?, ?, ?, ?, ?)",
                (*values, article.id),
            ).lastrowid
        self.conn.executemany(
            "INSERT OR IGNORE INTO syndication_bands (band, hash, signature_id) VALUES (?, ?, ?)",
            [(band, key, signature_id) for band, key in enumerate(keys)],
        )

    def copies_of(self, article_id: str) -> list[str]:
        """Ids of the stored syndicated copies of an article, in storage order.

        A copy (`duplicate_of` set) is stored and exported but is no independent report:
        count an event's reports as its articles with `duplicate_of` null.
        """
        return [
            row[0]
            for row in self.conn.execute(
                "SELECT id FROM articles WHERE duplicate_of = ? ORDER BY rowid", (article_id,)
            )
        ]


@cache
def _band_query(bands: int) -> str:
    """One statement for all bands (one round trip: 3x faster than a query per band)."""
    one = (
        "SELECT * FROM (SELECT signature_id FROM syndication_bands WHERE band = ? AND hash = ?"
        " ORDER BY signature_id LIMIT ?)"
    )
    return " UNION ALL ".join([one] * bands)


def _unpack_keys(data: bytes) -> tuple[int, ...]:
    return struct.unpack(f"<{len(data) // 8}q", data)
