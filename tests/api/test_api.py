"""The JSON API against the real app on a real store: records, pagination, errors, access."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time

import pytest
from apiseed import ARTICLES, EVENTS, put_event
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import ApiKeys
from api.digest.subscriptions import Subscriptions
from coopwatch.records import Event

ARTICLE_FIELDS = {
    "type", "id", "url", "site", "language", "title", "published", "relevant", "relevance_score",
    "paragraphs", "repeated_paragraphs", "duplicate_of", "event_id", "actors", "projects",
    "metrics", "quotes",
}  # fmt: skip
EVENT_FIELDS = {
    "type", "id", "event_type", "countries", "date", "location", "title", "articles",
    "languages", "actors", "projects", "metrics",
}  # fmt: skip


@pytest.fixture
def client(settings, seeded_store):
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def key(seeded_store):
    return ApiKeys(seeded_store.conn).create("test", ["subscriptions"])


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message", "details"}
    assert body["error"]["status"] == status and body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


def test_importing_the_api_has_no_side_effects(tmp_path):
    code = "import api.app, api.v1, api.web, api.cli, api.digest.send, api.digest.schedule"
    env = {**os.environ, "COOPWATCH_DATA_DIR": str(tmp_path / "data")}
    subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, check=True, timeout=120)
    assert list(tmp_path.iterdir()) == []  # no data directory, store, secret or log made


def test_healthz_reports_the_store(client):
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["store"]["articles"] == len(ARTICLES) and body["store"]["events"] == len(EVENTS)


def test_events_are_spec_records_newest_first(client):
    body = client.get("/v1/events").json()
    assert [e["id"] for e in body["items"]] == ["evt-bykz2", "evt-deuz1", "evt-bykz1", "evt-ruuz1"]
    assert body["next_cursor"] is None
    for event in body["items"]:
        assert set(event) >= EVENT_FIELDS and event["type"] == "event"


def test_event_filters(client):
    def ids(**params):
        response = client.get("/v1/events", params=params)
        assert response.status_code == 200, response.text
        return [e["id"] for e in response.json()["items"]]

    assert ids(country=["by", "KZ"]) == ["evt-bykz2", "evt-bykz1"]
    assert ids(country="UZ", date_from="2026-11-01") == ["evt-deuz1"]
    assert ids(actor="person:julia-shapkina") == ["evt-bykz1"]
    assert ids(project="project:digital-family-card", language="ru") == ["evt-bykz1"]
    assert ids(event_type="agreement") == ["evt-deuz1"]
    assert ids(date_to="2026-11-01") == ["evt-ruuz1"]
    assert ids(q="tashkent") == ["evt-deuz1"]


def test_cursor_pagination_visits_every_event_once(client):
    seen, cursor = [], None
    while True:
        params = {"limit": 1, **({"cursor": cursor} if cursor else {})}
        body = client.get("/v1/events", params=params).json()
        seen += [e["id"] for e in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == ["evt-bykz2", "evt-deuz1", "evt-bykz1", "evt-ruuz1"]


def test_event_by_id_and_merged_alias(client):
    event = client.get("/v1/events/evt-bykz1").json()
    assert event == EVENTS[0].to_record()
    merged = client.get("/v1/events/evt-old1")
    assert merged.status_code == 200 and merged.json()["id"] == "evt-bykz1"
    assert merged.headers["content-location"] == "/v1/events/evt-bykz1"
    assert_error(client.get("/v1/events/evt-none"), 404, "not_found")


def test_article_by_id_is_the_exported_record(client):
    record = client.get("/v1/articles/a-de1").json()
    assert set(record) >= ARTICLE_FIELDS
    expected = ARTICLES[0].to_record()
    assert {k: record[k] for k in ARTICLE_FIELDS} == {k: expected[k] for k in ARTICLE_FIELDS}
    assert_error(client.get("/v1/articles/a-nope"), 404, "not_found")


def test_actors_have_name_variants_in_every_script_roles_and_events(client):
    actor = client.get("/v1/actors/person:alexander-turchin").json()
    assert actor["canonical"] == "Alexander Turchin"
    assert {n["name"] for n in actor["names"]} == {
        "Alexander Turtschin", "Александр Турчин", "Alexander Turchin",
    }  # fmt: skip
    assert {r["role"] for r in actor["roles"]} >= {"Premierminister", "премьер-министр"}
    assert set(actor["events"]) == {"evt-bykz1", "evt-deuz1"}
    found = client.get("/v1/actors", params={"q": "Турчин"}).json()["items"]
    assert [a["id"] for a in found] == ["person:alexander-turchin"]
    first = client.get("/v1/actors", params={"limit": 1}).json()
    second = client.get("/v1/actors", params={"limit": 1, "cursor": first["next_cursor"]}).json()
    assert first["items"][0]["id"] < second["items"][0]["id"]
    project = client.get("/v1/projects/project:digital-family-card").json()
    assert project["canonical"] == "Digital Family Card" and project["events"] == ["evt-bykz1"]
    assert_error(client.get("/v1/actors/person:nobody"), 404, "not_found")


def test_sources_lists_crawler_runs(client, seeded_store):
    assert client.get("/v1/sources").json() == {"items": []}
    seeded_store.conn.execute(
        "INSERT INTO crawl_runs (source, started_at, finished_at, state, fetched, new, consent,"
        " error_pages, flags) VALUES ('belta-de', '2026-11-08T10:00:00+00:00',"
        " '2026-11-08T10:05:00+00:00', 'finished', 12, 3, 4, 1, 'consent-wall,error-pages')"
    )
    (source,) = client.get("/v1/sources").json()["items"]
    assert source["source"] == "belta-de" and source["state"] == "finished"
    assert source["flags"] == ["consent-wall", "error-pages"]
    (run,) = source["runs"]
    assert (run["new"], run["consent"], run["error_pages"]) == (3, 4, 1)
    assert run["flags"] == ["consent-wall", "error-pages"]


@pytest.mark.parametrize(
    ("url", "location"),
    [
        ("/v1/events?limit=0", "query.limit"),
        ("/v1/events?limit=100000", "query.limit"),
        ("/v1/events?date_from=2026-02-30", "query.date_from"),
        ("/v1/events?event_type=party", "query.event_type"),
        ("/v1/events?country=Belarus", "query.country"),
        ("/v1/events?contry=BY", "query.contry"),
    ],
)
def test_bad_parameters_are_422_naming_the_parameter(client, url, location):
    error = assert_error(client.get(url), 422, "invalid_request")
    assert [d["location"] for d in error["details"]] == [location]


@pytest.mark.parametrize(
    "cursor", ["garbage", "eyJ4IjoxfQ", "W10", "%%%", "WyJhIiwgWzFdXQ", "A" * 5000]
)
def test_bad_cursors_are_422_never_500(client, cursor):
    error = assert_error(
        client.get("/v1/events", params={"cursor": cursor}), 422, "invalid_request"
    )
    assert "cursor" in error["message"]


def test_unknown_path_and_method_use_the_error_shape(client):
    assert_error(client.get("/v1/nothing"), 404, "not_found")
    assert_error(client.put("/v1/events"), 405, "method_not_allowed")


def test_bad_week_is_422(client):
    error = assert_error(client.get("/v1/digests/2026-45"), 422, "invalid_request")
    assert "ISO week" in error["message"]


def test_digest_preview_json_html_and_text(client):
    body = client.get("/v1/digests/2026-W45").json()
    assert body["event_count"] == 3 and body["groups"][0]["label"] == "Belarus – Kazakhstan"
    html = client.get("/v1/digests/2026-W45", params={"format": "html"})
    assert html.headers["content-type"].startswith("text/html") and "<table" in html.text
    text = client.get("/v1/digests/2026-W45", params={"format": "text"}).text
    assert "== Germany – Uzbekistan ==" in text


# -- subscriptions and access control -------------------------------------------------------


def test_subscription_write_needs_a_key_with_scope(client, seeded_store, key):
    body = {"email": "analyst@example.org", "countries": ["by"], "languages": ["de"]}
    assert_error(client.post("/v1/subscriptions", json=body), 401, "unauthorized")
    read_only = ApiKeys(seeded_store.conn).create("reader", ["read"])
    forbidden = client.post(
        "/v1/subscriptions", json=body, headers={"Authorization": f"Bearer {read_only}"}
    )
    assert_error(forbidden, 403, "forbidden")
    created = client.post("/v1/subscriptions", json=body, headers={"X-API-Key": key})
    assert created.status_code == 201, created.text
    sub = created.json()
    assert sub["email"] == "analyst@example.org" and sub["countries"] == ["BY"]
    headers = {"Authorization": f"Bearer {key}"}
    assert client.get(f"/v1/subscriptions/{sub['id']}", headers=headers).json() == sub
    assert [s["id"] for s in client.get("/v1/subscriptions", headers=headers).json()["items"]] == [
        sub["id"]
    ]
    assert client.delete(f"/v1/subscriptions/{sub['id']}", headers=headers).status_code == 204
    assert_error(client.get(f"/v1/subscriptions/{sub['id']}", headers=headers), 404, "not_found")


def test_keys_are_stored_hashed(seeded_store, key):
    secret = key.split("_", 2)[2]
    dump = "\n".join(seeded_store.conn.iterdump())
    assert secret not in dump and key not in dump
    assert ApiKeys(seeded_store.conn).verify(key) == ["subscriptions"]
    assert ApiKeys(seeded_store.conn).verify(key[:-1] + ("A" if key[-1] != "A" else "B")) is None


def test_revoked_key_is_refused(client, seeded_store, key):
    ApiKeys(seeded_store.conn).revoke(key.split("_")[1])
    response = client.get("/v1/subscriptions", headers={"X-API-Key": key})
    assert_error(response, 401, "unauthorized")


@pytest.mark.parametrize(
    ("body", "location"),
    [
        ({"email": "a@example.org", "colour": "red"}, "body.colour"),
        ({"email": "a@example.org", "countries": ["Belarus"]}, "body.countries.0"),
        ({"countries": ["BY"]}, "body.email"),
        ({"email": "not-an-address"}, "body.email"),
        ({"email": "a@example.org", "text": "x" * 1000}, "body.text"),
    ],
)
def test_bad_subscription_bodies_are_422_naming_the_field(client, key, body, location):
    response = client.post("/v1/subscriptions", json=body, headers={"X-API-Key": key})
    error = assert_error(response, 422, "invalid_request")
    assert location in [d["location"] for d in error["details"]]


@pytest.mark.parametrize(
    "raw", [b"{not json", b"", b"[1, 2]", b"\xff\xfe", b'{"email": "a@example.org",}']
)
def test_malformed_json_is_a_4xx_never_500(client, key, raw):
    response = client.post(
        "/v1/subscriptions",
        content=raw,
        headers={"X-API-Key": key, "Content-Type": "application/json"},
    )
    assert_error(response, 422, "invalid_request")


def test_oversized_bodies_are_413(client, key, settings):
    big = json.dumps({"email": "a@example.org", "text": "x" * settings.api.max_body_bytes})
    response = client.post(
        "/v1/subscriptions",
        content=big,
        headers={"X-API-Key": key, "Content-Type": "application/json"},
    )
    assert_error(response, 413, "payload_too_large")

    def chunks():  # no Content-Length: counted while reading
        for _ in range(settings.api.max_body_bytes // 1000 + 2):
            yield b"x" * 1000

    streamed = client.post(
        "/v1/subscriptions",
        content=chunks(),
        headers={"X-API-Key": key, "Content-Type": "application/json"},
    )
    assert_error(streamed, 413, "payload_too_large")


def test_failed_key_checks_are_logged_and_rate_limited(settings, seeded_store, key, caplog):
    settings.api.auth_failures_per_minute = 3
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        bad = {"X-API-Key": "cw_0000_wrong"}
        with caplog.at_level(logging.WARNING, logger="api.app"):
            for _ in range(3):
                assert_error(client.get("/v1/subscriptions", headers=bad), 401, "unauthorized")
        assert sum("API key check failed" in r.message for r in caplog.records) == 3
        assert "wrong" not in caplog.text  # the secret part is never logged
        blocked = client.get("/v1/subscriptions", headers={"X-API-Key": key})
        assert_error(blocked, 429, "rate_limited")  # even a good key waits out the block
        assert int(blocked.headers["retry-after"]) > 0


def test_failed_key_checks_count_across_api_processes(settings, seeded_store, key):
    """Two apps on one store (as serve's API processes are): failures in either count for both,
    so more processes do not give a client more tries; the window slides on wall-clock time."""
    settings.api.auth_failures_per_minute = 4
    bad = {"X-API-Key": "cw_0000_wrong"}
    first, second = create_app(settings), create_app(settings)
    with (
        TestClient(first, raise_server_exceptions=False) as one,
        TestClient(second, raise_server_exceptions=False) as other,
    ):
        for client in (one, other, one, other):
            assert_error(client.get("/v1/subscriptions", headers=bad), 401, "unauthorized")
        for client in (one, other):
            blocked = client.get("/v1/subscriptions", headers={"X-API-Key": key})
            assert_error(blocked, 429, "rate_limited")
            assert 0 < int(blocked.headers["retry-after"]) <= 61
        # A minute later the oldest failures have left the window.
        for app in (first, second):
            app.state.limiter.clock = lambda: time.time() + 61
        assert one.get("/v1/subscriptions", headers={"X-API-Key": key}).status_code == 200


def test_reading_can_require_a_key(settings, seeded_store):
    settings.api.read_requires_key = True
    reader = ApiKeys(seeded_store.conn).create("reader", ["read"])
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        assert_error(client.get("/v1/events"), 401, "unauthorized")
        assert client.get("/v1/events", headers={"X-API-Key": reader}).status_code == 200
        assert client.get("/healthz").status_code == 200


def test_login_session_reads_only_and_stays_on_this_site(settings, seeded_store):
    from api.auth import SESSION_COOKIE

    settings.api.read_requires_key = True
    reader = ApiKeys(seeded_store.conn).create("reader", ["read", "subscriptions"])
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        page = client.get("/events/evt-bykz1", headers={"Accept": "text/html"})
        assert page.url.path == "/login" and page.url.params["next"] == "/events/evt-bykz1"
        evil = client.post("/login", data={"key": reader, "next": "//evil.example/x"},
                           follow_redirects=False)  # fmt: skip
        assert evil.status_code == 303 and evil.headers["location"] == "/"
        cookie = evil.cookies[SESSION_COOKIE]
        assert reader.split("_", 2)[2] not in cookie
        set_cookie = evil.headers["set-cookie"].lower()
        assert "httponly" in set_cookie and "samesite=strict" in set_cookie
        assert client.get("/v1/events").status_code == 200  # the session reads the API too
        # but never writes, even with a key that may: state changes need the key itself
        denied = client.post("/v1/subscriptions", json={"email": "a@example.org"})
        assert_error(denied, 401, "unauthorized")
        client.cookies.clear()
        client.cookies.set(SESSION_COOKIE, cookie[:-3] + "abc")  # forged
        assert_error(client.get("/v1/events"), 401, "unauthorized")
        client.cookies.clear()
        client.cookies.set(SESSION_COOKIE, cookie)
        assert client.get("/v1/events").status_code == 200
        logout = client.post("/logout", follow_redirects=False)
        assert logout.status_code == 303 and SESSION_COOKIE in logout.headers["set-cookie"]
        client.cookies.clear()
        assert_error(client.get("/v1/events"), 401, "unauthorized")
        for _ in range(settings.api.auth_failures_per_minute):
            assert client.post("/login", data={"key": "cw_x_wrong"}).status_code == 401
        assert client.post("/login", data={"key": reader}).status_code == 429


def test_unsubscribe_link_from_a_received_digest_works(settings, seeded_store, smtp_server):
    from api.digest.send import send_digests

    sub = Subscriptions(seeded_store.conn).add("reader@example.org")
    send_digests(settings, seeded_store, "2026-W45")
    (message,) = smtp_server.to("reader@example.org")
    link = message["List-Unsubscribe"].strip("<>")
    path = link.removeprefix(settings.api.public_url)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        page = client.get(path)
        assert page.status_code == 200 and "Unsubscribe from the weekly digest?" in page.text
        assert Subscriptions(seeded_store.conn).get(sub.id).active  # GET alone changes nothing
        done = client.post(path, data={"List-Unsubscribe": "One-Click"})
        assert done.status_code == 200 and "You are unsubscribed" in done.text
        assert client.post(path.replace("token=", "token=x")).status_code == 400
    assert not Subscriptions(seeded_store.conn).get(sub.id).active
    put_event(seeded_store, Event("evt-w46", "forum", ["BY", "KZ"], "2026-11-12", None, "Forum"))
    Subscriptions(seeded_store.conn).add("other@example.org")
    next_week = send_digests(settings, seeded_store, "2026-W46")
    assert next_week.sent == ["other@example.org"]  # the unsubscribed reader gets nothing
    assert len(smtp_server.to("reader@example.org")) == 1


def test_openapi_documents_the_endpoints(client):
    schema = client.get("/openapi.json").json()
    for path in ("/v1/events", "/v1/events/{event_id}", "/v1/articles/{article_id}",
                 "/v1/actors", "/v1/projects", "/v1/sources", "/v1/subscriptions",
                 "/v1/digests/{week}", "/v1/search", "/v1/facets", "/healthz"):  # fmt: skip
        assert path in schema["paths"], path
    assert client.get("/docs").status_code == 200


# -- search through the index package -------------------------------------------------------


def test_search_finds_inflected_forms_with_highlights_and_records(client):
    body = client.get("/v1/search", params={"q": "Familienkarten"}).json()
    assert body["total"] == 1
    (hit,) = body["hits"]
    assert hit["id"] == "a-de1" and hit["type"] == "article"
    assert "<em>Familienkarte</em>" in hit["highlights"][0]
    assert set(hit["record"]) >= ARTICLE_FIELDS


def test_search_filters_facets_and_cursor(client):
    first = client.get(
        "/v1/search", params={"country": "UZ", "kind": "event", "limit": 1, "facet": "pairs"}
    ).json()
    assert first["total"] == 2 and len(first["hits"]) == 1
    assert {f["value"] for f in first["facets"]["pairs"]} == {"DE-UZ", "RU-UZ"}
    second = client.get(
        "/v1/search",
        params={"country": "UZ", "kind": "event", "limit": 1, "cursor": first["next_cursor"]},
    ).json()
    assert {first["hits"][0]["id"], second["hits"][0]["id"]} == {"evt-deuz1", "evt-ruuz1"}
    facets = client.get("/v1/facets", params={"q": "e-government"}).json()
    assert facets["total"] >= 2 and "countries" in facets["facets"]


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({"q": '"unbalanced'}, "unbalanced quote"),
        ({"q": "x", "facet": "colour"}, "unknown facet"),
        ({"date_from": "2026-02-30"}, "date"),
        ({"cursor": "garbage"}, "cursor"),
    ],
)
def test_bad_searches_are_422_with_a_clear_message(client, params, needle):
    error = assert_error(client.get("/v1/search", params=params), 422, "invalid_request")
    assert needle in error["message"]


def test_search_index_down_is_503(settings, seeded_store):
    from apiseed import free_port

    settings.index.backend = "elasticsearch"
    settings.index.elasticsearch_url = f"http://127.0.0.1:{free_port()}"  # nothing listens
    settings.index.elasticsearch_retries = 0
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        error = assert_error(client.get("/v1/search", params={"q": "x"}), 503, "index_unavailable")
        assert "unreachable" in error["message"]
        assert client.get("/v1/events").status_code == 200  # the store still answers


def test_triggering_a_crawl_needs_the_crawl_scope_and_shows_up_in_sources(
    settings, seeded_store, key, tmp_path
):
    from apiseed import free_port

    registry = tmp_path / "sources.toml"
    registry.write_text(
        '[[source]]\nkey = "dead-site"\nname = "Nothing listens"\nsite = "127.0.0.1"\n'
        f'language = "en"\nkind = "feed"\nstart_urls = ["http://127.0.0.1:{free_port()}/rss"]\n'
        "allowed_domains = [\"127.0.0.1\"]\narticle_pattern = '/news/'\ninterval_minutes = 60\n"
        "allow_private_addresses = true\n",
        encoding="utf-8",
    )
    settings.crawler.sources_file = str(registry)
    settings.crawler.retry_times = 0
    settings.crawler.download_delay = 0
    crawler_key = ApiKeys(seeded_store.conn).create("crawler", ["crawl"])
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        assert_error(
            client.post("/v1/crawls", json={}, headers={"X-API-Key": key}), 403, "forbidden"
        )
        headers = {"X-API-Key": crawler_key}
        bad = client.post("/v1/crawls", json={"sources": ["nope"]}, headers=headers)
        assert "unknown source" in assert_error(bad, 422, "invalid_request")["message"]
        started = client.post("/v1/crawls", json={"sources": ["dead-site"]}, headers=headers)
        assert started.status_code == 202 and started.json()["sources"] == ["dead-site"]
        again = client.post("/v1/crawls", json={}, headers=headers)
        if again.status_code != 202:  # still running: one API crawl at a time
            assert_error(again, 409, "conflict")
        client.app.state.crawl.join(timeout=300)
        (source,) = client.get("/v1/sources").json()["items"]
    assert source["source"] == "dead-site" and source["state"] in ("finished", "failed")
