"""`coopwatch demo`: import the sample news pages shipped with coopwatch and summarise them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

from coopwatch.errors import UsageError
from coopwatch.importer import HTML_SUFFIXES, import_paths, page_url_from_html
from coopwatch.settings import Settings
from coopwatch.store import STORE_FILE, Store
from coopwatch.urls import canonical_url

SAMPLE_SITE = Path(__file__).parent / "demo_site"
# Tables of work a person did that no import re-creates (articles are checked one by one;
# what is derived from them, e.g. events and copy signatures, is rebuilt by the import).
_USER_TABLES = ("crawl_urls", "crawl_runs", "subscriptions", "digest_sends", "api_keys")


def sample_pages() -> list[Path]:
    """The shipped sample pages (package data), sorted."""
    return sorted(p for p in SAMPLE_SITE.iterdir() if p.name.endswith(HTML_SUFFIXES))


def sample_urls() -> set[str]:
    return {canonical_url(page_url_from_html(p.read_bytes(), p)) for p in sample_pages()}


def _foreign_content(store_file: Path) -> str | None:
    """What a fresh start would delete besides earlier demo runs, or None when nothing."""
    if not store_file.exists():
        return None
    demo_urls = sample_urls()
    with sqlite3.connect(f"file:{store_file}?mode=ro", uri=True) as conn:
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
        if "articles" in tables:
            urls = {url for (url,) in conn.execute("SELECT url FROM articles")}
            if urls - demo_urls:
                return f"{len(urls - demo_urls)} articles that are not sample pages"
        for table in _USER_TABLES:
            if table in tables and conn.execute(f"SELECT 1 FROM {table}").fetchone():
                return f"data in table {table}"
    return None


def run_demo(settings: Settings, fresh: bool = True) -> Iterator[str]:
    """Import the shipped sample pages into the data directory; yield lines to show.

    `fresh` starts from an empty store, but never deletes anything but earlier demo runs.
    """
    data_dir = settings.data_dir
    if fresh:
        store_file = data_dir / STORE_FILE
        foreign = _foreign_content(store_file)
        if foreign:
            raise UsageError(
                f"{store_file} holds {foreign}; the demo starts from an empty store and will not "
                "delete it. Run it on another directory (coopwatch --data-dir DIR demo) or add "
                "the sample pages to this store with: coopwatch demo --keep"
            )
        for name in (STORE_FILE, STORE_FILE + "-wal", STORE_FILE + "-shm"):
            (data_dir / name).unlink(missing_ok=True)
    with Store(data_dir) as store:
        report = import_paths(store, sample_pages(), settings)
        yield f"Imported the sample site into {data_dir}: {report.summary()}"
        for failure in report.failures:
            yield f"  failed: {failure.source}: {failure.reason}"
        for article in store.iter_articles():
            yield (
                f"- [{article.language}] {article.published or '????-??-??'} {article.site}: "
                f"{article.title} ({len(article.paragraphs)} paragraphs, "
                f"{article.repeated_paragraphs} repeats dropped; "
                f"{'cooperation' if article.relevant else 'not about cooperation'} "
                f"{article.relevance_score:.2f})"
            )
    yield "Export everything with: coopwatch --data-dir " + str(data_dir) + " export --format jsonl"
