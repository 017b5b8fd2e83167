"""`coopwatch demo`: crawl the sample news site on 127.0.0.1 and serve the web page on it.

The sample site is the crawler's test site (`crawler/testsite`: robots.txt, a feed, ETags,
generated de/ru/en reports of one Kazakhstan-Belarus working group) with the sample pages
shipped in `coopwatch/demo_site/` added (invented de/ru/en reports of six cooperations, one in
windows-1251, one with a repeated paragraph, one off-topic). A `demo` source pointing at it
(loopback allowed) is crawled by the real crawler into the data directory — every page goes
through the same ingest step as a real crawl: analysis, actors, events, search index — and the
JSON API and web page are served on it; the browser is opened when there is a display.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from coopwatch.errors import UsageError
from coopwatch.importer import HTML_SUFFIXES, page_url_from_html
from coopwatch.settings import Settings
from coopwatch.store import STORE_FILE, Store
from coopwatch.urls import canonical_url

SAMPLE_SITE = Path(__file__).parent / "demo_site"
SOURCE_KEY = "demo"
SOURCES_FILE = "demo-sources.toml"
# The sample site's port when free: the same URLs on every run, so that `--keep` finds the
# pages it crawled before unchanged (ETags) instead of storing them again.
SITE_PORT = 8079
GENERATED_ARTICLES = 6  # the test site's own reports (2 per language)
# Tables of work a person did that no crawl re-creates (articles are checked one by one;
# what is derived from them, e.g. events and copy signatures, is rebuilt by the crawl).
_USER_TABLES = ("subscriptions", "digest_sends", "api_keys")


def sample_pages() -> list[Path]:
    """The shipped sample pages (package data), sorted."""
    return sorted(p for p in SAMPLE_SITE.iterdir() if p.name.endswith(HTML_SUFFIXES))


def sample_urls() -> set[str]:
    """The sample pages' own (invented) canonical URLs."""
    return {canonical_url(page_url_from_html(p.read_bytes(), p)) for p in sample_pages()}


# -- the sample site ---------------------------------------------------------------------------


@dataclass(slots=True)
class SamplePage:
    path: str  # on the sample site: /news/<original host>/<original path>
    body: bytes
    published: datetime
    etag: str


def _sample_page(file: Path) -> SamplePage:
    body = file.read_bytes()
    original = urlsplit(page_url_from_html(body, file))
    match = re.search(rb'article:published_time" content="([^"]+)"', body)
    published = (
        datetime.fromisoformat(match.group(1).decode())
        if match
        else datetime(2025, 1, 1, tzinfo=UTC)
    )
    if published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    return SamplePage(
        path=f"/news/{original.netloc}{original.path}",
        body=body,
        published=published,
        etag=f'"{file.stem}-{len(body)}"',
    )


@dataclass
class DemoPages:
    by_path: dict[str, SamplePage] = field(default_factory=dict)

    @classmethod
    def load(cls) -> DemoPages:
        return cls({page.path: page for page in map(_sample_page, sample_pages())})


def make_site(port: int | None = SITE_PORT):
    """The crawler's test site with the shipped sample pages added, started on 127.0.0.1
    (`port` when free, else any)."""
    from crawler.testsite.server import SiteServer, _Handler, _QuietServer

    pages = DemoPages.load()

    class Handler(_Handler):
        def _route(self, path, query, headers):
            page = pages.by_path.get(path)
            if page is not None:
                if headers.get("if-none-match") == page.etag:
                    return self._send(304, extra={"ETag": page.etag})
                charset = "windows-1251" if b"charset=windows-1251" in page.body[:2000] else "utf-8"
                return self._send(
                    200,
                    page.body,
                    f"text/html; charset={charset}",
                    extra={
                        "ETag": page.etag,
                        "Last-Modified": format_datetime(page.published.astimezone(UTC), True),
                    },
                )
            if path == "/feed.xml":
                return self._send(200, self._demo_feed(), "application/rss+xml")
            return super()._route(path, query, headers)

        def _demo_feed(self) -> str:
            site = self.site
            items = [
                f"<item><title>{escape(p.path)}</title><link>{site.url(p.path)}</link>"
                f"<pubDate>{format_datetime(p.published.astimezone(UTC), True)}</pubDate></item>"
                for p in sorted(pages.by_path.values(), key=lambda p: p.published, reverse=True)
            ]
            items += [
                f"<item><title>{a.slug}</title><link>{site.url(a.path)}</link>"
                f"<pubDate>{format_datetime(a.modified, True)}</pubDate></item>"
                for a in site.newest_first()
            ]
            return (
                '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                f"<title>coopwatch sample news</title><link>{site.base}/</link>"
                f"{''.join(items)}</channel></rss>"
            )

    class DemoSite(SiteServer):
        def start(self) -> DemoSite:
            handler = type("Handler", (Handler,), {"site": self})
            try:
                self._httpd = _QuietServer(("127.0.0.1", port or 0), handler)
            except OSError:  # taken: any free port
                self._httpd = _QuietServer(("127.0.0.1", 0), handler)
            self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
            self._thread.start()
            return self

    return DemoSite(GENERATED_ARTICLES, log_requests=False).start()


