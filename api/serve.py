"""`coopwatch serve`: one process with the API, the web page and the scheduler (crawls per
source, the weekly digest).

SIGINT/SIGTERM: the web server stops accepting connections and drains requests; at the same
time the scheduler is paused (no new jobs) and every running crawl subprocess is asked to stop
(it closes its spider, keeping all it fetched, and stores the run as interrupted); after
`api.shutdown_grace_seconds` what is left is killed (a second Ctrl-C kills at once); then the
scheduler shuts down, its jobs having returned."""

from __future__ import annotations

import logging
import signal
import threading
import time

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
    from api.app import create_app
    from api.balance import ApiServer, Dispatcher

    config = _config(create_app(settings), settings, host, port)
    # Bound here, before anything starts, so a taken port fails at once; only this process
    # accepts, and hands the connections round (api/balance.py).
    sock = config.bind_socket()
    sock.listen(config.backlog)  # clients that come during the start wait in the backlog
    scheduler = start_scheduler(settings, crawl=crawl)
    _announce(settings, host, port, crawl)
    workers = ApiWorkers(settings, host, port)
    # A second Ctrl-C makes uvicorn force its exit: the crawls are killed at once then too.
    stopper = Stopper(
        scheduler, settings.api.shutdown_grace_seconds, workers, lambda: server.force_exit
    )
    # The stopper starts as soon as the server begins to shut down (beside its draining of
    # requests, not after it).
    dispatcher = Dispatcher(sock, workers.channels)
    server = ApiServer(config, dispatcher, on_shutdown=stopper.start)

    def stop_early(signum, frame) -> None:
        # Before uvicorn's own handlers are in (while the other API processes start), a
        # signal must not be lost: the server then stops at once.
        log.info("signal %s: shutting down", signum)
        server.should_exit = True

    # uvicorn handles SIGINT/SIGTERM itself (drains requests), then re-raises the signal to the
    # handler it found: this one, so the scheduler below is shut down too.
    previous = {sig: signal.signal(sig, stop_early) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        workers.start()
        server.run()
    finally:
        stopper.join()  # started by the server's shutdown, or now (e.g. the port was taken)
        # Paused, and the crawls are gone: the running jobs return at once.
        scheduler.shutdown(wait=True)
        workers.join()
        sock.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        log.info("stopped: web server and scheduler")


def _config(app, settings: Settings, host: str, port: int):
    import uvicorn

    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=settings.log_level.lower(),
        # open requests, then connections are cut
        timeout_graceful_shutdown=max(settings.api.shutdown_grace_seconds, 1),
    )


def _api_worker(settings_json: str, host: str, port: int, channel, ready) -> None:
    """One more API process (no scheduler), answering the connections serve hands to it over
    `channel`; uvicorn drains its requests on SIGTERM/SIGINT, and it stops when serve's end of
    the channel closes."""
    from api.app import create_app
    from api.balance import ApiServer, Receiver

    settings = Settings.model_validate_json(settings_json)
    logging.basicConfig(  # as the CLI configures the serve process
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    server = ApiServer(_config(create_app(settings), settings, host, port), Receiver(channel))
    ready.set()
    server.run()


class ApiWorkers:
    """The `api.workers - 1` processes that answer requests beside the serve process (a
    search is CPU-bound Python, so one process uses one core)."""

    def __init__(self, settings: Settings, host: str, port: int):
        import multiprocessing

        from api.balance import channel_pair

        context = multiprocessing.get_context("spawn")  # no threads or locks forked
        self.grace = settings.api.shutdown_grace_seconds
        self.ready = [context.Event() for _ in range(1, settings.api.workers)]
        pairs = [channel_pair() for _ in self.ready]
        self.channels = [ours for ours, _ in pairs]  # serve's ends, for its Dispatcher
        self._their_ends = [theirs for _, theirs in pairs]
        self.processes = [
            context.Process(
                target=_api_worker,
                args=(settings.model_dump_json(), host, port, theirs, ready),
                name=f"coopwatch-api-{number}",
                daemon=True,
            )
            for number, (ready, theirs) in enumerate(
                zip(self.ready, self._their_ends, strict=True), start=1
            )
        ]

    def start(self, timeout: float = 60.0) -> None:
        """Start them and wait until each has its app (at most `timeout` seconds): the
        connections handed to a process that is still starting would wait for it."""
        for process in self.processes:
            process.start()
        for end in self._their_ends:
            # Each process has its copy now; without ours, a process that dies closes its
            # channel, and serve stops handing connections to it.
            end.close()
        deadline = time.monotonic() + timeout
        for number, (ready, process) in enumerate(zip(self.ready, self.processes, strict=True)):
            while not ready.wait(0.2) and process.is_alive() and time.monotonic() < deadline:
                pass
            if not ready.is_set():
                log.warning("API process %s did not start: serve answers its share", process.name)
                process.kill()
                self.channels[number].close()  # handed nothing (Dispatcher.start)

    def stop(self) -> None:
        """Ask each to drain and exit (SIGTERM), as the serve process itself does."""
        for process in self.processes:
            if process.pid is not None and process.is_alive():
                process.terminate()

    def join(self) -> None:
        self.stop()
        for process in self.processes:
            if process.pid is None:
                continue
            process.join(self.grace + 5)
            if process.is_alive():
                process.kill()
                process.join()


class Stopper:
    """Stops the scheduler's work once, in a thread of its own (beside uvicorn's draining of
    requests): pause the scheduler so no job starts, then stop the crawl subprocesses."""

    def __init__(self, scheduler, grace: float, workers: ApiWorkers | None = None, force=None):
        self.scheduler = scheduler
        self.grace = grace
        self.workers = workers
        self.force = force
        self._thread = threading.Thread(target=self._run, name="coopwatch-stop", daemon=True)
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            if self._thread.ident is None:
                self._thread.start()

    def join(self) -> None:
        self.start()
        self._thread.join()

    def _run(self) -> None:
        from apscheduler.schedulers.base import STATE_RUNNING

        from crawler.runner import stop_crawls

        # Paused first: a job that came due now would otherwise be handed to an executor
        # that shutdown() is closing ("cannot schedule new futures after shutdown").
        if self.scheduler.state == STATE_RUNNING:
            self.scheduler.pause()
        if self.workers is not None:
            self.workers.stop()  # they drain their requests as this process does
        report = stop_crawls(self.grace, self.force)
        if report.stopped or report.killed:
            log.info("crawls: %d stopped, %d killed", report.stopped, report.killed)


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
