"""Bench: search index throughput and query latency, embedded (tantivy, the default, or SQLite
FTS5) and Elasticsearch.

    python -m bench.index_bench [--docs 1000000] [--queries 200] [--quick] [--no-es]
                                [--es-docs 5000] [--es-queries 30] [--no-embedded]
                                [--keep DIR] [--json FILE] [--queries-only DIR]
                                [--reindex DIR] [--backend embedded|tantivy]

Generates `--docs` synthetic documents (nine articles in de/ru/en for every event), with
Zipf-distributed words (function words first, then a domain lexicon in several inflections
among a 30,000-word vocabulary per language, so a domain word is in roughly 5-25% of its
language's documents), 2-3 cooperating countries out of 14, actors, projects, sites and
dates over 2019-2026. Articles and events go into a store of record (rows written directly,
not timed), then `SearchIndex.reindex()` rebuilds the embedded index from the store:
indexing docs/s = documents / rebuild time (reading, analysis in `index.workers` worker
processes and index writes included), and CPU ms per document (all processes).
Incremental indexing (`index_article` one by one, as ingest does) is timed on 2,000 more
(after 500 untimed ones that warm the analyzer's cache). Wall and CPU ms per query.
`--reindex DIR` rebuilds the store a `--keep DIR` run left (no new corpus), then the same.
`--backend` chooses the embedded backend: tantivy (the default, DATA_DIR/index-tantivy) or
`embedded` (SQLite FTS5 in the store): the same store, queries, highlights, records and facets,
through `SearchIndex`.

Queries, `--queries` of each kind, 20 hits with highlights per page: (a) free text,
(b) text + country + date range, (c) the same with all seven facets. p50/p95 in ms.
The same is run against the Elasticsearch backend on a local noida-db server (or
COOPWATCH_ES_URL) with `--es-docs` documents and `--es-queries` queries of each kind
(noida-db keeps everything in memory and takes seconds per query).
`--quick` is 20,000 documents and 50 queries (2,000 and 10 on Elasticsearch).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.figures import emit
from coopwatch.records import Actor, Article, Event, Project

LANGUAGES = ("de", "ru", "en")
COUNTRIES = ["AM", "AZ", "BY", "DE", "EE", "GE", "KG", "KZ", "MD", "RU", "TJ", "TM", "UA", "UZ"]
EVENT_TYPES = ["visit", "meeting", "agreement", "forum", "project_launch", "exchange", "training"]
LEXICON = {
    "de": [
        "digitale",
        "Digitalisierung",
        "Verwaltung",
        "Verwaltungen",
        "Regierung",
        "Regierungen",
        "Ministerium",
        "Ministerien",
        "Abkommen",
        "Abkommens",
        "Plattform",
        "Plattformen",
        "Familienkarte",
        "Familienkarten",
        "Bürgerdienste",
        "Dienstleistungen",
        "Portal",
        "Portale",
        "Portals",
        "Zusammenarbeit",
        "Kooperation",
        "Delegation",
        "Delegationen",
        "Minister",
        "Ministerin",
        "Premierminister",
        "Besuch",
        "besuchte",
        "unterzeichneten",
        "Vereinbarung",
        "Vereinbarungen",
        "Signatur",
        "elektronische",
        "elektronischen",
        "Datenaustausch",
        "Cybersicherheit",
        "Projekt",
        "Projekte",
        "Erfahrung",
        "Erfahrungen",
        "Staaten",
    ],
    "ru": [
        "цифровой",
        "цифрового",
        "цифровые",
        "цифровых",
        "правительство",
        "правительства",
        "правительством",
        "министерство",
        "министерства",
        "соглашение",
        "соглашения",
        "соглашением",
        "платформа",
        "платформы",
        "платформой",
        "карта",
        "карты",
        "картой",
        "карту",
        "семьи",
        "услуги",
        "услуг",
        "портал",
        "портала",
        "порталы",
        "сотрудничество",
        "сотрудничества",
        "делегация",
        "делегации",
        "министр",
        "министра",
        "премьер",
        "визит",
        "подписали",
        "меморандум",
        "электронной",
        "подписи",
        "обмен",
        "данными",
        "кибербезопасность",
        "проект",
        "проекты",
        "опыт",
        "опыта",
        "государств",
    ],
    "en": [
        "digital",
        "government",
        "governments",
        "ministry",
        "ministries",
        "agreement",
        "agreements",
        "platform",
        "platforms",
        "family",
        "card",
        "cards",
        "citizen",
        "services",
        "service",
        "portal",
        "portals",
        "cooperation",
        "delegation",
        "delegations",
        "minister",
        "ministers",
        "prime",
        "visit",
        "visited",
        "signed",
        "memorandum",
        "electronic",
        "signature",
        "signatures",
        "data",
        "exchange",
        "cybersecurity",
        "project",
        "projects",
        "experience",
        "states",
    ],
}
FUNCTION_WORDS = {
    "de": [
        "der",
        "die",
        "und",
        "in",
        "den",
        "von",
        "zu",
        "das",
        "mit",
        "sich",
        "des",
        "auf",
        "für",
        "ist",
        "im",
        "dem",
        "nicht",
        "ein",
        "eine",
        "als",
        "auch",
        "es",
        "an",
        "werden",
        "aus",
        "er",
        "hat",
        "dass",
        "sie",
        "nach",
        "wird",
        "bei",
        "einer",
        "um",
        "am",
        "sind",
        "noch",
        "wie",
        "einem",
        "über",
        "einen",
        "so",
        "zum",
        "war",
        "haben",
        "nur",
        "oder",
        "aber",
        "vor",
        "zur",
        "bis",
        "mehr",
        "durch",
        "man",
    ],
    "ru": [
        "и",
        "в",
        "не",
        "на",
        "что",
        "с",
        "по",
        "он",
        "как",
        "а",
        "то",
        "это",
        "к",
        "из",
        "у",
        "за",
        "от",
        "о",
        "так",
        "для",
        "но",
        "же",
        "все",
        "бы",
        "его",
        "был",
        "она",
        "они",
        "мы",
        "при",
        "до",
        "также",
        "уже",
        "было",
        "были",
        "будет",
        "который",
        "которые",
        "этого",
        "более",
        "года",
        "лет",
        "или",
        "их",
        "только",
        "может",
        "этом",
        "после",
        "между",
    ],
    "en": [
        "the",
        "of",
        "and",
        "to",
        "a",
        "in",
        "is",
        "that",
        "for",
        "it",
        "as",
        "was",
        "with",
        "be",
        "by",
        "on",
        "not",
        "he",
        "this",
        "are",
        "or",
        "his",
        "from",
        "at",
        "which",
        "but",
        "have",
        "an",
        "they",
        "you",
        "were",
        "her",
        "all",
        "she",
        "there",
        "would",
        "their",
        "we",
        "him",
        "been",
        "has",
        "when",
        "who",
        "will",
        "more",
        "no",
        "if",
        "out",
    ],
}
SYLLABLES = {
    "de": [
        "ba",
        "be",
        "bi",
        "ko",
        "ku",
        "la",
        "le",
        "li",
        "ma",
        "me",
        "na",
        "ne",
        "ra",
        "re",
        "ri",
        "sa",
        "se",
        "ta",
        "te",
        "to",
        "ver",
        "ge",
        "ung",
        "en",
        "er",
    ],
    "ru": [
        "ба",
        "бе",
        "ви",
        "ко",
        "ку",
        "ла",
        "ле",
        "ли",
        "ма",
        "ме",
        "на",
        "не",
        "ра",
        "ре",
        "ри",
        "са",
        "се",
        "та",
        "те",
        "то",
        "ов",
        "ие",
        "ия",
        "ый",
        "ой",
    ],
    "en": [
        "ba",
        "be",
        "bi",
        "co",
        "cu",
        "la",
        "le",
        "li",
        "ma",
        "me",
        "na",
        "ne",
        "ra",
        "re",
        "ri",
        "sa",
        "se",
        "ta",
        "te",
        "to",
        "ing",
        "ed",
        "er",
        "ly",
        "al",
    ],
}


class CorpusGenerator:
    """Deterministic synthetic articles and events."""

    def __init__(self, seed: int = 7, vocabulary: int = 30_000):
        self.rng = random.Random(seed)
        self.words: dict[str, list[str]] = {}
        self.cum: dict[str, list[float]] = {}
        for lang in LANGUAGES:
            seen = set(LEXICON[lang]) | set(FUNCTION_WORDS[lang])
            tail: list[str] = []
            while len(tail) < vocabulary:
                word = "".join(self.rng.choices(SYLLABLES[lang], k=self.rng.randint(2, 5)))
                if word not in seen:
                    seen.add(word)
                    tail.append(word)
            # Zipf over ranks as in real text: function words first, the domain lexicon at
            # ranks ~50-350 (each in roughly 5-20% of a language's documents), then the tail.
            words = list(FUNCTION_WORDS[lang])
            lexicon = list(LEXICON[lang])
            for number, word in enumerate(tail):
                words.append(word)
                if number % 5 == 4 and lexicon:
                    words.append(lexicon.pop(0))
            weights = [1.0 / (rank + 1) for rank in range(len(words))]
            total, cum = 0.0, []
            for w in weights:
                total += w
                cum.append(total)
            self.words[lang], self.cum[lang] = words, cum
        self.sites = [f"news{i}.example.{tld}" for i in range(30) for tld in ("de",)]
        self.actors = [f"person:actor-{i}" for i in range(2000)]
        self.projects = [f"project:project-{i}" for i in range(300)]

    def text(self, lang: str, n: int) -> str:
        words = self.rng.choices(self.words[lang], cum_weights=self.cum[lang], k=n)
        return " ".join(words).capitalize() + "."

    def date(self) -> str:
        return f"{self.rng.randint(2019, 2026)}-{self.rng.randint(1, 12):02d}-" + (
            f"{self.rng.randint(1, 28):02d}"
        )

    def article(self, number: int) -> Article:
        rng = self.rng
        lang = LANGUAGES[number % 3]
        countries = rng.sample(COUNTRIES, rng.randint(2, 3))
        actors = [
            Actor(a, "person", f"Name {a[-4:]}", f"Name {a[-4:]}", rng.choice(countries))
            for a in rng.sample(self.actors, rng.randint(1, 3))
        ]
        actors += [Actor(f"country:{c.lower()}", "country", c, c, c) for c in countries]
        projects = [
            Project(p, f"Projekt {p[-3:]}", f"Project {p[-3:]}", rng.choice(countries))
            for p in rng.sample(self.projects, rng.randint(0, 2))
        ]
        return Article(
            id=f"a-{number:09d}",
            url=f"https://{self.sites[number % len(self.sites)]}/{number}",
            site=self.sites[number % len(self.sites)],
            language=lang,
            title=self.text(lang, rng.randint(6, 12)),
            published=self.date() if rng.random() > 0.02 else None,
            paragraphs=[self.text(lang, rng.randint(20, 45)) for _ in range(rng.randint(4, 8))],
            relevant=rng.random() < 0.7,
            relevance_score=round(rng.random(), 3),
            actors=actors,
            projects=projects,
        )

    def event(self, number: int) -> Event:
        rng = self.rng
        countries = sorted(rng.sample(COUNTRIES, 2))
        return Event(
            id=f"e-{number:09d}",
            event_type=rng.choice(EVENT_TYPES),
            countries=countries,
            date=self.date(),
            location=rng.choice(["Astana", "Minsk", "Tashkent", "Baku", "Tbilisi", "Yerevan"]),
            title=self.text("en", rng.randint(6, 12)),
            articles=[],
            languages=rng.sample(list(LANGUAGES), rng.randint(1, 3)),
            actors=rng.sample(self.actors, rng.randint(1, 3)),
            projects=rng.sample(self.projects, rng.randint(0, 1)),
        )

    def queries(self, count: int) -> list[str]:
        """Free-text queries from frequent-but-not-stopword lexicon words and the tail."""
        out = []
        for _ in range(count):
            lang = self.rng.choice(LANGUAGES)
            words = self.words[lang]
            first = self.rng.choice(LEXICON[lang])
            if self.rng.random() < 0.5:
                out.append(first)
            else:
                out.append(f"{first} {self.rng.choice(words[100:3000])}")
        return out


def _record(article: Article) -> dict[str, Any]:
    """Article.to_record without dataclasses.asdict's deep copies (set-up speed only)."""

    def plain(item: Any) -> dict[str, Any]:
        return {name: getattr(item, name) for name in item.__dataclass_fields__}

    record = {"type": "article", **plain(article)}
    for key in ("actors", "projects", "metrics", "quotes"):
        record[key] = [plain(item) for item in record[key]]
    return record


