"""One generic Scrapy spider per source kind: feed, sitemap, listing.

Spiders only find article URLs and hand each response to the pipeline as a `CrawledPage`;
storing, state and WARC live in the session, middlewares and pipeline.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import Any

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.spiders import SitemapSpider
from twisted.python.failure import Failure

from coopwatch.records import FetchedPage
from coopwatch.urls import canonical_url
from coopwatch.walls import PageProblem, classify
from crawler.session import CrawledPage, CrawlSession
from crawler.sources import Source, SourceKind

log = logging.getLogger(__name__)

ARTICLE_META = "coopwatch_article"  # marks article requests (conditional headers, 304 allowed)
LASTMOD_META = "coopwatch_lastmod"


class SourceSpider(scrapy.Spider):
    """What every kind shares: article requests, article responses, failures."""

    kind: SourceKind

    def __init__(self, session: CrawlSession, **kwargs: Any):
        self.session = session
        self.source: Source = session.source
        super().__init__(name=self.source.key, **kwargs)
        self.allowed_domains = list(self.source.allowed_domains)
        self.start_urls = list(self.source.start_urls)

    # -- requests ------------------------------------------------------------------------------

    def article_request(self, url: str, lastmod: str | None = None) -> Request | None:
        """A request for an article URL, or None when it is not one or is known unchanged."""
        if not self.source.is_article_url(url) or not self.source.is_allowed_host(_host(url)):
            return None
        if self.session.check_only:
            self.session.discovered.append(url)
            return None
        if self.session.unchanged_since(url, lastmod):
            self.session.skip(url)
            return None
        url = canonical_url(url)  # tracking parameters and fragments never reach the site
        return Request(
            url,
            callback=self.parse_article,
            errback=self.article_failed,
            meta={
                ARTICLE_META: url,
                LASTMOD_META: lastmod,
                "handle_httpstatus_list": [304],
            },
        )

    def hub_request(self, url: str, callback: Any, **meta: Any) -> Request:
        """A request for a feed, sitemap or listing page: always fetched in full."""
        return Request(
            url, callback=callback, errback=self.hub_failed, meta=meta, dont_filter=False
        )

    # -- responses -----------------------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterable[CrawledPage]:
        requested = response.meta.get(ARTICLE_META) or canonical_url(response.url)
        lastmod = response.meta.get(LASTMOD_META)
        if response.status == 304:
            self.session.not_modified(requested, lastmod)
            return
        problem = page_problem(response)
        if problem is not None:
            self.session.blocked(requested, problem, response.status, response.url)
            return
        headers = {
            key.decode("latin-1"): b", ".join(values).decode("latin-1")
            for key, values in response.headers.items()
        }
        page = FetchedPage(
            url=response.url,
            body=response.body,
            headers=headers,
            status=response.status,
            fetched_at=_now(),
        )
        yield CrawledPage(page=page, requested_url=requested, lastmod=lastmod)

    def article_failed(self, failure: Failure) -> None:
        request: Request = failure.request  # type: ignore[attr-defined]
        if isinstance(failure.value, ConsentRedirect):
            requested = request.meta.get(ARTICLE_META) or request.url
            self.session.blocked(requested, PageProblem.CONSENT, 302, failure.value.target)
            return
        status, reason = describe_failure(failure)
        self.session.failed(request.meta.get(ARTICLE_META) or request.url, status, reason)

    def hub_failed(self, failure: Failure) -> None:
        request: Request = failure.request  # type: ignore[attr-defined]
        status, reason = describe_failure(failure)
        log.warning("%s: cannot read %s: %s", self.source.key, request.url, reason)
        self.session.hub_failed(request.url, status, reason)

    def note_hub(self, response: Response) -> None:
        self.session.hub_statuses.append((response.url, response.status))


class FeedSpider(SourceSpider):
    """RSS 2.0, RSS 1.0 and Atom feeds: entries newest first."""

    kind = SourceKind.FEED

    async def start(self) -> AsyncIterator[Any]:
        for url in self.start_urls:
            yield self.hub_request(url, self.parse_feed)

    def parse_feed(self, response: Response) -> Iterable[Request]:
        self.note_hub(response)
        selector = scrapy.Selector(text=response.text, type="xml")
        selector.remove_namespaces()
        entries: list[tuple[str, str | None]] = []
        for node in selector.xpath("//item | //entry"):
            link = (
                node.xpath("link[@rel='alternate']/@href").get()
                or node.xpath("link[not(@rel)]/@href").get()
                or node.xpath("normalize-space(link/text())").get()
                or node.xpath("guid[not(@isPermaLink='false')]/text()").get()
            )
            if not link:
                continue
            when = node.xpath(
                "normalize-space((updated | pubDate | published | date | modified)[1]/text())"
            ).get()
            entries.append((response.urljoin(link.strip()), _feed_date(when)))
        # Newest first: the scheduler queue is FIFO, so the order given here is the fetch order.
        entries.sort(key=lambda e: e[1] or "", reverse=True)
        for url, when in entries:
            request = self.article_request(url, when)
            if request is not None:
                yield request


class NewsSitemapSpider(SourceSpider, SitemapSpider):
    """Sitemaps, sitemap indexes and robots.txt `Sitemap:` lines, via Scrapy's SitemapSpider."""

    kind = SourceKind.SITEMAP

    def __init__(self, session: CrawlSession, **kwargs: Any):
        source = session.source
        self.sitemap_urls = list(source.start_urls)
        self.sitemap_rules = [(source.article_pattern, "parse_article")]
        self._lastmods: dict[str, str | None] = {}
        super().__init__(session, **kwargs)

    async def start(self) -> AsyncIterator[Any]:
        for url in self.sitemap_urls:
            yield self.hub_request(url, self._parse_sitemap)

    def sitemap_filter(self, entries: Any) -> Iterable[dict[str, Any]]:
        """Newest first; articles whose lastmod is not newer than the stored copy are left out."""
        items = list(entries)
        if getattr(entries, "type", None) != "urlset":
            yield from items
            return
        items.sort(key=lambda e: e.get("lastmod") or "", reverse=True)
        for entry in items:
            loc = entry.get("loc", "")
            if not self.source.is_article_url(loc):
                continue
            lastmod = entry.get("lastmod") or None
            if self.session.check_only:
                self.session.discovered.append(loc)
                continue
            if self.session.unchanged_since(loc, lastmod):
                self.session.skip(loc)
                continue
            self._lastmods[loc] = lastmod
            yield entry

    def _parse_sitemap(self, response: Response) -> Iterable[Request]:
        # SitemapSpider builds plain requests; give article requests our meta and errback,
        # and sitemap requests the hub errback, so every failure is recorded.
        self.note_hub(response)
        for request in super()._parse_sitemap(response):
            if request.callback == self.parse_article:
                article = self.article_request(request.url, self._lastmods.pop(request.url, None))
                if article is not None:
                    yield article
            else:
                yield request.replace(errback=self.hub_failed)


