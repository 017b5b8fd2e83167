"""Actor merges and splits through the API (scope `actors:write`) on a store filled by the real
ingest step: articles, events and the search index follow, and `coopwatch reprocess` keeps
the analyst's decision."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import ApiKeys
from coopwatch.records import FetchedPage
from coopwatch.settings import load_settings
from coopwatch.store import Store

_PAGE = """<html><head><title>{title}</title></head><body><article><h1>{title}</h1>
{paragraphs}</article></body></html>"""


def _page(url: str, title: str, paragraphs: list[str], day: int) -> FetchedPage:
    body = _PAGE.format(title=title, paragraphs="".join(f"<p>{p}</p>" for p in paragraphs))
    return FetchedPage(url=url, body=body.encode(), fetched_at=datetime(2026, 3, day, tzinfo=UTC))


EN_URL = "https://news.example/en/kz-uz-portals"
DE_URL = "https://nachrichten.example/de/kz-by-dokumente"
PAGES = [
    (
        "en",
        _page(
            EN_URL,
            "Kazakhstan and Uzbekistan to link e-government portals",
            [
                "TASHKENT – Kazakhstan and Uzbekistan agreed on March 2 to connect their "
                "e-government portals and recognise each other's electronic signatures.",
                "Uzbekistan's Deputy Minister of Digital Technologies Rustam Karimov and "
                "Kazakhstan's Vice Minister of Digital Development Askar Zhumabekov signed the "
                "roadmap on digital government cooperation.",
                "Karimov said twelve cross-border e-government services would start this year.",
            ],
            2,
        ),
    ),
    (
        "de",
        _page(
            DE_URL,
            "Kasachstan und Belarus tauschen elektronische Dokumente aus",
            [
                "MINSK – Kasachstan und Belarus haben am 9. März den Austausch elektronischer "
                "Dokumente gestartet.",
                "Der kasachische Vizeminister für digitale Entwicklung Askar Schumabekow und der "
                "belarussische Minister für Kommunikation Konstantin Schulgan unterzeichneten in "
                "Minsk ein Protokoll über die Zusammenarbeit im E-Government.",
                "Schumabekow sagte, die Plattformen würden bis Jahresende verbunden.",
            ],
            9,
        ),
    ),
]
ASKAR = "person:askar-zhumabekov"
# his variants: as the English and German reports write him, and the German one's English form
EVERY_NAME = ("Askar Zhumabekov", "Askar Schumabekow", "askar shumabekov")


@pytest.fixture(scope="module")
def ingested(tmp_path_factory) -> Path:
    """A data directory holding PAGES as the import stores them (registry, events, index)."""
    from coopwatch.importer import ImportReport, ingest_page
    from coopwatch.pipeline import PageAnalyser
    from index.search_index import open_index

    data_dir = tmp_path_factory.mktemp("ingested") / "data"
    settings = load_settings(data_dir=data_dir)
    analyser = PageAnalyser(settings)
    with Store(data_dir) as store:
        report = ImportReport()
        for language, page in PAGES:
            ingest_page(store, analyser, page, language, report)
        assert not report.failures
        index = open_index(settings, store)
        index.catch_up()
        index.close()
    return data_dir


@pytest.fixture
def store(settings, ingested):
    shutil.copytree(ingested, settings.data_dir)
    with Store(settings.data_dir) as store:
        yield store


@pytest.fixture
def client(settings, store):
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def writer(store) -> dict[str, str]:
    return {"Authorization": "Bearer " + ApiKeys(store.conn).create("analyst", ["actors:write"])}


def _article_actors(client, url: str, store) -> set[str]:
    article_id = store.conn.execute("SELECT id FROM articles WHERE url = ?", (url,)).fetchone()[0]
    return {a["id"] for a in client.get(f"/v1/articles/{article_id}").json()["actors"]}


def _event_of(client, url: str, store) -> dict:
    event_id = store.conn.execute("SELECT event_id FROM articles WHERE url = ?", (url,)).fetchone()[
        0
    ]
    return client.get(f"/v1/events/{event_id}").json()


def _searched(client, **params) -> set[str]:
    body = client.get("/v1/search", params={"q": "", **params}).json()
    return {hit["id"] for hit in body["hits"]}


def test_split_then_merge_moves_articles_events_and_search(client, store, writer):
    assert {a["name"] for a in client.get(f"/v1/actors/{ASKAR}").json()["names"]} == {
        "Askar Zhumabekov",
        "Askar Schumabekow",
    }
    split = client.post(
        f"/v1/actors/{ASKAR}/split",
        json={"names": ["Askar Schumabekow"], "new_id": "person:askar-schumabekow"},
        headers=writer,
    )
    assert split.status_code == 201, split.text
    assert split.headers["location"] == "/v1/actors/person:askar-schumabekow"
    body = split.json()
    assert body["actor"]["id"] == "person:askar-schumabekow"
    assert [n["name"] for n in body["actor"]["names"]] == ["Askar Schumabekow"]
    assert {n["name"] for n in body["from"]["names"]} == {"Askar Zhumabekov"}
    assert body["index_stale"] == 0
    # the German report and its event follow; the English one keeps the old id
    assert "person:askar-schumabekow" in _article_actors(client, DE_URL, store)
    assert ASKAR not in _article_actors(client, DE_URL, store)
    assert ASKAR in _article_actors(client, EN_URL, store)
    de_event = _event_of(client, DE_URL, store)
    assert "person:askar-schumabekow" in de_event["actors"] and ASKAR not in de_event["actors"]
    assert de_event["mentioned_in"]["person:askar-schumabekow"] == de_event["articles"]
    assert ASKAR not in de_event["mentioned_in"]
    de_article = _event_of(client, DE_URL, store)["articles"][0]
    assert de_article in _searched(client, actor="person:askar-schumabekow")
    assert de_article not in _searched(client, actor=ASKAR)

    merged = client.post(
        f"/v1/actors/{ASKAR}/merge", json={"ids": ["person:askar-schumabekow"]}, headers=writer
    )
    assert merged.status_code == 200, merged.text
    body = merged.json()
    assert body["merged"] == ["person:askar-schumabekow"]
    assert body["actor"]["aliases"] == ["person:askar-schumabekow"]
    assert {n["name"] for n in body["actor"]["names"]} == {"Askar Zhumabekov", "Askar Schumabekow"}
    de_event = _event_of(client, DE_URL, store)
    assert ASKAR in de_event["actors"] and "person:askar-schumabekow" not in de_event["actors"]
    assert set(de_event["mentioned_in"]) == {*de_event["actors"], *de_event["projects"]}
    assert de_article in _searched(client, actor=ASKAR)
    # the old id stays resolvable: the API, the search filter and the web page
    alias = client.get("/v1/actors/person:askar-schumabekow")
    assert alias.status_code == 200 and alias.json()["id"] == ASKAR
    assert alias.headers["content-location"] == f"/v1/actors/{ASKAR}"
    assert de_article in _searched(client, actor="person:askar-schumabekow")
    page = client.get("/actors/person:askar-schumabekow", follow_redirects=False)
    assert page.status_code == 301 and page.headers["location"] == f"/actors/{ASKAR}"
    assert "Merged into this one: person:askar-schumabekow" in client.get(f"/actors/{ASKAR}").text


def test_merge_and_split_survive_reprocess(client, store, writer, settings):
    from coopwatch.reprocess import reprocess

    merged = client.post(
        "/v1/actors/person:konstantin-schulgan/merge",
        json={"ids": ["person:rustam-karimov"]},
        headers=writer,
    )
    assert merged.status_code == 200, merged.text
    split = client.post(
        f"/v1/actors/{ASKAR}/split", json={"names": ["Askar Schumabekow"]}, headers=writer
    )
    assert split.status_code == 201, split.text
    new_id = split.json()["actor"]["id"]
    assert new_id not in (ASKAR, "")

    def state():
        return (
            _article_actors(client, EN_URL, store),
            _article_actors(client, DE_URL, store),
            set(_event_of(client, EN_URL, store)["actors"]),
        )

    before = state()
    assert "person:rustam-karimov" not in before[0] | before[2]
    assert "person:konstantin-schulgan" in before[0]
    assert new_id in before[1] and ASKAR not in before[1]
    report = reprocess(store, settings)
    assert not report.failures
    assert state() == before


def test_cli_merge_updates_the_search_index(client, store, settings):
    from coopwatch.cli import cli

    result = CliRunner().invoke(
        cli,
        ["--data-dir", str(settings.data_dir), "actors", "merge", "person:rustam-karimov",
         "--into", "person:konstantin-schulgan"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    en_article = _event_of(client, EN_URL, store)["articles"][0]
    assert store.conn.execute("SELECT count(*) FROM index_pending").fetchone()[0] == 0
    assert en_article in _searched(client, actor="person:konstantin-schulgan")


def assert_error(response, status: int, code: str, location: str | None = None) -> dict:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert set(error) == {"status", "code", "message", "details"}
    assert error["status"] == status and error["code"] == code and error["message"]
    if location is not None:
        assert location in [d["location"] for d in error["details"]], error
    return error


def test_changes_need_a_key_with_the_actors_write_scope(client, store):
    url = f"/v1/actors/{ASKAR}/merge"
    body = {"ids": ["person:rustam-karimov"]}
    assert_error(client.post(url, json=body), 401, "unauthorized")
    assert_error(
        client.post(url, json=body, headers={"X-API-Key": "cw_x_nope"}), 401, "unauthorized"
    )
    reader = ApiKeys(store.conn).create("reader", ["read", "subscriptions"])
    denied = client.post(url, json=body, headers={"X-API-Key": reader})
    assert "actors:write" in assert_error(denied, 403, "forbidden")["message"]
    split = client.post(f"/v1/actors/{ASKAR}/split", json={"names": ["x"]})
    assert_error(split, 401, "unauthorized")
    assert client.get("/v1/actors/person:rustam-karimov").status_code == 200  # nothing changed


@pytest.mark.parametrize(
    "path, body, status, code, location",
    [
        ("person:nobody/merge", {"ids": ["person:rustam-karimov"]}, 404, "not_found", None),
        ("project:nobody/split", {"names": ["x"]}, 404, "not_found", None),
        (f"{ASKAR}/merge", {}, 422, "invalid_request", "body.ids"),
        (f"{ASKAR}/merge", {"ids": []}, 422, "invalid_request", "body.ids"),
        (f"{ASKAR}/merge", {"ids": "person:x"}, 422, "invalid_request", "body.ids"),
        (f"{ASKAR}/merge", {"ids": ["person:rustam-karimov"], "x": 1}, 422, "invalid_request",
         "body.x"),
        (f"{ASKAR}/merge", {"ids": ["person:nobody"]}, 422, "invalid_request", "body.ids.0"),
        (f"{ASKAR}/merge", {"ids": ["person:rustam-karimov", ASKAR]}, 422, "invalid_request",
         "body.ids.1"),
        (f"{ASKAR}/split", {"names": ["Nobody Else"]}, 422, "invalid_request", "body.names.0"),
        (f"{ASKAR}/split", {"names": [*EVERY_NAME]}, 422, "invalid_request", "body.names"),
        (f"{ASKAR}/split", {"names": ["Askar Schumabekow"], "new_id": "org:askar"}, 422,
         "invalid_request", "body.new_id"),
        (f"{ASKAR}/split", {"names": ["Askar Schumabekow"], "new_id": "Askar S"}, 422,
         "invalid_request", "body.new_id"),
        (f"{ASKAR}/split", {"names": ["Askar Schumabekow"], "new_id": "person:rustam-karimov"},
         409, "conflict", "body.new_id"),
    ],
)  # fmt: skip
def test_bad_changes_are_4xx_in_the_error_shape(client, writer, path, body, status, code, location):
    response = client.post(f"/v1/actors/{path}", json=body, headers=writer)
    assert_error(response, status, code, location)
    assert client.get(f"/v1/actors/{ASKAR}").json()["aliases"] == []  # nothing changed


def test_malformed_json_and_kinds_that_do_not_match(client, store, writer):
    raw = client.post(
        f"/v1/actors/{ASKAR}/merge",
        content=b'{"ids": [',
        headers={**writer, "Content-Type": "application/json"},
    )
    assert_error(raw, 422, "invalid_request")
    # a project is no actor: not found under /v1/actors, and not mergeable into a person
    store.conn.execute(
        "INSERT INTO actors (id, kind, canonical, key, loose_key, created_at, updated_at)"
        " VALUES ('project:e-docs', 'project', 'E-Docs', 'e-docs', '', '', '')"
    )
    assert_error(client.get("/v1/actors/project:e-docs"), 404, "not_found")
    wrong = client.post(
        f"/v1/actors/{ASKAR}/merge", json={"ids": ["project:e-docs"]}, headers=writer
    )
    assert "is a project" in assert_error(wrong, 422, "invalid_request", "body.ids.0")["message"]
