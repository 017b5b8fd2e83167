"""Bench: the whole per-article pipeline per language (issue 3's speed target).

    python -m bench.nlp_bench [--articles 300] [--words 400] [--workers 2] [--json FILE]

For each of de, ru and en: `--articles` generated news pages whose story has about `--words`
words (the import bench's generator: cooperation reports with countries, figures, a minister
and a city), analysed by `coopwatch.pipeline.PageAnalyser` -- main text, language, paragraph
dedup, countries, metrics, quotes, NER persons/organisations/projects, relevance and event
facts -- in `--workers` processes, as `coopwatch import` and the crawler run it. Reports per
language: articles/s over wall time (target >= 20 on 2 cores), CPU ms per article, and,
measured in a fresh process, the pipeline's load time (models, tables, gazetteers) and the
peak RSS of one analysing process.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from bench.figures import emit
from bench.import_bench import news_page
from coopwatch.records import FetchedPage

LANGUAGES = ("de", "ru", "en")

_analyser: list[Any] = []


def _start(lang: str) -> None:
    """Worker start-up: load the pipeline and warm it on one page (not timed per article)."""
    from coopwatch.pipeline import PageAnalyser
    from coopwatch.settings import Settings

    _analyser.append(PageAnalyser(Settings()))
    _analyser[0].analyse(_page(-1, lang, 400, random.Random(0)))


def _analyse(page: FetchedPage) -> tuple[float, int]:
    """Analyse one page; its CPU seconds and word count (to check the article size)."""
    started = time.process_time()
    article = _analyser[0].analyse(page)
    return time.process_time() - started, sum(len(p.split()) for p in article.paragraphs)


def _page(number: int, lang: str, words: int, rng: random.Random) -> FetchedPage:
    """A news page whose story has at least `words` words (about 25 KB of page)."""
    body = news_page(number, lang, 25 * 1024, rng)
    while len(body.split(b"<p>")) < 3 or _story_words(body) < words:
        body = news_page(number, lang, 25 * 1024, rng)
    return FetchedPage(
        url=f"https://bench-news.example/{lang}/{number}",
        body=body,
        headers={"Content-Type": "text/html; charset=utf-8"},
        fetched_at=datetime(2025, 6, 1, tzinfo=UTC),
    )


def _story_words(body: bytes) -> int:
    article = body.split(b"<article>", 1)[1].split(b"</article>", 1)[0]
    return len(article.split())


def load_figures(lang: str) -> dict[str, float]:
    """Load time and one-process peak RSS, measured in a fresh process."""
    import subprocess

    script = (
        "import json, random, resource, time\n"
        "started = time.monotonic(); cpu = time.process_time()\n"
        "from bench.nlp_bench import _page\n"
        "from coopwatch.pipeline import PageAnalyser\n"
        "from coopwatch.settings import Settings\n"
        "from nlp.pipelines import load_nlp\n"
        f"load_nlp({lang!r}, Settings())\n"
        "analyser = PageAnalyser(Settings())\n"
        f"analyser.analyse(_page(0, {lang!r}, 400, random.Random(0)))\n"
        "load = time.monotonic() - started; load_cpu = time.process_time() - cpu\n"
        f"for n in range(200): analyser.analyse(_page(n, {lang!r}, 400, random.Random(n)))\n"
        "rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(json.dumps({'load_seconds': round(load, 2), 'load_cpu_seconds': round(load_cpu, 2),"
        " 'peak_rss_mib_after_200': round(rss)}))\n"
    )
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_language(lang: str, articles: int, words: int, workers: int) -> dict[str, Any]:
    rng = random.Random(7)
    pages = [_page(n, lang, words, rng) for n in range(articles)]
    context = get_context("spawn")
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start, initargs=(lang,)
    ) as pool:
        # Start-up (model loading) is reported by load_figures, not counted in articles/s.
        list(pool.map(time.sleep, [0.5] * workers))
        started = time.monotonic()
        results = list(pool.map(_analyse, pages, chunksize=4))
        seconds = time.monotonic() - started
    cpu = [c for c, _ in results]
    return {
        "language": lang,
        "articles": articles,
        "median_words": sorted(w for _, w in results)[len(results) // 2],
        "workers": workers,
        "seconds": round(seconds, 1),
        "articles_per_second": round(articles / seconds, 1),
        "cpu_ms_per_article": round(1000 * sum(cpu) / len(cpu), 1),
        **load_figures(lang),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.nlp_bench", description=__doc__)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--words", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--lang", action="append", choices=LANGUAGES)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    figures = {
        "bench": "nlp",
        "per_language": [
            run_language(lang, args.articles, args.words, args.workers)
            for lang in args.lang or LANGUAGES
        ],
        "cpus": os.cpu_count(),
        "load_average_1min_after": round(os.getloadavg()[0], 1),
        "bench_process_peak_rss_mib": round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        ),
    }
    emit(figures, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
