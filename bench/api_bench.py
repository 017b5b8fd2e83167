"""Bench: the JSON API under load, and digest build + render for many subscribers.

    python -m bench.api_bench [--events 100000] [--clients 20] [--seconds 60]
                              [--subscribers 1000] [--quick] [--keep DIR [--rebuild]]
                              [--no-digest] [--json FILE] [--backend embedded|tantivy]

(1) `--events` synthetic events are indexed in the embedded index (`--backend`: tantivy,
the default, or SQLite FTS5) of a fresh data directory; `coopwatch serve --no-crawl` serves it on
127.0.0.1; a load
generator in this process runs `--clients` concurrent clients for `--seconds` seconds, each
sending `/v1/search` requests (free text from the generator's queries, every third with a
country filter) one after another. Reported: requests/s, p50/p95/p99 latency in ms, errors
(any status other than 200, or a transport error), and the CPU milliseconds per request of
the server and of the load generator (both run on this machine), with the load average.
`--keep DIR` keeps the data directory and reuses its index on the next run.
(2) Digest build + render (the pure steps of a weekly send) for `--subscribers` subscribers
with random country/text filters over one ISO week of 300 events and 900 reports: total
seconds and ms per subscriber.
`--quick` is 10,000 events, 10 seconds and 200 subscribers.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.figures import emit
from coopwatch.records import Event

COUNTRIES = ["AM", "AZ", "BY", "DE", "EE", "GE", "KG", "KZ", "MD", "RU", "TJ", "TM", "UA", "UZ"]
EVENT_TYPES = ["visit", "meeting", "agreement", "forum", "project_launch", "exchange", "training"]
WORDS = [
    "digital",
    "government",
    "e-government",
    "platform",
    "portal",
    "services",
    "agreement",
    "memorandum",
    "ministry",
    "cooperation",
    "family",
    "card",
    "identity",
    "signature",
    "registry",
    "data",
    "exchange",
    "interoperability",
    "cloud",
    "digitale",
    "Verwaltung",
    "Plattform",
    "Abkommen",
    "Ministerium",
    "Zusammenarbeit",
    "Familienkarte",
    "Portal",
    "цифровой",
    "правительство",
    "платформа",
    "соглашение",
    "министерство",
    "сотрудничество",
    "карта",
    "портал",
]


class EventGenerator:
    """Deterministic synthetic events: titles from a small domain vocabulary plus a long tail."""

    def __init__(self, seed: int = 7):
        self.rng = random.Random(seed)
        self.tail = [f"term{i}" for i in range(20_000)]

    def event(self, number: int) -> Event:
        rng = self.rng
        words = rng.sample(WORDS, 5) + rng.sample(self.tail, 3)
        rng.shuffle(words)
        return Event(
            # as the store names events (coopwatch/events.py): "evt-" and 12 hex digits
            id="evt-" + hashlib.sha1(f"bench-{number}".encode()).hexdigest()[:12],
            event_type=rng.choice(EVENT_TYPES),
            countries=sorted(rng.sample(COUNTRIES, 2)),
            date=f"{rng.randint(2019, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            location=rng.choice(["Astana", "Minsk", "Tashkent", "Baku", "Tbilisi", "Yerevan"]),
            title=" ".join(words).capitalize(),
            languages=rng.sample(["de", "ru", "en"], rng.randint(1, 3)),
            actors=[f"person:actor-{rng.randint(0, 1999)}"],
        )

    def queries(self, count: int) -> list[str]:
        out = []
        for _ in range(count):
            first = self.rng.choice(WORDS)
            out.append(first if self.rng.random() < 0.5 else f"{first} {self.rng.choice(WORDS)}")
        return out


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


BUILT_MARKER = "api-bench-built.json"
ID_FORMAT = "evt-sha1"  # kept indexes with other ids (before: "e-000000001") are rebuilt


def build_index(
    data_dir: Path, events: int, rebuild: bool = False, backend: str = "tantivy"
) -> float | None:
    """Index `events` synthetic events; returns the seconds it took, or None when a kept
    data directory (`--keep`) already holds this index (`--rebuild` builds it anyway)."""
    marker = data_dir / BUILT_MARKER
    built = json.loads(marker.read_text(encoding="utf-8")) if marker.exists() else None
    if (
        built is not None
        and built.get("events") == events
        and built.get("backend", "embedded") == backend
        and built.get("ids") == ID_FORMAT
        and not rebuild
    ):
        return None
    if built is not None:  # a kept bench index of another size: made by this bench, replace it
        shutil.rmtree(data_dir)
    elif data_dir.exists() and any(data_dir.iterdir()):
        raise SystemExit(f"{data_dir} holds data this bench did not make; choose another --keep")
    from coopwatch.settings import load_settings
    from coopwatch.store import Store
    from index import open_index
    from index.documents import build_doc

    settings = load_settings(data_dir=data_dir, **{"index.backend": backend})
    generator = EventGenerator()
    started = time.perf_counter()
    with Store(settings.data_dir) as store:
        index = open_index(settings, store)
        batch = []
        for number in range(events):
            batch.append(build_doc(generator.event(number), index.analyzer))
            if len(batch) == 1000 or number == events - 1:
                index.backend.upsert(batch)
                batch = []
        index.close()
    elapsed = time.perf_counter() - started
    marker.write_text(
        json.dumps(
            {"events": events, "backend": backend, "ids": ID_FORMAT, "build_s": round(elapsed, 1)}
        ),
        "utf-8",
    )
    return elapsed


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds so far of a process and its live child processes (serve's
    other API processes; Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    seconds = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            with contextlib.suppress(FileNotFoundError):  # exited meanwhile
                seconds += _cpu_seconds(int(child))
    return seconds


def _percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def _load(base: str, clients: int, seconds: float, queries: list[str]) -> dict[str, Any]:
    import httpx

    latencies: list[float] = []
    errors: dict[str, int] = {}
    deadline = time.monotonic() + seconds
    rng = random.Random(3)

    async def client(number: int) -> None:
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            while time.monotonic() < deadline:
                params: dict[str, Any] = {"q": rng.choice(queries)}
                if len(latencies) % 3 == 0:
                    params["country"] = rng.choice(COUNTRIES)
                started = time.perf_counter()
                try:
                    response = await http.get("/v1/search", params=params)
                    status = str(response.status_code)
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                latencies.append(time.perf_counter() - started)
                if status != "200":
                    errors[status] = errors.get(status, 0) + 1

    started = time.monotonic()
    await asyncio.gather(*(client(n) for n in range(clients)))
    elapsed = time.monotonic() - started
    ordered = sorted(latencies)
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": len(ordered),
        "requests_per_s": round(len(ordered) / elapsed, 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(_percentile(ordered, 0.95) * 1000, 1),
        "p99_ms": round(_percentile(ordered, 0.99) * 1000, 1),
        "errors": errors,
    }


def bench_search(
    data_dir: Path,
    events: int,
    clients: int,
    seconds: float,
    rebuild: bool = False,
    backend: str = "tantivy",
) -> dict[str, Any]:
    import httpx

    index_s = build_index(data_dir, events, rebuild, backend)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOPWATCH_")}
    env["COOPWATCH_INDEX__BACKEND"] = backend
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "coopwatch.cli",
            "--data-dir",
            str(data_dir),
            "serve",
            "--port",
            str(port),
            "--no-crawl",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        queries = EventGenerator(seed=11).queries(500)
        httpx.get(base + "/v1/search", params={"q": queries[0]}, timeout=60)  # warm up
        # The machine may be shared: CPU per request (server, and this load generator) is the
        # figure that does not depend on what else runs; the load average says how much did.
        load_before = os.getloadavg()[0]
        server_cpu, client_cpu = _cpu_seconds(server.pid), time.process_time()
        load = asyncio.run(_load(base, clients, seconds, queries))
        server_cpu = _cpu_seconds(server.pid) - server_cpu
        client_cpu = time.process_time() - client_cpu
        load_after = os.getloadavg()[0]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    requests = max(1, load["requests"])
    return {
        "backend": backend,
        "events_indexed": events,
        "index_build_s": round(index_s, 1) if index_s is not None else "kept",
        **load,
        "server_cpu_ms_per_request": round(server_cpu / requests * 1000, 1),
        "server_cpu_share": round(server_cpu / load["seconds"], 2),  # cores used on average
        "load_generator_cpu_ms_per_request": round(client_cpu / requests * 1000, 1),
        "load_average_before_after": [round(load_before, 1), round(load_after, 1)],
    }


def bench_digest(subscribers: int) -> dict[str, Any]:
    from api.digest.build import build_digest
    from api.digest.render import render_digest
    from api.digest.subscriptions import Filters

    rng = random.Random(1)
    events, articles = [], {}
    for number in range(300):
        pair = sorted(rng.sample(COUNTRIES, 2))
        ids = []
        for k in range(3):
            aid = f"a{number}-{k}"
            ids.append(aid)
            articles[aid] = {
                "id": aid,
                "url": f"https://news.example/{aid}",
                "site": "news.example",
                "language": rng.choice(["de", "ru", "en"]),
                "title": f"Report {aid}",
                "paragraphs": ["Digital government cooperation and e-services. " * 6] * 4,
                "actors": [],
            }
        events.append(
            {
                "id": f"e{number}",
                "event_type": "meeting",
                "countries": pair,
                "date": f"2026-11-0{rng.randint(2, 8)}",
                "location": "Astana",
                "title": f"Event {number}: {pair[0]} and {pair[1]} on e-government",
                "articles": ids,
                "languages": ["de", "ru"],
                "actors": [],
                "projects": [],
                "metrics": [
                    {
                        "indicator": "UN Online Services Index",
                        "value": 10,
                        "unit": "rank",
                        "country": pair[0],
                        "text": "…",
                    }
                ],
            }
        )
    filters = [
        Filters(
            countries=rng.sample(COUNTRIES, rng.randint(0, 3)),
            text=rng.choice([None, None, "e-services", "Event 1"]),
        ).normalised()
        for _ in range(subscribers)
    ]
    started = time.perf_counter()
    entries = 0
    for flt in filters:
        digest = build_digest("2026-W45", flt, events, articles)
        render_digest(digest, "https://coopwatch.example/unsubscribe?token=x", "https://c.example")
        entries += digest.event_count
    elapsed = time.perf_counter() - started
    return {
        "subscribers": subscribers,
        "events_in_week": len(events),
        "mean_events_per_digest": round(entries / subscribers, 1),
        "build_render_s": round(elapsed, 2),
        "ms_per_subscriber": round(elapsed / subscribers * 1000, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.api_bench", description=__doc__)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--keep", type=Path, help="keep the generated data in DIR (and reuse it when it is there)"
    )
    parser.add_argument("--rebuild", action="store_true", help="rebuild a kept index anyway")
    parser.add_argument("--no-digest", action="store_true", help="only the search API part")
    parser.add_argument("--json", type=Path, help="also write the figures to FILE")
    parser.add_argument(
        "--backend", choices=["embedded", "tantivy"], default="tantivy", help="index backend"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.events, args.seconds, args.subscribers = 10_000, 10, 200
    with tempfile.TemporaryDirectory(prefix="coopwatch-api-bench-") as tmp:
        root = args.keep or Path(tmp)
        results = {
            "search_api": bench_search(
                root / "data", args.events, args.clients, args.seconds, args.rebuild, args.backend
            ),
        }
        if not args.no_digest:
            started = time.process_time()
            results["digest"] = bench_digest(args.subscribers)
            results["digest"]["cpu_s"] = round(time.process_time() - started, 2)
    emit(results, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