def _store_articles(store, articles: Iterator[Article]) -> int:
    """Write article rows straight into the store (bench set-up, not timed)."""
    now = "2026-01-01T00:00:00+00:00"
    count = 0
    with store.transaction() as conn:
        conn.execute(
            "INSERT OR IGNORE INTO pages (id, url, content_hash, status, headers, body, stored_at)"
            " VALUES (1, 'bench:', '0', 200, '{}', x'', ?)",
            (now,),
        )
    batch: list[tuple] = []

    def flush() -> None:
        with store.transaction() as conn:
            conn.executemany(
                "INSERT INTO articles (id, url, site, language, title, published, relevant,"
                " relevance_score, content_hash, page_id, record, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)",
                batch,
            )
        batch.clear()

    for article in articles:
        batch.append(
            (
                article.id,
                article.url,
                article.site,
                article.language,
                article.title,
                article.published,
                int(article.relevant),
                article.relevance_score,
                article.id,
                json.dumps(_record(article), ensure_ascii=False),
                now,
                now,
            )
        )
        count += 1
        if len(batch) >= 5000:
            flush()
    if batch:
        flush()
    return count


def _cpu_seconds() -> float:
    """CPU seconds of this process and its finished children (rebuild worker processes)."""
    own, children = (
        resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _progress(message: str) -> None:
    print(f"[index bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _store_events(store, events: Iterator[Event]) -> int:
    """Event rows as coopwatch/events.py writes them (bench set-up, not timed)."""
    now = "2026-01-01T00:00:00+00:00"
    rows = [
        (e.id, e.date, ",".join(e.countries), json.dumps(e.to_record()), now, now) for e in events
    ]
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO events (id, day, countries, record, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )
    return len(rows)


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(p95 * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


def time_queries(index, generator: CorpusGenerator, count: int) -> dict[str, Any]:
    """p50/p95 of (a) free text, (b) text + country + date, (c) (b) with all facets."""
    from index.query import FACETS

    texts = generator.queries(count)
    filters = [
        f"country:{generator.rng.choice(COUNTRIES)} date:{generator.rng.randint(2019, 2025)}"
        for _ in range(count)
    ]
    kinds = {
        "a_free_text": [(t, []) for t in texts],
        "b_text_country_date": [(f"{t} {f}", []) for t, f in zip(texts, filters, strict=True)],
        "c_with_all_facets": [
            (f"{t} {f}", list(FACETS)) for t, f in zip(texts, filters, strict=True)
        ],
    }
    index.search(index.parse(texts[0]))  # warm caches once
    results: dict[str, Any] = {}
    for name, queries in kinds.items():
        samples, cpu, totals = [], [], []
        for text, facets in queries:
            query = index.parse(text, facets=facets, size=20)
            started, cpu_started = time.perf_counter(), time.process_time()
            result = index.search(query)
            samples.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
            totals.append(result.total)
        _progress(f"{name}: {_percentiles(samples)}")
        results[name] = {
            **_percentiles(samples),
            "cpu_p50_ms": _percentiles(cpu)["p50_ms"],
            "cpu_p95_ms": _percentiles(cpu)["p95_ms"],
            "median_hits": int(statistics.median(totals)),
        }
    return results


def queries_on_existing(data_dir: Path, queries: int, backend: str = "embedded") -> dict[str, Any]:
    """Only the query timings, on an index built by an earlier `--keep` (or `--reindex`)
    run on the same store."""
    from coopwatch.settings import load_settings
    from coopwatch.store import Store
    from index import open_index

    settings = load_settings(data_dir=data_dir, **{"index.backend": backend})
    with Store(settings.data_dir) as store:
        index = open_index(settings, store)
        return {
            "backend": backend,
            "documents": index.count(),
            "load_average_at_start": round(os.getloadavg()[0], 1),
            "queries": time_queries(index, CorpusGenerator(), queries),
        }


def bench_embedded(
    data_dir: Path,
    docs: int,
    queries: int,
    reuse_store: bool = False,
    backend: str = "embedded",
) -> dict[str, Any]:
    """Store `docs` synthetic documents (or, `reuse_store`, take those a `--keep` run left in
    `data_dir`), rebuild the index from them, index more one by one, time queries; on the
    embedded `backend` (SQLite FTS5 in the store) or tantivy (DATA_DIR/index-tantivy)."""
    from coopwatch.settings import load_settings
    from coopwatch.store import Store
    from index import open_index

    settings = load_settings(data_dir=data_dir, **{"index.backend": backend})
    generator = CorpusGenerator()
    started = time.perf_counter()
    with Store(settings.data_dir) as store:
        if reuse_store:
            articles = store.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        else:
            events = docs // 10
            articles = docs - events
            _store_articles(store, (generator.article(i) for i in range(articles)))
            _store_events(store, (generator.event(i) for i in range(events)))
            _progress(f"stored {articles} articles and {events} events")
        setup = time.perf_counter() - started
        index = open_index(settings, store)
        load_before = os.getloadavg()[0]
        started, cpu_started = time.perf_counter(), _cpu_seconds()
        indexed = index.reindex(batch_size=1000)
        rebuild_time = time.perf_counter() - started
        rebuild_cpu = _cpu_seconds() - cpu_started
        _progress(
            f"rebuilt {indexed} documents in {rebuild_time:.0f} s: {indexed / rebuild_time:.0f}"
            f" docs/s wall, {indexed / rebuild_cpu:.0f} docs/s CPU"
        )
        incremental = [generator.article(articles + i) for i in range(2500)]
        _store_articles(store, iter(incremental))
        # The first 500 untimed: this process's analyzer cache is cold after a rebuild in
        # worker processes, an ingest process's is warm.
        for article in incremental[:500]:
            index.index_article(article)
        incremental = incremental[500:]
        started, cpu_started = time.perf_counter(), _cpu_seconds()
        for article in incremental:
            index.index_article(article)
        incremental_time = time.perf_counter() - started
        incremental_cpu = _cpu_seconds() - cpu_started
        _progress(f"index_article: {len(incremental) / incremental_time:.0f} docs/s")
        # Fresh generator: the same queries as `--queries-only` on the same corpus.
        latencies = time_queries(index, CorpusGenerator(), queries)
        db_bytes = sum(p.stat().st_size for p in Path(settings.data_dir).glob("coopwatch.sqlite3*"))
        tantivy_bytes = sum(
            p.stat().st_size
            for p in Path(settings.data_dir).glob("index-tantivy/**/*")
            if p.is_file()
        )
    return {
        "backend": backend,
        "documents": indexed + len(incremental) + 500,
        "load_average_at_start": round(load_before, 1),
        "store_setup_s": round(setup, 1),
        "rebuild_docs_per_s": round(indexed / rebuild_time),
        "rebuild_docs_per_cpu_s": round(indexed / rebuild_cpu),
        "rebuild_cpu_ms_per_doc": round(rebuild_cpu / indexed * 1000, 3),
        "rebuild_workers": index.settings.index.workers,
        "rebuild_s": round(rebuild_time, 1),
        "incremental_docs_per_s": round(len(incremental) / incremental_time),
        "incremental_cpu_ms_per_doc": round(incremental_cpu / len(incremental) * 1000, 3),
        "database_mb": round(db_bytes / 1e6),
        **({"tantivy_index_mb": round(tantivy_bytes / 1e6)} if backend == "tantivy" else {}),
        "queries": latencies,
    }


def bench_elasticsearch(data_dir: Path, docs: int, queries: int) -> dict[str, Any]:
    """The same on the Elasticsearch backend (noida-db answers a query in seconds: keep
    `docs` and `queries` small there; a real cluster via COOPWATCH_ES_URL takes more)."""
    from coopwatch.settings import load_settings
    from coopwatch.store import Store
    from index import open_index
    from index.documents import build_doc

    server = None
    url = os.environ.get("COOPWATCH_ES_URL")
    if not url:
        # The test suite's noida-db fixture (noida-db comes with the test extra).
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "index"))
        from es_server import start_local_server

        server = start_local_server(data_dir / "es")
        url = server.url
    try:
        settings = load_settings(
            data_dir=data_dir / "es-store",
            **{
                "index.backend": "elasticsearch",
                "index.elasticsearch_url": url,
                "index.elasticsearch_index": "coopwatch-bench",
                "index.elasticsearch_timeout": 120.0,
            },
        )
        generator = CorpusGenerator()
        events = docs // 10
        with Store(settings.data_dir) as store:
            index = open_index(settings, store)
            analyzer = index.analyzer

            def batches() -> Iterator[list]:
                batch = []
                for number in range(docs - events):
                    batch.append(build_doc(generator.article(number), analyzer))
                    if len(batch) == settings.index.bulk_size:
                        yield batch
                        batch = []
                for number in range(events):
                    batch.append(build_doc(generator.event(number), analyzer))
                    if len(batch) == settings.index.bulk_size:
                        yield batch
                        batch = []
                if batch:
                    yield batch

            started = time.perf_counter()
            indexed = index.backend.rebuild(batches())
            rebuild_time = time.perf_counter() - started
            latencies = time_queries(index, generator, queries)
            index.close()
    finally:
        if server is not None:
            server.stop()
    return {
        "backend": "elasticsearch (noida-db)" if server else f"elasticsearch ({url})",
        "documents": indexed,
        "rebuild_docs_per_s": round(indexed / rebuild_time),
        "rebuild_s": round(rebuild_time, 1),
        "queries": latencies,
    }


def run(
    docs: int = 1_000_000,
    es_docs: int = 5_000,
    queries: int = 200,
    es_queries: int = 30,
    elasticsearch: bool = True,
    keep: Path | None = None,
    embedded: bool = True,
    backend: str = "embedded",
) -> dict[str, Any]:
    """Run the index bench; returns the figures (see the module docstring)."""
    with tempfile.TemporaryDirectory(prefix="coopwatch-index-bench-") as tmp:
        root = keep or Path(tmp)
        results: dict[str, Any] = {}
        if embedded:
            results[backend] = bench_embedded(root / "embedded", docs, queries, backend=backend)
        if elasticsearch:
            results["elasticsearch"] = bench_elasticsearch(root / "es", es_docs, es_queries)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.index_bench", description=__doc__)
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--es-docs", type=int, default=5_000)
    parser.add_argument("--es-queries", type=int, default=30)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--quick", action="store_true", help="20,000 docs (2,000 on ES)")
    parser.add_argument("--no-es", action="store_true", help="skip Elasticsearch")
    parser.add_argument("--no-embedded", action="store_true", help="skip the embedded index")
    parser.add_argument("--keep", type=Path, help="keep the generated data in DIR")
    parser.add_argument("--json", type=Path, help="also write the figures to FILE")
    parser.add_argument(
        "--queries-only", type=Path, metavar="DIR", help="time queries on DIR/embedded (--keep)"
    )
    parser.add_argument(
        "--reindex",
        type=Path,
        metavar="DIR",
        help="rebuild and time the embedded index on the store a --keep run left in DIR",
    )
    parser.add_argument(
        "--backend",
        choices=["embedded", "tantivy"],
        default="tantivy",
        help="the embedded index: tantivy (the default backend) or SQLite FTS5; same store",
    )
    args = parser.parse_args(argv)
    if args.reindex:
        emit(
            bench_embedded(
                args.reindex / "embedded", 0, args.queries, reuse_store=True, backend=args.backend
            ),
            args.json,
        )
        return 0
    if args.queries_only:
        emit(
            queries_on_existing(args.queries_only / "embedded", args.queries, args.backend),
            args.json,
        )
        return 0
    if args.quick:
        args.docs, args.es_docs, args.queries, args.es_queries = 20_000, 2_000, 50, 10
    results = run(
        args.docs,
        args.es_docs,
        args.queries,
        args.es_queries,
        not args.no_es,
        args.keep,
        not args.no_embedded,
        args.backend,
    )
    emit(results, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
