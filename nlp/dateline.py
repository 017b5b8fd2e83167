"""Datelines opening agency reports: "ASTANA, 4. November (BelTA) -", "МИНСК, 18 июня (БЕЛТА) –",
"АСТАНА. Министерство …", "Ташкент, 20 октября. Министерство …",
"ДУШАНБЕ, 18 ноября. /ТАСС/. Министерство …"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import dateparser

# An upper-case place name, optionally ", <day> <month>" or ". AGENCY", an optional
# "(Agency)", then a dash. Anchored at the paragraph start.
_DATELINE = re.compile(
    r"""^\s*
    (?P<place>[A-ZÄÖÜА-ЯЁ][A-ZÄÖÜА-ЯЁ\-’' ]{1,30}?[A-ZÄÖÜА-ЯЁ])      # ASTANA / НУР-СУЛТАН
    (?:\s*[,.]\s*(?P<rest>[^–—\-()\n]{1,40}?))?                     # , 4. November / . КАЗИНФОРМ
    \s*(?:\((?P<agency>[^)]{2,30})\))?                              # (BelTA)
    \s*[–—-]+\s+""",
    re.VERBOSE,
)
# Without a dash: an upper-case place and a full stop ("АСТАНА. Министерство …"), or a place
# in title case with its day and month ("Ташкент, 20 октября. …", "Astana, 5 November 2026 –");
# the second counts only when that day and month can be read.
_DATELINE_STOP = re.compile(
    r"^\s*(?P<place>[A-ZÄÖÜА-ЯЁ][A-ZÄÖÜА-ЯЁ\-]{3,30})\.\s+(?=[A-ZÄÖÜА-ЯЁ«„\"“])"
)
_DATELINE_STOP_TITLE = re.compile(
    r"^\s*(?P<place>[A-ZÄÖÜА-ЯЁ][a-zäöüßа-яё]{2,}(?:-[A-ZÄÖÜА-ЯЁ]?[a-zäöüßа-яё]+)?)\.\s+"
    r"(?=[A-ZÄÖÜА-ЯЁ«„\"“])"
)
_DATELINE_TITLE = re.compile(
    r"""^\s*
    (?P<place>[A-ZÄÖÜА-ЯЁ][a-zäöüßа-яё]+(?:-[A-ZÄÖÜА-ЯЁ]?[a-zäöüßа-яё]+)?
        (?:\s[A-ZÄÖÜА-ЯЁ][a-zäöüßа-яё]+){0,2}                     # New Delhi, Abu Dhabi
      |[A-ZÄÖÜА-ЯЁ][A-ZÄÖÜА-ЯЁ\-]{2,30})                          # Ташкент / ДУШАНБЕ
    \s*[,.]\s*(?P<rest>\d{1,2}\.?\s[A-Za-zÄÖÜäöüА-Яа-яЁё]{3,12}\.?(?:\s\d{4})?
      |[A-Za-zÄÖÜäöü]{3,12}\.?\s\d{1,2}(?:,?\s\d{4})?              # 18 ноября / November 26
      |\d{1,2}\.\d{1,2}\.\d{4})                                      # 09.12.2025
    \s*(?:\((?P<agency>[^)]{2,30})\))?
    \s*(?:[–—-]+\s+
      |:\s+                                                       # New Delhi, 12 March 2026:
      |\.?\s*/[^/\n]{2,30}/\.?\s+                                  # ДУШАНБЕ, 18 ноября. /ТАСС/.
      |,\s*[A-ZА-ЯЁ][\w-]{1,20}\.\s+(?=[A-ZÄÖÜА-ЯЁ«„"“])             # Алматы, 3 февраля, Trend.
      |(?<=[^.])\.\s+(?=[A-ZÄÖÜА-ЯЁ«„"“])
      |[,.]?\s*(?:[A-ZА-ЯЁ][\w.-]{1,20}|/[^/\n]{2,30}/\.?)?\s*$)    # a line of its own""",
    re.VERBOSE,
)
# A line of its own with a place the gazetteer knows, in capitals or with a full date and no
# punctuation: "COLOMBO", "NEW DELHI –", "Islamabad 22 January 2026".
_PLACE_LINE = re.compile(r"^\s*(?P<place>[A-ZÄÖÜА-ЯЁ][A-ZÄÖÜА-ЯЁ’' -]{2,30}?)\s*[:–—-]?\s*$")
_PLACE_DATE_LINE = re.compile(
    r"^\s*(?P<place>[A-ZÄÖÜА-ЯЁ][\w’'-]+(?:\s[A-ZÄÖÜА-ЯЁ][\w’'-]+)?)\s+"
    r"(?P<rest>\d{1,2}\.?\s+[^\W\d]{3,12}\.?,?\s+\d{4}|[^\W\d]{3,12}\.?\s+\d{1,2},?\s+\d{4})\s*$"
)
# A place and the date in brackets, as Kommune21 opens its reports: "Mannheim [05.06.2025] Eine …"
_BRACKET_DATELINE = re.compile(
    r"^\s*(?P<place>[A-ZÄÖÜА-ЯЁ][\w’'-]+(?:\s[A-ZÄÖÜА-ЯЁ][\w’'-]+)?)\s*"
    r"\[(?P<rest>\d{1,2}\.\d{1,2}\.\d{4})\]\s+"
)
_HAS_DIGIT = re.compile(r"\d")
_NUMERIC_DAY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


@dataclass(slots=True, frozen=True)
class Dateline:
    text: str  # the dateline as printed, without the dash
    place: str  # as printed, e.g. "ASTANA"
    day: date | None  # the date it names, year taken from context


def parse_dateline(paragraph: str, language: str | None, context: date | None) -> Dateline | None:
    """The dateline opening `paragraph`, or None. `context` supplies the year (publication date)."""
    match = _DATELINE.match(paragraph)
    if not match:
        return (
            _stop_dateline(paragraph)
            or _title_case_dateline(paragraph, language, context)
            or _bracket_dateline(paragraph, language, context)
            or place_line(paragraph, language, context)
        )
    place = match.group("place").strip()
    if len(place) < 3 or (" " in place and len(place.split()) > 3):
        return None
    rest = (match.group("rest") or "").strip()
    day = _resolve_day(rest, language, context) if _HAS_DIGIT.search(rest) else None
    text = paragraph[: match.end()].rstrip(" –—-").strip()
    return Dateline(text=text, place=place.title(), day=day)


def _bracket_dateline(
    paragraph: str, language: str | None, context: date | None
) -> Dateline | None:
    match = _BRACKET_DATELINE.match(paragraph)
    if not match:
        return None
    day = _resolve_day(match.group("rest"), language, context)
    return Dateline(text=match.group(0).strip(), place=match.group("place"), day=day)


def place_line(
    paragraph: str, language: str | None = None, context: date | None = None
) -> Dateline | None:
    """A dateline standing as a line of its own without punctuation, at a place the gazetteer
    knows: "COLOMBO", "NEW DELHI –", "Islamabad 22 January 2026"."""
    from nlp.event_facts import find_city  # the gazetteer; imported on use

    match = _PLACE_LINE.match(paragraph) or _PLACE_DATE_LINE.match(paragraph)
    if not match or find_city(match.group("place").title()) is None:
        return None
    rest = match.groupdict().get("rest")
    day = _resolve_day(rest, language, context) if rest else None
    return Dateline(text=paragraph.strip(" :–—-"), place=match.group("place").title(), day=day)


def _stop_dateline(paragraph: str) -> Dateline | None:
    match = _DATELINE_STOP.match(paragraph)
    if not match:
        # "Astana. Eine Delegation …" (German papers): a city the gazetteer knows, and a stop
        match = _DATELINE_STOP_TITLE.match(paragraph)
        if not match:
            return None
        from nlp.event_facts import find_city  # the gazetteer; imported on use

        if find_city(match.group("place")) is None:
            return None
        text = paragraph[: match.end()].rstrip()
        return Dateline(text=text, place=match.group("place"), day=None)
    text = paragraph[: match.end()].rstrip()
    return Dateline(text=text, place=match.group("place").title(), day=None)


def _title_case_dateline(
    paragraph: str, language: str | None, context: date | None
) -> Dateline | None:
    match = _DATELINE_TITLE.match(paragraph)
    if not match:
        return None
    day = _resolve_day(match.group("rest"), language, context)
    if day is None:  # "Berlin, 12 Ministerien …" is a sentence, not a dateline
        return None
    text = paragraph[: match.end()].rstrip().rstrip(" –—-").rstrip()
    place = match.group("place")
    return Dateline(text=text, place=place.title() if place.isupper() else place, day=day)


def _resolve_day(text: str, language: str | None, context: date | None) -> date | None:
    """Parse "4. November" / "18 июня" with the year of `context` (or the year before)."""
    numeric = _NUMERIC_DAY.fullmatch(text.strip())
    if numeric:  # "09.12.2025": day first, as in every dateline that writes dates with dots
        day, month, year = (int(part) for part in numeric.groups())
        try:
            return date(year, month, day)
        except ValueError:
            return None
    settings = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month"]}
    if context is not None:
        from datetime import datetime

        settings["RELATIVE_BASE"] = datetime(context.year, context.month, context.day)
    # the report's language first; a dateline may follow the agency's house style in another
    languages = list(
        dict.fromkeys([language, "en", "de", "ru"] if language else ["en", "de", "ru"])
    )
    parsed = dateparser.parse(text, languages=languages, settings=settings)
    if parsed is None:
        return None
    found = parsed.date()
    year_stated = re.search(r"\b(?:19|20)\d\d\b", text) is not None
    if context is not None and found > context and not year_stated:
        # "30 December" in a report published on 2 January belongs to the previous year.
        try:
            found = found.replace(year=found.year - 1)
        except ValueError:
            return None
    return found
