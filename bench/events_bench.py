"""Bench: event-grouping cost per new article at 10k and 100k stored articles.

    python -m bench.events_bench [--sizes 10000 100000] [--probes 300] [--per-day 80]

Fills a store through the ingest step's own writes (`Store.save` + `EventAssigner.assign`
in one transaction) with synthetic relevant reports: 30 states with a skewed choice of
partners, 1–5 reports per event in de/ru/en published over the days after it, shared
actor ids. Reports arrive at a constant daily rate (`--per-day`), as a store grows over
time: 10k articles are ~4 months of news, 100k are ~3.4 years. Then times the assignment
of new reports (not stored) and reports the peak RSS. Grouping looks only at events in a
±3-day window, so its cost follows the daily rate, not the store size.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from coopwatch.events import EventAssigner
from coopwatch.records import Article, FetchedPage, article_id_for
from coopwatch.store import Store

STATES = [
    "KZ",
    "UZ",
    "KG",
    "TJ",
    "TM",
    "BY",
    "RU",
    "AM",
    "AZ",
    "GE",
    "MD",
    "UA",
    "DE",
    "FR",
    "EE",
    "LT",
    "LV",
    "PL",
    "FI",
    "CN",
    "KR",
    "JP",
    "IN",
    "TR",
    "AE",
    "SG",
    "MN",
    "IR",
    "PK",
    "EG",
]
TYPES = ["visit", "meeting", "agreement", "forum", "project_launch", "exchange", "training"]
START = date(2023, 1, 1)


class ReportFactory:
    def __init__(self, per_day: int, seed: int = 11):
        self.rng = random.Random(seed)
        self.per_day = per_day
        self.count = 0

    def _event(self, day: date) -> tuple[list[str], date, str, list[str]]:
        rng = self.rng
        # Neighbours cooperate more often: a skewed choice of the first state, then a partner.
        first = STATES[min(int(rng.expovariate(0.25)), len(STATES) - 1)]
        partners = [s for s in STATES if s != first]
        states = sorted({first, *rng.sample(partners, 1 if rng.random() < 0.85 else 2)})
        actors = [f"person:p{rng.randrange(5000)}" for _ in range(rng.randint(1, 3))]
        return states, day, rng.choice(TYPES), actors

    def reports(self, total: int):
        """`total` reports in publication order, at `per_day` a day."""
        rng = self.rng
        day = START
        pending: list[tuple[date, Article]] = []
        while self.count < total:
            today = []
            while len(today) < self.per_day:
                states, when, kind, actors = self._event(day)
                for n in range(rng.randint(1, 5)):
                    published = when + timedelta(days=rng.choice([0, 0, 0, 1, 1, 2]))
                    today.append((published, self._article(states, when, kind, actors, n)))
            pending.extend(today)
            pending.sort(key=lambda item: item[0])
            while pending and pending[0][0] <= day and self.count < total:
                self.count += 1
                yield pending.pop(0)[1]
            day += timedelta(days=1)

    def _article(self, states, when, kind, actors, n) -> Article:
        url = f"https://news{self.rng.randrange(60)}.example/{self.count}-{n}-{self.rng.random()}"
        return Article(
            id=article_id_for(url),
            url=url,
            site="news.example",
            language=self.rng.choice(["de", "ru", "en"]),
            title=f"{' and '.join(states)} {kind}",
            published=when.isoformat(),
            paragraphs=["Synthetic report."],
            relevant=True,
            relevance_score=0.9,
            event_type=kind,
            event_date=when.isoformat(),
            event_date_source="text",
            event_location="Astana",
            event_countries=list(states),
            actors=[],
        )


def ingest(store: Store, article: Article) -> None:
    page = FetchedPage(url=article.url, body=article.url.encode())
    with store.transaction():
        store.save(page, article)
        EventAssigner(store.conn).assign(article)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(sizes: list[int], probes: int, per_day: int, data_dir: Path) -> list[dict]:
    store = Store(data_dir)
    factory = ReportFactory(per_day)
    stream = factory.reports(max(sizes) + probes * len(sizes))
    results = []
    stored = 0
    for size in sorted(sizes):
        started = time.perf_counter()
        while stored < size:
            ingest(store, next(stream))
            stored += 1
        fill_s = time.perf_counter() - started
        timings = []
        probe_articles = [next(stream) for _ in range(probes)]
        for article in probe_articles:
            began = time.perf_counter()
            ingest(store, article)
            timings.append((time.perf_counter() - began) * 1000)
        stored += probes
        events = store.conn.execute("SELECT count(*) FROM events").fetchone()[0]
        results.append(
            {
                "stored_articles": size,
                "events": events,
                "fill_articles_per_s": round(size / fill_s, 1),
                "ingest_ms_p50": round(statistics.median(timings), 3),
                "ingest_ms_p95": round(statistics.quantiles(timings, n=20)[-1], 3),
                "ingest_ms_mean": round(statistics.fmean(timings), 3),
                "peak_rss_mb": round(peak_rss_mb(), 1),
            }
        )
        print(json.dumps(results[-1]), flush=True)
    store.close()
    return results


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.events_bench")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--probes", type=int, default=300)
    parser.add_argument("--per-day", type=int, default=80)
    parser.add_argument("--data-dir", type=Path)
    args = parser.parse_args(argv)
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="coopwatch-events-bench-"))
    try:
        results = run(args.sizes, args.probes, args.per_day, data_dir)
    finally:
        if args.data_dir is None:
            shutil.rmtree(data_dir, ignore_errors=True)
    if len(results) >= 2:
        ratio = results[-1]["ingest_ms_mean"] / results[0]["ingest_ms_mean"]
        print(json.dumps({"mean_cost_ratio_largest_to_smallest": round(ratio, 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
