"""Run crawls of sources in this process (one Twisted reactor), and the subprocess entry point.

Production and tests start crawls the same way: `python -m crawler --settings-json JSON KEY...`
in a fresh process (Twisted's reactor cannot restart), which prints one JSON line per source.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from coopwatch.errors import CoopwatchError
from coopwatch.settings import Settings
from crawler.sources import Source, load_sources, select_sources, sources_path

log = logging.getLogger(__name__)

LOCK_DIR = "locks"


def user_agent(settings: Settings) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        release = version("coopwatch")
    except PackageNotFoundError:
        release = "dev"
    return f"coopwatch/{release} (+{settings.crawler.contact_url})"


def scrapy_settings(settings: Settings, *, check_only: bool = False) -> dict[str, Any]:
    """Scrapy settings for coopwatch's politeness rules (see README, crawler section)."""
    c = settings.crawler
    return {
        "BOT_NAME": "coopwatch",
        "USER_AGENT": user_agent(settings),
        "ROBOTSTXT_OBEY": True,
        "ROBOTSTXT_USER_AGENT": "coopwatch",
        "AUTOTHROTTLE_ENABLED": c.autothrottle,
        "AUTOTHROTTLE_START_DELAY": max(c.download_delay, 1.0),
        "AUTOTHROTTLE_MAX_DELAY": 60.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
        "DOWNLOAD_DELAY": c.download_delay,
        "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": c.concurrent_per_domain,
        # Responses waiting for an analysis worker are held in memory up to this many bytes
        # before Scrapy pauses downloading (default 5 MB: ~1,000 news pages, far more than
        # the workers need queued; it made the crawl process's memory swell early on).
        "SCRAPER_SLOT_MAX_ACTIVE_SIZE": 1_000_000,
        # Outputs of one response processed at once. An article page gives one item, a sitemap
        # many requests handled synchronously; Scrapy starts this many Twisted cooperative
        # tasks per response (default 100: a quarter of the crawl process's CPU per page).
        "CONCURRENT_ITEMS": 4,
        "DOWNLOAD_TIMEOUT": c.download_timeout,
        "DOWNLOAD_MAXSIZE": c.max_page_bytes,
        "DOWNLOAD_WARNSIZE": max(c.max_page_bytes // 2, 1),
        "RETRY_ENABLED": True,
        "RETRY_TIMES": 0 if check_only else c.retry_times,  # a check reports, not insists
        "RETRY_HTTP_CODES": [429, 500, 502, 503, 504, 522, 524, 408],
        "COOPWATCH_RETRY_BACKOFF": c.retry_backoff,
        "COOPWATCH_RETRY_AFTER_MAX": c.retry_after_max,
        "REDIRECT_MAX_TIMES": 5,
        "CLOSESPIDER_PAGECOUNT": 20 if check_only else c.max_requests_per_run,
        # Each source is its own Crawler with its own in-memory cookie jar, never saved.
        "COOKIES_ENABLED": True,
        # FIFO: requests are fetched in the order spiders yield them (newest first).
        "SCHEDULER_MEMORY_QUEUE": "scrapy.squeues.FifoMemoryQueue",
        "SCHEDULER_DISK_QUEUE": "scrapy.squeues.PickleFifoDiskQueue",
        "DOWNLOADER_MIDDLEWARES": {
            "crawler.middlewares.ConditionalRequestMiddleware": 520,
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "crawler.middlewares.PoliteRetryMiddleware": 550,
            "crawler.middlewares.RedirectGuardMiddleware": 610,
            "crawler.middlewares.WarcMiddleware": 860,
        },
        "ITEM_PIPELINES": {"crawler.pipelines.IngestPipeline": 300},
        "TELNETCONSOLE_ENABLED": False,
        "HTTPCACHE_ENABLED": False,
        "LOG_LEVEL": settings.log_level.upper(),
        # Twisted's own reactor: under the asyncio one, Scrapy 2.19 starts queued downloads as
        # tasks before counting them as transferring, so with no download delay a slot runs
        # every queued request at once and CONCURRENT_REQUESTS_PER_DOMAIN is not enforced.
        "TWISTED_REACTOR": "twisted.internet.epollreactor.EPollReactor",
        # Newer Scrapy opens a remote-control port by default: a crawler needs no listener.
        "REMOTE_CONTROL_ENABLED": False,
        **_delay_jitter(),
    }


def _delay_jitter() -> dict[str, Any]:
    """±50% random variation of the download delay, in the spelling this Scrapy knows."""
    from scrapy.settings import default_settings

    if hasattr(default_settings, "DOWNLOAD_DELAY_JITTER"):
        return {"DOWNLOAD_DELAY_JITTER": 0.5}
    return {"RANDOMIZE_DOWNLOAD_DELAY": True}


def _quiet_public_suffix_fetch() -> None:
    """Scrapy's cookie middleware asks tldextract, which would try to download the public
    suffix list on first use (no network here, and noisy logs). Use its bundled snapshot."""
    import scrapy.downloadermiddlewares.cookies as cookies
    from tldextract import TLDExtract

    cookies._split_domain = TLDExtract(
        cache_dir=None, suffix_list_urls=(), include_psl_private_domains=True
    )


@dataclass(slots=True)
class RunResult:
    source: str
    state: str  # finished, failed, interrupted (asked to stop, or killed), locked, checked
    reason: str = ""
    run_id: int | None = None
    counts: dict[str, Any] = field(default_factory=dict)
    discovered: list[str] = field(default_factory=list)
    hubs: list[tuple[str, int]] = field(default_factory=list)
    # CPU seconds and peak RSS of the crawl process and its analysis workers (one figure per
    # process run, repeated for each source crawled in it): what the crawl bench reports.
    resources: dict[str, float] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)  # the source's flags after this run


