"""`SearchIndex`: what the rest of coopwatch calls — index articles and events as they are
stored, search with the query language, rebuild from the store, and keep a durable stale
marker (index/state.py) so a backend that is down never loses an update."""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from coopwatch.errors import IndexUnavailable
from coopwatch.records import Article, Event
from index.base import IndexBackend, SearchResult, backend_factory
from index.documents import IndexDoc, build_doc, event_from_record
from index.query import Query, TermExpander, analyse_expr, parse_query
from index.state import IndexState

if TYPE_CHECKING:
    from coopwatch.settings import Settings
    from coopwatch.store import Store
    from coopwatch.text_analysis import TextAnalyzer

log = logging.getLogger(__name__)

REBUILDING_KEY = "rebuilding_since"  # in index_meta while a rebuild runs


def build_batch(kind: str, rows: list[str], analyzer: TextAnalyzer) -> list[IndexDoc]:
    """Index documents from stored record JSON (`kind`: article or event)."""
    docs = []
    for text in rows:
        data = json.loads(text)
        if kind == "article":
            docs.append(build_doc(Article.from_record(data), analyzer))
        elif data.get("id"):
            docs.append(build_doc(event_from_record(data), analyzer))
    return docs


_worker_analyzer: TextAnalyzer | None = None  # set in the parent before forking workers


def _build_in_worker(kind: str, rows: list[str], with_records: bool) -> list[IndexDoc]:
    assert _worker_analyzer is not None
    docs = build_batch(kind, rows, _worker_analyzer)
    if kind == "article" and not with_records:
        for doc in docs:
            doc.source = None  # not pickled back to the writing process
    return docs


