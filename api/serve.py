"""`coopwatch serve`: one process with the API, the web page and the scheduler (crawls per
source, the weekly digest); SIGINT/SIGTERM stop the web server, then the scheduler, cleanly."""

from __future__ import annotations

import logging
import signal

from coopwatch.settings import Settings

log = logging.getLogger(__name__)


def start_scheduler(settings: Settings, crawl: bool = True):
    """A background scheduler holding the crawl jobs (unless `crawl` is off) and the digest job."""
    from api.digest.schedule import schedule_digest_job
    from crawler.schedule import make_scheduler, sync_jobs
    from crawler.sources import load_sources, sources_path

    scheduler = make_scheduler(settings)
    scheduler.start()
    if crawl:
        changes = sync_jobs(scheduler, settings, load_sources(sources_path(settings)))
        log.info("crawl jobs: %s", changes)
    schedule_digest_job(scheduler, settings)
    return scheduler


def serve(settings: Settings, host: str, port: int, crawl: bool = True) -> None:
    import uvicorn

    from api.app import create_app

    scheduler = start_scheduler(settings, crawl=crawl)
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


def _noted(signum, frame) -> None:
    log.info("signal %s: shutting down", signum)
