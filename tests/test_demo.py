"""`coopwatch demo`: the sample site is crawled by the real crawler, every shipped sample page
comes out as the right article, the pages make cooperation events, and the web page and API
serve them."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from coopwatch.cli import cli
from coopwatch.demo import SAMPLE_SITE, sample_pages, sample_urls
from coopwatch.records import EVENT_TYPES

# url -> (language, published, title start, first story words, repeated paragraphs)
EXPECTED = {
    "https://www.ostwest-nachrichten.example/politik/2025/kasachstan-usbekistan-e-government": (
        "de",
        "2025-10-14",
        "Kasachstan und Usbekistan wollen digitale Bürgerdienste verknüpfen",
        "ASTANA, 14. Oktober (OWN) – Kasachstan und Usbekistan haben am Dienstag",
        0,
    ),
    "https://digitale-rundschau.example/verwaltung/armenien-georgien-digitale-identitaet": (
        "de",
        "2025-09-22",
        "Armenien und Georgien testen grenzüberschreitende digitale Identität",
        "Armenien und Georgien wollen ihre elektronischen Ausweise gegenseitig anerkennen.",
        1,
    ),
    "https://eurasia-wire.example/news/2025/11/estonia-moldova-public-registers": (
        "en",
        "2025-11-03",
        "Estonia to help Moldova move its public registers online",
        "CHISINAU, Nov 3 (EW) - Estonia will help Moldova digitise",
        0,
    ),
    "https://steppe-times.example/politics/kazakhstan-belarus-electronic-documents": (
        "en",
        "2025-12-02",
        "Kazakhstan and Belarus launch exchange of electronic documents",
        "Kazakhstan and Belarus have started exchanging legally binding electronic documents",
        0,
    ),
    "https://steppe-times.example/sports/astana-winter-half-marathon": (
        "en",
        "2025-11-28",
        "Record field expected for Astana's winter half marathon",
        "More than 6,000 runners have registered for Sunday's winter half marathon",
        0,
    ),
    "https://tsifra-pravo.example/gosuslugi/azerbaijan-uzbekistan-sovmestnye-uslugi": (
        "ru",
        "2025-11-17",
        "Азербайджан и Узбекистан запустят совместные цифровые госуслуги",
        "Азербайджан и Узбекистан договорились запустить первые совместные",
        0,
    ),
    "https://vesti-sodruzhestva.example/news/2025/10/belarus-kyrgyzstan-e-government": (
        "ru",
        "2025-10-08",
        "Беларусь и Кыргызстан обменяются опытом электронного правительства",
        "Беларусь и Кыргызстан подписали в Бишкеке соглашение о сотрудничестве",
        0,
    ),
}
# Site furniture around the stories: none of it may end up in an article.
BOILERPLATE = [
    "Cookies",
    "Meistgelesen",
    "Newsletter",
    "Alle Rechte vorbehalten",
    "Lesen Sie auch",
    "Mehr aus der Rubrik",
    "Most read",
    "All rights reserved",
    "Related stories",
    "Reproduction of materials",
    "Популярное",
    "Читайте также",
    "Подпишитесь на нашу рассылку",
    "ссылка на источник обязательна",
]


# The sample pages' events: (countries, event type) for each cooperation page.
EXPECTED_EVENTS = {
    ("AM", "GE"),
    ("EE", "MD"),
    ("KZ", "UZ"),
    ("BY", "KZ"),  # steppe-times, and the test site's own reports (another date)
    ("AZ", "UZ"),
    ("BY", "KG"),
}


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch):
    for name in ("COOPWATCH_CONFIG", "COOPWATCH_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)


def coopwatch(data_dir: Path, *args: str):
    return CliRunner().invoke(cli, ["--data-dir", str(data_dir), *args], catch_exceptions=False)


def exported(data_dir: Path, kind: str = "article") -> dict[str, dict]:
    """Exported records of `kind`: articles by their sample page's own URL (the sample site
    serves each page under /news/<its host><its path>), events by id."""
    out = coopwatch(data_dir, "export", "--format", "jsonl").stdout
    records = [json.loads(line) for line in out.splitlines()]
    if kind == "event":
        return {r["id"]: r for r in records if r["type"] == "event"}
    return {_original(r["url"]): r for r in records if r["type"] == "article"}


def _original(url: str) -> str:
    path = urlsplit(url).path
    if path.startswith("/news/") and "." in path.split("/")[2]:
        return "https://" + path.removeprefix("/news/")
    return url


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> dict:
    """`coopwatch demo` as a user runs it, in its own process: crawl, then serve. What its
    web page and API answered while it ran, and the data directory it left."""
    import httpx

    data_dir = tmp_path_factory.mktemp("demo") / "data"
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOPWATCH_")}
    env.pop("DISPLAY", None)  # no browser to open: the URL is printed
    env.pop("WAYLAND_DISPLAY", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "coopwatch.cli", "--data-dir", str(data_dir), "demo",
         "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    lines = []
    try:
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if line.startswith("Serving"):
                break
        assert lines and lines[-1].startswith("Serving"), lines
        base = f"http://127.0.0.1:{port}"
        events = httpx.get(base + "/v1/events", timeout=30).json()["items"]
        home = httpx.get(base + "/", timeout=30).text
        searched = httpx.get(base + "/v1/search", params={"q": "Usbekistan"}, timeout=30).json()
    finally:
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=60)
    return {
        "data_dir": data_dir,
        "lines": lines,
        "events": events,
        "home": home,
        "search": searched,
        "exit": process.returncode,
        "stderr": err,
    }


def test_sample_site_ships_de_ru_en_pages_and_a_windows_1251_one():
    pages = sample_pages()
    assert 6 <= len(pages) <= 9
    assert sample_urls() == set(EXPECTED)
    legacy = []
    for page in pages:
        try:
            page.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            legacy.append(page)
    assert len(legacy) == 1
    assert b"charset=windows-1251" in legacy[0].read_bytes()
    assert all(p.parent == SAMPLE_SITE for p in pages)


def test_demo_serves_events_of_the_crawled_sample_site(served):
    lines = served["lines"]
    assert lines[0].startswith("Crawling the sample site http://127.0.0.1:"), lines
    assert "Crawled demo: finished; fetched 13, new 13" in lines[1], lines
    assert lines[-1].startswith("Serving the web page on http://127.0.0.1:"), lines
    assert served["exit"] == 0, served["stderr"]
    events = served["events"]
    assert {(tuple(e["countries"]), e["event_type"] in EVENT_TYPES) for e in events} == {
        (pair, True) for pair in EXPECTED_EVENTS
    }
    # the page shows them, and the search index holds the crawled reports
    assert "Estonia to help Moldova move its public registers online" in served["home"]
    assert served["search"]["total"] >= 1 and served["search"]["stale"] == 0


def test_every_sample_page_is_crawled_into_the_right_article(served):
    articles = exported(served["data_dir"])
    assert set(EXPECTED) <= set(articles)
    assert len(articles) == len(EXPECTED) + 6  # and the test site's own six reports
    for url, (language, published, title, first_words, repeats) in EXPECTED.items():
        article = articles[url]
        assert article["language"] == language, url
        assert article["published"] == published, url
        assert article["title"].startswith(title), url
        assert any(p.startswith(first_words) for p in article["paragraphs"]), url
        assert article["repeated_paragraphs"] == repeats, url
        assert len(article["paragraphs"]) >= 4, url
        assert article["relevant"] is ("marathon" not in url), url
        assert (article["event_id"] is None) is ("marathon" in url), url
        text = "\n".join(article["paragraphs"])
        for furniture in BOILERPLATE:
            assert furniture not in text, (url, furniture)
    events = exported(served["data_dir"], "event")
    assert {tuple(e["countries"]) for e in events.values()} == EXPECTED_EVENTS


def test_the_repeated_paragraph_is_kept_once(served):
    article = exported(served["data_dir"])[
        "https://digitale-rundschau.example/verwaltung/armenien-georgien-digitale-identitaet"
    ]
    repeated = [p for p in article["paragraphs"] if p.startswith("Die technische Grundlage")]
    assert len(repeated) == 1


def test_demo_starts_fresh_or_keeps_with_keep(served, tmp_path: Path):
    data_dir = tmp_path / "data"
    shutil.copytree(served["data_dir"], data_dir)
    again = coopwatch(data_dir, "demo", "--no-serve")
    assert again.exit_code == 0, again.output
    assert "fetched 13, new 13, updated 0" in again.stdout.splitlines()[1]
    kept = coopwatch(data_dir, "demo", "--keep", "--no-serve")
    assert kept.exit_code == 0, kept.output
    assert "new 0, updated 0" in kept.stdout.splitlines()[1]  # ETags and feed dates: unchanged
    assert len(exported(data_dir)) == 13


def test_demo_never_deletes_real_articles(tmp_path: Path):
    data_dir = tmp_path / "data"
    page = tmp_path / "mine.html"
    page.write_bytes(next(p for p in sample_pages() if "marathon" in p.name).read_bytes())
    coopwatch(data_dir, "import", str(page), "--url", "https://my.example/kept")
    refused = coopwatch(data_dir, "demo", "--no-serve")
    assert refused.exit_code == 2
    assert "1 articles that are not sample pages" in refused.stderr
    assert "https://my.example/kept" in exported(data_dir)
