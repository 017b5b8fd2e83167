"""Downloader middlewares: conditional requests, polite retries, redirect guard, WARC capture.

Order (lower is nearer the engine): conditional 520, retry 550 (replaces Scrapy's),
redirect guard 610 (sees 3xx before Scrapy's RedirectMiddleware at 600 follows them),
WARC 860 (sees every raw response, retried and redirected ones included).
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.response import response_status_message
from twisted.internet.task import deferLater
from twisted.internet.threads import deferToThread

from coopwatch.walls import consent_host
from crawler.spiders import ARTICLE_META, ConsentRedirect

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from crawler.session import CrawlSession

log = logging.getLogger(__name__)


async def _sleep(seconds: float) -> None:
    """Wait without blocking the reactor, under any Twisted reactor."""
    from twisted.internet import reactor  # the one Scrapy installed

    await maybe_deferred_to_future(deferLater(reactor, seconds))


def _session(crawler: Crawler) -> CrawlSession:
    return crawler.spider.session  # type: ignore[union-attr]


class ConditionalRequestMiddleware:
    """Adds If-None-Match / If-Modified-Since to article requests the store already knows."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalRequestMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider: Any = None) -> None:
        url = request.meta.get(ARTICLE_META)
        if not url or request.meta.get("coopwatch_conditional"):
            return None
        request.meta["coopwatch_conditional"] = True
        known = _session(self.crawler).known(url)
        if known is None or not known.ok:
            return None
        if known.etag:
            request.headers.setdefault(b"If-None-Match", known.etag.encode("latin-1"))
        if known.last_modified:
            request.headers.setdefault(b"If-Modified-Since", known.last_modified.encode("latin-1"))
        return None


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds asked for by a Retry-After header (delta-seconds or HTTP-date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class PoliteRetryMiddleware(RetryMiddleware):
    """Scrapy's retry with a wait first: Retry-After when the server sends one (capped),
    else exponential backoff (`crawler.retry_backoff` × 2^attempt)."""

    def __init__(self, settings: Any):
        super().__init__(settings)
        self.backoff = settings.getfloat("COOPWATCH_RETRY_BACKOFF", 5.0)
        self.retry_after_max = settings.getfloat("COOPWATCH_RETRY_AFTER_MAX", 600.0)

    def _delay(self, request: Request, response: Response | None) -> float:
        attempt = request.meta.get("retry_times", 0)
        delay = self.backoff * (2**attempt)
        if response is not None:
            header = response.headers.get(b"Retry-After")
            asked = retry_after_seconds(header.decode("latin-1") if header else None)
            if asked is not None:
                delay = asked
        return min(delay, self.retry_after_max)

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response, spider: Any = None
    ) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry = get_retry_request(
            request,
            reason=response_status_message(response.status),
            spider=self.crawler.spider,
            max_retry_times=request.meta.get("max_retry_times", self.max_retry_times),
            priority_adjust=request.meta.get("priority_adjust", self.priority_adjust),
        )
        if retry is None:
            return response
        delay = self._delay(request, response)
        log.info("%s answered %s: retrying in %.1fs", request.url, response.status, delay)
        await _sleep(delay)
        return retry

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception, spider: Any = None
    ) -> Request | Response | None:
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry"):
            return None
        retry = self._retry(request, exception)
        if retry is not None:
            await _sleep(self._delay(request, None))
        return retry


def is_private_host(host: str) -> bool:
    """True when `host` is, or resolves to, a loopback, private, link-local or reserved address."""
    host = host.strip("[]").lower()
    if host in ("localhost",) or host.endswith(".localhost"):
        return True
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None)
        except OSError:
            return False  # does not resolve: the download itself will fail
        addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    return any(
        a.is_private or a.is_loopback or a.is_link_local or a.is_reserved or a.is_unspecified
        for a in addresses
    )


class RedirectGuardMiddleware:
    """Refuses redirects off the source's allowed domains, and to private or loopback
    addresses, unless the source allows them (`allow_offsite_redirects`,
    `allow_private_addresses`)."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectGuardMiddleware:
        return cls(crawler)

    async def process_response(
        self, request: Request, response: Response, spider: Any = None
    ) -> Response:
        if response.status not in (301, 302, 303, 307, 308) or b"Location" not in response.headers:
            return response
        location = response.headers[b"Location"].decode("latin-1")
        target = urljoin(request.url, location)
        host = urlsplit(target).hostname or ""
        source = _session(self.crawler).source
        if request.meta.get(ARTICLE_META) and consent_host(target):
            raise ConsentRedirect(target)  # counted as a consent wall, never followed
        if not source.allow_offsite_redirects and not source.is_allowed_host(host):
            raise IgnoreRequest(f"redirect to off-site {target} refused")
        if not source.allow_private_addresses and await maybe_deferred_to_future(
            deferToThread(is_private_host, host)
        ):
            raise IgnoreRequest(f"redirect to private address {target} refused")
        return response


class WarcMiddleware:
    """Writes every response, as received, to the session's rotating WARC files."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider: Any = None):
        session = _session(self.crawler)
        warc = session.warc if request.meta.get(ARTICLE_META) else session.hub_warc
        if warc is not None:
            headers = [
                (key.decode("latin-1"), value.decode("latin-1"))
                for key, values in response.headers.items()
                for value in values
            ]
            ip = str(response.ip_address) if response.ip_address else None
            warc.write_response(
                response.url, response.status, headers, response.body, ip_address=ip
            )
        return response
