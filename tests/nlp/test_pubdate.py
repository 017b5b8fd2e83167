"""Printed publication dates on pages without date metadata."""

from __future__ import annotations

from datetime import date

from trafilatura.utils import load_html

from nlp.pubdate import parse_dates, printed_date


def test_date_formats_news_pages_print():
    text = "18.06.2025 16:05 | 21 апреля 2026 | 4. November 2025 | March 13, 2025 | 2025-03-13"
    assert parse_dates(text) == [
        date(2025, 6, 18),
        date(2026, 4, 21),
        date(2025, 11, 4),
        date(2025, 3, 13),
        date(2025, 3, 13),
    ]


def test_impossible_dates_and_bare_numbers_are_ignored():
    assert parse_dates("31.02.2025, version 1.2.3, 12:30, 3.500 Beamte") == []


def test_the_date_under_the_headline_wins_over_the_date_in_the_page_header():
    tree = load_html(
        "<html><body><div class='top'>Heute: 20.06.2025</div>"
        "<h1>Neue Plattform</h1><div class='date'>18.06.2025 16:05</div>"
        "<p>Text vom 1. Mai 2024.</p></body></html>"
    )
    assert printed_date(tree, date(2025, 6, 20)) == date(2025, 6, 18)


def test_dates_after_the_fetch_are_announcements_not_publication_dates():
    tree = load_html("<html><body><p>Forum am 12.12.2030. Stand: 01.03.2026</p></body></html>")
    assert printed_date(tree, date(2026, 3, 2)) == date(2026, 3, 1)
