"""Elasticsearch down: ingest still stores everything, the index is marked stale, and the
missed documents are indexed when the cluster is back."""

from __future__ import annotations

import os

import pytest
from es_server import free_port, index_settings, start_local_server
from index_corpus import corpus_articles, corpus_events, late_article, save, save_event

from coopwatch.errors import IndexUnavailable
from coopwatch.store import Store
from index import open_index


@pytest.fixture
def outage(tmp_path, monkeypatch):
    """(settings, take_down, bring_back): a cluster of our own that can be stopped and
    restarted; with COOPWATCH_ES_URL, a real cluster behind a URL that can be cut."""
    for name in ("COOPWATCH_CONFIG", "COOPWATCH_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    real = os.environ.get("COOPWATCH_ES_URL")
    if real:
        settings = index_settings(tmp_path, "elasticsearch", real)
        dead = f"http://127.0.0.1:{free_port()}"
        state = {"url": real}
        yield (
            settings,
            lambda: state.update(url=dead),
            lambda: state.update(url=real),
            lambda: settings.index.model_copy(update={"elasticsearch_url": state["url"]}),
        )
        return
    server = start_local_server(tmp_path / "es")
    settings = index_settings(tmp_path, "elasticsearch", server.url)
    try:
        yield settings, server.stop, server.start, lambda: settings.index
    finally:
        server.stop()


def test_cluster_down_marks_stale_and_catches_up(outage):
    settings, take_down, bring_back, current = outage
    with Store(settings.data_dir) as store:

        def fresh_index():
            return open_index(settings.model_copy(update={"index": current()}), store)

        index = fresh_index()
        for article in corpus_articles():
            save(store, article)
            assert index.index_article(article)
        assert index.stale() == 0

        take_down()
        index = fresh_index()
        late = late_article("a-late")
        save(store, late)
        assert index.index_article(late) is False  # not an exception: ingest goes on
        event = corpus_events()[0]
        save_event(store, event)  # ingest stores the event in the article's transaction
        assert index.index_event(event) is False
        assert store.get_article("a-late") is not None  # the store has everything
        assert index.stale() == 2
        with pytest.raises(IndexUnavailable, match="unreachable"):
            index.search("Kyrgyzstan")
        assert index.catch_up() == 0  # still down: nothing lost, nothing done
        assert index.stale() == 2

        bring_back()
        index = fresh_index()
        assert index.catch_up() == 2
        assert index.stale() == 0
        assert {h.id for h in index.search("Kyrgyzstan").hits} == {"a-late"}
        assert {h.id for h in index.search("type:visit").hits} == {"e-visit"}
        assert index.count() == 7