class ListingSpider(SourceSpider):
    """Section pages: article links by pattern, then next pages up to `max_pages`."""

    kind = SourceKind.LISTING

    def __init__(self, session: CrawlSession, **kwargs: Any):
        super().__init__(session, **kwargs)
        # Hosts are checked by `is_allowed_host` (LinkExtractor's allow_domains ignores ports).
        self.article_links = LinkExtractor(allow=self.source.article_pattern, unique=True)
        self.page_links = LinkExtractor(allow=self.source.pagination_pattern, unique=True)

    async def start(self) -> AsyncIterator[Any]:
        for url in self.start_urls:
            yield self.hub_request(url, self.parse_listing, listing_page=1)

    def parse_listing(self, response: Response) -> Iterable[Request]:
        self.note_hub(response)
        for link in self.article_links.extract_links(response):
            request = self.article_request(link.url)
            if request is not None:
                yield request
        page = response.meta.get("listing_page", 1)
        if page >= self.source.max_pages or self.session.check_only:
            return
        for link in self.page_links.extract_links(response):
            if self.source.is_allowed_host(_host(link.url)):
                yield self.hub_request(link.url, self.parse_listing, listing_page=page + 1)


SPIDERS: dict[SourceKind, type[SourceSpider]] = {
    SourceKind.FEED: FeedSpider,
    SourceKind.SITEMAP: NewsSitemapSpider,
    SourceKind.LISTING: ListingSpider,
}


class ConsentRedirect(IgnoreRequest):
    """An article request redirected to a consent service's host (off-site, not followed)."""

    def __init__(self, target: str):
        super().__init__(f"redirect to consent page {target}")
        self.target = target


def page_problem(response: Response) -> PageProblem | None:
    """A consent wall or error page instead of the article (coopwatch/walls.py), or None."""
    if isinstance(response, TextResponse):
        try:
            text = response.text
        except (UnicodeDecodeError, AttributeError):
            return classify(response.url, response.status, None, None)
        # Walk the parsed tree only when a trigger word occurs: most articles skip it.
        return classify(response.url, response.status, text, lambda: response.selector.root)
    return classify(response.url, response.status, None, None)


def describe_failure(failure: Failure) -> tuple[int, str]:
    """HTTP status (0 for none) and a reason a person can read."""
    error = failure.value
    if isinstance(error, HttpError):
        status = error.response.status
        return status, f"HTTP status {status}"
    name = type(error).__name__
    text = str(error) or name
    return 0, text if name in text else f"{name}: {text}"


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname or ""


def _now():
    from datetime import datetime

    return datetime.now(UTC)


def _feed_date(value: str | None) -> str | None:
    """Feed dates (RFC 822 in RSS, ISO 8601 in Atom) as ISO 8601 UTC, or None."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        from datetime import datetime

        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).isoformat(timespec="seconds")
