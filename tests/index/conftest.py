"""Fixtures for the index tests: a local Elasticsearch-compatible server (noida-db) or a real
cluster from COOPWATCH_ES_URL, per-backend settings, and a small stored + indexed corpus."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from es_server import index_settings, start_local_server
from index_corpus import store_and_index_corpus

from coopwatch.settings import Settings
from coopwatch.store import Store

BACKENDS = ["embedded", "elasticsearch", "tantivy"]


@pytest.fixture(scope="session")
def es_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """COOPWATCH_ES_URL (a real cluster), else a local noida-db server for this session."""
    if os.environ.get("COOPWATCH_ES_URL"):
        yield os.environ["COOPWATCH_ES_URL"]
        return
    server = start_local_server(tmp_path_factory.mktemp("es-server"))
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(params=BACKENDS)
def backend_settings(request, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    for name in ("COOPWATCH_CONFIG", "COOPWATCH_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    if request.param == "elasticsearch":
        return index_settings(tmp_path, "elasticsearch", request.getfixturevalue("es_url"))
    return index_settings(tmp_path, request.param)


@pytest.fixture
def index_store(backend_settings: Settings) -> Iterator[Store]:
    with Store(backend_settings.data_dir) as store:
        yield store


@pytest.fixture
def search_index(backend_settings: Settings, index_store: Store):
    from index import open_index

    index = open_index(backend_settings, index_store)
    yield index
    if index.backend.name == "elasticsearch":
        client = index.backend.client
        alias = backend_settings.index.elasticsearch_index
        if client.indices.exists_alias(name=alias):
            for name in client.indices.get_alias(name=alias).body:
                client.indices.delete(index=name)
    index.close()


@pytest.fixture
def corpus_index(search_index, index_store: Store):
    """The corpus stored in the store of record and indexed the way ingest does it."""
    store_and_index_corpus(index_store, search_index)
    return search_index
