"""The source registry: the shipped one is valid, bad entries are named in the error."""

from __future__ import annotations

from pathlib import Path

import pytest

from coopwatch.errors import ConfigError
from crawler.sources import SHIPPED_SOURCES, SourceKind, load_sources, select_sources

GOOD = """
[[source]]
key = "ok"
name = "OK"
site = "example.org"
language = "de"
kind = "feed"
start_urls = ["https://example.org/feed"]
allowed_domains = ["example.org"]
article_pattern = '/news/'
interval_minutes = 60
"""


def registry(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_registry_is_valid_and_covers_three_languages_and_all_kinds():
    sources = load_sources(SHIPPED_SOURCES)
    assert len(sources) >= 10
    assert {s.language for s in sources} == {"de", "ru", "en"}
    assert {s.kind for s in sources} == set(SourceKind)
    keys = {s.key for s in sources}
    assert {"belta-de", "belta-ru", "belta-en", "astanatimes", "tass-ru", "daz"} <= keys
    for source in sources:
        for url in source.start_urls:
            assert url.startswith("https://")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('kind = "feed"', 'kind = "rss"'), "kind"),
        (("'/news/'", "'/news/(['"), "article_pattern: Value error, not a valid regular"),
        (('language = "de"', 'language = "fr"'), "language"),
        (('["example.org"]', '["other.org"]'), "outside allowed_domains"),
        (('["example.org"]', '["https://example.org/"]'), "bare host name"),
        (("interval_minutes = 60", "interval_minutes = 1"), "interval_minutes"),
        (('kind = "feed"', 'kind = "listing"'), "pagination_pattern"),
        (('name = "OK"', 'name = "OK"\ncolour = "red"'), "colour"),
    ],
)
def test_bad_entry_is_named_in_the_error(tmp_path, change, message):
    bad = GOOD.replace('key = "ok"', 'key = "broken"').replace(*change)
    path = registry(tmp_path, GOOD + bad)
    with pytest.raises(ConfigError) as info:
        load_sources(path)
    text = str(info.value)
    assert "source #2 ('broken')" in text
    assert message in text
    assert str(path) in text


def test_duplicate_keys_are_refused(tmp_path):
    with pytest.raises(ConfigError, match="key 'ok' is used twice"):
        load_sources(registry(tmp_path, GOOD + GOOD))


def test_invalid_toml_and_missing_file_are_clear(tmp_path):
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_sources(registry(tmp_path, "[[source]\nkey="))
    with pytest.raises(ConfigError, match="not found"):
        load_sources(tmp_path / "absent.toml")


def test_select_sources_names_unknown_keys_and_skips_disabled(tmp_path):
    text = GOOD + GOOD.replace('key = "ok"', 'key = "off"') + "enabled = false\n"
    sources = load_sources(registry(tmp_path, text))
    assert [s.key for s in select_sources(sources, [])] == ["ok"]
    assert [s.key for s in select_sources(sources, ["off"])] == ["off"]
    with pytest.raises(ConfigError, match=r"unknown source.*nope"):
        select_sources(sources, ["nope"])


def test_allowed_hosts_include_subdomains_only():
    source = load_sources(SHIPPED_SOURCES)[0]  # belta-de
    assert source.is_allowed_host("deu.belta.by")
    assert source.is_allowed_host("img.deu.belta.by")
    assert not source.is_allowed_host("evil-deu.belta.by.example.com")
    assert not source.is_allowed_host("belta.by")
