"""Bench: crawl throughput and memory against the sample site on 127.0.0.1.

    python -m bench.crawl [--pages 10000] [--processes N] [--event-size 10] [--json FILE]

Serves `--pages` generated news articles (de/ru/en) from the sample site (crawler/testsite)
behind a sitemap index, then crawls them with politeness delays off (no download delay, no
AutoThrottle, 2 requests per domain, robots.txt still obeyed) in a subprocess started exactly
as `coopwatch crawl` starts it. Every page is analysed and stored through
`coopwatch.importer.ingest_page` in `crawler.analysis_processes` worker processes and written
to WARC.

The articles are varied (crawler/testsite/varied.py): distinct texts, `--event-size` reports
per event, as in a news crawl. `--event-size 0` serves the old corpus, one text with numbers
changed, where every page is a copy of the first and all join one event that grows with the
crawl (a stress test of copy detection and event grouping, not of crawling).

Reports pages stored per second (wall time of the crawl process, start-up included), CPU
milliseconds per page of the crawl process, of the analysis workers and of the bench's own
sample-site server, and the anonymous resident memory of the crawl process and of each worker
sampled through the run (at 10/50/90 % of the pages served): flat series mean no per-page
growth.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.figures import emit
from coopwatch.settings import load_settings
from coopwatch.store import STORE_FILE, Store
from crawler.runner import settings_json
from crawler.testsite import SiteServer
from crawler.testsite.registry import write_registry

SOURCE = "sample-index"
SHARES = (0.1, 0.5, 0.9)


def _rss_kib(pid: int) -> int | None:
    """Anonymous resident memory (heap, Python objects): what a per-page leak grows. File
    pages (libraries, mapped models) are left out: the kernel may page those out and back
    in (DAMON reclaim runs on the bench machine), which would make the series jump."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("RssAnon:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _workers(pid: int) -> list[int]:
    """The crawl process's analysis workers (spawned children; not the resource tracker)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    found = []
    for child in children:
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in command and b"resource_tracker" not in command:
            found.append(int(child))
    return found


@dataclass(slots=True)
class Sample:
    seconds: float
    served: int
    stored: int  # pages whose outcome is in the crawl state (analysed and stored)
    crawl_kib: int
    workers_kib: dict[int, int] = field(default_factory=dict)  # pid -> RSS


def _stored(data: Path) -> int:
    """Pages with an outcome in the crawl state so far (read-only; WAL lets it run beside)."""
    path = data / STORE_FILE
    if not path.exists():
        return 0
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)) as conn:
            return conn.execute("SELECT count(*) FROM crawl_urls").fetchone()[0]
    except sqlite3.Error:
        return 0


def _mib(kib: float | None) -> float | None:
    return round(kib / 1024, 1) if kib is not None else None


def _series(samples: list[Sample], pages: int) -> dict[str, Any]:
    """RSS when 10/50/90 % of the pages had been stored, per process kind. Stored, not
    served: the crawl downloads ahead of the workers by up to Scrapy's active-size limit."""
    out: dict[str, Any] = {}
    for share in SHARES:
        reached = [s for s in samples if s.stored >= share * pages]
        key = f"{int(share * 100)}pct"
        first = reached[0] if reached else None
        out[f"crawl_anon_rss_mib_at_{key}"] = _mib(first.crawl_kib) if first else None
        out[f"worker_anon_rss_mib_at_{key}"] = (
            _mib(max(first.workers_kib.values())) if first and first.workers_kib else None
        )
    return out


