"""Consent walls and error pages served with 200: recognised, counted, not stored, flagged."""

from __future__ import annotations

import subprocess
import sys
import urllib.request
from datetime import timedelta

import lxml.html
import pytest
from crawl_settings import make_settings

from coopwatch.store import Store
from coopwatch.urls import canonical_url
from coopwatch.walls import PageProblem, classify, consent_host
from crawler.runner import run_subprocess
from crawler.state import CrawlState, RunCounts
from crawler.testsite import SiteServer
from crawler.testsite.server import WALLS


def fetch(server: SiteServer, path: str) -> tuple[str, int, str]:
    url = server.url(path)
    with urllib.request.urlopen(url, timeout=10) as answer:
        return url, answer.status, answer.read().decode("utf-8")


def problem_of(server: SiteServer, path: str) -> PageProblem | None:
    url, status, text = fetch(server, path)
    return classify(url, status, text, lambda: lxml.html.fromstring(text))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("consent", PageProblem.CONSENT),  # en: "We use cookies … Accept all"
        ("zustimmung", PageProblem.CONSENT),  # de: consent manager element, "Zustimmen"
        ("soglasie", PageProblem.CONSENT),  # ru: "Мы используем cookies … Принять"
        ("missing", PageProblem.ERROR_PAGE),  # de: "Seite nicht gefunden"
        ("net", PageProblem.ERROR_PAGE),  # ru: "Ошибка 404 … Страница не найдена"
        ("nothing", PageProblem.ERROR_PAGE),  # en: "Page not found" under a cookie banner
        ("banner", None),  # a real article under a cookie banner is an article
        ("story-00000", None),
        ("story-00002", None),  # ru
    ],
)
def test_walls_and_error_pages_are_told_from_articles(site_server, name, expected):
    assert problem_of(site_server, f"/news/{name}.html") is expected


def test_every_test_site_wall_is_covered_above():
    assert set(WALLS) == {"consent", "zustimmung", "soglasie", "missing", "net", "nothing"}


def test_consent_hosts_and_paths():
    assert consent_host("https://consent.google.com/ml?continue=https://news.example/a")
    assert consent_host("http://consent.example/?continue=x")
    assert consent_host("https://www.example.de/cookie-consent?ref=/news/1")
    assert not consent_host("https://www.belta.by/news/consent-decree-signed.html")
    assert not consent_host("https://www.example.org/news/gdpr-fines-2026")


@pytest.mark.parametrize(
    "headline",
    ["Cause of outage not found, ministry says", "Decree 404 on digital services signed"],
)
def test_a_short_report_headlined_not_found_or_404_is_still_an_article(headline):
    sentence = (
        "The ministry of digital development said on Monday that engineers are still "
        "looking for the cause of the outage of the eGov portal. "
    )
    text = (
        f"<html><head><title>{headline}</title></head><body><h1>{headline}</h1>"
        f"<p>{sentence * 3}</p></body></html>"
    )
    assert classify("https://n.example/a", 200, text, lambda: lxml.html.fromstring(text)) is None


def test_an_article_left_inside_an_unclosed_header_with_a_cookie_banner_is_an_article():
    """Broken themes nest the whole page in <header>; an <article> in it is still content."""
    sentence = (
        "Tesla denied on Friday that it plans a second factory in China, after reports named "
        "Qingdao as the site. "
    )
    text = (
        '<html><head><title>Tesla</title></head><body><header class="site"><nav>Home</nav>'
        '<div class="cookie-consent"><p>We use cookies. Accept all to consent.</p></div>'
        f"<article><h1>Tesla plans no second plant</h1><p>{sentence * 4}</p></article>"
        "</body></html>"
    )
    assert classify("https://n.example/t", 200, text, lambda: lxml.html.fromstring(text)) is None


def test_walled_source_counts_walls_stores_nothing_and_is_flagged(tmp_path, site_server):
    settings = make_settings(tmp_path, site_server, **{"crawler.error_runs_to_flag": 2})
    first = run_subprocess(settings, ["walled"], timeout=300)[0]
    assert first.state == "finished"
    c = first.counts
    # Three consent pages plus the redirect to consent.example; three error pages.
    assert (c["consent"], c["error_pages"]) == (4, 3)
    assert (c["new"], c["updated"], c["unchanged"], c["failed"]) == (0, 0, 0, 0)
    assert "errors-only" not in first.flags  # one run is not yet a pattern
    # The consent service is never contacted.
    assert "consent.example" not in str([r.path for r in site_server.state.log])
    second = run_subprocess(settings, ["walled"], timeout=300)[0]
    assert {"errors-only", "consent-wall", "error-pages"} <= set(second.flags)
    with Store(settings.data_dir) as store:
        assert store.count_articles() == 0
        state = CrawlState(store)
        known = state.get(canonical_url(site_server.url("/news/soglasie.html")))
        assert known is not None and known.outcome == "consent" and not known.ok
        assert state.get(canonical_url(site_server.url("/news/net.html"))).outcome == ("error-page")
        # Not stored means asked again in full next time: no conditional request for them.
        run = state.runs("walled")[0]
        assert (run.counts.consent, run.counts.error_pages) == (4, 3)
        assert {"errors-only", "consent-wall", "error-pages"} <= set(run.flags)
    config = tmp_path / "coopwatch.toml"
    config.write_text(
        f'[crawler]\nsources_file = "{settings.crawler.sources_file}"\nerror_runs_to_flag = 2\n',
        encoding="utf-8",
    )
    cli = [sys.executable, "-m", "coopwatch.cli", "--data-dir", str(settings.data_dir)]
    status = subprocess.run(
        [*cli, "--config", str(config), "sources", "status", "walled"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert status.returncode == 0, status.stderr
    assert "walled: 0 articles  [errors-only, consent-wall, error-pages]" in status.stdout
    assert "consent walls 4, error pages 3" in status.stdout


def test_flags_for_walls_and_for_sources_that_find_nothing(store):
    state = CrawlState(store)
    week = timedelta(days=7)

    def run(source: str, counts: RunCounts) -> None:
        run_id = state.start_run(source)
        state.finish_run(run_id, counts, state="finished", reason="finished", duration=0.1)

    for _ in range(3):
        run("cookies", RunCounts(fetched=5, consent=5))
        run("empty", RunCounts())
        run("quiet", RunCounts(skipped=5))  # everything known and unchanged: healthy
    assert state.health("cookies", stale_after=week, error_runs=3).flags == [
        "errors-only",
        "consent-wall",
    ]
    assert state.health("empty", stale_after=week, error_runs=3).flags == ["nothing-found"]
    assert state.health("quiet", stale_after=week, error_runs=3).flags == []
    # One good run among the last three clears the wall flags.
    run("cookies", RunCounts(fetched=6, new=1, consent=5))
    assert state.health("cookies", stale_after=week, error_runs=3).flags == []