def write_sources(path: Path, base: str) -> Path:
    """The registry of the one `demo` source: the sample site's feed, loopback allowed."""
    path.write_text(
        f"""# Written by `coopwatch demo`: the sample news site on 127.0.0.1.
[[source]]
key = "{SOURCE_KEY}"
name = "coopwatch sample news"
site = "127.0.0.1"
language = "en"
kind = "feed"
start_urls = ["{base}/feed.xml"]
allowed_domains = ["127.0.0.1"]
article_pattern = '/news/'
interval_minutes = 60
allow_private_addresses = true
""",
        encoding="utf-8",
    )
    return path


def demo_settings(settings: Settings, sources_file: Path) -> Settings:
    """The crawl settings of the demo: its own source, no politeness delay on our own server,
    analysis in the crawl process (13 pages do not pay for a worker's start-up)."""
    crawler = settings.crawler.model_copy(
        update={
            "sources_file": str(sources_file),
            "download_delay": 0.0,
            "autothrottle": False,
            "analysis_processes": 0,
        }
    )
    return settings.model_copy(update={"crawler": crawler})


# -- what the demo may delete ------------------------------------------------------------------


def _foreign_content(store_file: Path) -> str | None:
    """What a fresh start would delete besides earlier demo runs, or None when nothing."""
    if not store_file.exists():
        return None
    with sqlite3.connect(f"file:{store_file}?mode=ro", uri=True) as conn:
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
        demo_urls = set(sample_urls())
        for table in ("crawl_urls", "crawl_runs"):
            if (
                table in tables
                and conn.execute(
                    f"SELECT 1 FROM {table} WHERE source != ?", (SOURCE_KEY,)
                ).fetchone()
            ):
                return f"crawls of other sources (table {table})"
        if "crawl_urls" in tables:
            demo_urls |= {url for (url,) in conn.execute("SELECT url FROM crawl_urls")}
        if "articles" in tables:
            urls = {canonical_url(url) for (url,) in conn.execute("SELECT url FROM articles")}
            if urls - demo_urls:
                return f"{len(urls - demo_urls)} articles that are not sample pages"
        for table in _USER_TABLES:
            if table in tables and conn.execute(f"SELECT 1 FROM {table}").fetchone():
                return f"data in table {table}"
    return None


def _start_fresh(data_dir: Path) -> None:
    store_file = data_dir / STORE_FILE
    foreign = _foreign_content(store_file)
    if foreign:
        raise UsageError(
            f"{store_file} holds {foreign}; the demo starts from an empty store and will not "
            "delete it. Run it on another directory (coopwatch --data-dir DIR demo) or add "
            "the sample site to this store with: coopwatch demo --keep"
        )
    for name in (STORE_FILE, STORE_FILE + "-wal", STORE_FILE + "-shm"):
        (data_dir / name).unlink(missing_ok=True)


# -- the demo ----------------------------------------------------------------------------------


