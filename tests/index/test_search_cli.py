"""`coopwatch search` and `coopwatch reindex` on a stored corpus."""

from __future__ import annotations

import json
import uuid

import pytest
from click.testing import CliRunner
from index_corpus import corpus_articles, save

from coopwatch.cli import cli
from coopwatch.store import Store


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    for name in ("COOPWATCH_CONFIG", "COOPWATCH_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    data = tmp_path / "data"
    with Store(data) as store:
        for article in corpus_articles():
            save(store, article)  # stored by ingest; the index catches up on its own
    return data


def run(data_dir, *args, env=None):
    result = CliRunner().invoke(cli, ["--data-dir", str(data_dir), *args], env=env)
    return result


def test_search_prints_hits_highlights_and_facets(data_dir):
    result = run(data_dir, "search", "Familienkarte")
    assert result.exit_code == 0, result.output
    assert "1 hits" in result.output
    assert "Digitale <em>Familienkarten</em> für Belarus" in result.output
    assert "countries: BY 1, KZ 1" in result.output


def test_search_json_with_flags(data_dir):
    result = run(data_dir, "search", "", "--country", "KZ", "--lang", "ru", "--json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["total"] == 1
    assert body["hits"][0]["id"] == "a-ru-card"
    assert body["hits"][0]["record"]["language"] == "ru"
    assert body["stale"] == 0
    assert {v["value"] for v in body["facets"]["languages"]} == {"ru"}


def test_search_pages_with_the_printed_cursor(data_dir):
    first = json.loads(run(data_dir, "search", "sort:date", "--size", "2", "--json").output)
    second = run(
        data_dir, "search", "sort:date", "--size", "2", "--json", "--cursor", first["next_cursor"]
    )
    ids = [h["id"] for h in first["hits"]] + [h["id"] for h in json.loads(second.output)["hits"]]
    assert ids == ["a-ru-card", "a-de-card", "a-en-egov", "a-de-undated"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"digital', "unbalanced quote"),
        ("colour:red", "unknown filter colour:"),
        ("date:2025-99", "bad date"),
    ],
)
def test_malformed_query_is_a_usage_error_without_traceback(data_dir, query, message):
    result = run(data_dir, "search", query)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_bad_cursor_is_a_usage_error(data_dir):
    result = run(data_dir, "search", "digital", "--cursor", "abc")
    assert result.exit_code == 2
    assert "bad cursor" in result.output


def test_reindex_embedded_then_elasticsearch(data_dir, es_url):
    result = run(data_dir, "reindex", "--backend", "embedded")  # whatever the default is
    assert result.exit_code == 0, result.output
    assert "indexed 5 documents into embedded" in result.output
    env = {
        "COOPWATCH_INDEX__ELASTICSEARCH_URL": es_url,
        "COOPWATCH_INDEX__ELASTICSEARCH_INDEX": f"cwcli-{uuid.uuid4().hex[:8]}",
    }
    result = run(data_dir, "reindex", "--backend", "elasticsearch", env=env)
    assert result.exit_code == 0, result.output
    assert "indexed 5 documents into elasticsearch" in result.output
    result = run(data_dir, "search", "карта", "--backend", "elasticsearch", "--json", env=env)
    assert [h["id"] for h in json.loads(result.output)["hits"]] == ["a-ru-card"]