class SourceLock:
    """An exclusive lock file per source: never two runs of one source at once."""

    def __init__(self, data_dir: Path, key: str):
        directory = Path(data_dir) / LOCK_DIR
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / f"{key}.lock"
        self._fd: int | None = None

    def acquire(self) -> bool:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def run_in_process(
    settings: Settings, sources: list[Source], *, check_only: bool = False
) -> list[RunResult]:
    """Crawl `sources` concurrently in this process. Call at most once per process."""
    _quiet_public_suffix_fetch()
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    from crawler.ingest import InProcessIngester, PoolIngester
    from crawler.session import CrawlSession
    from crawler.spiders import SPIDERS

    stop = GracefulStop()
    stop.install()
    ingesters: list[Any] = []

    def make_ingester(store: Any) -> Any:
        """One pool of worker processes shared by all sources, or in-process analysis."""
        if settings.crawler.analysis_processes:
            if not ingesters:
                ingesters.append(
                    PoolIngester(
                        settings,
                        settings.crawler.analysis_processes,
                        max_pages=settings.crawler.analysis_worker_max_pages,
                    )
                )
            return ingesters[0]
        if not ingesters:
            from coopwatch.pipeline import PageAnalyser  # only here: the NLP stack is heavy

            analyser = PageAnalyser(settings)
            warm_up(analyser)
            ingesters.append(analyser)
        return InProcessIngester(store, ingesters[0])

    from scrapy.settings import default_settings

    options = scrapy_settings(settings, check_only=check_only)
    if hasattr(default_settings, "LOG_INSTALL_ROOT_HANDLER"):
        options["LOG_INSTALL_ROOT_HANDLER"] = False  # our logging setup stays in charge
        process = CrawlerProcess(options)
    else:
        process = CrawlerProcess(options, install_root_handler=False)
    configure_logging(settings.log_level)  # Scrapy has just set its loggers to DEBUG
    results: list[RunResult] = []
    locks: list[SourceLock] = []
    sessions: list[tuple[CrawlSession, RunResult]] = []
    handlers: list[Any] = []
    for source in sources:
        if not check_only:
            lock = SourceLock(settings.data_dir, source.key)
            if not lock.acquire():
                results.append(RunResult(source.key, "locked", "another run of it is going on"))
                continue
            locks.append(lock)
        session = CrawlSession(settings, source, None, check_only=check_only)
        session.open()
        if not check_only:
            session.ingester = make_ingester(session.store)
        result = RunResult(source.key, "checked" if check_only else "running")
        result.run_id = session.run_id

        def closed(spider: Any, reason: str, session=session, result=result) -> None:
            session.close(reason)
            result.reason = reason
            if not check_only:
                result.state = run_state(reason)

        crawler = process.create_crawler(SPIDERS[source.kind])
        # Signal receivers are held weakly: keep each closure alive in `handlers`.
        handlers.append(closed)
        crawler.signals.connect(closed, signal=signals.spider_closed)
        process.crawl(crawler, session=session)
        sessions.append((session, result))
        results.append(result)
    workers_cpu = 0.0
    try:
        # Our own SIGTERM/SIGINT handlers (GracefulStop), not Scrapy's: those are only
        # installed once the reactor runs and let the stop wait for every queued request.
        if sessions and stop.attach(process):
            process.start(install_signal_handlers=False)
    finally:
        for ingester in ingesters:
            if isinstance(ingester, PoolIngester):
                workers_cpu += ingester.close()
        for lock in locks:
            lock.release()
    resources = _resources(workers_cpu, ingesters)
    for session, result in sessions:
        result.counts = asdict(session.counts)
        result.discovered = session.discovered
        result.hubs = session.hub_statuses
        result.resources = resources
        if result.state == "running":  # the reactor stopped before the spider closed
            reason = "shutdown" if stop.requested else "interrupted"
            session.close(reason)
            result.state = run_state(reason)
            result.reason = result.reason or reason
        result.flags = session.flags
    return results


