"""The tantivy backend: an embedded Lucene-like index (tantivy, a Rust library) in
`<data_dir>/index-tantivy/`, over the same analysed terms as the other backends.

Why: SQLite FTS5 computes BM25 for every match of a query (258 ms p95 at 1M documents);
tantivy ranks with block-max WAND and keeps only the top hits, in-process, no server.

Layout: `index-tantivy/CURRENT` names the live generation directory (`g-<timestamp>`);
`rebuild` fills a new one and replaces CURRENT atomically, so searches see the old index
until the new one is complete. Each generation holds `coopwatch.json` (schema version and
analyzer it was built with).

Consistency with the store of record follows the Elasticsearch backend: index/state.py's
triggers mark every stored change pending in the store's own transaction, `SearchIndex`
clears the marks once `upsert` committed; a busy writer lock (another process writing) or
any tantivy error is IndexUnavailable, so the marks stay and `catch_up` retries later.
"""

from __future__ import annotations

import bisect
import contextlib
import fcntl
import heapq
import itertools
import json
import os
import re
import shutil
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tantivy

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

DIR_NAME = "index-tantivy"
POINTER = "CURRENT"
META_FILE = "coopwatch.json"
SCHEMA_VERSION = 2  # 2: id_hi/id_lo order keys
# Text fields and their boosts (as the other backends: a title match counts three times).
TEXT_FIELDS = (("title", 3.0), ("body", 1.0), ("names", 1.0))
# Facets are multi-valued raw-string fast fields of the same names (terms aggregations).
FACET_FIELDS = ("countries", "pairs", "actors", "projects", "event_types", "languages", "months")
# Writers are taken per batch and released, so serve and an import can both write.
WRITER_HEAP = 32_000_000
REBUILD_HEAP = 200_000_000
WRITER_WAIT = 1.0  # seconds a busy writer lock is retried before the docs stay pending
# Keyset pages are cut from tantivy's top-k: fetch this many beyond a page, then more when
# ties at the edge of what was fetched make the order there uncertain.
TOP_K_MARGIN = 32
FACET_BUCKETS = 100_000
# `since` of the marks set when the index directory is missing: older than any rebuild, so
# a running `reindex` (which reads the whole store) clears them.
MISSING_SINCE = (
    "0000-00-00 00:00:00.000"  # every value counted, then ordered and cut like the other backends
)
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw", fast=True, index_option="basic")
    # The id's order as two numbers (see id_order_key): ties in score are ordered by id from
    # these columns instead of reading every tied document.
    builder.add_unsigned_field("id_hi", fast=True)
    builder.add_unsigned_field("id_lo", fast=True)
    builder.add_text_field("kind", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("language", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("date", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("site", tokenizer_name="raw", index_option="basic")
    builder.add_unsigned_field("relevant", indexed=True)
    builder.add_unsigned_field("day", indexed=True, fast=True)  # date filters
    builder.add_text_field("date_order", tokenizer_name="raw", fast=True, index_option="basic")
    for name in FACET_FIELDS:
        builder.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    # Already analysed terms: split on spaces only (no second stemming), positions for
    # phrases.
    for name, _ in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name="whitespace", index_option="position")
    builder.add_bytes_field("record", stored=True, indexed=False, fast=False)  # events only
    return builder.build()


SCHEMA = build_schema()


def day_number(date: str | None) -> int:
    """YYYY[-MM[-DD]] as YYYYMMDD (missing parts 0): ordered as the date strings are; 0 for
    undated documents."""
    match = _DATE.fullmatch(date or "")
    if not match:
        return 0
    year, month, day = match.groups()
    return int(year) * 10_000 + int(month or 0) * 100 + int(day or 0)


_DIGITS_DOWN = str.maketrans("0123456789", "9876543210")


def date_order(sort_date: str, doc_id: str) -> str:
    """One string whose ascending order is (sort_date descending, id ascending), undated
    last: the date's digits mirrored, then '~' (above digits and '-': a shorter date sorts
    after its longer forms, as it does descending), then the id."""
    return sort_date.translate(_DIGITS_DOWN) + "~" + doc_id


def id_order_key(doc_id: str) -> tuple[int, int]:
    """Numbers ordered as the ids are (UTF-8 bytes, i.e. code points): the first 8 bytes, then
    the next 7 and a last byte that is 1 when the id is longer than 15 bytes (then two ids
    with the same key are told apart by reading them). Ids never contain NUL, so the zero
    padding orders a shorter id first, as string comparison does."""
    raw = doc_id.encode("utf-8")
    high = int.from_bytes(raw[:8].ljust(8, b"\0"), "big")
    low = int.from_bytes(raw[8:15].ljust(7, b"\0"), "big") << 8 | (len(raw) > 15)
    return high, low


def tantivy_doc(doc: IndexDoc) -> tantivy.Document:
    high, low = id_order_key(doc.id)
    fields: dict[str, Any] = {
        "id": doc.id,
        "id_hi": high,
        "id_lo": low,
        "kind": doc.kind,
        "relevant": int(doc.relevant),
        "day": day_number(doc.date),
        "date_order": date_order(doc.sort_date, doc.id),
        "title": doc.title_terms,
        "body": doc.body_terms,
        "names": doc.names_terms,
    }
    for name, value in (("language", doc.language), ("date", doc.date), ("site", doc.site)):
        if value:
            fields[name] = value
    for name, values in doc.facet_values().items():
        if values:
            fields[name] = values
    if doc.kind == "event":
        fields["record"] = json.dumps(doc.record, ensure_ascii=False).encode()
    return tantivy.Document.from_dict(fields, SCHEMA)


# -- queries ---------------------------------------------------------------------------------

Occur = tantivy.Occur
TQuery = tantivy.Query


def _bool(clauses: list[tuple[Any, tantivy.Query]]) -> tantivy.Query:
    """The clauses as one query (a lone required clause as itself)."""
    if len(clauses) == 1 and clauses[0][0] == Occur.Must:
        return clauses[0][1]
    return TQuery.boolean_query(clauses)


def text_query(expr: AnalysedExpr) -> tantivy.Query:
    """The scored query of an analysed expression with a positive part (as es_text_query)."""
    if isinstance(expr, Terms):
        should = []
        for alternative in expr.alternatives:
            for field, boost in TEXT_FIELDS:
                if len(alternative) == 1:
                    query = TQuery.term_query(SCHEMA, field, alternative[0], index_option="freq")
                else:
                    query = TQuery.phrase_query(SCHEMA, field, list(alternative))
                should.append(
                    (Occur.Should, TQuery.boost_query(query, boost) if boost != 1 else query)
                )
        return TQuery.boolean_query(should)
    if isinstance(expr, AOr):
        return TQuery.boolean_query([(Occur.Should, text_query(c)) for c in expr.children])
    if isinstance(expr, AAnd):
        return TQuery.boolean_query(
            [(Occur.Must, text_query(c)) for c in expr.children if not isinstance(c, ANot)]
            + [(Occur.MustNot, text_query(c.child)) for c in expr.children if isinstance(c, ANot)]
        )
    raise ValueError("a NOT alone is a filter, not a scored query")


def filter_queries(query: Query) -> list[tantivy.Query]:
    """One query per filter, all to be matched (scored 0: filters never rank)."""
    filters: list[tantivy.Query] = []
    if query.relevant_only:
        filters.append(TQuery.term_query(SCHEMA, "relevant", 1))
    for field, values in (
        ("kind", query.kinds),
        ("event_types", query.event_types),
        ("site", query.sites),
        ("languages", query.languages),
        ("countries", query.countries_any),
    ):
        if values:
            filters.append(TQuery.term_set_query(SCHEMA, field, list(values)))
    for field, values in (
        ("countries", query.countries_all),
        ("actors", query.actors),
        ("projects", query.projects),
    ):
        filters.extend(TQuery.term_query(SCHEMA, field, value) for value in values)
    if query.date_from or query.date_to:
        # Undated documents (day 0) never match a date filter.
        low = max(day_number(query.date_from), 1)
        high = day_number(query.date_to) if query.date_to else None
        filters.append(TQuery.range_query(SCHEMA, "day", tantivy.FieldType.Unsigned, low, high))
    return [TQuery.const_score_query(f, 0.0) for f in filters]


@dataclass(slots=True)
class _Plan:
    """The tantivy query of a search and how its hits are ordered."""

    query: tantivy.Query
    ranked: bool  # BM25 order (else date or id order)


def plan_query(query: Query, analysed: AnalysedExpr | None) -> _Plan:
    clauses: list[tuple[Any, tantivy.Query]] = []
    ranked = analysed is not None and not is_negative_only(analysed)
    if ranked:
        clauses.append((Occur.Must, text_query(analysed)))
    elif analysed is not None:
        clauses += [(Occur.MustNot, text_query(n)) for n in excluded(analysed)]
    clauses += [(Occur.Must, f) for f in filter_queries(query)]
    if not any(occur == Occur.Must for occur, _ in clauses):
        clauses.insert(0, (Occur.Must, TQuery.all_query()))
    return _Plan(_bool(clauses), ranked)


# -- the index directory ---------------------------------------------------------------------


@dataclass(slots=True)
class _Open:
    """One process's handle on a generation: the Index and the meta.json it last read."""

    generation: str
    index: tantivy.Index
    stamp: tuple[int, int, int]
    built: dict[str, Any]


# Per index root (the API opens the index per request: the Index object is reused, its
# searcher reloaded only when meta.json changed, i.e. some process committed).
_OPEN: dict[Path, _Open] = {}
_OPEN_LOCK = threading.Lock()
# One writer per directory across processes (tantivy's lock); threads of this process
# queue here instead of failing on it.
_WRITE_LOCKS: dict[Path, threading.Lock] = {}


def _stamp(path: Path) -> tuple[int, int, int]:
    st = (path / "meta.json").stat()
    return st.st_mtime_ns, st.st_size, st.st_ino


def _read_pointer(root: Path) -> str | None:
    try:
        name = (root / POINTER).read_text().strip()
    except FileNotFoundError:
        return None
    return name if name and (root / name / "meta.json").exists() else None


def _write_pointer(root: Path, generation: str) -> None:
    tmp = root / f".{POINTER}.{os.getpid()}.tmp"
    tmp.write_text(generation + "\n")
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, root / POINTER)  # atomic: readers see the old name or the new one
    dir_fd = os.open(root, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _new_generation(root: Path) -> str:
    return "g-" + datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")


@contextlib.contextmanager
def _file_lock(root: Path) -> Iterator[None]:
    """Serialises creating and switching generations across processes."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class TantivyIndex(IndexBackend):
    """A tantivy index in `<data_dir>/index-tantivy`; articles' records are read from the
    store (as the embedded index does), events' records are stored in the index."""

    name = "tantivy"
    shares_store_transaction = False
    needs_article_records = False

    def __init__(
        self, root: Path, store: Store, analyzer: TextAnalyzer, state: IndexState | None = None
    ):
        self.root = Path(os.path.abspath(root))  # no symlink lookups: opened per request
        self.store = store
        self.analyzer = analyzer
        self.state = state or IndexState(store.conn)

    # -- plumbing ----------------------------------------------------------------------------

    def _handle(self, create: bool = True) -> _Open | None:
        """The live generation, reloaded if another process (or thread) committed; created
        empty (every stored record marked pending) when there is none."""
        while True:
            generation = _read_pointer(self.root)
            if generation is None:
                if not create:
                    return None
                generation = self._create()
            path = self.root / generation
            try:
                return self._open(generation, path)
            except (OSError, ValueError) as exc:
                if _read_pointer(self.root) in (generation, None):
                    raise IndexUnavailable(f"tantivy index {path} cannot be opened: {exc}") from exc
                # else a rebuild switched and removed this generation since CURRENT was read

    def _open(self, generation: str, path: Path) -> _Open:
        with _OPEN_LOCK:
            handle = _OPEN.get(self.root)
            if handle is None or handle.generation != generation:
                index = tantivy.Index.open(str(path))
                try:
                    built = json.loads((path / META_FILE).read_text())
                except FileNotFoundError:
                    built = {}
                handle = _Open(generation, index, _stamp(path), built)
                _OPEN[self.root] = handle
            else:
                stamp = _stamp(path)
                if stamp != handle.stamp:
                    handle.index.reload()
                    handle.stamp = stamp
        return handle

    def _create(self) -> str:
        """A new empty generation as the live one. Stored records are marked pending first
        (a deleted index directory: catch-up or reindex fills it again)."""
        with _file_lock(self.root):
            generation = _read_pointer(self.root)
            if generation is not None:
                return generation  # another process created it meanwhile
            self._mark_store_pending()
            generation = _new_generation(self.root)
            self._init_generation(self.root / generation)
            _write_pointer(self.root, generation)
            return generation

    def _init_generation(self, path: Path) -> tantivy.Index:
        path.mkdir(parents=True)
        index = tantivy.Index(SCHEMA, path=str(path), reuse=False)
        built = {"schema": SCHEMA_VERSION, "analyzer": self.analyzer.name}
        (path / META_FILE).write_text(json.dumps(built))
        return index

    def _mark_store_pending(self) -> None:
        conn = self.store.conn
        with self.state.transaction():
            for table, kind in (("articles", "article"), ("events", "event")):
                exists = conn.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
                ).fetchone()
                if exists:
                    conn.execute(
                        "INSERT OR IGNORE INTO index_pending (doc_id, kind, payload, since)"
                        f" SELECT id, '{kind}', NULL, '{MISSING_SINCE}' FROM {table}"
                    )

    def _mismatch(self, handle: _Open) -> str | None:
        built = handle.built
        if built.get("schema") != SCHEMA_VERSION or built.get("analyzer") != self.analyzer.name:
            return (
                f"the tantivy index was built with {built or 'unknown settings'}, this coopwatch"
                f" needs schema {SCHEMA_VERSION} and analyzer {self.analyzer.name!r}:"
                " run `coopwatch reindex`"
            )
        return None

    def _searcher(self) -> tuple[_Open, tantivy.Searcher]:
        handle = self._handle()
        assert handle is not None
        problem = self._mismatch(handle)
        if problem:
            raise SearchIndexError(problem)
        return handle, handle.index.searcher()

    @contextlib.contextmanager
    def _writer(self) -> Iterator[tantivy.IndexWriter]:
        """A writer on the live generation for one batch, committed and released after it.
        Busy (another process writes) beyond WRITER_WAIT, or any tantivy failure, is
        IndexUnavailable: the caller keeps the documents pending."""
        handle = self._handle()
        assert handle is not None
        problem = self._mismatch(handle)
        if problem:
            raise IndexUnavailable(problem)
        lock = _WRITE_LOCKS.setdefault(self.root, threading.Lock())
        if not lock.acquire(timeout=30):
            raise IndexUnavailable("tantivy writer busy in this process")
        try:
            deadline = time.monotonic() + WRITER_WAIT
            while True:
                try:
                    writer = handle.index.writer(WRITER_HEAP, 1)
                    break
                except ValueError as exc:
                    if "LockBusy" not in str(exc) or time.monotonic() > deadline:
                        raise IndexUnavailable(f"tantivy index is locked: {exc}") from exc
                    time.sleep(0.05)
            try:
                yield writer
                writer.commit()
            except ValueError as exc:
                with contextlib.suppress(ValueError):
                    writer.rollback()
                raise IndexUnavailable(f"tantivy write failed: {exc}") from exc
            finally:
                writer.wait_merging_threads()
            # A rebuild may have switched generations while this wrote the old one: report
            # it as down so the marks stay and catch-up writes the new one.
            if _read_pointer(self.root) != handle.generation:
                raise IndexUnavailable("tantivy index was rebuilt during the write")
            handle.index.reload()
        finally:
            lock.release()

    # -- writes ------------------------------------------------------------------------------

    def upsert(self, docs: list[IndexDoc]) -> None:
        with self._writer() as writer:
            for doc in docs:
                writer.delete_documents_by_term("id", doc.id)
                writer.add_document(tantivy_doc(doc))

    def delete(self, doc_ids: list[str]) -> None:
        with self._writer() as writer:
            for doc_id in doc_ids:
                writer.delete_documents_by_term("id", doc_id)

    def rebuild(self, docs: Iterable[list[IndexDoc]]) -> int:
        """Fill a new generation, then name it in CURRENT (atomic) and remove the others."""
        self.root.mkdir(parents=True, exist_ok=True)
        generation = _new_generation(self.root)
        path = self.root / generation
        count = 0
        try:
            index = self._init_generation(path)
            writer = index.writer(REBUILD_HEAP, 1)
            try:
                for batch in docs:
                    for doc in batch:
                        writer.add_document(tantivy_doc(doc))
                    count += len(batch)
                writer.commit()
            finally:
                writer.wait_merging_threads()
        except BaseException:
            shutil.rmtree(path, ignore_errors=True)
            raise
        with _file_lock(self.root):
            _write_pointer(self.root, generation)
            for old in self.root.glob("g-*"):
                if old.name != generation:
                    shutil.rmtree(old, ignore_errors=True)
        return count

    # -- reads -------------------------------------------------------------------------------

    def count(self) -> int:
        return self._searcher()[1].num_docs

    def _find(self, searcher: tantivy.Searcher, doc_id: str) -> tantivy.Document | None:
        hits = searcher.search(TQuery.term_query(SCHEMA, "id", doc_id), 1, count=False).hits
        return searcher.doc(hits[0][1]) if hits else None

    def _record(self, doc: tantivy.Document) -> dict[str, Any] | None:
        if doc.get_first("kind") == "event":
            raw = doc.get_first("record")
            return json.loads(raw) if raw else None
        row = self.store.conn.execute(
            "SELECT record FROM articles WHERE id = ?", (doc.get_first("id"),)
        ).fetchone()
        return json.loads(row[0]) if row else None

    def get(self, doc_id: str) -> dict[str, Any] | None:
        _, searcher = self._searcher()
        doc = self._find(searcher, doc_id)
        return self._record(doc) if doc is not None else None

    def event_records(self) -> Iterator[dict[str, Any]]:
        if self._handle(create=False) is None:
            return  # no index (yet): nothing to carry over
        _, searcher = self._searcher()
        query = TQuery.term_query(SCHEMA, "kind", "event")
        total = searcher.search(query, 1, count=True).count
        if total:
            for _, address in searcher.search(query, total, count=False).hits:
                raw = searcher.doc(address).get_first("record")
                if raw:
                    yield json.loads(raw)

    def search(self, query: Query, analysed: AnalysedExpr | None) -> SearchResult:
        _, searcher = self._searcher()
        plan = plan_query(query, analysed)
        sort = query.resolved_sort
        key = decode_cursor(query.cursor, sort) if query.cursor else None
        docs: dict[tuple[int, int], tantivy.Document] = {}
        try:
            if sort == "date":
                rows, total = self._by_date(searcher, plan.query, key, query.size + 1)
            elif plan.ranked:
                rows, total = self._by_score(searcher, plan.query, key, query.size + 1, docs)
            else:
                rows, total = self._by_id(searcher, plan.query, key, query.size + 1)
            facets = self._facets(searcher, plan.query, query) if query.facets else {}
        except ValueError as exc:
            raise SearchIndexError(f"tantivy search failed: {exc}") from exc
        more = len(rows) > query.size
        rows = rows[: query.size]
        terms = positive_terms(analysed)
        hits = []
        for row in rows:
            doc = docs.get(_addr(row.address)) or searcher.doc(row.address)
            doc_id, kind = doc.get_first("id"), doc.get_first("kind")
            language = doc.get_first("language")
            record = self._record(doc) or {"type": kind, "id": doc_id}
            texts = [record.get("title") or "", *(record.get("paragraphs") or [])]
            if kind == "event" and record.get("location"):
                texts.append(record["location"])
            hits.append(
                Hit(
                    id=doc_id,
                    kind=kind,
                    score=row.score if sort != "date" and plan.ranked else None,
                    title=record.get("title"),
                    date=doc.get_first("date"),
                    language=language,
                    highlights=highlight(texts, language, terms, self.analyzer),
                    record=record,
                )
            )
            row.doc_id = doc_id
        next_cursor = None
        if more and rows:
            last = rows[-1]
            if sort == "date":
                next_cursor = encode_cursor(sort, [hits[-1].date or "", last.doc_id])
            elif plan.ranked:
                next_cursor = encode_cursor(sort, [last.score, last.doc_id])
            else:
                next_cursor = encode_cursor(sort, [last.doc_id])
        return SearchResult(hits=hits, total=total, facets=facets, next_cursor=next_cursor)

    # -- keyset pages from tantivy's top-k -------------------------------------------------------

    def _by_date(
        self, searcher: tantivy.Searcher, query: tantivy.Query, key: list[Any] | None, want: int
    ) -> tuple[list[_Row], int]:
        """(date desc, id asc) after `key`: tantivy orders by the date_order fast field;
        documents of later days are excluded by a range on `day`, those of the key's own
        day up to the key by comparing date_order strings."""
        after, total = None, None
        if key:
            # The whole query's count; the searches below see only what is after the key.
            total = searcher.search(query, 1, count=True).count
            after = date_order(key[0], key[1])
            day = day_number(key[0])
            query = TQuery.boolean_query(
                [
                    (Occur.Must, query),
                    (
                        Occur.Must,
                        TQuery.range_query(SCHEMA, "day", tantivy.FieldType.Unsigned, None, day),
                    ),
                ]
            )
        rows, count = self._ordered_by_field(searcher, query, "date_order", after, want)
        return rows, count if total is None else total

    def _by_id(
        self, searcher: tantivy.Searcher, query: tantivy.Query, key: list[Any] | None, want: int
    ) -> tuple[list[_Row], int]:
        return self._ordered_by_field(searcher, query, "id", key[-1] if key else None, want)

    def _ordered_by_field(
        self,
        searcher: tantivy.Searcher,
        query: tantivy.Query,
        field: str,
        after: str | None,
        want: int,
    ) -> tuple[list[_Row], int]:
        """The first `want` hits in ascending `field` (unique per document) past `after`,
        and the number of matches. Text fast fields have no range query: hits up to `after`
        are fetched and skipped."""
        limit, total = want + TOP_K_MARGIN, None
        while True:
            result = searcher.search(
                query, limit, count=total is None, order_by_field=field, order=tantivy.Order.Asc
            )
            total = result.count if total is None else total
            hits = result.hits
            rows = [
                _Row(address, None) for value, address in hits if after is None or value > after
            ]
            if len(rows) >= want or len(hits) < limit:
                return rows[:want], total
            limit *= 4

    def _by_score(
        self,
        searcher: tantivy.Searcher,
        query: tantivy.Query,
        key: list[Any] | None,
        want: int,
        docs: dict[tuple[int, int], tantivy.Document],
    ) -> tuple[list[_Row], int]:
        """(score desc, id asc) after `key`. tantivy returns the top `limit` by score, equal
        scores together in its own order: runs of equal scores above the last one fetched
        are complete, and are put in id order here; fetch more while they do not fill a
        page past the key."""
        limit, total = want + TOP_K_MARGIN, None
        hits: list[tuple[float, Any]] = []
        while True:
            # Only the hits not fetched yet cross into Python (the same searcher gives the
            # same order every time).
            result = searcher.search(
                query, limit - len(hits), count=total is None, offset=len(hits)
            )
            first = total is None
            total = result.count if total is None else total
            hits += result.hits
            complete = len(hits) < limit
            top = hits[0][0] if hits else None
            if first and not complete and top == hits[-1][0] and (key is None or key[0] == top):
                # The page lies inside a run of equal scores longer than what was fetched.
                after = key[1] if key else None
                rows = self._top_run_by_id(searcher, query, hits, after, want, total, docs)
                if rows is not None:
                    return rows, total
            if complete or hits[0][0] != hits[-1][0]:
                rows = self._runs_in_id_order(searcher, hits, complete, key, want, docs)
                if len(rows) >= want or complete:
                    return rows[:want], total
            # Equal scores are common (BM25 field lengths are quantised): one run can hold
            # thousands of matches. Each search scans every match, so grow fast, and take all
            # of them once that is not much more.
            limit = total + 1 if limit * 32 > total else limit * 16

    def _top_run_by_id(
        self,
        searcher: tantivy.Searcher,
        query: tantivy.Query,
        fetched: list[tuple[float, Any]],
        after: str | None,
        want: int,
        total: int,
        docs: dict[tuple[int, int], tantivy.Document],
    ) -> list[_Row] | None:
        """The first `want` documents of the top run of equal scores (`fetched` are all in
        it), in id order after `after`, without fetching the whole run: matches are taken in
        the order of their ids' first 8 bytes (id_hi) and scored until `want` of the run are
        among them. Stored ids are hashes, so those bytes tell thousands of documents apart.
        None when they do not (ids with a long shared prefix), when the run ends before
        `want`, or when it is a small part of the matches: the caller then fetches the run."""
        score = fetched[0][0]
        if len(set(searcher.fast_field_values("id_hi", [a for _, a in fetched]))) == 1:
            return None  # the ids' first 8 bytes are all the same: no use ordering by them
        if after is not None:
            query = _and(query, _id_hi_range(low=id_order_key(after)[0]))
        fetch = 4 * want
        while True:
            ordered = searcher.search(
                query, fetch, count=False, order_by_field="id_hi", order=tantivy.Order.Asc
            ).hits
            edge = ordered[-1][0] if len(ordered) == fetch else None
            # Matches sharing the edge's id_hi may be left out: those below it are all here.
            below = sum(1 for value, _ in ordered if edge is None or value < edge)
            if not below:
                return None
            scope = query if edge is None else _and(query, _id_hi_range(below=edge))
            run = [
                address
                for value, address in searcher.search(scope, below, count=False).hits
                if value == score
            ]
            rows = self._in_id_order(searcher, run, after, want, docs)
            if len(rows) >= want:
                return [_Row(address, score) for address in rows]
            if edge is None or fetch * 8 >= total:
                return None
            fetch *= 8

    def _runs_in_id_order(
        self,
        searcher: tantivy.Searcher,
        hits: list[tuple[float, Any]],
        complete: bool,
        key: list[Any] | None,
        want: int,
        docs: dict[tuple[int, int], tantivy.Document],
    ) -> list[_Row]:
        """Rows from the runs of equal scores in `hits` (score order) that are complete — all
        when `complete`, else those above the last score — each run in id order, past `key`."""
        rows: list[_Row] = []
        edge = None if complete else hits[-1][0]
        start = 0
        while start < len(hits) and len(rows) < want:
            score = hits[start][0]
            if edge is not None and score <= edge:
                break
            end = bisect.bisect_right(hits, -score, lo=start, key=_minus_score)
            if key is None or score <= key[0]:
                run = [address for _, address in hits[start:end]]
                after = key[1] if key is not None and score == key[0] else None
                if len(run) > 1 or after is not None:
                    run = self._in_id_order(searcher, run, after, want - len(rows), docs)
                rows += [_Row(address, score) for address in run[: want - len(rows)]]
            start = end
        return rows

    def _in_id_order(
        self,
        searcher: tantivy.Searcher,
        addresses: list[Any],
        after: str | None,
        limit: int,
        docs: dict[tuple[int, int], tantivy.Document],
    ) -> list[Any]:
        """The first `limit` of `addresses` in id order with ids after `after` (when given),
        from the id order columns; stored ids are read only for long ids whose columns are
        equal (the same first 15 bytes)."""
        keys = list(
            zip(
                searcher.fast_field_values("id_hi", addresses),
                searcher.fast_field_values("id_lo", addresses),
                strict=True,
            )
        )

        def stored(i: int) -> str:
            return self._stored_id(searcher, addresses[i], docs)

        candidates: Iterable[int] = range(len(keys))
        if after is not None:
            after_key = id_order_key(after)
            # Long ids with the cursor's key are after it if their stored ids are.
            candidates = [
                i
                for i in candidates
                if keys[i] > after_key
                or (keys[i] == after_key and after_key[1] & 1 and stored(i) > after)
            ]
        # A page is a few dozen of a run that can hold thousands: select, do not sort them all.
        order = heapq.nsmallest(limit + 1, candidates, key=keys.__getitem__)
        if any(keys[a] == keys[b] for a, b in itertools.pairwise(order)):
            # Rare: long ids with the same first 15 bytes, ordered by their stored ids.
            counts = Counter(keys[i] for i in candidates)
            order = sorted(
                candidates, key=lambda i: (keys[i], stored(i) if counts[keys[i]] > 1 else "")
            )
        return [addresses[i] for i in order[:limit]]

    @staticmethod
    def _stored_id(
        searcher: tantivy.Searcher, address: Any, docs: dict[tuple[int, int], tantivy.Document]
    ) -> str:
        doc = docs.get(_addr(address)) or searcher.doc(address)
        docs[_addr(address)] = doc
        return doc.get_first("id")

    def _facets(
        self, searcher: tantivy.Searcher, query: tantivy.Query, wanted: Query
    ) -> dict[str, list[FacetValue]]:
        """Terms aggregations over every match; ordered by count then value and cut here (a
        cut in tantivy would break ties at the cut differently from the other backends)."""
        spec = {
            name: {"terms": {"field": name, "size": FACET_BUCKETS, "segment_size": FACET_BUCKETS}}
            for name in wanted.facets
        }
        result = searcher.aggregate(query, spec)
        facets = {}
        for name in wanted.facets:
            values = [
                FacetValue(str(b["key"]), int(b["doc_count"]))
                for b in result.get(name, {}).get("buckets", [])
            ]
            facets[name] = sorted(values, key=lambda v: (-v.count, v.value))[: wanted.facet_size]
        return facets


def _and(query: tantivy.Query, condition: tantivy.Query) -> tantivy.Query:
    """`query` where `condition` holds too, with the same scores (the condition adds 0)."""
    return TQuery.boolean_query(
        [(Occur.Must, query), (Occur.Must, TQuery.const_score_query(condition, 0.0))]
    )


def _id_hi_range(low: int | None = None, below: int | None = None) -> tantivy.Query:
    """Documents whose id_hi is at least `low` / less than `below`."""
    return TQuery.range_query(
        SCHEMA, "id_hi", tantivy.FieldType.Unsigned, low, below, include_upper=below is None
    )


def _minus_score(hit: tuple[float, Any]) -> float:
    return -hit[0]


def _addr(address: Any) -> tuple[int, int]:
    return address.segment_ord, address.doc


@dataclass(slots=True)
class _Row:
    """One hit of a page before its document is read."""

    address: Any  # tantivy.DocAddress
    score: float | None
    doc_id: str | None = None


def index_root(settings: Settings) -> Path:
    return Path(settings.data_dir) / DIR_NAME


@register_backend("tantivy")
def tantivy_backend(settings: Settings, store: Store, analyzer: TextAnalyzer) -> IndexBackend:
    return TantivyIndex(index_root(settings), store, analyzer)
