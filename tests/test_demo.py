"""`coopwatch demo`: the shipped sample pages import cleanly and come out as the right articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from coopwatch.cli import cli
from coopwatch.demo import SAMPLE_SITE, sample_pages, sample_urls

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


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch):
    for name in ("COOPWATCH_CONFIG", "COOPWATCH_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)


def coopwatch(data_dir: Path, *args: str):
    return CliRunner().invoke(cli, ["--data-dir", str(data_dir), *args], catch_exceptions=False)


def exported(data_dir: Path) -> dict[str, dict]:
    out = coopwatch(data_dir, "export", "--format", "jsonl").stdout
    records = [json.loads(line) for line in out.splitlines()]
    return {r["url"]: r for r in records if r["type"] == "article"}


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


def test_demo_imports_every_sample_page_into_the_data_directory(tmp_path: Path):
    data_dir = tmp_path / "data"
    result = coopwatch(data_dir, "demo")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].endswith("imported 7, updated 0, unchanged 0, failed 0")
    assert len([ln for ln in lines if ln.startswith("- [")]) == 7
    assert "- [ru] 2025-10-08 vesti-sodruzhestva.example: Беларусь и Кыргызстан" in result.stdout
    assert "half marathon (5 paragraphs, 0 repeats dropped; not about cooperation" in result.stdout
    articles = exported(data_dir)
    assert set(articles) == set(EXPECTED)
    for url, (language, published, title, first_words, repeats) in EXPECTED.items():
        article = articles[url]
        assert article["language"] == language, url
        assert article["published"] == published, url
        assert article["title"].startswith(title), url
        assert any(p.startswith(first_words) for p in article["paragraphs"]), url
        assert article["repeated_paragraphs"] == repeats, url
        assert len(article["paragraphs"]) >= 4, url
        assert article["relevant"] is ("marathon" not in url), url
        text = "\n".join(article["paragraphs"])
        for furniture in BOILERPLATE:
            assert furniture not in text, (url, furniture)


def test_the_repeated_paragraph_is_kept_once(tmp_path: Path):
    coopwatch(tmp_path / "data", "demo")
    article = exported(tmp_path / "data")[
        "https://digitale-rundschau.example/verwaltung/armenien-georgien-digitale-identitaet"
    ]
    repeated = [p for p in article["paragraphs"] if p.startswith("Die technische Grundlage")]
    assert len(repeated) == 1


def test_demo_starts_fresh_or_keeps_with_keep(tmp_path: Path):
    data_dir = tmp_path / "data"
    coopwatch(data_dir, "demo")
    again = coopwatch(data_dir, "demo")
    assert again.stdout.splitlines()[0].endswith("imported 7, updated 0, unchanged 0, failed 0")
    kept = coopwatch(data_dir, "demo", "--keep")
    assert kept.stdout.splitlines()[0].endswith("imported 0, updated 0, unchanged 7, failed 0")
    assert len(exported(data_dir)) == 7


def test_demo_never_deletes_real_articles(tmp_path: Path):
    data_dir = tmp_path / "data"
    page = tmp_path / "mine.html"
    page.write_bytes(next(p for p in sample_pages() if "marathon" in p.name).read_bytes())
    coopwatch(data_dir, "import", str(page), "--url", "https://my.example/kept")
    refused = coopwatch(data_dir, "demo")
    assert refused.exit_code == 2
    assert "1 articles that are not sample pages" in refused.stderr
    assert "https://my.example/kept" in exported(data_dir)
    added = coopwatch(data_dir, "demo", "--keep")
    assert added.exit_code == 0
    assert set(exported(data_dir)) == {*EXPECTED, "https://my.example/kept"}
