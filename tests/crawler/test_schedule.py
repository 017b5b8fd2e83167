"""Scheduling without waiting: fire times are computed, a job is run now."""

from __future__ import annotations

import itertools
import threading
from datetime import UTC, datetime, timedelta

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED

from coopwatch.store import Store
from crawler.schedule import job_id, make_scheduler, next_fire_times, sync_jobs
from crawler.sources import load_sources, sources_path
from crawler.state import CrawlState


def started(settings):
    scheduler = make_scheduler(settings)
    scheduler.start(paused=True)
    return scheduler


def test_one_job_per_enabled_source_with_interval_jitter_and_no_overlap(crawl_settings):
    sources = load_sources(sources_path(crawl_settings))
    scheduler = started(crawl_settings)
    now = datetime.now(UTC)
    try:
        changes = sync_jobs(scheduler, crawl_settings, sources, now=now)
        assert set(changes.values()) == {"added"}
        jobs = {job.id: job for job in scheduler.get_jobs()}
        assert set(jobs) == {job_id(s) for s in sources}
        jitter = timedelta(seconds=crawl_settings.crawler.jitter_seconds)
        for source in sources:
            job = jobs[job_id(source)]
            assert job.max_instances == 1
            assert job.coalesce is True
            assert job.misfire_grace_time == crawl_settings.crawler.misfire_grace_seconds
            assert job.args[0] == source.key
            # The first run comes within the jitter window, not one interval later.
            assert now <= job.next_run_time <= now + jitter
            fires = next_fire_times(job, 5, now)
            interval = timedelta(minutes=source.interval_minutes)
            for earlier, later in itertools.pairwise(fires):
                assert interval - jitter <= later - earlier <= interval + jitter
            assert str(job.trigger.timezone) == "UTC"
    finally:
        scheduler.shutdown(wait=False)


def test_jobs_persist_and_a_restart_keeps_their_next_run_time(crawl_settings):
    sources = load_sources(sources_path(crawl_settings))
    scheduler = started(crawl_settings)
    sync_jobs(scheduler, crawl_settings, sources)
    before = {job.id: job.next_run_time for job in scheduler.get_jobs()}
    scheduler.shutdown(wait=False)

    again = started(crawl_settings)
    try:
        changes = sync_jobs(again, crawl_settings, sources)
        assert set(changes.values()) == {"kept"}
        assert {job.id: job.next_run_time for job in again.get_jobs()} == before
        # A changed interval replaces the job; a source gone from the registry loses it.
        changed = [sources[0].model_copy(update={"interval_minutes": 999}), *sources[2:]]
        changes = sync_jobs(again, crawl_settings, changed)
        assert changes[sources[0].key] == "replaced"
        assert changes[sources[1].key] == "removed"
        assert again.get_job(job_id(sources[1])) is None
        assert again.get_job(job_id(sources[0])).trigger.interval == timedelta(minutes=999)
    finally:
        again.shutdown(wait=False)
    assert (crawl_settings.data_dir / "schedule.sqlite3").is_file()


def test_running_a_job_now_crawls_in_a_subprocess_and_records_the_run(crawl_settings, site_server):
    sources = [s for s in load_sources(sources_path(crawl_settings)) if s.key == "sample-feed"]
    scheduler = started(crawl_settings)
    done = threading.Event()
    outcome: dict[str, object] = {}

    def listener(event):
        outcome["event"] = event
        done.set()

    scheduler.add_listener(listener, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
    try:
        sync_jobs(scheduler, crawl_settings, sources)
        scheduler.modify_job(job_id("sample-feed"), next_run_time=datetime.now(UTC))
        scheduler.resume()
        assert done.wait(timeout=300), "the job did not run"
    finally:
        scheduler.shutdown(wait=True)
    event = outcome["event"]
    assert event.exception is None
    assert event.retval == {"sample-feed": "finished"}
    with Store(crawl_settings.data_dir) as store:
        (run,) = CrawlState(store).runs("sample-feed")
        assert run.state == "finished" and run.counts.new == 12
        assert store.count_articles() == 12
