"""The embedded backend (default): SQLite FTS5 over analysed terms, BM25-ranked, in the store
of record's own database file and on its connection, so index and store share transactions.

Tables (versioned under `embedded.schema_version` in `index_meta`, see index/state.py):
`index_docs` (one row per article/event: filter and sort fields; events also keep their
record, articles are read from the store's `articles` table), `index_fts` (FTS5: title,
body and names terms) and `index_facets` (multi-valued facet and filter values).
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from coopwatch.errors import IndexUnavailable, SearchIndexError
from index.base import FacetValue, Hit, IndexBackend, Query, SearchResult, register_backend
from index.documents import IndexDoc
from index.highlight import highlight
from index.query import (
    AAnd,
    AnalysedExpr,
    ANot,
    AOr,
    Terms,
    decode_cursor,
    encode_cursor,
    is_negative_only,
    positive_terms,
)
from index.state import IndexState

if TYPE_CHECKING:
    from coopwatch.settings import Settings
    from coopwatch.store import Store
    from coopwatch.text_analysis import TextAnalyzer

SCHEMA_KEY = "embedded.schema_version"
ANALYZER_KEY = "embedded.analyzer"
# Column weights for bm25(): a match in the title counts three times one in the body.
BM25 = "bm25(index_fts, 3.0, 1.0, 1.0)"
FACET_CODES = {
    "countries": "c",
    "pairs": "p",
    "actors": "a",
    "projects": "j",
    "event_types": "t",
    "languages": "l",
    "months": "m",
}
FACET_NAMES = {code: name for name, code in FACET_CODES.items()}


def _table_ddl(suffix: str = "") -> list[str]:
    """The index tables; `suffix` names the shadow set a rebuild fills before swapping."""
    return [
        f"""CREATE TABLE IF NOT EXISTS index_docs{suffix} (
            rowid INTEGER PRIMARY KEY,
            doc_id TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,              -- article | event
            language TEXT,                   -- language the text was analysed in
            site TEXT,
            date TEXT,
            sort_date TEXT NOT NULL,         -- date or '' (undated sorts last, descending)
            relevant INTEGER NOT NULL,
            event_type TEXT,
            record TEXT                      -- events: EVENT record JSON; articles: NULL
        )""",
        f"""CREATE VIRTUAL TABLE IF NOT EXISTS index_fts{suffix} USING fts5 (
            title, body, names, tokenize = 'unicode61 remove_diacritics 0'
        )""",
        f"""CREATE TABLE IF NOT EXISTS index_facets{suffix} (
            field TEXT NOT NULL,             -- FACET_CODES
            value TEXT NOT NULL,
            doc INTEGER NOT NULL,            -- index_docs.rowid
            PRIMARY KEY (field, value, doc)
        ) WITHOUT ROWID""",
    ]


def _v2_ddl(suffix: str = "") -> list[str]:
    """v2: each document's facet values in one column, counted in Python (fast) instead of
    joining index_facets for every match."""
    return [
        f"ALTER TABLE index_docs{suffix} ADD COLUMN facets TEXT NOT NULL DEFAULT ''",
    ]


_BACKFILL_FACETS = (
    "UPDATE index_docs SET facets = coalesce((SELECT group_concat(field || char(31) || value,"
    " char(30)) FROM index_facets WHERE doc = index_docs.rowid), '')"
)
FACET_ITEM_SEP, FACET_FIELD_SEP = "\x1e", "\x1f"

_SECONDARY_INDEXES = [
    "CREATE INDEX IF NOT EXISTS index_docs_date ON index_docs (sort_date, doc_id)",
    "CREATE INDEX IF NOT EXISTS index_facets_doc ON index_facets (doc)",
]
_TABLES = ("index_docs", "index_fts", "index_facets")
SHADOW = "_next"

EMBEDDED_MIGRATIONS: list[list[str]] = [
    [*_table_ddl(), *_SECONDARY_INDEXES],
    [*_v2_ddl(), _BACKFILL_FACETS],
]


def _fts_terms(alternative: tuple[str, ...]) -> str:
    return '"' + " ".join(alternative) + '"'  # terms are word characters only


def fts_match(expr: AnalysedExpr) -> str:
    """An FTS5 MATCH expression for `expr` (which has a positive part)."""
    if isinstance(expr, Terms):
        alts = [_fts_terms(a) for a in expr.alternatives]
        return alts[0] if len(alts) == 1 else "(" + " OR ".join(alts) + ")"
    if isinstance(expr, AOr):
        return "(" + " OR ".join(fts_match(c) for c in expr.children) + ")"
    if isinstance(expr, AAnd):
        positive = [fts_match(c) for c in expr.children if not isinstance(c, ANot)]
        negative = [fts_match(c.child) for c in expr.children if isinstance(c, ANot)]
        text = "(" + " AND ".join(positive) + ")"
        if negative:
            text = f"({text} NOT ({' OR '.join(negative)}))"
        return text
    raise ValueError("a NOT alone has no FTS5 form")  # callers handle negative-only queries


def _negatives(expr: AnalysedExpr) -> list[AnalysedExpr]:
    if isinstance(expr, ANot):
        return [expr.child]
    assert isinstance(expr, AAnd)
    return [c.child for c in expr.children if isinstance(c, ANot)]


class EmbeddedIndex(IndexBackend):
    """SQLite FTS5 in the store's database (same connection as `store`)."""

    name = "embedded"
    shares_store_transaction = True

    def __init__(self, store: Store, analyzer: TextAnalyzer, state: IndexState | None = None):
        self.store = store
        self.conn: sqlite3.Connection = store.conn
        self.analyzer = analyzer
        self.state = state or IndexState(self.conn)
        self.conn.execute("PRAGMA temp_store = MEMORY")
        self.state.migrate(SCHEMA_KEY, EMBEDDED_MIGRATIONS)
        built_with = self.state.get_meta(ANALYZER_KEY)
        if built_with is None:
            with self.state.transaction():
                self.state.set_meta(ANALYZER_KEY, analyzer.name)
        # Terms from another analyzer would not meet this one's: only a rebuild helps.
        self.mismatch = built_with not in (None, analyzer.name)
        self._built_with = built_with

    def _check_analyzer(self) -> None:
        if self.mismatch:
            raise SearchIndexError(
                f"the embedded index was built with analyzer {self._built_with!r}, settings ask"
                f" for {self.analyzer.name!r}: run `coopwatch reindex`"
            )

    # -- writes ------------------------------------------------------------------------------

    def _delete_rows(self, doc_ids: list[str]) -> None:
        for doc_id in doc_ids:
            row = self.conn.execute(
                "SELECT rowid FROM index_docs WHERE doc_id = ?", (doc_id,)
            ).fetchone()
            if row:
                self.conn.execute("DELETE FROM index_fts WHERE rowid = ?", row)
                self.conn.execute("DELETE FROM index_facets WHERE doc = ?", row)
                self.conn.execute("DELETE FROM index_docs WHERE rowid = ?", row)

    def _insert(self, docs: list[IndexDoc], suffix: str = "") -> None:
        """Insert new rows (inside the caller's transaction): three statements per batch."""
        conn = self.conn
        first = conn.execute(
            f"SELECT coalesce(max(rowid), 0) + 1 FROM index_docs{suffix}"
        ).fetchone()[0]
        rows, fts, facets = [], [], []
        for rowid, doc in enumerate(docs, start=first):
            values = [
                (FACET_CODES[name], value)
                for name, values in doc.facet_values().items()
                for value in values
            ]
            rows.append(
                (
                    rowid,
                    doc.id,
                    doc.kind,
                    doc.language,
                    doc.site,
                    doc.date,
                    doc.sort_date,
                    int(doc.relevant),
                    doc.event_type,
                    json.dumps(doc.record, ensure_ascii=False) if doc.kind == "event" else None,
                    FACET_ITEM_SEP.join(code + FACET_FIELD_SEP + value for code, value in values),
                )
            )
            fts.append((rowid, doc.title_terms, doc.body_terms, doc.names_terms))
            facets.extend((code, value, rowid) for code, value in values)
        conn.executemany(
            f"INSERT INTO index_docs{suffix} (rowid, doc_id, kind, language, site, date,"
            " sort_date, relevant, event_type, record, facets)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.executemany(
            f"INSERT INTO index_fts{suffix} (rowid, title, body, names) VALUES (?, ?, ?, ?)", fts
        )
        conn.executemany(
            f"INSERT OR IGNORE INTO index_facets{suffix} (field, value, doc) VALUES (?, ?, ?)",
            facets,
        )

    def upsert(self, docs: list[IndexDoc]) -> None:
        if self.mismatch:
            raise IndexUnavailable("embedded index needs `coopwatch reindex` (analyzer changed)")
        with self.state.transaction():
            self._delete_rows([d.id for d in docs])
            self._insert(docs)

    def delete(self, doc_ids: list[str]) -> None:
        with self.state.transaction():
            self._delete_rows(doc_ids)

    def rebuild(self, docs: Iterable[list[IndexDoc]]) -> int:
        """Fill shadow tables batch by batch (one transaction each, so the WAL stays small),
        then swap them in with one transaction: readers see the old index until then."""
        conn = self.conn
        with self.state.transaction():
            for table in _TABLES:
                conn.execute(f"DROP TABLE IF EXISTS {table}{SHADOW}")  # a failed rebuild's
            for statement in [*_table_ddl(SHADOW), *_v2_ddl(SHADOW)]:
                conn.execute(statement)
        count = 0
        for batch in docs:
            with self.state.transaction():
                self._insert(batch, SHADOW)
            count += len(batch)
        conn.execute(f"INSERT INTO index_fts{SHADOW} (index_fts{SHADOW}) VALUES ('optimize')")
        with self.state.transaction():
            for table in _TABLES:
                conn.execute(f"DROP TABLE {table}")
                conn.execute(f"ALTER TABLE {table}{SHADOW} RENAME TO {table}")
            for statement in _SECONDARY_INDEXES:
                conn.execute(statement)
            self.state.set_meta(ANALYZER_KEY, self.analyzer.name)
        self.mismatch = False
        return count

    def count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM index_docs").fetchone()[0]

    def event_records(self) -> Iterator[dict[str, Any]]:
        rows = self.conn.execute("SELECT record FROM index_docs WHERE kind = 'event'").fetchall()
        for (record,) in rows:
            if record:
                yield json.loads(record)

    # -- reads -------------------------------------------------------------------------------

    def _record(self, doc_id: str, kind: str, record_json: str | None) -> dict[str, Any] | None:
        if kind == "event":
            return json.loads(record_json) if record_json else None
        row = self.conn.execute("SELECT record FROM articles WHERE id = ?", (doc_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def get(self, doc_id: str) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT kind, record FROM index_docs WHERE doc_id = ?", (doc_id,)
        ).fetchone()
        return self._record(doc_id, row[0], row[1]) if row else None

    def _filters(self, query: Query) -> tuple[list[str], list[Any]]:
        where: list[str] = []
        params: list[Any] = []

        def any_of(column: str, values: list[str]) -> None:
            where.append(f"{column} IN ({','.join('?' * len(values))})")
            params.extend(values)

        def facet_in(code: str, values: list[str]) -> None:
            # EXISTS probes the (field, value, doc) key per candidate; IN (subquery) would
            # first collect every document with the value (a fifth of the index for a country).
            marks = ",".join("?" * len(values))
            where.append(
                "EXISTS (SELECT 1 FROM index_facets f WHERE f.field = ?"
                f" AND f.value IN ({marks}) AND f.doc = d.rowid)"
            )
            params.extend([code, *values])

        if query.relevant_only:
            where.append("d.relevant = 1")
        if query.kinds:
            any_of("d.kind", query.kinds)
        if query.event_types:
            any_of("d.event_type", query.event_types)
        if query.sites:
            any_of("d.site", query.sites)
        if query.date_from:
            where.append("d.date >= ?")
            params.append(query.date_from)
        if query.date_to:
            where.append("d.date <= ?")
            params.append(query.date_to)
        for code in query.countries_all:
            facet_in("c", [code])
        if query.countries_any:
            facet_in("c", query.countries_any)
        for actor in query.actors:
            facet_in("a", [actor])
        for project in query.projects:
            facet_in("j", [project])
        if query.languages:
            facet_in("l", query.languages)
        return where, params

    def _matches(
        self, query: Query, analysed: AnalysedExpr | None, scored: bool
    ) -> tuple[str, list[Any]]:
        """SQL of (rid, score) of every match after filters; BM25 only when `scored`
        (it costs a few microseconds per match, the largest part of a search)."""
        where, params = self._filters(query)
        if analysed is not None and not is_negative_only(analysed):
            # One flat join: bm25() is then computed only for matches that pass the filters.
            score = BM25 if scored else "NULL"
            sql = (
                f"SELECT index_fts.rowid AS rid, {score} AS score FROM index_fts"
                " JOIN index_docs d ON d.rowid = index_fts.rowid"
            )
            where.insert(0, "index_fts MATCH ?")
            source_params: list[Any] = []
            params.insert(0, fts_match(analysed))
        else:
            sql = "SELECT d.rowid AS rid, NULL AS score FROM index_docs d"
            source_params = []
            if analysed is not None:
                negatives = " OR ".join(fts_match(n) for n in _negatives(analysed))
                where.append("d.rowid NOT IN (SELECT rowid FROM index_fts WHERE index_fts MATCH ?)")
                params.append(negatives)
        if where:
            sql += " WHERE " + " AND ".join(where)
        return sql, [*source_params, *params]

    def search(self, query: Query, analysed: AnalysedExpr | None) -> SearchResult:
        self._check_analyzer()
        ranked = analysed is not None and not is_negative_only(analysed)
        scored = ranked and query.resolved_sort == "relevance"
        conn = self.conn
        # Materialise the matches once (count, page and facets read them); measured faster
        # than a count plus a LIMIT query, whose plan SQLite may turn inside out.
        sql, params = self._matches(query, analysed, scored)
        conn.execute("DROP TABLE IF EXISTS temp.index_hits")
        conn.execute("CREATE TEMP TABLE index_hits (rid INTEGER PRIMARY KEY, score REAL)")
        try:
            conn.execute(f"INSERT INTO temp.index_hits (rid, score) {sql}", params)
            total = conn.execute("SELECT count(*) FROM temp.index_hits").fetchone()[0]
            hits, next_cursor = self._page(query, scored, analysed, "temp.index_hits", [])
            facets = self._facets(query) if query.facets else {}
        finally:
            conn.execute("DROP TABLE IF EXISTS temp.index_hits")
        return SearchResult(hits=hits, total=total, facets=facets, next_cursor=next_cursor)

    def _page(
        self,
        query: Query,
        ranked: bool,
        analysed: AnalysedExpr | None,
        hits_from: str,
        hits_params: list[Any],
    ) -> tuple[list[Hit], str | None]:
        """One page of `hits_from` (rid, score rows) in the query's order, after its cursor."""
        sort = query.resolved_sort
        key = decode_cursor(query.cursor, sort) if query.cursor else None
        select = (
            "SELECT d.doc_id, d.kind, h.score, d.date, d.language, d.sort_date, d.record"
            f" FROM {hits_from} h JOIN index_docs d ON d.rowid = h.rid"
        )
        params: list[Any] = list(hits_params)
        if sort == "date":
            order = "d.sort_date DESC, d.doc_id"
            if key:
                select += " WHERE (d.sort_date < ? OR (d.sort_date = ? AND d.doc_id > ?))"
                params += [key[0], key[0], key[1]]
        elif ranked:
            order = "h.score, d.doc_id"
            if key:
                select += " WHERE (h.score > ? OR (h.score = ? AND d.doc_id > ?))"
                params += [key[0], key[0], key[1]]
        else:
            order = "d.doc_id"
            if key:
                select += " WHERE d.doc_id > ?"
                params += [key[-1]]
        rows = self.conn.execute(
            f"{select} ORDER BY {order} LIMIT ?", [*params, query.size + 1]
        ).fetchall()
        more = len(rows) > query.size
        rows = rows[: query.size]
        terms = positive_terms(analysed)
        hits = []
        for doc_id, kind, score, date, language, _sort_date, record_json in rows:
            record = self._record(doc_id, kind, record_json) or {"type": kind, "id": doc_id}
            texts = [record.get("title") or "", *(record.get("paragraphs") or [])]
            if kind == "event" and record.get("location"):
                texts.append(record["location"])
            hits.append(
                Hit(
                    id=doc_id,
                    kind=kind,
                    score=-score if score is not None else None,
                    title=record.get("title"),
                    date=date,
                    language=language,
                    highlights=highlight(texts, language, terms, self.analyzer),
                    record=record,
                )
            )
        next_cursor = None
        if more and rows:
            last = rows[-1]
            if sort == "date":
                next_cursor = encode_cursor(sort, [last[5], last[0]])
            elif ranked:
                next_cursor = encode_cursor(sort, [last[2], last[0]])
            else:
                next_cursor = encode_cursor(sort, [last[0]])
        return hits, next_cursor

    def _facets(self, query: Query) -> dict[str, list[FacetValue]]:
        """Count facet values over every match (Counter over each match's facets column)."""
        counts: Counter[str] = Counter()
        rows = self.conn.execute(
            "SELECT d.facets FROM temp.index_hits h JOIN index_docs d ON d.rowid = h.rid"
        )
        for (facets,) in rows:
            if facets:
                counts.update(facets.split(FACET_ITEM_SEP))
        wanted = {FACET_CODES[name] for name in query.facets}
        grouped: dict[str, list[FacetValue]] = defaultdict(list)
        for item, count in counts.items():
            code, _, value = item.partition(FACET_FIELD_SEP)
            if code in wanted:
                grouped[FACET_NAMES[code]].append(FacetValue(value, count))
        return {
            name: sorted(grouped.get(name, []), key=lambda v: (-v.count, v.value))[
                : query.facet_size
            ]
            for name in query.facets
        }


@register_backend("embedded")
def embedded_backend(settings: Settings, store: Store, analyzer: TextAnalyzer) -> IndexBackend:
    return EmbeddedIndex(store, analyzer)
