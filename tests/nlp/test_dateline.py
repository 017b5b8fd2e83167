"""Datelines: place, date with the year from context, and what is not a dateline."""

from __future__ import annotations

from datetime import date

import pytest

from nlp.dateline import parse_dateline


def test_german_agency_dateline_with_day_and_month():
    line = parse_dateline(
        "MINSK, 12. März (BelTA) - Die Regierung hat ein neues Portal gestartet.",
        "de",
        date(2026, 3, 13),
    )
    assert line is not None
    assert line.place == "Minsk"
    assert line.day == date(2026, 3, 12)
    assert line.text == "MINSK, 12. März (BelTA)"


def test_russian_dateline_with_agency_name_only():
    line = parse_dateline("ТАШКЕНТ. УЗА – Делегация посетила центр.", "ru", date(2025, 5, 2))
    assert line is not None
    assert line.place == "Ташкент"
    assert line.day is None


def test_year_comes_from_context_across_new_year():
    line = parse_dateline(
        "ASTANA, 30 December - The ministry signed a memorandum.", "en", date(2026, 1, 2)
    )
    assert line is not None
    assert line.day == date(2025, 12, 30)


def test_english_dateline_with_dash_only():
    line = parse_dateline("BISHKEK – Kyrgyzstan launched a portal.", "en", date(2026, 4, 21))
    assert line is not None and line.place == "Bishkek"


def test_ordinary_sentence_is_not_a_dateline():
    assert parse_dateline("Die Delegation besuchte Astana - und Almaty.", "de", None) is None


def test_upper_case_place_and_full_stop():
    line = parse_dateline("АСТАНА. Министерство цифрового развития сообщило …", "ru", None)
    assert line is not None
    assert (line.place, line.day, line.text) == ("Астана", None, "АСТАНА.")


@pytest.mark.parametrize(
    ("paragraph", "lang", "place", "day", "text"),
    [
        (
            "Ташкент, 20 октября. Министерство цифровых технологий подписало меморандум.",
            "ru",
            "Ташкент",
            date(2026, 10, 20),
            "Ташкент, 20 октября.",
        ),
        (
            "Astana, 5 November 2026 – The ministry launched a portal.",
            "en",
            "Astana",
            date(2026, 11, 5),
            "Astana, 5 November 2026",
        ),
        (
            "ДУШАНБЕ, 18 ноября. /ТАСС/. Министерство подписало меморандум.",
            "ru",
            "Душанбе",
            date(2026, 11, 18),
            "ДУШАНБЕ, 18 ноября. /ТАСС/.",
        ),
        (
            "Москва. 18 ноября. Министерство подписало меморандум.",
            "ru",
            "Москва",
            date(2026, 11, 18),
            "Москва. 18 ноября.",
        ),
        (
            "Minsk, 3. März (BelTA) - Die Regierung hat ein Portal gestartet.",
            "de",
            "Minsk",
            date(2026, 3, 3),
            "Minsk, 3. März (BelTA)",
        ),
        # a place of two words, closed by a colon (India's PIB)
        (
            "New Delhi, 12 March 2026: India and Guinea-Bissau signed an MoU.",
            "en",
            "New Delhi",
            date(2026, 3, 12),
            "New Delhi, 12 March 2026:",
        ),
        # a stated year is kept, even after the context's day
        (
            "Abu Dhabi, 25 November 2026 – The UAE launched a platform.",
            "en",
            "Abu Dhabi",
            date(2026, 11, 25),
            "Abu Dhabi, 25 November 2026",
        ),
        # closed by the agency's name after a comma
        (
            "Алматы, 3 февраля, Trend. На полях форума министры встретились.",
            "ru",
            "Алматы",
            date(2026, 2, 3),
            "Алматы, 3 февраля, Trend.",
        ),
    ],
)
def test_title_case_place_with_its_day(
    paragraph: str, lang: str, place: str, day: date, text: str
) -> None:
    line = parse_dateline(paragraph, lang, date(2026, 11, 20))
    assert line is not None
    assert (line.place, line.day, line.text) == (place, day, text)


@pytest.mark.parametrize(
    "paragraph",
    [
        "Berlin, 12 Ministerien und 400 Behörden sind angeschlossen.",
        "Astana, the capital, hosted the forum.",
        "Taschkent ist die Hauptstadt Usbekistans.",
        "EU. Die Kommission tagt.",
        "Berlin. 12 Ministerien sind angeschlossen.",
        "BERLIN, 12 Ministerien sind angeschlossen.",
    ],
)
def test_sentences_that_only_look_like_datelines(paragraph: str) -> None:
    assert parse_dateline(paragraph, "de", date(2026, 11, 20)) is None


def test_a_known_city_in_title_case_and_a_full_stop_is_a_dateline():
    line = parse_dateline("Astana. Eine Delegation hat den Technologiepark besucht.", "de", None)
    assert line is not None and (line.place, line.day, line.text) == ("Astana", None, "Astana.")
    # a word that is no city the gazetteer knows is no dateline
    assert parse_dateline("Gestern. Die Regierung tagte.", "de", None) is None
    assert parse_dateline("Deutschland. Die Regierung tagte.", "de", None) is None


def test_a_dateline_line_with_its_agency_and_in_the_agency_s_language():
    line = parse_dateline("Baku, May 20, AZERTAC", "de", date(2025, 5, 21))
    assert line is not None and (line.place, line.day) == ("Baku", date(2025, 5, 20))
    line = parse_dateline("ДУШАНБЕ, 18 ноября. /ТАСС/.", "ru", date(2026, 11, 20))
    assert line is not None and (line.place, line.day) == ("Душанбе", date(2026, 11, 18))


def test_a_numeric_date_in_a_dateline_is_day_first_whatever_the_language():
    for language in ("ru", "en"):
        line = parse_dateline(
            "ДУШАНБЕ, 09.12.2025 /НИАТ «Ховар»/. Сегодня директор Агентства встретился с "
            "делегацией.",
            language,
            date(2025, 12, 9),
        )
        assert line is not None
        assert (line.place, line.day) == ("Душанбе", date(2025, 12, 9))
    assert parse_dateline("Berlin, 31.02.2026 – Die Delegation", "de", None) is None
