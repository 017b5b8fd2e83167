"""Scheduling: one APScheduler 3.x job per source, persisted in the data directory.

Jobs use interval triggers in UTC (no cron at local midnight: APScheduler 3.11 skips a day at
the spring DST change), random jitter, `max_instances=1`, coalesced misfires with a grace
time. Each job runs its crawl in a fresh subprocess (`python -m crawler`); a lock file per
source also keeps a manual `coopwatch crawl` and a scheduled run of one source apart.
"""

from __future__ import annotations

import logging
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger

from coopwatch.settings import Settings
from crawler.sources import Source

log = logging.getLogger(__name__)

JOBSTORE_FILE = "schedule.sqlite3"
JOB_PREFIX = "crawl:"


def job_id(source: Source | str) -> str:
    return JOB_PREFIX + (source if isinstance(source, str) else source.key)


def make_scheduler(settings: Settings, *, blocking: bool = False) -> BaseScheduler:
    """A scheduler whose jobs live in `<data_dir>/schedule.sqlite3`."""
    data_dir = Path(settings.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    store = SQLAlchemyJobStore(url=f"sqlite:///{(data_dir / JOBSTORE_FILE).resolve()}")
    options = {
        "jobstores": {"default": store},
        # Two workers: a crawl is a subprocess the worker waits for; the machine has 2 cores.
        "executors": {"default": {"type": "threadpool", "max_workers": 2}},
        "job_defaults": {
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": settings.crawler.misfire_grace_seconds,
        },
        "timezone": UTC,
    }
    return BlockingScheduler(**options) if blocking else BackgroundScheduler(**options)


def trigger_for(source: Source, settings: Settings) -> IntervalTrigger:
    return IntervalTrigger(
        minutes=source.interval_minutes,
        jitter=settings.crawler.jitter_seconds or None,
        timezone=UTC,
    )


def sync_jobs(
    scheduler: BaseScheduler, settings: Settings, sources: list[Source], now: datetime | None = None
) -> dict[str, str]:
    """Make the stored jobs match the enabled sources; returns what happened per source.

    A job whose interval is unchanged keeps its stored next run time (restarts do not
    postpone crawls); a new source gets its first run within the jitter window.
    """
    now = now or datetime.now(UTC)
    wanted = {job_id(s): s for s in sources if s.enabled}
    changes: dict[str, str] = {}
    for job in scheduler.get_jobs():
        if job.id.startswith(JOB_PREFIX) and job.id not in wanted:
            scheduler.remove_job(job.id)
            changes[job.id.removeprefix(JOB_PREFIX)] = "removed"
    settings_json = settings.model_dump_json()
    for jid, source in wanted.items():
        trigger = trigger_for(source, settings)
        existing = scheduler.get_job(jid)
        if (
            existing is not None
            and isinstance(existing.trigger, IntervalTrigger)
            and existing.trigger.interval == trigger.interval
            and existing.trigger.jitter == trigger.jitter
        ):
            scheduler.modify_job(jid, args=[source.key, settings_json], name=source.name)
            changes[source.key] = "kept"
            continue
        first = now + timedelta(seconds=random.uniform(0, settings.crawler.jitter_seconds))
        scheduler.add_job(
            "crawler.schedule:crawl_job",
            trigger,
            args=[source.key, settings_json],
            id=jid,
            name=source.name,
            replace_existing=True,
            next_run_time=first,
        )
        changes[source.key] = "replaced" if existing is not None else "added"
    return changes


def crawl_job(source_key: str, settings_json: str) -> dict[str, object]:
    """What a scheduled job runs: one crawl of one source in its own subprocess."""
    from crawler.runner import run_subprocess

    settings = Settings.model_validate_json(settings_json)
    results = run_subprocess(settings, [source_key])
    outcome = {r.source: r.state for r in results}
    log.info("scheduled crawl of %s: %s", source_key, outcome)
    return outcome


def next_fire_times(job, count: int, now: datetime) -> list[datetime]:
    """The next `count` fire times of a job's trigger after `now` (jitter included)."""
    times: list[datetime] = []
    previous = None
    moment = now
    for _ in range(count):
        fire = job.trigger.get_next_fire_time(previous, moment)
        if fire is None:
            break
        times.append(fire)
        previous, moment = fire, fire
    return times
