"""Crawl state in the store: URL validators, runs, and the flags `sources status` shows."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

from coopwatch.store import MIGRATIONS, Store
from crawler.state import CrawlState, RunCounts


def test_crawler_tables_are_migration_2(store):
    assert store.schema_version == len(MIGRATIONS) >= 2
    tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master")}
    assert {"crawl_urls", "crawl_runs"} <= tables


def test_failure_keeps_the_validators_of_the_last_good_fetch(store):
    state = CrawlState(store)
    url = "https://example.org/news/a.html"
    state.record(url, "s", outcome="imported", status=200, etag='"v1"', lastmod="2026-01-01")
    state.record(url, "s", outcome="failed", status=500, error="HTTP status 500")
    known = state.get(url)
    assert known is not None
    assert (known.etag, known.lastmod, known.outcome, known.status) == (
        '"v1"',
        "2026-01-01",
        "failed",
        500,
    )
    assert not known.ok
    state.record(url, "s", outcome="not_modified", status=304)
    assert state.get(url).ok and state.get(url).etag == '"v1"'


def test_runs_are_listed_newest_first_and_dead_runs_show_as_interrupted(store):
    state = CrawlState(store)
    first = state.start_run("s")
    state.finish_run(
        first, RunCounts(fetched=3, new=3), state="finished", reason="finished", duration=1.5
    )
    second = state.start_run("s")
    # A run whose process is gone (killed) keeps state 'running' in the table.
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    store.conn.execute("UPDATE crawl_runs SET pid=? WHERE id=?", (int(dead.stdout), second))
    runs = state.runs("s")
    assert [r.id for r in runs] == [second, first]
    assert runs[0].state == "interrupted"
    assert runs[1].counts.new == 3 and runs[1].duration == 1.5
    assert "interrupted" in state.health("s", stale_after=timedelta(days=1), error_runs=3).flags


def test_source_with_only_error_pages_is_flagged(store):
    state = CrawlState(store)
    for _ in range(3):
        run = state.start_run("walled")
        state.record("https://w.example/news/1", "walled", outcome="failed", status=403)
        state.finish_run(
            run, RunCounts(fetched=1, failed=1), state="finished", reason="finished", duration=0.1
        )
    health = state.health("walled", stale_after=timedelta(days=14), error_runs=3)
    assert "errors-only" in health.flags
    good = state.start_run("walled")
    state.finish_run(
        good, RunCounts(fetched=1, new=1), state="finished", reason="finished", duration=0.1
    )
    assert (
        "errors-only"
        not in state.health("walled", stale_after=timedelta(days=14), error_runs=3).flags
    )


def test_source_without_new_articles_for_too_long_is_flagged_stale(store):
    state = CrawlState(store)
    run = state.start_run("quiet")
    state.record("https://q.example/news/1", "quiet", outcome="imported", status=200)
    state.finish_run(
        run, RunCounts(fetched=1, new=1), state="finished", reason="finished", duration=0.1
    )
    now = datetime.now(UTC)
    fresh = state.health("quiet", stale_after=timedelta(days=14), error_runs=3, now=now)
    later = state.health(
        "quiet", stale_after=timedelta(days=14), error_runs=3, now=now + timedelta(days=15)
    )
    assert fresh.flags == [] and fresh.articles == 1
    assert later.flags == ["stale"]
    assert state.health("never", stale_after=timedelta(days=1), error_runs=3).flags == ["never-run"]


def test_state_survives_reopening_the_store(settings):
    with Store(settings.data_dir) as store:
        CrawlState(store).record("https://e.org/x", "s", outcome="imported", status=200, etag='"e"')
    with Store(settings.data_dir) as store:
        assert CrawlState(store).get("https://e.org/x").etag == '"e"'
