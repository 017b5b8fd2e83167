"""Crawls of the sample site on 127.0.0.1, run in a subprocess as in production."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys

from warcio.archiveiterator import ArchiveIterator

from coopwatch.importer import import_paths
from coopwatch.settings import load_settings
from coopwatch.store import Store
from coopwatch.urls import canonical_url
from crawler.runner import SourceLock, run_subprocess
from crawler.state import CrawlState
from crawler.testsite import SiteServer
from crawler.warc import HUBS_DIR, PAGES_DIR, WARC_DIR


def crawl(settings, *keys):
    results = run_subprocess(settings, list(keys), timeout=300)
    assert [r.source for r in results] == list(keys)
    return {r.source: r for r in results}


def stored_urls(settings) -> list[str]:
    with Store(settings.data_dir) as store:
        return [row[0] for row in store.conn.execute("SELECT url FROM articles ORDER BY url")]


def test_feed_crawl_stores_every_article_newest_first(crawl_settings, site_server):
    result = crawl(crawl_settings, "sample-feed")["sample-feed"]
    assert result.state == "finished"
    assert result.counts["new"] == 12 and result.counts["failed"] == 0
    expected = sorted(canonical_url(site_server.url(a.path)) for a in site_server.newest_first())
    assert stored_urls(crawl_settings) == expected
    # Newest first: requests are scheduled newest first. With two requests in flight per
    # domain, neighbours may be answered in either order, so each fetch may sit at most
    # `concurrent_per_domain` places from its rank (an oldest-first crawl is far outside).
    fetched = site_server.article_fetches()
    rank = {a.path: i for i, a in enumerate(site_server.newest_first())}
    window = crawl_settings.crawler.concurrent_per_domain
    assert [abs(rank[path] - i) <= window for i, path in enumerate(fetched)] == [True] * 12
    with Store(crawl_settings.data_dir) as store:
        languages = {a.language for a in store.iter_articles()}
        titles = [a.title for a in store.iter_articles()]
    assert languages == {"en", "de", "ru"}
    assert all((t and "part" in t) or "Teil" in t or "часть" in t for t in titles)


def test_every_request_identifies_coopwatch_with_the_contact_url(crawl_settings, site_server):
    crawl(crawl_settings, "sample-feed")
    agents = {r.headers.get("user-agent") for r in site_server.state.log}
    assert len(agents) == 1
    (agent,) = agents
    assert agent.startswith("coopwatch/") and crawl_settings.crawler.contact_url in agent


def test_second_crawl_fetches_only_new_and_changed_articles(crawl_settings, site_server):
    first = crawl(crawl_settings, "sample-feed")["sample-feed"]
    assert first.counts["new"] == 12
    site_server.clear_log()
    added = site_server.add_article("de")
    changed = site_server.change_article("story-00003")
    second = crawl(crawl_settings, "sample-feed")["sample-feed"]
    c = second.counts
    assert (c["new"], c["updated"], c["failed"]) == (1, 1, 0)
    full = sorted(site_server.article_fetches(status=200))
    assert full == sorted([added.path, changed.path])
    # The others were asked conditionally and answered 304, or skipped by feed date.
    assert c["unchanged"] + c["skipped"] == 11
    for request in site_server.state.log:
        if request.path.startswith("/news/") and request.status == 304:
            assert request.headers.get("if-none-match")
    urls = stored_urls(crawl_settings)
    assert len(urls) == len(set(urls)) == 13
    with Store(crawl_settings.data_dir) as store:
        changed_url = canonical_url(site_server.url(changed.path))
        assert len(store.previous_hashes(changed_url)) == 1
        article = next(a for a in store.iter_articles() if a.url == changed_url)
        assert any("Update 2" in p for p in article.paragraphs)


def test_sitemap_lastmod_skips_unchanged_articles_without_a_request(crawl_settings, site_server):
    first = crawl(crawl_settings, "sample-sitemap")["sample-sitemap"]
    assert first.counts["new"] == 12
    assert site_server.requests_for("/robots.txt") and site_server.requests_for("/sitemap.xml")
    site_server.clear_log()
    changed = site_server.change_article("story-00007")
    second = crawl(crawl_settings, "sample-sitemap")["sample-sitemap"]
    assert second.counts["skipped"] == 11
    assert second.counts["updated"] == 1
    assert site_server.article_fetches(status=None) == [changed.path]


def test_listing_follows_pagination_up_to_its_limit(crawl_settings, site_server):
    result = crawl(crawl_settings, "sample-listing")["sample-listing"]
    # Two listing pages (max_pages = 2) of five links each; page 3 is never asked for.
    assert result.counts["new"] == 10
    assert site_server.requests_for("/list/?page=2")
    assert not site_server.requests_for("/list/?page=3")
    # Tracking parameters are stripped before the request and in the store.
    assert all("utm_" not in path for path in site_server.article_fetches(status=None))
    assert all("utm_" not in url for url in stored_urls(crawl_settings))


def test_atom_feed_and_article_seen_by_two_sources_is_stored_once(crawl_settings, site_server):
    results = crawl(crawl_settings, "sample-atom", "sample-feed")
    assert results["sample-atom"].state == results["sample-feed"].state == "finished"
    urls = stored_urls(crawl_settings)
    assert len(urls) == len(set(urls)) == 12


def test_bad_pages_are_refused_politely_and_reported(crawl_settings, site_server):
    result = crawl(crawl_settings, "trouble")["trouble"]
    assert result.state == "finished"
    log = site_server.state.log
    paths = [r.path for r in log]
    # robots.txt: the disallowed page is never requested.
    assert "/news/private/secret.html" not in paths
    # 500 is retried (retry_times = 1), 404 is not.
    assert paths.count("/news/broken.html") == 2
    assert paths.count("/news/gone.html") == 1
    # 429 with Retry-After: 1 is retried after at least that long, then stored.
    busy = site_server.requests_for("/news/busy.html")
    assert [r.status for r in busy] == [429, 200]
    assert busy[1].at - busy[0].at >= 0.9
    # Redirects off-site and to a private address are refused (not followed).
    assert "/news/story-00000.html" not in paths
    with Store(crawl_settings.data_dir) as store:
        state = CrawlState(store)

        def error(name: str) -> str:
            known = state.get(canonical_url(site_server.url(f"/news/{name}.html")))
            assert known is not None and known.outcome == "failed", name
            return known.error or ""

        assert "HTTP status 404" in error("gone")
        assert "HTTP status 500" in error("broken")
        assert "off-site" in error("moved")
        assert "private address" in error("inside")
        assert "max size" in error("huge") or "maxsize" in error("huge")
        assert "took longer than" in error("slow") or "Timeout" in error("slow")
        assert "robots.txt" in error("private/secret")
        articles = {a.url.rsplit("/", 1)[1]: a for a in store.iter_articles()}
    # Only the two good pages are stored; the windows-1251 page is decoded right.
    assert set(articles) == {"busy.html", "cp1251.html"}
    assert articles["cp1251.html"].language == "ru"
    assert "Казахстан" in articles["cp1251.html"].title
    assert result.counts["new"] == 2
    assert result.counts["failed"] == 7


def test_warc_files_hold_every_response_and_reimport_with_coopwatch_import(
    crawl_settings, site_server, tmp_path
):
    crawl(crawl_settings, "sample-feed", "trouble")
    pages = crawl_settings.data_dir / WARC_DIR / PAGES_DIR
    hubs = crawl_settings.data_dir / WARC_DIR / HUBS_DIR
    assert {w.name.split("-")[0] for w in pages.glob("*.warc.gz")} == {"sample", "trouble"}
    fresh = load_settings(data_dir=tmp_path / "fresh")
    with Store(fresh.data_dir) as store:
        report = import_paths(store, [pages], fresh)
        reimported = sorted(a.url for a in store.iter_articles())
    assert report.failed == 0, report.failures
    assert reimported == stored_urls(crawl_settings)
    # Error answers are in the WARCs too: 404, 500 twice, 429, two redirects.
    assert report.skipped == 6
    hub_urls = set()
    for warc in hubs.glob("*.warc.gz"):
        with warc.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type == "response":
                    hub_urls.add(record.rec_headers.get_header("WARC-Target-URI"))
    assert {site_server.url(p) for p in ("/robots.txt", "/feed.xml", "/trouble.xml")} <= hub_urls


def test_small_limits_rotate_warc_files_and_analysis_workers(tmp_path, site_server):
    from crawl_settings import make_settings

    settings = make_settings(
        tmp_path,
        site_server,
        **{"crawler.warc_max_bytes": 4000, "crawler.analysis_worker_max_pages": 5},
    )
    result = crawl(settings, "sample-feed")["sample-feed"]
    warcs = list((settings.data_dir / WARC_DIR / PAGES_DIR).glob("*.warc.gz"))
    assert len(warcs) >= 4
    # 12 pages, one worker retired after each 5: pages 6 and 11 went to fresh workers, and
    # nothing was lost or stored twice on the way.
    assert result.resources["workers_recycled"] == 2
    assert result.counts["new"] == 12 and result.counts["failed"] == 0
    assert len(stored_urls(settings)) == 12
    assert result.resources["workers_cpu_s"] > 0


def test_a_source_already_running_is_not_started_twice(crawl_settings, site_server):
    lock = SourceLock(crawl_settings.data_dir, "sample-feed")
    assert lock.acquire()
    try:
        result = crawl(crawl_settings, "sample-feed")["sample-feed"]
    finally:
        lock.release()
    assert result.state == "locked"
    assert site_server.article_fetches(status=None) == []


def test_cli_crawl_status_and_check(crawl_settings, site_server, tmp_path):
    config = tmp_path / "coopwatch.toml"
    config.write_text(
        "[crawler]\n"
        + "".join(
            f"{k.split('.')[1]} = {json.dumps(v)}\n"
            for k, v in crawl_settings.crawler.model_dump().items()
            for k in [f"crawler.{k}"]
        ),
        encoding="utf-8",
    )
    base = [
        sys.executable,
        "-m",
        "coopwatch.cli",
        "--data-dir",
        str(crawl_settings.data_dir),
        "--config",
        str(config),
    ]
    done = subprocess.run(
        [*base, "crawl", "sample-feed"], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "sample-feed: finished: fetched 12, new 12" in done.stderr
    status = subprocess.run(
        [*base, "sources", "status", "sample-feed", "trouble"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert status.returncode == 0, status.stderr
    assert "sample-feed: 12 articles" in status.stdout
    assert "new 12, updated 0" in status.stdout
    assert "trouble: 0 articles  [never-run]" in status.stdout
    check = subprocess.run(
        [*base, "sources", "check", "sample-sitemap"], capture_output=True, text=True, timeout=120
    )
    assert check.returncode == 0, check.stderr
    assert "12 article links found" in check.stdout
    listing = subprocess.run([*base, "sources", "list"], capture_output=True, text=True, timeout=60)
    assert "sample-listing" in listing.stdout and "listing" in listing.stdout
    show = subprocess.run([*base, "schedule", "show"], capture_output=True, text=True, timeout=60)
    assert show.returncode == 0, show.stderr
    jobs = [line.split()[0] for line in show.stdout.splitlines()]
    assert sorted(jobs) == sorted(
        [
            "sample-feed",
            "sample-atom",
            "sample-sitemap",
            "sample-index",
            "sample-listing",
            "trouble",
            "walled",
        ]
    )
    assert "interval[1:00:00]" in show.stdout
    unknown = subprocess.run([*base, "crawl", "nope"], capture_output=True, text=True, timeout=60)
    assert unknown.returncode == 2 and "unknown source" in unknown.stderr


def test_one_request_at_a_time_per_domain(tmp_path):
    from crawl_settings import make_settings

    with SiteServer(articles=6, article_delay=0.2) as server:
        settings = make_settings(tmp_path, server, **{"crawler.concurrent_per_domain": 1})
        crawl(settings, "sample-feed")
        spans = sorted((r.started, r.at) for r in server.state.log)
    assert len(spans) == 8  # robots.txt, the feed, six articles
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert start >= end, "two requests to one domain overlapped"


def test_pages_without_dates_are_asked_conditionally_and_304_counts_unchanged(
    crawl_settings, site_server
):
    first = crawl(crawl_settings, "sample-listing")["sample-listing"]
    assert first.counts["new"] == 10
    site_server.clear_log()
    changed = site_server.change_article("story-00009")
    second = crawl(crawl_settings, "sample-listing")["sample-listing"]
    assert (second.counts["updated"], second.counts["unchanged"]) == (1, 9)
    assert second.counts["new"] == second.counts["skipped"] == 0
    articles = [r for r in site_server.state.log if r.path.startswith("/news/")]
    assert len(articles) == 10
    for request in articles:
        assert request.headers.get("if-none-match", "").startswith('"story-')
        assert request.headers.get("if-modified-since")
        assert request.status == (200 if request.path == changed.path else 304)
    assert len(stored_urls(crawl_settings)) == 10
