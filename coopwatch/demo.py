"""`coopwatch demo`: import the sample news pages shipped with coopwatch and summarise them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from coopwatch.importer import import_paths
from coopwatch.settings import Settings
from coopwatch.store import STORE_FILE, Store

SAMPLE_SITE = Path(__file__).parent / "demo_site"


def run_demo(settings: Settings, fresh: bool = True) -> Iterator[str]:
    """Import the shipped sample pages into the data directory; yield lines to show."""
    data_dir = settings.data_dir
    if fresh:
        for name in (STORE_FILE, STORE_FILE + "-wal", STORE_FILE + "-shm"):
            (data_dir / name).unlink(missing_ok=True)
    with Store(data_dir) as store:
        report = import_paths(store, [SAMPLE_SITE], settings)
        yield f"Imported the sample site into {data_dir}: {report.summary()}"
        for failure in report.failures:
            yield f"  failed: {failure.source}: {failure.reason}"
        for article in store.iter_articles():
            yield (
                f"- [{article.language}] {article.published or '????-??-??'} {article.site}: "
                f"{article.title} ({len(article.paragraphs)} paragraphs, "
                f"{article.repeated_paragraphs} repeats dropped)"
            )
    yield "Export everything with: coopwatch --data-dir " + str(data_dir) + " export --format jsonl"
