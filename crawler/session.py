"""One run of one source: store, crawl state, WARC writer and counters, shared by its spider,
middlewares and pipeline. Pages go through `coopwatch.importer.ingest_page`, exactly as
`coopwatch import` sends them."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from coopwatch.records import FetchedPage
from coopwatch.settings import Settings
from coopwatch.store import SaveOutcome, Store
from coopwatch.urls import canonical_url
from coopwatch.walls import PageProblem
from crawler.sources import Source
from crawler.state import CrawlState, RunCounts, UrlState
from crawler.warc import HUBS_DIR, PAGES_DIR, WARC_DIR, RotatingWarcWriter

log = logging.getLogger(__name__)


@dataclass(slots=True)
class CrawledPage:
    """Item a spider yields: one fetched article page and what the source said about it."""

    page: FetchedPage
    requested_url: str  # canonical URL the request was made for (key of the crawl state)
    lastmod: str | None = None

    def __repr__(self) -> str:  # Scrapy logs items: never dump the body
        return f"CrawledPage({self.page.url!r}, {len(self.page.body)} bytes)"


class CrawlSession:
    """Everything one source's run writes. Created when its spider opens, closed with it."""

    def __init__(
        self,
        settings: Settings,
        source: Source,
        ingester: Any,
        *,
        check_only: bool = False,
    ):
        self.settings = settings
        self.source = source
        self.ingester = ingester  # crawler.ingest: runs coopwatch.importer.ingest_page
        self.check_only = check_only
        self.counts = RunCounts()
        self.discovered: list[str] = []  # check mode: article URLs found on the start pages
        self.hub_statuses: list[tuple[str, int]] = []  # check mode: start/feed/sitemap answers
        self.store: Store | None = None
        self.state: CrawlState | None = None
        self.warc: RotatingWarcWriter | None = None
        self.hub_warc: RotatingWarcWriter | None = None
        self.run_id: int | None = None
        self.flags: list[str] = []
        self._started = time.monotonic()

    def open(self) -> None:
        if self.check_only:
            return
        self.store = Store(self.settings.data_dir)
        self.state = CrawlState(self.store)
        # Article responses and the rest (robots.txt, feeds, sitemaps, listings) go to separate
        # folders, so `coopwatch import <data>/warc/pages` re-processes exactly the articles.
        self.warc = RotatingWarcWriter(
            self.settings.data_dir / WARC_DIR / PAGES_DIR,
            prefix=self.source.key,
            max_bytes=self.settings.crawler.warc_max_bytes,
        )
        self.hub_warc = RotatingWarcWriter(
            self.settings.data_dir / WARC_DIR / HUBS_DIR,
            prefix=self.source.key,
            max_bytes=self.settings.crawler.warc_max_bytes,
        )
        self.run_id = self.state.start_run(self.source.key)

    def close(self, reason: str) -> None:
        for writer in (self.warc, self.hub_warc):
            if writer:
                writer.close()
        if self.state and self.run_id is not None:
            from crawler.runner import run_state  # `shutdown` (asked to stop): interrupted

            state = run_state(reason)
            self.state.finish_run(
                self.run_id,
                self.counts,
                state=state,
                reason=reason,
                duration=round(time.monotonic() - self._started, 3),
            )
            # The source's flags as this run leaves them, kept with the run's outcome.
            self.flags = self.state.health(
                self.source.key,
                stale_after=timedelta(days=self.settings.crawler.stale_after_days),
                error_runs=self.settings.crawler.error_runs_to_flag,
            ).flags
            self.state.set_flags(self.run_id, self.flags)
            if self.flags:
                log.warning("%s: flagged %s", self.source.key, ", ".join(self.flags))
        if self.store:
            self.store.close()
            self.store = None

    # -- what the spider asks before requesting ---------------------------------------------

    def known(self, url: str) -> UrlState | None:
        return self.state.get(canonical_url(url)) if self.state else None

    def unchanged_since(self, url: str, lastmod: str | None) -> bool:
        """True when the sitemap/feed date says the stored copy of `url` is current."""
        if not lastmod:
            return False
        known = self.known(url)
        if known is None or not known.ok or not known.lastmod:
            return False
        return _as_utc(lastmod) <= _as_utc(known.lastmod)

    def skip(self, url: str) -> None:
        self.counts.skipped += 1

    # -- outcomes ----------------------------------------------------------------------------

    def record_outcome(self, item: CrawledPage, outcome: SaveOutcome | None, reason: str | None):
        """Count what storing one article page gave; the ingester wrote the crawl state."""
        self.counts.fetched += 1
        if outcome is None:
            self.counts.failed += 1
            self.counts.last_error = f"{item.requested_url}: {reason}"
            log.info("%s: failed %s: %s", self.source.key, item.requested_url, reason)
        elif outcome is SaveOutcome.IMPORTED:
            self.counts.new += 1
        elif outcome is SaveOutcome.UPDATED:
            self.counts.updated += 1
        else:
            self.counts.unchanged += 1
        self._save_counts()

    def not_modified(self, requested_url: str, lastmod: str | None) -> None:
        assert self.state is not None
        self.counts.fetched += 1
        self.counts.unchanged += 1
        self.state.record(
            requested_url, self.source.key, outcome="not_modified", status=304, lastmod=lastmod
        )
        self._save_counts()

    def failed(self, requested_url: str, status: int, reason: str) -> None:
        if self.state is None:
            return
        self._failed(canonical_url(requested_url), status, reason, lastmod=None)
        self._save_counts()

    def _failed(self, url: str, status: int, reason: str, lastmod: str | None) -> None:
        assert self.state is not None
        self.counts.failed += 1
        self.counts.last_error = f"{url}: {reason}"
        self.state.record(url, self.source.key, outcome="failed", status=status, error=reason)
        log.info("%s: failed %s: %s", self.source.key, url, reason)

    def blocked(self, requested_url: str, problem: PageProblem, status: int, url: str) -> None:
        """An article request answered by a consent wall or an error page: counted, not
        stored, remembered under its own outcome (so the next run asks again in full)."""
        if self.state is None:
            return
        self.counts.fetched += 1
        if problem is PageProblem.CONSENT:
            self.counts.consent += 1
        else:
            self.counts.error_pages += 1
        requested = canonical_url(requested_url)
        detail = f"{problem.value} page" + (f" at {url}" if url != requested else "")
        self.state.record(
            requested, self.source.key, outcome=problem.value, status=status, error=detail
        )
        log.info("%s: %s instead of %s", self.source.key, detail, requested)
        self._save_counts()

    def hub_failed(self, url: str, status: int, reason: str) -> None:
        """A feed, sitemap or listing page could not be read."""
        self.counts.failed += 1
        self.counts.last_error = f"{url}: {reason}"
        self.hub_statuses.append((url, status))
        self._save_counts()

    def _save_counts(self) -> None:
        if self.state and self.run_id is not None:
            self.state.update_run(self.run_id, self.counts)


def _as_utc(value: str) -> datetime:
    """Parse an ISO date or datetime (sitemap W3C format); naive values are taken as UTC."""
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = datetime.fromisoformat(text[:10])
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