def run(
    pages: int = 10_000,
    data_dir: Path | None = None,
    processes: int | None = None,
    event_size: int = 10,
    worker_max_pages: int | None = None,
) -> dict[str, Any]:
    """Crawl `pages` articles; return the figures (also the function `python -m bench` calls)."""
    with tempfile.TemporaryDirectory(prefix="coopwatch-crawl-bench-") as tmp:
        work = Path(tmp)
        data = data_dir or work / "data"
        server = SiteServer(
            articles=pages, log_requests=False, sitemap_chunk=1000, event_size=event_size
        )
        with server:
            registry = write_registry(work / "sources.toml", server)
            overrides: dict[str, Any] = {
                "crawler.sources_file": str(registry),
                "crawler.download_delay": 0,
                "crawler.autothrottle": False,
                "crawler.concurrent_per_domain": 2,
                "crawler.max_requests_per_run": pages * 2,
                "crawler.download_timeout": 30.0,
                "log_level": "warning",
            }
            if processes is not None:
                overrides["crawler.analysis_processes"] = processes
            if worker_max_pages is not None:
                overrides["crawler.analysis_worker_max_pages"] = worker_max_pages
            settings = load_settings(data_dir=data, **overrides)
            command = [sys.executable, "-m", "crawler", "--settings-json"]
            command += [settings_json(settings), SOURCE]
            own_before = resource.getrusage(resource.RUSAGE_SELF)
            started = time.monotonic()
            process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
            samples: list[Sample] = []
            while process.poll() is None:
                crawl = _rss_kib(process.pid)
                if crawl is not None:
                    workers = {pid: _rss_kib(pid) or 0 for pid in _workers(process.pid)}
                    at = time.monotonic() - started
                    done = _stored(data)
                    samples.append(Sample(at, server.served, done, crawl, workers))
                time.sleep(0.5)
            elapsed = time.monotonic() - started
            own_after = resource.getrusage(resource.RUSAGE_SELF)
            output = process.stdout.read() if process.stdout else ""
        # The sample site runs in this process's threads: its CPU is what this process used.
        server_cpu = (own_after.ru_utime + own_after.ru_stime) - (
            own_before.ru_utime + own_before.ru_stime
        )
        result = json.loads(output.strip().splitlines()[-1])
        with Store(data) as store:
            stored = store.count_articles()
            copies = store.conn.execute(
                "SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL"
            ).fetchone()[0]
            events, largest = store.conn.execute(
                "SELECT count(*), max(n) FROM (SELECT count(*) AS n FROM event_members"
                " GROUP BY event_id)"
            ).fetchone()
    counts = result["counts"]
    used = result.get("resources", {})
    per_page = 1000 / max(stored, 1)
    worker_peaks = [max(s.workers_kib.values()) for s in samples if s.workers_kib]
    return {
        "bench": "crawl",
        "pages": pages,
        "event_size": event_size,
        "analysis_processes": settings.crawler.analysis_processes,
        "worker_max_pages": settings.crawler.analysis_worker_max_pages,
        "stored": stored,
        "new": counts["new"],
        "failed": counts["failed"],
        "copies": copies,
        "events": events,
        "largest_event": largest,
        "state": result["state"],
        "seconds": round(elapsed, 1),
        "pages_per_second": round(stored / elapsed, 1),
        # CPU per stored page by process: on an idle machine with C cores the wall figure is
        # bounded by about C / (sum of these) pages per second.
        "crawl_cpu_ms_per_page": round(used.get("crawl_cpu_s", 0) * per_page, 1),
        "worker_cpu_ms_per_page": round(used.get("workers_cpu_s", 0) * per_page, 1),
        "server_cpu_ms_per_page": round(server_cpu * per_page, 1),
        "workers_recycled": int(used.get("workers_recycled", 0)),
        "load_average_1min": round(os.getloadavg()[0], 1),
        "crawl_peak_rss_mib": used.get("crawl_peak_rss_mib"),
        "worker_peak_rss_mib": used.get("workers_peak_rss_mib")
        or (_mib(max(worker_peaks)) if worker_peaks else None),
        **_series(samples, pages),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.crawl", description=__doc__)
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--data-dir", type=Path, help="keep the crawled store here")
    parser.add_argument("--processes", type=int, help="crawler.analysis_processes")
    parser.add_argument(
        "--worker-max-pages", type=int, help="crawler.analysis_worker_max_pages (0: never)"
    )
    parser.add_argument(
        "--event-size", type=int, default=10, help="reports per event (0: one copied text)"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    figures = run(args.pages, args.data_dir, args.processes, args.event_size, args.worker_max_pages)
    emit(figures, args.json)
    return 0 if figures["stored"] == args.pages and figures["state"] == "finished" else 1


if __name__ == "__main__":
    sys.exit(main())
