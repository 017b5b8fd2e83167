"""A crawl killed halfway loses nothing it stored, and the next run completes the rest."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest
from conftest import make_settings

from coopwatch.store import Store
from coopwatch.urls import canonical_url
from crawler.runner import run_subprocess, settings_json
from crawler.state import CrawlState
from crawler.testsite import SiteServer


@pytest.mark.slow
def test_killed_crawl_loses_nothing_and_the_next_run_completes(tmp_path):
    with SiteServer(articles=24, article_delay=0.2) as server:
        settings = make_settings(tmp_path, server, **{"crawler.concurrent_per_domain": 1})
        command = [
            sys.executable,
            "-m",
            "crawler",
            "--settings-json",
            settings_json(settings),
            "sample-feed",
        ]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        try:
            assert server.wait_for(lambda s: len(s.article_fetches()) >= 8, timeout=120)
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=60)
        assert process.returncode == -signal.SIGKILL

        with Store(settings.data_dir) as store:
            stored_first = {a.url for a in store.iter_articles()}
            (run,) = CrawlState(store).runs("sample-feed")
        assert run.state == "interrupted"
        assert 1 <= len(stored_first) < 24
        assert run.counts.new == len(stored_first)

        server.clear_log()
        (result,) = run_subprocess(settings, ["sample-feed"], timeout=300)
        assert result.state == "finished"
        with Store(settings.data_dir) as store:
            urls = [row[0] for row in store.conn.execute("SELECT url FROM articles")]
            runs = CrawlState(store).runs("sample-feed")
        # Everything is stored, once; what the killed run stored was not downloaded again.
        assert len(urls) == len(set(urls)) == 24
        refetched = {canonical_url(server.url(p)) for p in server.article_fetches(status=200)}
        assert not refetched & stored_first
        assert result.counts["new"] == 24 - len(stored_first)
        assert [r.state for r in runs] == ["finished", "interrupted"]
