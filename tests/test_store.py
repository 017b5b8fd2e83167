"""The store of record: migrations, idempotent saves, versions kept, nothing lost on failure."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from coopwatch.errors import StoreError
from coopwatch.pipeline import PageAnalyser
from coopwatch.records import FetchedPage, article_id_for
from coopwatch.settings import Settings
from coopwatch.store import MIGRATIONS, STORE_FILE, SaveOutcome, Store

URL = "https://news.example/politics/digital-cooperation"


def page_bytes(version: int, published: str = "2025-11-04") -> bytes:
    paragraphs = [
        "The ministries of digital development of Kazakhstan and Belarus agreed on Tuesday to "
        "connect their e-government portals and to recognise each other's electronic signatures.",
        "Specialists from both countries will meet in Minsk next month to agree on the technical "
        "details of the data exchange between the two national platforms.",
        f"This is version {version} of the report, with figures updated by the editors.",
    ]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<html><head><meta charset="utf-8"><title>Kazakhstan and Belarus link portals</title>'
        f'<meta property="article:published_time" content="{published}"></head>'
        f"<body><article><h1>Kazakhstan and Belarus link portals</h1>{body}</article></body></html>"
    ).encode()


def fetched(version: int, url: str = URL, **kwargs) -> FetchedPage:
    return FetchedPage(
        url=url,
        body=page_bytes(version, **kwargs),
        headers={"Content-Type": "text/html; charset=utf-8"},
        fetched_at=datetime(2025, 11, 4, 12, 0, tzinfo=UTC),
    )


@pytest.fixture
def analyser(settings: Settings) -> PageAnalyser:
    return PageAnalyser(settings)


def save(store: Store, analyser: PageAnalyser, page: FetchedPage) -> SaveOutcome:
    return store.save(page, analyser.analyse(page))


def test_a_new_store_has_every_migration_and_wal(store: Store):
    assert store.schema_version == len(MIGRATIONS)
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {row[0] for row in store.conn.execute("SELECT name FROM sqlite_master")}
    assert {"pages", "articles", "paragraphs"} <= tables


def test_reopening_keeps_data_and_does_not_migrate_again(
    settings: Settings, analyser: PageAnalyser
):
    with Store(settings.data_dir) as store:
        save(store, analyser, fetched(1))
    with Store(settings.data_dir) as store:
        assert store.schema_version == len(MIGRATIONS)
        assert store.count_articles() == 1


def test_a_store_from_a_newer_coopwatch_is_refused(settings: Settings):
    with Store(settings.data_dir):
        pass
    with sqlite3.connect(settings.data_dir / STORE_FILE) as conn:
        conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    with pytest.raises(StoreError, match="newer than this coopwatch"):
        Store(settings.data_dir)


def test_a_corrupt_store_file_is_a_clear_error(tmp_path: Path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / STORE_FILE).write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="cannot open store"):
        Store(data_dir)


def test_an_unusable_data_directory_is_a_clear_error(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot create data directory"):
        Store(blocker / "data")


def test_same_url_same_content_is_stored_once(store: Store, analyser: PageAnalyser):
    assert save(store, analyser, fetched(1)) is SaveOutcome.IMPORTED
    assert save(store, analyser, fetched(1)) is SaveOutcome.UNCHANGED
    assert store.count_articles() == 1
    assert store.conn.execute("SELECT count(*) FROM pages").fetchone()[0] == 1
    assert store.previous_hashes(URL) == []


def test_changed_content_updates_in_place_and_keeps_every_previous_hash(
    store: Store, analyser: PageAnalyser
):
    hashes = [fetched(v).sha256 for v in (1, 2, 3)]
    assert save(store, analyser, fetched(1)) is SaveOutcome.IMPORTED
    assert save(store, analyser, fetched(2)) is SaveOutcome.UPDATED
    assert save(store, analyser, fetched(3)) is SaveOutcome.UPDATED
    assert store.count_articles() == 1
    assert store.previous_hashes(URL) == hashes[:2]
    article = store.get_article(article_id_for(URL))
    assert article is not None
    assert article.content_hash == hashes[2]
    assert "This is version 3 of the report, with figures updated by the editors." in (
        article.paragraphs
    )
    # paragraph rows are the current version's only
    rows = [
        text
        for (text,) in store.conn.execute(
            "SELECT text FROM paragraphs WHERE article_id = ? ORDER BY position", (article.id,)
        )
    ]
    assert rows == article.paragraphs
    assert store.page_body(URL) == page_bytes(3)


def test_going_back_to_an_earlier_version_reuses_its_page(store: Store, analyser: PageAnalyser):
    save(store, analyser, fetched(1))
    save(store, analyser, fetched(2))
    assert save(store, analyser, fetched(1)) is SaveOutcome.UPDATED
    assert store.conn.execute("SELECT count(*) FROM pages").fetchone()[0] == 2
    assert store.previous_hashes(URL) == [fetched(1).sha256, fetched(2).sha256]
    assert store.page_body(URL) == page_bytes(1)


def test_page_bytes_headers_and_fetch_time_are_kept(store: Store, analyser: PageAnalyser):
    page = fetched(1)
    save(store, analyser, page)
    status, headers, fetched_at, body = store.conn.execute(
        "SELECT status, headers, fetched_at, body FROM pages"
    ).fetchone()
    assert status == 200
    assert "text/html; charset=utf-8" in headers
    assert fetched_at.startswith("2025-11-04T12:00")
    assert len(body) < len(page.body)  # compressed
    assert store.page_body(URL) == page.body


def test_article_ids_are_stable(store: Store, analyser: PageAnalyser):
    save(store, analyser, fetched(1))
    save(store, analyser, fetched(2, url=URL.replace("https://news", "https://NEWS") + "#x"))
    ids = [row[0] for row in store.conn.execute("SELECT id FROM articles")]
    assert ids == [article_id_for(URL)]
    assert article_id_for(URL) == article_id_for(URL)


def test_since_filters_on_the_publication_date(store: Store, analyser: PageAnalyser):
    save(store, analyser, fetched(1, url=URL + "-a", published="2025-10-01"))
    save(store, analyser, fetched(1, url=URL + "-b", published="2025-11-20"))
    assert [a.url for a in store.iter_articles(since="2025-11-01")] == [URL + "-b"]
    assert [a.url for a in store.iter_articles()] == [URL + "-a", URL + "-b"]


def test_a_failed_save_leaves_the_stored_version_untouched(store: Store, analyser: PageAnalyser):
    save(store, analyser, fetched(1))
    before = store.get_article(article_id_for(URL))
    article = analyser.analyse(fetched(2))
    article.paragraphs = [None]  # type: ignore[list-item]  # NOT NULL: fails inside the write
    with pytest.raises(sqlite3.IntegrityError):
        store.save(fetched(2), article)
    assert store.get_article(article_id_for(URL)) == before
    assert store.page_body(URL) == page_bytes(1)
    assert store.conn.execute("SELECT count(*) FROM pages").fetchone()[0] == 1


def test_opening_a_new_store_from_many_threads_at_once_migrates_it_once(tmp_path: Path):
    """The API's worker threads (or a crawl and an import) may open a new data dir together."""
    data_dir = tmp_path / "data"
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def open_store() -> None:
        barrier.wait()
        try:
            with Store(data_dir) as store:
                store.count_articles()
        except BaseException as exc:  # collected, asserted below
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Store(data_dir) as store:
        assert store.schema_version == len(MIGRATIONS)
