"""The embedded index's schema 3: filter tags in FTS5, and the SQL that migrates a v2 index."""

from __future__ import annotations

from pathlib import Path

from es_server import index_settings
from index_corpus import corpus_articles, corpus_events, store_and_index_corpus

from coopwatch.store import Store
from index import open_index
from index.embedded import _TAGS_SQL, FACET_FIELD_SEP, FACET_ITEM_SEP


def test_migration_sql_builds_the_tags_that_indexing_writes(tmp_path: Path):
    """Migration 3 derives each document's tags from v2's index_facets table in SQL; they
    must be the tags `doc_tags` gives new documents (else filters miss migrated ones)."""
    settings = index_settings(tmp_path, "embedded")
    with Store(settings.data_dir) as store:
        index = open_index(settings, store)
        store_and_index_corpus(store, index)
        conn = store.conn
        # v2's index_facets, rebuilt from the facets column (temp: found before main).
        conn.execute("CREATE TEMP TABLE index_facets (field TEXT, value TEXT, doc INTEGER)")
        for rowid, facets in conn.execute("SELECT rowid, facets FROM index_docs").fetchall():
            for item in facets.split(FACET_ITEM_SEP) if facets else []:
                field, _, value = item.partition(FACET_FIELD_SEP)
                conn.execute(
                    "INSERT INTO temp.index_facets VALUES (?, ?, ?)", (field, value, rowid)
                )
        rows = conn.execute(
            f"SELECT f.tags, {_TAGS_SQL} FROM index_fts f JOIN index_docs d ON d.rowid = f.rowid"
        ).fetchall()
        assert len(rows) == len(corpus_articles()) + len(corpus_events())
        for written, migrated in rows:
            assert set(migrated.split()) == set(written.split())
        assert any("zr" in written.split() for written, _ in rows)
        index.close()
