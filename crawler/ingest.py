"""Where crawled pages are analysed and stored: `coopwatch.importer.ingest_page`, the path of
`coopwatch import`, run either in the crawl process or in worker processes beside it.

Analysis is CPU-bound Python; in worker processes it runs on the other core while the crawl
process downloads, parses and writes WARCs. Each worker has its own Store connection (SQLite
WAL serialises the writes) and its own PageAnalyser, built once.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from coopwatch.importer import ImportReport, ingest_page
from coopwatch.settings import Settings
from coopwatch.store import SaveOutcome, Store
from crawler.session import CrawledPage
from crawler.state import CrawlState

# (outcome value or None, failure reason or None): plain values, so they cross processes.
IngestResult = tuple[str | None, str | None]


def ingest_one(store: Store, analyser: Any, item: CrawledPage, source: str) -> IngestResult:
    """Store one article page through the import path, then remember it in the crawl state.

    Both writes happen here, in the process that analyses, so a crawl process killed while
    a worker is busy cannot leave a stored article without its crawl state (which would make
    the next run download it again without a conditional request).
    """
    report = ImportReport()
    outcome = ingest_page(store, analyser, item.page, item.page.url, report)
    state = CrawlState(store)
    if outcome is None:
        reason = report.failures[0].reason if report.failures else "not stored"
        state.record(
            item.requested_url, source, outcome="failed", status=item.page.status, error=reason
        )
        return (None, reason)
    headers = {k.lower(): v for k, v in item.page.headers.items()}
    state.record(
        item.requested_url,
        source,
        outcome=outcome.value,
        status=item.page.status,
        etag=headers.get("etag"),
        last_modified=headers.get("last-modified"),
        lastmod=item.lastmod,
    )
    return (outcome.value, None)


class InProcessIngester:
    """Analyse and store in the calling thread (the crawl's reactor thread)."""

    def __init__(self, store: Store, analyser: Any):
        self.store = store
        self.analyser = analyser

    def submit(self, item: CrawledPage, source: str) -> Future[IngestResult]:
        future: Future[IngestResult] = Future()
        try:
            future.set_result(ingest_one(self.store, self.analyser, item, source))
        except Exception as exc:  # ingest_page reports page errors; this is a store failure
            future.set_exception(exc)
        return future

    def close(self) -> None:
        pass


_worker: dict[str, Any] = {}


def _worker_start(settings_json: str) -> None:
    from coopwatch.pipeline import PageAnalyser
    from crawler.runner import warm_up

    settings = Settings.model_validate_json(settings_json)
    _worker["store"] = Store(settings.data_dir)
    _worker["analyser"] = PageAnalyser(settings)
    warm_up(_worker["analyser"])


def _worker_ingest(item: CrawledPage, source: str) -> IngestResult:
    return ingest_one(_worker["store"], _worker["analyser"], item, source)


class PoolIngester:
    """Analyse and store in `processes` worker processes (spawned: no fork of the reactor)."""

    def __init__(self, settings: Settings, processes: int):
        self.pool = ProcessPoolExecutor(
            max_workers=processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_worker_start,
            initargs=(settings.model_dump_json(),),
        )

    def submit(self, item: CrawledPage, source: str) -> Future[IngestResult]:
        return self.pool.submit(_worker_ingest, item, source)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=False)


def outcome_of(value: str | None) -> SaveOutcome | None:
    return SaveOutcome(value) if value is not None else None