def crawl_demo(settings: Settings, site_base: str, fresh: bool = True) -> Iterator[str]:
    """Crawl the sample site at `site_base` into the data directory; yield lines to show."""
    from coopwatch.errors import CoopwatchError
    from crawler.runner import run_subprocess

    data_dir = settings.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    if fresh:
        _start_fresh(data_dir)
    Store(data_dir).close()  # the schema, before the crawl process opens the store
    crawl = demo_settings(settings, write_sources(data_dir / SOURCES_FILE, site_base))
    yield f"Crawling the sample site {site_base}/feed.xml into {data_dir} ..."
    log_file = data_dir / "demo-crawl.log"
    try:
        with log_file.open("w", encoding="utf-8") as log:  # the crawl's own log, for failures
            results = run_subprocess(crawl, [SOURCE_KEY], stderr=log)
    except CoopwatchError as exc:
        raise UsageError(f"the demo crawl failed: {exc} (see {log_file})") from exc
    for result in results:
        counts = result.counts
        yield (
            f"Crawled {result.source}: {result.state}; fetched {counts.get('fetched', 0)}, "
            f"new {counts.get('new', 0)}, updated {counts.get('updated', 0)}, unchanged "
            f"{counts.get('unchanged', 0)}, skipped as unchanged {counts.get('skipped', 0)}, "
            f"failed {counts.get('failed', 0)}"
        )
        if result.state != "finished":
            raise UsageError(f"the demo crawl {result.state}: {result.reason} (see {log_file})")
    with Store(data_dir) as store:
        problem = _catch_up_index(settings, store)
        if problem:
            yield f"Search index not brought up to date ({problem}); events are listed anyway"
        for article in store.iter_articles():
            yield (
                f"- [{article.language}] {article.published or '????-??-??'} "
                f"{_origin(article.url)}: {article.title} ({len(article.paragraphs)} paragraphs, "
                f"{article.repeated_paragraphs} repeats dropped; "
                f"{'cooperation' if article.relevant else 'not about cooperation'} "
                f"{article.relevance_score:.2f})"
            )
        events = store.conn.execute("SELECT count(*) FROM events").fetchone()[0]
    yield f"{events} cooperation events. Export them: coopwatch --data-dir {data_dir} export"


def _origin(url: str) -> str:
    """The sample page's own site (its path on the sample site starts with it)."""
    parts = urlsplit(url).path.split("/")
    return parts[2] if len(parts) > 3 and "." in parts[2] else urlsplit(url).netloc


def _catch_up_index(settings: Settings, store: Store) -> str | None:
    """Index what the crawl stored; the reason when that failed (the demo goes on: the event
    list and pages read the store; search catches up on its next query)."""
    from coopwatch.cli import _catch_up_index as catch_up

    try:
        catch_up(settings, store)
    except sqlite3.Error as exc:
        return str(exc)
    return None


def has_display() -> bool:
    """Whether a graphical browser can open: on Linux without DISPLAY/WAYLAND_DISPLAY,
    `webbrowser` would start a text browser in this terminal instead."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run_demo(
    settings: Settings,
    fresh: bool = True,
    serve: bool = True,
    host: str | None = None,
    port: int | None = None,
    browser: bool = True,
    echo=print,
) -> None:
    """The whole demo: sample site up, crawled, then the API and web page served on it until
    Ctrl-C (or only the crawl when `serve` is off)."""
    site = make_site()
    try:
        for line in crawl_demo(settings, site.base, fresh=fresh):
            echo(line)
        if serve:
            serve_demo(
                settings, host or settings.api.host, port or settings.api.port, browser, echo
            )
    finally:
        site.stop()


def serve_demo(settings: Settings, host: str, port: int, browser: bool, echo=print) -> None:
    """Serve the API and web page (no scheduler: the demo's source is the sample site, which
    stops with the demo); open the page once the server listens."""
    import uvicorn

    from api.app import create_app

    url = f"http://{host}:{port}/"
    config = uvicorn.Config(
        create_app(settings), host=host, port=port, log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)

    def announce() -> None:
        while not server.started and not server.should_exit:
            threading.Event().wait(0.05)
        if server.started:
            echo(f"Serving the web page on {url} and the JSON API on {url}v1/ (Ctrl-C to stop)")
            if browser and has_display():
                import webbrowser

                webbrowser.open(url)

    threading.Thread(target=announce, daemon=True).start()
    # uvicorn drains requests on SIGINT/SIGTERM, then re-raises the signal to the handler it
    # found: a no-op one, so that Ctrl-C ends the demo cleanly (exit 0, no "Aborted!").
    previous = {sig: signal.signal(sig, lambda *_: None) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.run()
    except SystemExit:  # uvicorn exits when it cannot bind
        server.started = False
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if not server.started:
        raise UsageError(f"cannot serve on {host}:{port} (taken?); choose one with --port")
