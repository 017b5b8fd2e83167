"""A bug in one analysis stage costs that stage's results on that page, never the page.

Fault injection: the stage is replaced by one that raises, as a bug on an odd page would.
"""

from __future__ import annotations

import pytest

import coopwatch.importer
import coopwatch.pipeline
from coopwatch.importer import ImportReport, ingest_page
from coopwatch.pipeline import PageAnalyser
from coopwatch.records import FetchedPage
from coopwatch.store import SaveOutcome

PAGE = """<html lang="en"><head><meta charset="utf-8"><title>Armenia and Georgia link
e-government portals</title></head><body><article><h1>Armenia and Georgia link e-government
portals</h1><p>TBILISI – Armenia and Georgia on Tuesday signed a memorandum of cooperation on
digital public services, the digital ministries of both countries said.</p>
<p>Armenia and Georgia will connect their e-government portals so that citizens can obtain
certificates electronically across the border, the memorandum says.</p></article></body></html>"""


def boom(*args, **kwargs):
    raise RuntimeError("injected fault")


@pytest.fixture
def page() -> FetchedPage:
    return FetchedPage(url="https://news.example/am-ge", body=PAGE.encode())


def test_failing_analysis_stage_stores_the_page_with_a_warning(store, settings, page, monkeypatch):
    monkeypatch.setattr(coopwatch.pipeline, "analyse_actors", boom)
    report = ImportReport()
    outcome = ingest_page(store, PageAnalyser(settings), page, page.url, report)
    assert outcome is SaveOutcome.IMPORTED and report.failures == []
    stored = store.get_article(coopwatch.pipeline.article_id_for(page.url))
    assert stored.paragraphs and stored.relevant  # the other stages still ran
    assert {actor.country for actor in stored.actors} == {"AM", "GE"}
    assert stored.warnings == ["actors/projects failed: RuntimeError: injected fault"]


def test_failing_event_grouping_keeps_the_article(store, settings, page, monkeypatch):
    monkeypatch.setattr(coopwatch.importer.EventAssigner, "assign", boom)
    report = ImportReport()
    outcome = ingest_page(store, PageAnalyser(settings), page, page.url, report)
    assert outcome is SaveOutcome.IMPORTED and report.failures == []
    assert store.get_article(coopwatch.pipeline.article_id_for(page.url)).event_id is None
    assert list(store.iter_events()) == []


def test_failing_main_text_extraction_still_stores_the_page(store, settings, page, monkeypatch):
    monkeypatch.setattr(coopwatch.pipeline, "extract_text", boom)
    report = ImportReport()
    assert ingest_page(store, PageAnalyser(settings), page, page.url, report) is (
        SaveOutcome.IMPORTED
    )
    stored = store.get_article(coopwatch.pipeline.article_id_for(page.url))
    assert stored.paragraphs == [] and not stored.relevant
    assert stored.warnings == ["main text failed: RuntimeError: injected fault"]
    assert store.stored_page(page.url).body == page.body  # the bytes are kept for reprocess