def run_state(reason: str) -> str:
    """A run's state from the reason its spider closed."""
    if reason in ("finished", "closespider_pagecount"):
        return "finished"
    return "interrupted" if reason == "shutdown" else "failed"  # shutdown: asked to stop


class GracefulStop:
    """SIGTERM/SIGINT in the crawl process: close the spiders now, keeping what was fetched.

    Scrapy's own stop lets every request already handed to the downloader run, and with the
    polite delay per domain those queued requests take minutes, so a stopped crawl looked as
    if it ignored SIGTERM. Here requests not yet sent are dropped (never fetched, so the next
    run asks for them), transfers under way finish, their pages are analysed and stored, the
    spiders close (reason `shutdown`: the run is stored as interrupted), WARC files and the
    store are closed. A second signal stops the reactor at once.
    """

    def __init__(self) -> None:
        self.requested = False
        self._process: Any = None
        self._reactor: Any = None
        self._stopping = False
        self._receivers: list[Any] = []  # Scrapy holds signal receivers weakly

    def install(self) -> None:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._handle)

    def attach(self, process: Any) -> bool:
        """Called before the reactor starts; False when a stop came first (do not start)."""
        from twisted.internet import reactor

        self._process, self._reactor = process, reactor
        reactor.callWhenRunning(self._stop_if_requested)
        return not self.requested

    def _handle(self, signum: int, frame: Any) -> None:
        # Only flags and callFromThread here: logging from a signal handler may deadlock.
        if self.requested and self._reactor is not None:
            self._reactor.callFromThread(self._force)
            return
        self.requested = True
        if self._reactor is not None:
            self._reactor.callFromThread(self._stop_if_requested)

    def _stop_if_requested(self) -> None:
        if not self.requested or self._stopping:
            return
        from scrapy import signals
        from scrapy.utils.defer import deferred_from_coro

        self._stopping = True
        log.info("asked to stop: closing the crawl (requests not yet sent are dropped)")
        for crawler in self._process.crawlers:
            engine = crawler.engine
            if engine is not None and engine.running:
                deferred_from_coro(crawler.stop_async())
            elif crawler.crawling:  # still opening its spider: stop once the engine starts

                def stop_started(engine_of=crawler) -> None:
                    deferred_from_coro(engine_of.engine.stop_async())

                self._receivers.append(stop_started)
                crawler.signals.connect(stop_started, signal=signals.engine_started)
        self._drop_queued()

    def _drop_queued(self) -> None:
        from scrapy.exceptions import IgnoreRequest
        from twisted.python.failure import Failure

        dropped = 0
        for crawler in self._process.crawlers:
            if crawler.engine is None:
                continue
            for slot in list(crawler.engine.downloader.slots.values()):
                while slot.queue:
                    request, deferred = slot.queue.popleft()
                    request.errback = None  # not a failure of the page: nothing recorded
                    deferred.errback(Failure(IgnoreRequest("crawl stopping")))
                    dropped += 1
        if dropped:
            log.info("dropped %d requests not yet sent; the next run fetches them", dropped)

    def _force(self) -> None:
        log.warning("asked to stop again: stopping at once")
        with contextlib.suppress(RuntimeError):  # already stopping
            self._reactor.stop()


