"""The embedded backend (default): SQLite FTS5 over analysed terms, BM25-ranked, in the store
of record's own database file and on its connection, so index and store share transactions.

Tables (versioned under `embedded.schema_version` in `index_meta`, see index/state.py):
`index_docs` (one row per article/event: filter and sort fields, facet values; events also
keep their record, articles are read from the store's `articles` table) and `index_fts`
(FTS5: title, body and names terms, plus `tags`: one token per filter value, so every
filter but the exact date bounds is evaluated inside FTS5 together with the text, and a
search touches `index_docs` only for the page it shows, not for each match).
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
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
    excluded,
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
# Column weights for bm25(): a match in the title counts three times one in the body; the
# tags column (filter tokens) never adds to a score.
BM25 = "bm25(index_fts, 3.0, 1.0, 1.0, 0.0)"
TEXT_COLUMNS = "{title body names}"  # query text never matches a filter tag
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
FACET_ITEM_SEP, FACET_FIELD_SEP = "\x1e", "\x1f"
# Date ranges become month/year tags (a superset, the exact bounds are checked on the few
# candidates left); beyond this many tags the bounds alone are cheaper.
MAX_DATE_TAGS = 48
# Ranking inside FTS5 fetches this many matches beyond a page, to order equal scores by
# doc_id without reading every match's doc_id.
TOP_K_MARGIN = 32
REBUILD_TRANSACTION_DOCS = 10_000  # documents written per transaction by a rebuild
TOKENIZER = "tokenize = 'unicode61 remove_diacritics 0'"


def tag(code: str, value: str) -> str:
    """The FTS5 token of a filter value: 'z' + field code + hex of the value (one word for
    unicode61 whatever the value's characters; text terms never get here, see TEXT_COLUMNS)."""
    return "z" + code + value.encode().hex()


RELEVANT_TAG = "zr"
UNMONTHED_TAG = "zdx"  # dated, but not to the month: every date filter checks such documents


def doc_tags(doc: IndexDoc, facet_values: dict[str, list[str]] | None = None) -> str:
    """The tags column of `doc` (kept equal to the SQL of migration 3, `_TAGS_SQL`)."""
    tokens = [RELEVANT_TAG] if doc.relevant else []
    tokens.append("zk" + doc.kind)
    if doc.site:
        tokens.append(tag("s", doc.site))
    for name, values in (facet_values or doc.facet_values()).items():
        if name != "pairs":
            code = FACET_CODES[name]
            tokens.extend(tag(code, value) for value in values)
    if doc.date:
        tokens.append(tag("y", doc.date[:4]) if len(doc.date) >= 7 else UNMONTHED_TAG)
    return " ".join(tokens)


def _docs_ddl(suffix: str = "") -> str:
    return f"""CREATE TABLE IF NOT EXISTS index_docs{suffix} (
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
        )"""


def _fts_ddl(name: str, columns: str = "title, body, names, tags") -> str:
    return f"CREATE VIRTUAL TABLE IF NOT EXISTS {name} USING fts5 ({columns}, {TOKENIZER})"


_FACETS_V1 = """CREATE TABLE IF NOT EXISTS index_facets (
            field TEXT NOT NULL,             -- FACET_CODES
            value TEXT NOT NULL,
            doc INTEGER NOT NULL,            -- index_docs.rowid
            PRIMARY KEY (field, value, doc)
        ) WITHOUT ROWID"""

# v2: each document's facet values in one column, counted in Python (fast) instead of
# joining index_facets for every match.
_FACETS_COLUMN = "ALTER TABLE index_docs{suffix} ADD COLUMN facets TEXT NOT NULL DEFAULT ''"
_BACKFILL_FACETS = (
    "UPDATE index_docs SET facets = coalesce((SELECT group_concat(field || char(31) || value,"
    " char(30)) FROM index_facets WHERE doc = index_docs.rowid), '')"
)
# v3: filter tags in FTS5 (doc_tags in SQL, from v2's tables); index_facets is then unused.
_TAGS_SQL = (
    "trim((CASE WHEN d.relevant THEN 'zr ' ELSE '' END) || 'zk' || d.kind"
    " || (CASE WHEN coalesce(d.site, '') <> '' THEN ' zs' || lower(hex(d.site)) ELSE '' END)"
    " || coalesce((SELECT ' ' || group_concat('z' || field || lower(hex(value)), ' ')"
    " FROM index_facets WHERE doc = d.rowid AND field <> 'p'), '')"
    " || (CASE WHEN coalesce(d.date, '') = '' THEN ''"
    " WHEN length(d.date) >= 7 THEN ' zy' || lower(hex(substr(d.date, 1, 4)))"
    " ELSE ' zdx' END))"
)
_V3 = [
    "DROP TABLE IF EXISTS index_fts_v3",
    _fts_ddl("index_fts_v3"),
    "INSERT INTO index_fts_v3 (rowid, title, body, names, tags) SELECT f.rowid, f.title,"
    f" f.body, f.names, {_TAGS_SQL} FROM index_fts f JOIN index_docs d ON d.rowid = f.rowid",
    "DROP TABLE index_fts",
    "ALTER TABLE index_fts_v3 RENAME TO index_fts",
    "DROP TABLE index_facets",
]

_SECONDARY_INDEXES = [
    "CREATE INDEX IF NOT EXISTS index_docs_date ON index_docs (sort_date, doc_id)"
]
_TABLES = ("index_docs", "index_fts")
SHADOW = "_next"

EMBEDDED_MIGRATIONS: list[list[str]] = [
    [
        _docs_ddl(),
        _fts_ddl("index_fts", "title, body, names"),
        _FACETS_V1,
        *_SECONDARY_INDEXES,
        "CREATE INDEX IF NOT EXISTS index_facets_doc ON index_facets (doc)",
    ],
    [_FACETS_COLUMN.format(suffix=""), _BACKFILL_FACETS],
    _V3,
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


def _month_tags(first: str, last: str) -> list[str]:
    """Tags covering the months of dates `first`..`last` (whole years as one year tag)."""
    (y1, m1), (y2, m2) = (int(first[:4]), int(first[5:7])), (int(last[:4]), int(last[5:7]))
    tags: list[str] = []
    for year in range(y1, y2 + 1):
        lo, hi = (m1 if year == y1 else 1), (m2 if year == y2 else 12)
        if lo == 1 and hi == 12:
            tags.append(tag("y", f"{year:04d}"))
        else:
            tags.extend(tag("m", f"{year:04d}-{month:02d}") for month in range(lo, hi + 1))
    return tags


@dataclass(slots=True)
class _Plan:
    """How one query runs: an FTS5 MATCH (text and filter tags) when there is one, plus
    conditions on `index_docs d` that tags cannot express."""

    match: str | None
    where: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)
    text: str | None = None  # the MATCH of the query text alone (what BM25 ranks)

    @property
    def filtered(self) -> bool:
        """Whether filters narrow the text's matches (tags or conditions)."""
        return self.match != self.text or bool(self.where)

    def source(self, joined: bool) -> tuple[str, list[Any]]:
        """FROM/WHERE over the matches; `joined` adds index_docs d (always when a
        condition needs it). FTS5 drives: each match is looked up by rowid."""
        where = list(self.where)
        params: list[Any] = []
        if self.match is None:
            sql = "FROM index_docs d"
        else:
            sql = "FROM index_fts"
            if joined or where:
                sql += " CROSS JOIN index_docs d ON d.rowid = index_fts.rowid"
            where.insert(0, "index_fts MATCH ?")
            params.append(self.match)
        params += self.params
        if where:
            sql += " WHERE " + " AND ".join(where)
        return sql, params


class EmbeddedIndex(IndexBackend):
    """SQLite FTS5 in the store's database (same connection as `store`)."""

    name = "embedded"
    shares_store_transaction = True
    needs_article_records = False  # hits read them from the store's articles table

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
                self.conn.execute("DELETE FROM index_docs WHERE rowid = ?", row)

    def _insert(self, docs: list[IndexDoc], suffix: str = "") -> None:
        """Insert new rows (inside the caller's transaction): two statements per batch."""
        conn = self.conn
        first = conn.execute(
            f"SELECT coalesce(max(rowid), 0) + 1 FROM index_docs{suffix}"
        ).fetchone()[0]
        rows, fts = [], []
        for rowid, doc in enumerate(docs, start=first):
            facet_values = doc.facet_values()
            facets = FACET_ITEM_SEP.join(
                FACET_CODES[name] + FACET_FIELD_SEP + value
                for name, values in facet_values.items()
                for value in values
            )
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
                    facets,
                )
            )
            tags = doc_tags(doc, facet_values)
            fts.append((rowid, doc.title_terms, doc.body_terms, doc.names_terms, tags))
        conn.executemany(
            f"INSERT INTO index_docs{suffix} (rowid, doc_id, kind, language, site, date,"
            " sort_date, relevant, event_type, record, facets)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.executemany(
            f"INSERT INTO index_fts{suffix} (rowid, title, body, names, tags)"
            " VALUES (?, ?, ?, ?, ?)",
            fts,
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
        """Fill shadow tables a few thousand documents per transaction (FTS5 writes a
        segment per transaction; the WAL stays small), then swap them in with one
        transaction: readers see the old index until then."""
        conn = self.conn
        fts = f"index_fts{SHADOW}"
        with self.state.transaction():
            for table in (*_TABLES, "index_facets"):  # a failed rebuild's (v2's facets)
                conn.execute(f"DROP TABLE IF EXISTS {table}{SHADOW}")
            conn.execute(_docs_ddl(SHADOW))
            conn.execute(_FACETS_COLUMN.format(suffix=SHADOW))
            conn.execute(_fts_ddl(fts))
            # Merge segments rarely while filling ('optimize' merges them all at the end):
            # each term's entries are then rewritten about twice, not at every 4 segments.
            conn.execute(f"INSERT INTO {fts} ({fts}, rank) VALUES ('automerge', 0)")
            conn.execute(f"INSERT INTO {fts} ({fts}, rank) VALUES ('crisismerge', 64)")
        count = 0
        pending: list[IndexDoc] = []
        for batch in itertools.chain(docs, [[]]):  # [] ends the input: write the rest
            pending += batch
            if len(pending) >= REBUILD_TRANSACTION_DOCS or (not batch and pending):
                with self.state.transaction():
                    self._insert(pending, SHADOW)
                count += len(pending)
                pending = []
        with self.state.transaction():
            conn.execute(f"INSERT INTO {fts} ({fts}) VALUES ('optimize')")
            conn.execute(f"INSERT INTO {fts} ({fts}, rank) VALUES ('automerge', 4)")
            conn.execute(f"INSERT INTO {fts} ({fts}, rank) VALUES ('crisismerge', 16)")
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

    def _date_tags(self, query: Query) -> list[str] | None:
        """Month/year tags covering the query's date range (open ends closed at the index's
        first/last date), or None when there would be too many to help."""
        first, last = query.date_from, query.date_to
        if first is None or last is None:
            low, high = self.conn.execute(
                "SELECT (SELECT min(sort_date) FROM index_docs WHERE sort_date > ''),"
                " (SELECT max(sort_date) FROM index_docs)"
            ).fetchone()
            if not low or len(low) < 7 or len(high) < 7:
                return None
            first, last = first or max(low, "0001-01-01"), last or high
            if first > last:
                return []
        tags = _month_tags(first, last)
        return tags if len(tags) <= MAX_DATE_TAGS else None

    def _plan(self, query: Query, analysed: AnalysedExpr | None) -> _Plan:
        """Filters as tags ANDed to the text in one MATCH; date bounds also as conditions."""
        tags: list[str] = []
        where: list[str] = []
        params: list[Any] = []

        def any_of(tokens: list[str]) -> None:
            tags.append(tokens[0] if len(tokens) == 1 else "(" + " OR ".join(tokens) + ")")

        if query.relevant_only:
            tags.append(RELEVANT_TAG)
        if query.kinds:
            any_of(["zk" + kind for kind in query.kinds])
        if query.event_types:
            any_of([tag("t", value) for value in query.event_types])
        if query.sites:
            any_of([tag("s", value) for value in query.sites])
        tags.extend(tag("c", code) for code in query.countries_all)
        if query.countries_any:
            any_of([tag("c", code) for code in query.countries_any])
        tags.extend(tag("a", actor) for actor in query.actors)
        tags.extend(tag("j", project) for project in query.projects)
        if query.languages:
            any_of([tag("l", code) for code in query.languages])
        if query.date_from or query.date_to:
            date_tags = self._date_tags(query)
            if date_tags is not None:
                any_of([*date_tags, UNMONTHED_TAG])
            if query.date_from:
                where.append("d.date >= ?")
                params.append(query.date_from)
            if query.date_to:
                where.append("d.date <= ?")
                params.append(query.date_to)
        parts = [f"tags : ({' AND '.join(tags)})"] if tags else []
        text = None
        if analysed is not None and not is_negative_only(analysed):
            text = f"{TEXT_COLUMNS} : ({fts_match(analysed)})"
            parts.insert(0, text)
        elif analysed is not None:
            negatives = " OR ".join(fts_match(n) for n in excluded(analysed))
            if not parts:  # nothing positive to match: every document but these
                where.append("d.rowid NOT IN (SELECT rowid FROM index_fts WHERE index_fts MATCH ?)")
                params.append(f"{TEXT_COLUMNS} : ({negatives})")
                return _Plan(None, where, params)
            parts[0] = f"{parts[0]} NOT {TEXT_COLUMNS} : ({negatives})"
        return _Plan(" AND ".join(parts) if parts else None, where, params, text)

    def search(self, query: Query, analysed: AnalysedExpr | None) -> SearchResult:
        self._check_analyzer()
        ranked = analysed is not None and not is_negative_only(analysed)
        plan = self._plan(query, analysed)
        # Ranking inside FTS5 (no index_docs lookup per match) when the text alone is
        # matched, or over the filtered matches' rowids: a MATCH that held the filter tags
        # would make bm25() count every document of each tag first (its IDF), e.g. the
        # 700,000 relevant ones, and that cost more than the ranking.
        fts_ranked = ranked and query.resolved_sort == "relevance" and plan.text is not None
        candidates: list[int] | None = None
        if query.facets:
            # One pass over the matches' facet values; its row count is the total.
            source, params = plan.source(joined=True)
            rows = self.conn.execute(f"SELECT d.rowid, d.facets {source}", params).fetchall()
            facets, total = self._facets(query, rows)
            candidates = [rowid for rowid, _ in rows]
        elif fts_ranked and plan.filtered:
            source, params = plan.source(joined=False)
            rid = "d.rowid" if plan.where else "index_fts.rowid"
            candidates = [r for (r,) in self.conn.execute(f"SELECT {rid} {source}", params)]
            total, facets = len(candidates), {}
        else:
            source, params = plan.source(joined=False)
            total = self.conn.execute(f"SELECT count(*) {source}", params).fetchone()[0]
            facets = {}
        if not plan.filtered:
            candidates = None  # BM25 ranks the text's matches as they are
        elif candidates is None:
            fts_ranked = False
        hits, next_cursor = self._page(query, ranked, analysed, plan, fts_ranked, candidates)
        return SearchResult(hits=hits, total=total, facets=facets, next_cursor=next_cursor)

    def _ranked_in_fts(
        self, plan: _Plan, key: list[Any] | None, limit: int, candidates: list[int] | None
    ) -> list[tuple[Any, ...]] | None:
        """The best `limit` matches by (BM25, doc_id) after `key`, ranked inside FTS5 alone
        (no index_docs lookup per match: SQLite keeps the `TOP_K_MARGIN` best scores), then
        ordered by doc_id among equal scores. None when ties at the margin's edge make the
        order there uncertain: the caller then sorts with doc_ids."""
        params: list[Any] = [plan.text]
        after = ""
        if candidates is not None:
            if not candidates:
                return []
            # rowid + 0: a filter on each match, not a MATCH run per candidate rowid.
            after = " AND (rowid + 0) IN (SELECT value FROM json_each(?))"
            params.append(json.dumps(candidates))
        if key:
            after += f" AND {BM25} >= ?"
            params.append(key[0])
        wanted = limit + TOP_K_MARGIN
        best = self.conn.execute(
            f"SELECT rowid, {BM25} AS score FROM index_fts WHERE index_fts MATCH ?{after}"
            " ORDER BY score LIMIT ?",
            [*params, wanted],
        ).fetchall()
        if not best:
            return []
        marks = ",".join("?" * len(best))
        doc_ids = dict(
            self.conn.execute(
                f"SELECT rowid, doc_id FROM index_docs WHERE rowid IN ({marks})",
                [rowid for rowid, _ in best],
            ).fetchall()
        )
        rows = sorted(
            ((rowid, score, doc_ids[rowid]) for rowid, score in best), key=lambda r: r[1:]
        )
        if key:
            rows = [r for r in rows if r[1] > key[0] or (r[1] == key[0] and r[2] > key[1])]
        rows = rows[:limit]
        if len(best) == wanted and (len(rows) < limit or rows[-1][1] >= best[-1][1]):
            return None  # a match not fetched may tie with (or sort before) the last row
        return rows

    def _ordered_rows(
        self, plan: _Plan, sort: str, ranked: bool, key: list[Any] | None, limit: int
    ) -> list[tuple[Any, ...]]:
        """(rowid, sort key..., doc_id) of the first `limit` matches after `key`."""
        source, params = plan.source(joined=True)
        after: list[str] = []
        if sort == "date":
            select, order = "d.sort_date, d.doc_id", "d.sort_date DESC, d.doc_id"
            if key:
                after.append("(d.sort_date < ? OR (d.sort_date = ? AND d.doc_id > ?))")
                params += [key[0], key[0], key[1]]
        elif ranked:
            select, order = f"{BM25} AS score, d.doc_id", "score, d.doc_id"
            if key:
                after.append(f"({BM25} > ? OR ({BM25} = ? AND d.doc_id > ?))")
                params += [key[0], key[0], key[1]]
        else:
            select, order = "d.doc_id", "d.doc_id"
            if key:
                after.append("d.doc_id > ?")
                params += [key[-1]]
        if after:
            source += (" AND " if " WHERE " in source else " WHERE ") + " AND ".join(after)
        return self.conn.execute(
            f"SELECT d.rowid, {select} {source} ORDER BY {order} LIMIT ?", [*params, limit]
        ).fetchall()

    def _page(
        self,
        query: Query,
        ranked: bool,
        analysed: AnalysedExpr | None,
        plan: _Plan,
        fts_ranked: bool,
        candidates: list[int] | None,
    ) -> tuple[list[Hit], str | None]:
        """One page in the query's order after its cursor: the sort runs over (rowid, key)
        only (SQLite keeps just the top LIMIT rows), then the page's rows are read."""
        sort = query.resolved_sort
        key = decode_cursor(query.cursor, sort) if query.cursor else None
        rows = None
        if fts_ranked:
            rows = self._ranked_in_fts(plan, key, query.size + 1, candidates)
        if rows is None:
            rows = self._ordered_rows(plan, sort, ranked, key, query.size + 1)
        more = len(rows) > query.size
        rows = rows[: query.size]
        details = {}
        if rows:
            marks = ",".join("?" * len(rows))
            for rowid, *detail in self.conn.execute(
                f"SELECT rowid, kind, date, language, record FROM index_docs"
                f" WHERE rowid IN ({marks})",
                [r[0] for r in rows],
            ):
                details[rowid] = detail
        terms = positive_terms(analysed)
        hits = []
        for row in rows:
            doc_id = row[-1]
            kind, date, language, record_json = details[row[0]]
            record = self._record(doc_id, kind, record_json) or {"type": kind, "id": doc_id}
            texts = [record.get("title") or "", *(record.get("paragraphs") or [])]
            if kind == "event" and record.get("location"):
                texts.append(record["location"])
            hits.append(
                Hit(
                    id=doc_id,
                    kind=kind,
                    score=-row[1] if sort != "date" and ranked else None,
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
            if sort == "date" or ranked:
                next_cursor = encode_cursor(sort, [last[1], last[2]])
            else:
                next_cursor = encode_cursor(sort, [last[1]])
        return hits, next_cursor

    def _facets(
        self, query: Query, rows: list[tuple[int, str]]
    ) -> tuple[dict[str, list[FacetValue]], int]:
        """Count facet values over every match (Counter over each match's facets column);
        also returns the number of matches."""
        counts: Counter[str] = Counter()
        total = 0
        for _, facets in rows:
            total += 1
            if facets:
                counts.update(facets.split(FACET_ITEM_SEP))
        wanted = {FACET_CODES[name] for name in query.facets}
        grouped: dict[str, list[FacetValue]] = defaultdict(list)
        for item, count in counts.items():
            code, _, value = item.partition(FACET_FIELD_SEP)
            if code in wanted:
                grouped[FACET_NAMES[code]].append(FacetValue(value, count))
        facets = {
            name: sorted(grouped.get(name, []), key=lambda v: (-v.count, v.value))[
                : query.facet_size
            ]
            for name in query.facets
        }
        return facets, total


@register_backend("embedded")
def embedded_backend(settings: Settings, store: Store, analyzer: TextAnalyzer) -> IndexBackend:
    return EmbeddedIndex(store, analyzer)
