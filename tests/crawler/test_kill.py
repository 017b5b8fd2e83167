"""A crawl killed halfway loses nothing it stored, and the next run completes the rest."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from crawl_settings import make_settings
from polling import wait_until
from warcio.archiveiterator import ArchiveIterator

from coopwatch.errors import StoreError
from coopwatch.store import Store
from coopwatch.urls import canonical_url
from crawler.runner import run_subprocess, settings_json
from crawler.state import CrawlState
from crawler.testsite import SiteServer
from crawler.warc import PAGES_DIR, WARC_DIR


def stored_count(settings) -> int:
    if not (settings.data_dir / "coopwatch.sqlite3").exists():
        return 0
    try:
        with Store(settings.data_dir) as store:
            return store.count_articles()
    except StoreError:  # created this very moment by the crawl: ask again
        return 0


def warc_urls(directory) -> set[str]:
    urls = set()
    for path in directory.glob("*.warc.gz"):
        with path.open("rb") as stream:
            try:
                for record in ArchiveIterator(stream):
                    if (
                        record.rec_type == "response"
                        and record.http_headers.get_statuscode() == "200"
                    ):
                        urls.add(canonical_url(record.rec_headers.get_header("WARC-Target-URI")))
            except Exception:  # the record being written at the kill may be cut short
                pass
    return urls


@pytest.mark.slow
def test_killed_crawl_loses_nothing_and_the_next_run_completes(tmp_path):
    total = 40
    with SiteServer(articles=total, article_delay=0.1) as server:
        settings = make_settings(tmp_path, server, **{"crawler.concurrent_per_domain": 1})
        command = [
            sys.executable,
            "-m",
            "crawler",
            "--settings-json",
            settings_json(settings),
            "sample-feed",
        ]
        # Its own process group: the kill takes the crawl and its analysis workers at once.
        errors = (tmp_path / "crawl.err").open("w+")
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=errors, start_new_session=True
        )
        try:
            assert wait_until(lambda: stored_count(settings) >= 3 or process.poll() is not None)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=60)
        errors.seek(0)
        assert process.returncode == -signal.SIGKILL, errors.read()[-3000:]
        served_first = {canonical_url(server.url(p)) for p in server.article_fetches(status=200)}

        with Store(settings.data_dir) as store:
            stored_first = {a.url for a in store.iter_articles()}
            (run,) = CrawlState(store).runs("sample-feed")
        assert run.state == "interrupted"
        assert 1 <= len(stored_first) < total
        # The run's tally may lag the store: a worker finishes the page it had when killed.
        assert run.counts.new <= len(stored_first)

        # Nothing fetched is lost: each page served is in the store or in the WARC files,
        # except answers in flight at the kill: with one request at a time per domain, the
        # one being received and the one just received (its slot frees before the
        # middlewares, where the WARC is written, have run).
        in_warc = warc_urls(settings.data_dir / WARC_DIR / PAGES_DIR)
        assert len(served_first - (stored_first | in_warc)) <= 2
        assert stored_first <= in_warc
        server.clear_log()
        (result,) = run_subprocess(settings, ["sample-feed"], timeout=300)
        assert result.state == "finished"
        with Store(settings.data_dir) as store:
            urls = [row[0] for row in store.conn.execute("SELECT url FROM articles")]
            runs = CrawlState(store).runs("sample-feed")
        # Everything is stored, once; what the killed run stored was not downloaded again.
        assert len(urls) == len(set(urls)) == total
        refetched = {canonical_url(server.url(p)) for p in server.article_fetches(status=200)}
        # (At most one: a worker killed between storing a page and noting its ETag.)
        assert len(refetched & stored_first) <= 1
        assert result.counts["new"] == total - len(stored_first)
        assert [r.state for r in runs] == ["finished", "interrupted"]