def _resources(workers_cpu: float, ingesters: list[Any]) -> dict[str, float]:
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)  # the workers, reaped by now
    return {
        "crawl_cpu_s": round(own.ru_utime + own.ru_stime, 3),
        "workers_cpu_s": round(workers_cpu, 3),
        "crawl_peak_rss_mib": round(own.ru_maxrss / 1024, 1),
        "workers_peak_rss_mib": round(workers.ru_maxrss / 1024, 1),
        "workers_recycled": float(sum(getattr(i, "recycled", 0) for i in ingesters)),
    }


def warm_up(analyser: Any) -> None:
    """Load the language models before the reactor runs: the first analysis takes a while,
    and while it runs in the reactor thread, pending connections would time out. One page
    per language: pipelines are loaded per language, by the language the page is in."""
    from datetime import UTC, datetime

    from coopwatch.errors import PageError
    from coopwatch.records import FetchedPage

    for number, line in enumerate(
        (
            "The ministries of Kazakhstan and Belarus signed an agreement on digital public "
            "services in Minsk today, the Ministry of Digital Development said.",
            "Die Ministerien von Kasachstan und Belarus unterzeichneten heute in Minsk ein "
            "Abkommen über digitale Verwaltungsdienste, teilte das Ministerium mit.",
            "Министерства Казахстана и Беларуси подписали сегодня в Минске соглашение о "
            "цифровых государственных услугах, сообщило министерство.",
        )
    ):
        text = f"<p>{line}</p>" * 3
        html = f"<html><head><title>Warm-up</title></head><body><article>{text}</article>"
        page = FetchedPage(
            f"http://warm-up.invalid/{number}", html.encode(), fetched_at=datetime.now(UTC)
        )
        with contextlib.suppress(PageError):
            analyser.analyse(page)


def configure_logging(level: str) -> None:
    """Library logs at `level`; Scrapy's per-request and per-item debug lines only at DEBUG."""
    logging.basicConfig(
        level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    numeric = logging.getLevelName(level.upper())
    if isinstance(numeric, int):
        for name in ("scrapy", "twisted", "py.warnings"):
            logging.getLogger(name).setLevel(max(numeric, logging.INFO))
    # tldextract would report its (disabled) public suffix list download.
    logging.getLogger("tldextract").setLevel(logging.ERROR)


def settings_json(settings: Settings) -> str:
    return settings.model_dump_json()


def run_subprocess(
    settings: Settings,
    keys: list[str],
    *,
    check_only: bool = False,
    stderr: IO[str] | int | None = None,
    timeout: float | None = None,
) -> list[RunResult]:
    """Crawl in a fresh process (the way the scheduler does); returns its results.

    The process gets a session of its own, so a Ctrl-C at the terminal reaches only this
    process, which asks the crawl to stop (SIGTERM) and waits `api.shutdown_grace_seconds`
    for it (then re-raises the KeyboardInterrupt); `stop_crawls` does the same for serve.
    """
    command = [sys.executable, "-m", "crawler", "--settings-json", settings_json(settings)]
    if check_only:
        command.append("--check")
    command.extend(keys)
    with _CHILDREN_LOCK:
        if _CHILDREN.closed:  # this process is stopping: start nothing new
            return [RunResult(key, "interrupted", "not started: stopping") for key in keys]
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=stderr, text=True, start_new_session=True
        )
        child = _Child(process, settings)
        _CHILDREN.running.append(child)
    try:
        try:
            stdout, _ = process.communicate(timeout=timeout)
        except KeyboardInterrupt:
            try:
                _stop_children([child], settings.api.shutdown_grace_seconds)
            except KeyboardInterrupt:  # Ctrl-C again: no waiting
                _kill(child)
            process.communicate()
            raise
        except BaseException:  # the timeout, or anything else: never leave a crawl behind
            _kill(child)
            process.communicate()
            raise
    finally:
        with _CHILDREN_LOCK:
            _CHILDREN.running.remove(child)
    results = []
    for line in stdout.splitlines():
        if line.startswith("{"):
            data = json.loads(line)
            data["hubs"] = [tuple(h) for h in data.get("hubs", [])]
            results.append(RunResult(**data))
    if child.killed:  # what it had not reported was cut short, stored as interrupted
        done = {r.source for r in results}
        reason = "killed: did not stop within the grace period"
        results.extend(RunResult(key, "interrupted", reason) for key in keys if key not in done)
    elif process.returncode != 0 and not results:
        raise CrawlProcessError(f"crawl process exited with status {process.returncode}")
    return results


