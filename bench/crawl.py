"""Bench: crawl throughput and memory against the sample site on 127.0.0.1.

    python -m bench.crawl [--pages 10000] [--data-dir DIR] [--json FILE]

Serves `--pages` generated news articles (de/ru/en, ~1–1.5 KB of text each) from the sample
site (crawler/testsite) behind a sitemap index, then crawls them with politeness delays off
(no download delay, no AutoThrottle, 2 requests per domain, robots.txt still obeyed) in a
subprocess started exactly as `coopwatch crawl` starts it. Every page is analysed, stored
and written to WARC. Reports pages stored per second (wall time of the crawl process,
start-up included), CPU time per page, and the resident memory of the crawl process and its
analysis workers sampled through the run, so a per-page growth would show as a rising series.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from coopwatch.settings import load_settings
from coopwatch.store import Store
from crawler.runner import settings_json
from crawler.testsite import SiteServer
from crawler.testsite.registry import write_registry

SOURCE = "sample-index"


def _rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _tree_rss_kib(pid: int) -> int | None:
    """Resident memory of the crawl process and its analysis workers together."""
    own = _rss_kib(pid)
    if own is None:
        return None
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return own + sum(_rss_kib(int(child)) or 0 for child in children)


def run(pages: int = 10_000, data_dir: Path | None = None) -> dict[str, Any]:
    """Crawl `pages` articles; return the figures (also the function `python -m bench` calls)."""
    with tempfile.TemporaryDirectory(prefix="coopwatch-crawl-bench-") as tmp:
        work = Path(tmp)
        data = data_dir or work / "data"
        with SiteServer(articles=pages, log_requests=False, sitemap_chunk=1000) as server:
            registry = write_registry(work / "sources.toml", server)
            settings = load_settings(
                data_dir=data,
                **{
                    "crawler.sources_file": str(registry),
                    "crawler.download_delay": 0,
                    "crawler.autothrottle": False,
                    "crawler.concurrent_per_domain": 2,
                    "crawler.max_requests_per_run": pages * 2,
                    "crawler.download_timeout": 30.0,
                },
            )
            command = [sys.executable, "-m", "crawler", "--settings-json"]
            command += [settings_json(settings), SOURCE]
            started = time.monotonic()
            process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
            # (seconds, pages served, RSS KiB of crawl + workers, RSS KiB of the crawl alone)
            samples: list[tuple[float, int, int, int]] = []
            while process.poll() is None:
                rss, own = _tree_rss_kib(process.pid), _rss_kib(process.pid)
                if rss is not None and own is not None:
                    samples.append((time.monotonic() - started, server.served, rss, own))
                time.sleep(0.5)
            elapsed = time.monotonic() - started
            usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # crawl + its workers
            cpu = usage.ru_utime + usage.ru_stime
            output = process.stdout.read() if process.stdout else ""
        result = json.loads(output.strip().splitlines()[-1])
        with Store(data) as store:
            stored = store.count_articles()
    counts = result["counts"]
    peak = max(s[2] for s in samples) if samples else None
    # RSS when 10 %, 50 % and 90 % of the pages had been served: flat means no per-page growth.
    series = {}
    for share in (0.1, 0.5, 0.9):
        reached = [s for s in samples if s[1] >= share * pages]
        series[f"rss_mib_at_{int(share * 100)}pct"] = (
            round(reached[0][2] / 1024, 1) if reached else None
        )
        series[f"crawl_process_rss_mib_at_{int(share * 100)}pct"] = (
            round(reached[0][3] / 1024, 1) if reached else None
        )
    return {
        "bench": "crawl",
        "pages": pages,
        "stored": stored,
        "new": counts["new"],
        "failed": counts["failed"],
        "state": result["state"],
        "seconds": round(elapsed, 1),
        "pages_per_second": round(stored / elapsed, 1),
        # CPU time of the crawl and its workers per stored page: what the wall figure would
        # be on an otherwise idle machine is about 2 cores / this (the server needs some too).
        "cpu_ms_per_page": round(cpu * 1000 / max(stored, 1), 1),
        "load_average_1min": round(os.getloadavg()[0], 1),
        "peak_rss_mib": round(peak / 1024, 1) if peak else None,
        **series,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.crawl", description=__doc__)
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--data-dir", type=Path, help="keep the crawled store here")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    figures = run(args.pages, args.data_dir)
    text = json.dumps(figures, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0 if figures["stored"] == args.pages and figures["state"] == "finished" else 1


if __name__ == "__main__":
    sys.exit(main())
