"""Where crawled pages are analysed and stored: `coopwatch.importer.ingest_page`, the path of
`coopwatch import`, run either in the crawl process or in worker processes beside it.

Analysis is CPU-bound Python; in worker processes it runs on the other core while the crawl
process downloads, parses and writes WARCs. Each worker has its own Store connection (SQLite
WAL serialises the writes) and its own PageAnalyser, built once.
"""

from __future__ import annotations

import multiprocessing
import resource
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

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
    # Imported here: the crawl process of a worker pool never analyses, and the import path
    # pulls in the whole NLP stack (2 s of CPU and ~100 MB it would never use).
    from coopwatch.importer import ImportReport, ingest_page

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

    def capacity(self) -> int:
        return 0  # synchronous: nothing waits in flight

    def close(self) -> float:
        return 0.0  # analysis CPU is the crawl process's own


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


def _worker_cpu() -> float:
    """CPU seconds this worker process has used (asked of it just before it is retired)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass(slots=True)
class _Slot:
    """One worker process: a one-process executor, replaced after `max_pages` pages."""

    executor: ProcessPoolExecutor
    pages: int = 0
    in_flight: int = 0
    successor: ProcessPoolExecutor | None = None  # started shortly before the switch


class PoolIngester:
    """Analyse and store in `processes` worker processes (spawned: no fork of the reactor).

    Each worker is retired after `max_pages` pages (0: never), like Celery's
    max-tasks-per-child, so whatever a long-lived analysis process accumulates (library
    caches, allocator fragmentation) cannot grow without bound over a long crawl. The stdlib
    `max_tasks_per_child` is not used: on Python 3.11-3.13 it deadlocks once a worker exits
    with tasks still queued (cpython gh-115634). The successor is started `lead` pages before
    the switch, so it has loaded its models when it takes over (no pause in the crawl; two
    workers are resident for that short while). At most `limit` pages per worker are in
    flight (the pipeline waits beyond that), so a retired worker finishes only a few.
    """

    def __init__(self, settings: Settings, processes: int, max_pages: int = 0, limit: int = 3):
        self._settings_json = settings.model_dump_json()
        self.max_pages = max_pages
        self.limit = limit
        self.slots = [_Slot(self._new_executor()) for _ in range(processes)]
        self.retired: list[ProcessPoolExecutor] = []
        self.retired_cpu: list[Future[float]] = []  # CPU seconds of the replaced workers
        self._lock = threading.Lock()  # in_flight: submitted in the reactor, done elsewhere

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_worker_start,
            initargs=(self._settings_json,),
        )

    @property
    def lead(self) -> int:
        """Pages before its switch at which a worker's successor is started (~5 s of work)."""
        return max(50, self.max_pages // 20)

    def capacity(self) -> int:
        """Pages that may be in flight at once."""
        return self.limit * len(self.slots)

    def submit(self, item: CrawledPage, source: str) -> Future[IngestResult]:
        index = min(range(len(self.slots)), key=lambda i: self.slots[i].in_flight)
        slot = self.slots[index]
        if self.max_pages:
            if slot.successor is None and slot.pages >= self.max_pages - self.lead:
                slot.successor = self._new_executor()
                slot.successor.submit(_worker_cpu)  # spawns it: the models load meanwhile
            if slot.pages >= self.max_pages:
                self._retire(slot)
                slot = self.slots[index] = _Slot(slot.successor or self._new_executor())
        with self._lock:
            slot.pages += 1
            slot.in_flight += 1
        future = slot.executor.submit(_worker_ingest, item, source)
        future.add_done_callback(lambda _f, slot=slot: self._done(slot))
        return future

    def _done(self, slot: _Slot) -> None:
        with self._lock:
            slot.in_flight -= 1

    def _retire(self, slot: _Slot) -> None:
        """Let the old worker finish its few queued pages, then exit; its CPU is kept."""
        self.retired_cpu.append(slot.executor.submit(_worker_cpu))
        slot.executor.shutdown(wait=False, cancel_futures=False)
        self.retired.append(slot.executor)

    @property
    def recycled(self) -> int:
        return len(self.retired)

    def close(self) -> float:
        """Wait for every worker to finish; returns the CPU seconds all workers used."""
        current = [slot.executor for slot in self.slots]
        current += [slot.successor for slot in self.slots if slot.successor is not None]
        cpu = [*self.retired_cpu, *(executor.submit(_worker_cpu) for executor in current)]
        for executor in [*self.retired, *current]:
            executor.shutdown(wait=True, cancel_futures=False)
        return sum(f.result() for f in cpu if f.exception() is None)


def outcome_of(value: str | None) -> SaveOutcome | None:
    return SaveOutcome(value) if value is not None else None