@dataclass(slots=True)
class _Child:
    process: subprocess.Popen[str]
    settings: Settings
    killed: bool = False


@dataclass(slots=True)
class _Children:
    running: list[_Child] = field(default_factory=list)
    closed: bool = False  # set by stop_crawls: the process is shutting down


_CHILDREN = _Children()  # crawl subprocesses started by this process (serve: jobs and API)
_CHILDREN_LOCK = threading.Lock()


@dataclass(slots=True)
class StopReport:
    stopped: int = 0  # crawl processes that closed by themselves within the grace period
    killed: int = 0  # the others, killed with their analysis workers


def stop_crawls(grace: float, force: Any = None) -> StopReport:
    """Stop every crawl subprocess this process started, for good (serve shutting down):
    nothing new starts after this; each is asked to stop (SIGTERM: the crawl closes
    gracefully, see GracefulStop), given up to `grace` seconds, then killed with its
    analysis workers. `force()` (optional) returning True cuts the wait short."""
    with _CHILDREN_LOCK:
        _CHILDREN.closed = True
        children = list(_CHILDREN.running)
    if children:
        log.info("asking %d crawl processes to stop (grace %.0f s)", len(children), grace)
    _stop_children(children, grace, force)
    killed = sum(c.killed for c in children)
    return StopReport(stopped=len(children) - killed, killed=killed)


def _stop_children(children: list[_Child], grace: float, force: Any = None) -> None:
    for child in children:
        with contextlib.suppress(ProcessLookupError):
            child.process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + grace
    while any(c.process.poll() is None for c in children):
        if time.monotonic() >= deadline or (force is not None and force()):
            break
        time.sleep(0.1)
    for child in children:
        if child.process.poll() is None:
            log.warning("crawl process %d did not stop in time: killed", child.process.pid)
            _kill(child)


def _kill(child: _Child) -> None:
    """Kill a crawl process and its analysis workers (its process group), and store its runs
    as interrupted (it cannot: what it stored stays, the next run completes the rest)."""
    child.killed = True
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.process.pid, signal.SIGKILL)
    child.process.wait()
    from coopwatch.store import Store
    from crawler.state import now_iso

    with contextlib.suppress(CoopwatchError), Store(child.settings.data_dir) as store:
        store.conn.execute(
            "UPDATE crawl_runs SET state = 'interrupted', reason = 'killed', finished_at = ?"
            " WHERE pid = ? AND state = 'running'",
            (now_iso(), child.process.pid),
        )


class CrawlProcessError(CoopwatchError):
    """The crawl subprocess died before reporting; its stderr says why."""

    code = "E030"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler", description=__doc__)
    parser.add_argument("--settings-json", required=True, help="coopwatch settings as JSON")
    parser.add_argument("--check", action="store_true", help="only read the start pages")
    parser.add_argument("sources", nargs="*", help="source keys (default: all enabled)")
    args = parser.parse_args(argv)
    try:
        settings = Settings.model_validate_json(args.settings_json)
        configure_logging(settings.log_level)
        sources = select_sources(load_sources(sources_path(settings)), args.sources)
        results = run_in_process(settings, sources, check_only=args.check)
    except CoopwatchError as exc:
        print(f"coopwatch: error {exc.code}: {exc}", file=sys.stderr)
        return exc.exit_status
    for result in results:
        sys.stdout.write(json.dumps(asdict(result), ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return 1 if any(r.state in ("failed", "interrupted") for r in results) else 0