class SearchIndex:
    """One backend plus the store it mirrors. Build it with `open_index`."""

    # Worker processes only pay off (fork, pickling) for a rebuild of this many articles.
    parallel_min_docs = 5000

    def __init__(
        self,
        settings: Settings,
        store: Store,
        backend: IndexBackend,
        analyzer: TextAnalyzer,
        term_expander: TermExpander | None = None,
    ):
        self.settings = settings
        self.store = store
        self.backend = backend
        self.analyzer = analyzer
        self.term_expander = term_expander
        self.state: IndexState = getattr(backend, "state", None) or IndexState(store.conn)
        self._kept_events: list[dict[str, Any]] = []

    # -- keeping the index current ------------------------------------------------------------

    def _write(self, docs: list[IndexDoc], payloads: dict[str, dict[str, Any]]) -> bool:
        """Upsert `docs` and clear their stale marks; on a backend that is down, mark them."""
        ids = [d.id for d in docs]
        try:
            if getattr(self.backend, "shares_store_transaction", False):
                with self.state.transaction():
                    self.backend.upsert(docs)
                    self._settle(docs, payloads)
            else:
                self.backend.upsert(docs)
                self._settle(docs, payloads)
        except IndexUnavailable as exc:
            log.warning("index %s is behind (%d documents): %s", self.backend.name, len(ids), exc)
            for doc in docs:
                self.state.mark(doc.id, doc.kind, payloads.get(doc.id), str(exc))
            return False
        return True

    def _settle(self, docs: list[IndexDoc], payloads: dict[str, dict[str, Any]]) -> None:
        """Clear the marks of written docs, unless a rebuild (in any process) is filling a
        new index that this write missed: then the mark stays for the post-swap catch-up."""
        if self.state.get_meta(REBUILDING_KEY):
            for doc in docs:
                self.state.mark(doc.id, doc.kind, payloads.get(doc.id), "written during rebuild")
        else:
            self.state.clear([d.id for d in docs])

    def index_article(self, article: Article) -> bool:
        """Index (or re-index) a stored article. False when the backend is down: the article
        is then marked stale and `catch_up` indexes it later. Call after `Store.save`."""
        return self._write([build_doc(article, self.analyzer)], {})

    def index_event(self, event: Event) -> bool:
        """Index (or re-index) an event; same contract as `index_article`."""
        record = event.to_record()
        return self._write([build_doc(event, self.analyzer)], {event.id: record})

    def delete(self, doc_id: str, kind: str = "article") -> bool:
        try:
            self.backend.delete([doc_id])
            self.state.clear([doc_id])
        except IndexUnavailable as exc:
            self.state.mark(doc_id, kind, None, str(exc))
            return False
        return True

    def stale(self) -> int:
        """Documents whose index entry is behind the store (0: the index is current)."""
        return self.state.pending_count()

    def _has_events_table(self) -> bool:
        return bool(
            self.store.conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'"
            ).fetchone()
        )

    def _load(
        self, doc_id: str, kind: str, payload: dict[str, Any] | None
    ) -> Article | Event | None:
        """The current record behind a stale mark; None when the store no longer has it."""
        if kind == "article":
            return self.store.get_article(doc_id)
        if self._has_events_table():
            row = self.store.conn.execute(
                "SELECT record FROM events WHERE id = ?", (doc_id,)
            ).fetchone()
            if row:
                return event_from_record(json.loads(row[0]))
        return event_from_record(payload) if payload else None

    def catch_up(self, batch_size: int = 500) -> int:
        """Index everything marked stale, oldest state first; returns how many were indexed
        or deleted. Stops (keeping the marks) when the backend is still down."""
        done = 0
        after = ""
        while True:
            pending = self.state.pending(batch_size, after)
            if not pending:
                return done
            after = pending[-1].doc_id
            docs, gone = [], []
            for item in pending:
                try:
                    record = self._load(item.doc_id, item.kind, item.payload)
                    if record is None:
                        gone.append(item)
                    else:
                        docs.append((item, build_doc(record, self.analyzer)))
                except (TypeError, KeyError, ValueError) as exc:  # an unreadable record
                    log.warning("cannot index %s %s: %s", item.kind, item.doc_id, exc)
                    self.state.mark(item.doc_id, item.kind, item.payload, f"unreadable: {exc}")
            try:
                if gone:
                    self.backend.delete([i.doc_id for i in gone])
                if docs:
                    self.backend.upsert([d for _, d in docs])
            except IndexUnavailable as exc:
                log.warning("catch-up stopped, index %s still down: %s", self.backend.name, exc)
                return done
            with self.state.transaction():
                for item in [*gone, *(i for i, _ in docs)]:
                    self.state.clear([item.doc_id], before=item.since)
            done += len(pending)

    def _stored_rows(self, table: str, page: int) -> Iterator[list[str]]:
        """Record JSON of every row of `table` (articles, events), a page at a time with no
        cursor left open in between: an open read would pin the snapshot and fail this
        connection's next write once another process (ingest) has written."""
        last = 0
        while True:
            rows = self.store.conn.execute(
                f"SELECT rowid, record FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT ?",
                (last, page),
            ).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield [record for _, record in rows]

    def _raw_batches(self, batch_size: int) -> Iterator[tuple[str, list[str]]]:
        tables = ["articles", "events"] if self._has_events_table() else ["articles"]
        for table in tables:
            for rows in self._stored_rows(table, batch_size):
                yield ("article" if table == "articles" else "event"), rows

    def _workers(self, batch_size: int) -> int:
        """Analysis processes for a rebuild: 1 (in this process) for small stores."""
        workers = self.settings.index.workers or os.cpu_count() or 1
        if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            return 1
        last = self.store.conn.execute("SELECT max(rowid) FROM articles").fetchone()[0]
        return workers if (last or 0) >= self.parallel_min_docs else 1

    def _store_docs(self, batch_size: int) -> Iterator[list[IndexDoc]]:
        """Index documents of every stored record, in batches. Analysis (most of the CPU of
        a rebuild) runs in worker processes when there are several cores; this process
        reads the store and writes the index, keeping a few batches in flight."""
        workers = self._workers(batch_size)
        if workers == 1:
            for kind, rows in self._raw_batches(batch_size):
                yield build_batch(kind, rows, self.analyzer)
        else:
            # fork: workers inherit the analyzer (and its warm caches) without pickling it.
            global _worker_analyzer
            _worker_analyzer = self.analyzer
            context = multiprocessing.get_context("fork")
            with context.Pool(workers) as pool:
                in_flight: deque[Any] = deque()
                for kind, rows in self._raw_batches(batch_size):
                    task = (kind, rows, self.backend.needs_article_records)
                    in_flight.append(pool.apply_async(_build_in_worker, task))
                    if len(in_flight) > 2 * workers:
                        yield in_flight.popleft().get()
                while in_flight:
                    yield in_flight.popleft().get()
        if self._kept_events:
            yield [build_doc(event_from_record(r), self.analyzer) for r in self._kept_events]

    def reindex(self, batch_size: int | None = None) -> int:
        """Rebuild the whole index from the store; marks older than the rebuild are cleared.

        While the store has no events table, events are carried over from the current index
        and from pending marks (their payloads) so a rebuild never drops them."""
        started = self.state.now()
        self._kept_events = []
        if not self._has_events_table():
            kept = {r["id"]: r for r in self.backend.event_records()}
            for item in self.state.pending(limit=10_000_000):
                if item.kind == "event" and item.payload:
                    kept[item.doc_id] = item.payload
            self._kept_events = list(kept.values())
        with self.state.transaction():
            self.state.set_meta(REBUILDING_KEY, started)
        try:
            count = self.backend.rebuild(
                self._store_docs(batch_size or self.settings.index.bulk_size)
            )
        finally:
            with self.state.transaction():
                self.state.delete_meta(REBUILDING_KEY)
        self.state.clear_all(before=started)
        self.catch_up()  # what changed while the rebuild ran
        return count

    # -- reading ------------------------------------------------------------------------------

    def parse(self, text: str, **fields: Any) -> Query:
        """A Query from query-language `text` plus explicit fields (CLI flags, API params)."""
        base = Query(size=self.settings.index.page_size, facet_size=self.settings.index.facet_size)
        for name, value in fields.items():
            if value is not None:
                setattr(base, name, value)
        return parse_query(text, base)

    def search(self, query: Query | str) -> SearchResult:
        if isinstance(query, str):
            query = self.parse(query)
        languages = query.languages or list(self.settings.nlp.languages)
        analysed = analyse_expr(query.text, self.analyzer, languages, self.term_expander)
        result = self.backend.search(query, analysed)
        result.stale = self.stale()
        return result

    def get(self, doc_id: str) -> dict[str, Any] | None:
        return self.backend.get(doc_id)

    def count(self) -> int:
        return self.backend.count()

    def close(self) -> None:
        self.backend.close()


def open_index(
    settings: Settings,
    store: Store,
    analyzer: TextAnalyzer | None = None,
    term_expander: TermExpander | None = None,
    backend: str | None = None,
) -> SearchIndex:
    """The index named by `settings.index.backend` (or `backend`) over `store`.

    Queries expand person names through the actor registry's variants (index/expansion.py)
    unless another `term_expander` is given.

    Never contacts a remote cluster here: an Elasticsearch that is down shows up as
    IndexUnavailable on search, and as stale marks (not errors) on indexing.
    """
    from coopwatch.text_analysis import analyzer_from_settings
    from index.expansion import registry_expander

    analyzer = analyzer or analyzer_from_settings(settings)
    if term_expander is None:
        term_expander = registry_expander(store.conn)  # None while there is no registry
    factory = backend_factory(backend or settings.index.backend)
    return SearchIndex(settings, store, factory(settings, store, analyzer), analyzer, term_expander)
