"""Item pipeline: every crawled article page goes into the store through the import path."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred, DeferredSemaphore

from crawler.ingest import outcome_of
from crawler.session import CrawledPage

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

# One gate per ingester (all sources of a run share the worker pool), keyed by its id.
_GATES: dict[int, DeferredSemaphore] = {}


def _gate(ingester: Any) -> DeferredSemaphore | None:
    capacity = ingester.capacity()
    if capacity <= 0:
        return None
    gate = _GATES.get(id(ingester))
    if gate is None:
        gate = _GATES[id(ingester)] = DeferredSemaphore(capacity)
    return gate


class IngestPipeline:
    """Hands `CrawledPage` items to the run's ingester (`coopwatch.importer.ingest_page`, in
    this process or a worker) and records the outcome in the crawl state."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IngestPipeline:
        return cls(crawler)

    async def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, CrawledPage):
            return item
        session = self.crawler.spider.session  # type: ignore[union-attr]
        gate = _gate(session.ingester)
        if gate is not None:
            # At most a few pages per worker in flight: the rest wait here as responses
            # (Scrapy stops downloading when too many wait), not in a worker's queue.
            await maybe_deferred_to_future(gate.acquire())
        try:
            future = session.ingester.submit(item, session.source.key)
            if not future.done():
                # A worker process is on it: let the reactor go on downloading meanwhile.
                from twisted.internet import reactor

                waiter: Deferred[None] = Deferred()
                future.add_done_callback(lambda _: reactor.callFromThread(waiter.callback, None))
                await maybe_deferred_to_future(waiter)
        finally:
            if gate is not None:
                gate.release()
        try:
            value, reason = future.result()
        except Exception as exc:  # the store or a worker broke: record it, keep crawling
            reason = f"internal error: {type(exc).__name__}: {exc}"
            session.failed(item.requested_url, item.page.status, reason)
            return item
        session.record_outcome(item, outcome_of(value), reason)
        return item
