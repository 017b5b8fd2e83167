"""`coopwatch serve`: one process with the API, the web page and the scheduler (crawls per
source, the weekly digest); SIGINT/SIGTERM stop the web server, then the scheduler, cleanly."""

from __future__ import annotations

import logging
import signal

from coopwatch.settings import Settings

log = logging.getLogger(__name__)


INDEX_JOB_ID = "index-catch-up"
# Crawls run in subprocesses that store articles and events (marked for the index by the
# store's triggers) but leave indexing to whoever searches: serve catches up this often.
INDEX_CATCH_UP_SECONDS = 30
_ANALYZERS: dict[str, object] = {}  # settings JSON -> text analyzer, loaded once per process


def index_catch_up_job(settings_json: str) -> None:
    """Index whatever the store marked stale (`index_pending`); cheap when nothing is."""
    from coopwatch.errors import CoopwatchError
    from coopwatch.store import Store

    settings = Settings.model_validate_json(settings_json)
    with Store(settings.data_dir) as store:
        exists = store.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'index_pending'"
        ).fetchone()
        if not exists or not store.conn.execute("SELECT 1 FROM index_pending").fetchone():
            return
        from coopwatch.text_analysis import analyzer_from_settings
        from index.search_index import open_index

        if settings_json not in _ANALYZERS:
            _ANALYZERS[settings_json] = analyzer_from_settings(settings)
        try:
            index = open_index(settings, store, analyzer=_ANALYZERS[settings_json])
            try:
                done = index.catch_up()
            finally:
                index.close()
        except CoopwatchError as exc:
            log.warning("search index not caught up: %s", exc)
            return
    if done:
        log.info("search index: %d documents caught up", done)


def start_scheduler(settings: Settings, crawl: bool = True):
    """A background scheduler holding the crawl jobs (unless `crawl` is off), the digest job
    and the search index catch-up."""
    from datetime import UTC, datetime

    from api.digest.schedule import schedule_digest_job
    from crawler.schedule import make_scheduler, sync_jobs
    from crawler.sources import load_sources, sources_path

    scheduler = make_scheduler(settings)
    scheduler.start()
    if crawl:
        changes = sync_jobs(scheduler, settings, load_sources(sources_path(settings)))
        log.info("crawl jobs: %s", changes)
    schedule_digest_job(scheduler, settings)
    scheduler.add_job(
        "api.serve:index_catch_up_job",
        "interval",
        seconds=INDEX_CATCH_UP_SECONDS,
        args=[settings.model_dump_json()],
        id=INDEX_JOB_ID,
        name="search index catch-up",
        replace_existing=True,
        next_run_time=datetime.now(UTC),  # and once at start: what changed while it was down
    )
    return scheduler


def serve(settings: Settings, host: str, port: int, crawl: bool = True) -> None:
    import uvicorn

    from api.app import create_app

    scheduler = start_scheduler(settings, crawl=crawl)
    _announce(settings, host, port, crawl)
    # uvicorn handles SIGINT/SIGTERM itself (drains requests), then re-raises the signal to the
    # handler it found: make that one a no-op so the scheduler below is shut down too.
    previous = {sig: signal.signal(sig, _noted) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        uvicorn.run(
            create_app(settings), host=host, port=port, log_level=settings.log_level.lower()
        )
    finally:
        scheduler.shutdown(wait=True)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        log.info("stopped: web server and scheduler")


def _announce(settings: Settings, host: str, port: int, crawl: bool) -> None:
    """Tell the person who started it where to look (log levels hide uvicorn's own line)."""
    import sys

    from coopwatch.store import Store

    with Store(settings.data_dir) as store:
        articles = store.count_articles()
    print(
        f"coopwatch: serving the web page on http://{host}:{port}/ and the JSON API on "
        f"http://{host}:{port}/v1/ (docs /docs), data in {settings.data_dir}; Ctrl-C stops",
        file=sys.stderr,
        flush=True,
    )
    if not articles:
        print(
            "coopwatch: the store is empty: "
            + ("the sources are crawled on their schedule" if crawl else "crawls are off")
            + "; to see events now, run `coopwatch demo` (the sample site, crawled and served)",
            file=sys.stderr,
            flush=True,
        )


def _noted(signum, frame) -> None:
    log.info("signal %s: shutting down", signum)
