"""`coopwatch sources list|check|status`, `coopwatch crawl`, `coopwatch schedule run|show`.

Only click and the light registry/state modules are imported here; Scrapy is loaded by the
crawl subprocess, APScheduler only by the schedule commands.
"""

from __future__ import annotations

import contextlib
import sys
import time
from datetime import UTC, datetime, timedelta

import click

from coopwatch.settings import Settings
from crawler.sources import load_sources, select_sources, sources_path


def _settings(ctx: click.Context) -> Settings:
    return ctx.obj["settings"]


def _short(text: str | None, width: int = 90) -> str:
    text = (text or "").replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


@click.group()
def sources() -> None:
    """The source registry: list, check and status of crawled sources."""


@sources.command("list")
@click.pass_context
def list_sources(ctx: click.Context) -> None:
    """List every source with its language, kind, interval and start URL."""
    settings = _settings(ctx)
    path = sources_path(settings)
    registry = load_sources(path)
    click.echo(f"{len(registry)} sources in {path}")
    for s in registry:
        flag = "" if s.enabled else "  (disabled)"
        click.echo(
            f"{s.key:18} {s.language}  {s.kind.value:8} every {s.interval_minutes:>4} min  "
            f"{s.start_urls[0]}{flag}"
        )


@sources.command("check")
@click.argument("keys", nargs=-1)
@click.pass_context
def check_sources(ctx: click.Context, keys: tuple[str, ...]) -> None:
    """Fetch the start URLs of sources once (nothing stored) and report what was found."""
    from crawler.runner import run_subprocess

    settings = _settings(ctx)
    chosen = select_sources(load_sources(sources_path(settings)), keys)
    results = run_subprocess(settings, [s.key for s in chosen], check_only=True)
    empty = 0
    for result in results:
        click.echo(f"{result.source}:")
        for url, status in result.hubs:
            click.echo(f"  {status or 'failed'}  {url}")
        if result.counts.get("last_error"):
            click.echo(f"  error: {_short(str(result.counts['last_error']))}")
        click.echo(f"  {len(result.discovered)} article links found")
        for url in result.discovered[:3]:
            click.echo(f"    {url}")
        empty += not result.discovered
    sys.exit(1 if empty else 0)


@sources.command("status")
@click.argument("keys", nargs=-1)
@click.pass_context
def source_status(ctx: click.Context, keys: tuple[str, ...]) -> None:
    """Last run of each source (fetched, new, updated, failed, duration, last error) and flags."""
    from coopwatch.store import Store
    from crawler.state import CrawlState

    settings = _settings(ctx)
    registry = load_sources(sources_path(settings))
    chosen = select_sources(registry, keys) if keys else registry
    with Store(settings.data_dir) as store:
        state = CrawlState(store)
        for source in chosen:
            health = state.health(
                source.key,
                stale_after=timedelta(days=settings.crawler.stale_after_days),
                error_runs=settings.crawler.error_runs_to_flag,
            )
            flags = f"  [{', '.join(health.flags)}]" if health.flags else ""
            disabled = "" if source.enabled else " (disabled)"
            click.echo(f"{source.key}{disabled}: {health.articles} articles{flags}")
            run = health.last_run
            if run is None:
                continue
            c = run.counts
            took = f"{run.duration:.1f}s" if run.duration is not None else "-"
            click.echo(
                f"  last run {run.started_at} {run.state}: fetched {c.fetched}, new {c.new}, "
                f"updated {c.updated}, unchanged {c.unchanged}, failed {c.failed}, "
                f"skipped {c.skipped}, consent walls {c.consent}, error pages {c.error_pages}, "
                f"took {took}"
            )
            if c.last_error:
                click.echo(f"  last error: {_short(c.last_error)}")


@click.command()
@click.argument("keys", nargs=-1)
@click.pass_context
def crawl(ctx: click.Context, keys: tuple[str, ...]) -> None:
    """Crawl sources now (all enabled ones when none is named), in a subprocess."""
    from crawler.runner import run_subprocess

    settings = _settings(ctx)
    chosen = select_sources(load_sources(sources_path(settings)), keys)
    started = time.monotonic()
    results = run_subprocess(settings, [s.key for s in chosen])
    for r in results:
        c = r.counts
        line = f"{r.source}: {r.state}"
        if c:
            line += (
                f": fetched {c['fetched']}, new {c['new']}, updated {c['updated']}, "
                f"unchanged {c['unchanged']}, failed {c['failed']}, skipped {c['skipped']}, "
                f"consent walls {c.get('consent', 0)}, error pages {c.get('error_pages', 0)}"
            )
        if r.flags:
            line += f"  [{', '.join(r.flags)}]"
        click.echo(line, err=True)
    click.echo(f"crawled {len(results)} source(s) in {time.monotonic() - started:.1f}s", err=True)
    sys.exit(1 if any(r.state == "failed" for r in results) else 0)


@click.group()
def schedule() -> None:
    """Run sources at their intervals (APScheduler; jobs kept in the data directory)."""


@schedule.command("run")
@click.pass_context
def schedule_run(ctx: click.Context) -> None:
    """Run the scheduler in the foreground until interrupted."""
    from crawler.schedule import make_scheduler, sync_jobs

    settings = _settings(ctx)
    registry = load_sources(sources_path(settings))
    # Stored jobs can only be read by a started scheduler: sync them on a paused background
    # scheduler over the same job store, then hand the store to the blocking one.
    syncer = make_scheduler(settings)
    syncer.start(paused=True)
    try:
        changes = sync_jobs(syncer, settings, registry)
    finally:
        syncer.shutdown(wait=False)
    for key, change in sorted(changes.items()):
        click.echo(f"{key}: {change}", err=True)
    click.echo("scheduler running; Ctrl-C stops it", err=True)
    scheduler = make_scheduler(settings, blocking=True)
    with contextlib.suppress(KeyboardInterrupt, SystemExit):
        scheduler.start()


@schedule.command("show")
@click.pass_context
def schedule_show(ctx: click.Context) -> None:
    """List the scheduled jobs with their next run times (syncs them with the registry)."""
    from crawler.schedule import make_scheduler, sync_jobs

    settings = _settings(ctx)
    registry = load_sources(sources_path(settings))
    scheduler = make_scheduler(settings)
    scheduler.start(paused=True)
    try:
        sync_jobs(scheduler, settings, registry)
        now = datetime.now(UTC)
        for job in sorted(scheduler.get_jobs(), key=lambda j: j.next_run_time or now):
            when = job.next_run_time.isoformat(timespec="seconds") if job.next_run_time else "-"
            click.echo(f"{job.id.removeprefix('crawl:'):18} next {when}  {job.trigger}")
    finally:
        scheduler.shutdown(wait=False)
