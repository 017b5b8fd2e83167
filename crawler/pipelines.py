"""Item pipeline: every crawled article page goes into the store through the import path."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crawler.session import CrawledPage

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class IngestPipeline:
    """Hands `CrawledPage` items to the run's session (analysis, store, crawl state)."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IngestPipeline:
        return cls(crawler)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if isinstance(item, CrawledPage):
            self.crawler.spider.session.ingest(item)  # type: ignore[union-attr]
        return item
