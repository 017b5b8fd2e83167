"""Bench: cost of the syndicated-copy check per new article at 10k and 100k stored articles.

    python -m bench.syndication [--sizes 10000 100000] [--probes 300] [--data-dir DIR] [--json FILE]

Fills a store through `Store.save` (the import's own write path) with synthetic news
articles: paragraphs of words drawn from a Zipf-distributed vocabulary, with stock phrases
and datelines that recur across articles as in real agency news, and 5 % republished copies
(shortened or with a credit line). Then times, for new articles that are not stored, the
signature (pure) and the band look-up + verification in SQLite, and reports the peak RSS.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from itertools import accumulate, islice
from pathlib import Path

from bench.figures import emit
from coopwatch.records import Article, FetchedPage, article_id_for
from coopwatch.store import Store
from nlp import syndication

VOCABULARY = 30_000
STOCK_PHRASES = [
    "sagte der Minister nach dem Treffen",
    "wie die Pressestelle der Regierung mitteilte",
    "im Rahmen der bilateralen Zusammenarbeit",
    "die Seiten erörterten Fragen der Digitalisierung",
    "nach Angaben des Ministeriums für digitale Entwicklung",
    "ein Memorandum über gegenseitiges Verständnis wurde unterzeichnet",
    "an dem Treffen nahmen Vertreter beider Länder teil",
]
CITIES = ["ASTANA", "MINSK", "TASCHKENT", "BISCHKEK", "BAKU", "MOSKAU", "BERLIN", "DUSCHANBE"]


class ArticleFactory:
    """Synthetic agency-style articles; deterministic for a seed."""

    def __init__(self, seed: int = 7):
        self.rng = random.Random(seed)
        alphabet = "abcdefghijklmnopqrstuvwxyzäöü"
        self.words = [
            "".join(self.rng.choice(alphabet) for _ in range(self.rng.randint(3, 11)))
            for _ in range(VOCABULARY)
        ]
        # Zipf-like word frequencies (s = 1), as in natural text.
        self.cum_weights = list(accumulate(1 / rank for rank in range(1, VOCABULARY + 1)))

    def paragraphs(self) -> list[str]:
        rng = self.rng
        out = []
        for number in range(rng.randint(4, 9)):
            sentence = rng.choices(self.words, cum_weights=self.cum_weights, k=rng.randint(30, 80))
            if rng.random() < 0.5:
                sentence.insert(rng.randrange(len(sentence)), rng.choice(STOCK_PHRASES))
            text = " ".join(sentence).capitalize() + "."
            if number == 0:
                text = f"{rng.choice(CITIES)}, {rng.randint(1, 28)}. März (Agentur) - {text}"
            out.append(text)
        return out

    def copy_of(self, paragraphs: list[str]) -> list[str]:
        if self.rng.random() < 0.5:
            return paragraphs[:-1]
        return [*paragraphs, "Nachdruck mit freundlicher Genehmigung der Agentur."]


def _article(number: int, paragraphs: list[str], prefix: str = "a") -> Article:
    url = f"https://site{number % 40}.example/{prefix}/{number}"
    return Article(
        id=article_id_for(url),
        url=url,
        site=f"site{number % 40}.example",
        language="de",
        title=f"Artikel {number}",
        published="2026-03-14",
        paragraphs=paragraphs,
    )


def fill(
    store: Store, factory: ArticleFactory, start: int, stop: int, stored: list[list[str]]
) -> None:
    """Save articles number start..stop-1 (5 % of them copies of an earlier one)."""
    for number in range(start, stop):
        if stored and factory.rng.random() < 0.05:
            paragraphs = factory.copy_of(factory.rng.choice(stored))
        else:
            paragraphs = factory.paragraphs()
        if len(stored) < 2000:
            stored.append(paragraphs)
        article = _article(number, paragraphs)
        page = FetchedPage(article.url, "\n".join(paragraphs).encode("utf-8"))
        store.save(page, article, syndication.signature(paragraphs))


def probe(
    stores: dict[int, Store], factory: ArticleFactory, count: int, stored: list[list[str]]
) -> dict[int, dict[str, object]]:
    """Time the check for `count` unseen articles (a third of them copies) against every store,
    each article against each store in turn, so that all sizes see the same machine load.
    Nothing is saved."""
    signature_ms: list[float] = []
    lookup_ms: dict[int, list[float]] = {size: [] for size in stores}
    found = dict.fromkeys(stores, 0)
    order = list(stores)
    for number in range(count):
        is_copy = number % 3 == 0
        paragraphs = factory.copy_of(factory.rng.choice(stored)) if is_copy else None
        paragraphs = paragraphs or factory.paragraphs()
        article = _article(10_000_000 + number, paragraphs, prefix="probe")
        started = time.perf_counter()
        signature = syndication.signature(paragraphs)
        signature_ms.append((time.perf_counter() - started) * 1000)
        assert signature is not None
        order.reverse()  # neither store always goes first
        for size in order:
            started = time.perf_counter()
            original = stores[size].find_original(article, signature)
            lookup_ms[size].append((time.perf_counter() - started) * 1000)
            found[size] += bool(is_copy and original)
    signature_median = round(statistics.median(signature_ms), 3)
    return {
        size: {
            "signature_ms_median": signature_median,
            "lookup_ms_median": round(statistics.median(times), 3),
            "lookup_ms_p95": round(sorted(times)[int(0.95 * len(times))], 3),
            "check_ms_median": round(signature_median + statistics.median(times), 3),
            "copies_found": f"{found[size]}/{(count + 2) // 3}",
        }
        for size, times in lookup_ms.items()
    }


def measure(
    sizes: tuple[int, ...] = (10_000, 100_000), probes: int = 300, data_dir: Path | None = None
) -> dict[str, object]:
    """Copy-check cost per new article at each store size, and the peak RSS (MiB).

    One store grows through the sizes; a copy of it is kept at each smaller size, and all of
    them are probed together at the end.
    """
    results: dict[str, object] = {}
    sizes = tuple(sorted(sizes))
    with tempfile.TemporaryDirectory(prefix="coopwatch-bench-") as tmp:
        base = Path(data_dir or tmp)
        factory = ArticleFactory()
        stored: list[list[str]] = []
        fill_s: dict[int, float] = {}
        with Store(base / "grown") as store:
            count = store.count_articles()
            # A kept store (--data-dir) grows from where it is; copies are made of its first ones.
            stored.extend(a.paragraphs for a in islice(store.iter_articles(), 2000))
            for size in sizes:
                started = time.perf_counter()
                fill(store, factory, count, size, stored)
                fill_s[size] = round(time.perf_counter() - started, 1)
                count = max(count, size)
                if size != sizes[-1]:
                    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    (base / f"at-{size}").mkdir(exist_ok=True)
                    shutil.copyfile(store.path, base / f"at-{size}" / store.path.name)
                print(f"filled {size} in {fill_s[size]} s", file=sys.stderr, flush=True)
            stores = {size: Store(base / f"at-{size}") for size in sizes[:-1]}
            stores[sizes[-1]] = store
            try:
                in_all = stored[: sizes[0]]  # copies are made of articles every store holds
                for size, row in probe(stores, factory, probes, in_all).items():
                    results[f"stored_{size}"] = {**row, "fill_s": fill_s[size]}
            finally:
                for size in sizes[:-1]:
                    stores[size].close()
            band_rows = store.conn.execute("SELECT count(*) FROM syndication_bands").fetchone()[0]
            results["band_rows"] = band_rows
            results["store_mib"] = round(store.path.stat().st_size / 2**20, 1)
            for table in ("syndication_signatures", "syndication_bands"):
                size = store.conn.execute(
                    "SELECT sum(pgsize) FROM dbstat WHERE name = ?", (table,)
                ).fetchone()[0]
                results[f"{table}_mib"] = round((size or 0) / 2**20, 1)
    results["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--probes", type=int, default=300)
    parser.add_argument("--data-dir", type=Path, help="keep the bench store here (default: temp)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args(argv)
    results = measure(tuple(args.sizes), args.probes, args.data_dir)
    emit(results, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
