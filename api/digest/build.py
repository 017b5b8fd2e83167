"""Build a digest (pure): the events of one ISO week that match a subscriber's filters,
grouped by the states that cooperate, each with what a reader needs to decide to click."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from api.digest.subscriptions import Filters
from coopwatch.errors import UsageError


class BadWeek(UsageError):
    """An ISO week that cannot be read (expected YYYY-Www)."""

    code = "E052"


_WEEK = re.compile(r"(\d{4})-W(\d{2})")


def parse_week(week: str) -> tuple[date, date]:
    """Monday and Sunday of an ISO week such as ``2026-W45``."""
    match = _WEEK.fullmatch(week.strip())
    if not match:
        raise BadWeek(f"not an ISO week: {week!r} (expected YYYY-Www, e.g. 2026-W45)")
    try:
        monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError as exc:
        raise BadWeek(f"no such ISO week: {week!r}") from exc
    return monday, monday + timedelta(days=6)


def iso_week(day: date) -> str:
    year, number, _ = day.isocalendar()
    return f"{year}-W{number:02d}"


@functools.cache
def country_name(code: str) -> str:
    """English short name of a state (CLDR via babel): "Russia", "South Korea"."""
    from babel import Locale

    return Locale("en").territories.get(code.upper(), code)


@dataclass(slots=True)
class Report:
    url: str
    site: str
    language: str | None
    title: str | None


@dataclass(slots=True)
class DigestEvent:
    id: str
    title: str
    date: str | None
    location: str | None
    event_type: str | None
    actors: list[str]
    figures: list[str]
    reports: list[Report]


@dataclass(slots=True)
class Group:
    countries: list[str]
    label: str
    events: list[DigestEvent] = field(default_factory=list)


@dataclass(slots=True)
class Digest:
    week: str
    start: date
    end: date
    groups: list[Group]

    @property
    def event_count(self) -> int:
        return sum(len(group.events) for group in self.groups)


def format_number(value: float) -> str:
    for scale, word in ((1e9, "billion"), (1e6, "million")):
        if abs(value) >= scale:
            return f"{value / scale:,.3g} {word}"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.4g}"


def format_metric(metric: dict[str, Any]) -> str:
    """One key figure in plain English: "UN Online Services Index: rank 10 (Kazakhstan)"."""
    value = metric.get("value")
    unit = metric.get("unit") or ""
    number = format_number(value) if isinstance(value, int | float) else str(value)
    if unit == "rank":
        shown = f"rank {number}"
    elif unit == "percent":
        shown = f"{number}%"
    elif unit in ("score", "count", ""):
        shown = number
    else:
        shown = f"{number} {unit}"
    indicator = metric.get("indicator")
    text = f"{indicator}: {shown}" if indicator else shown
    if metric.get("country"):
        text += f" ({country_name(metric['country'])})"
    return text


def _matches_text(text: str, event: dict[str, Any], articles: list[dict[str, Any]]) -> bool:
    needle = text.casefold()
    parts = [event.get("title") or "", event.get("location") or ""]
    for article in articles:
        parts.append(article.get("title") or "")
        parts.extend(article.get("paragraphs") or [])
    return any(needle in part.casefold() for part in parts)


def matches(filters: Filters, event: dict[str, Any], articles: list[dict[str, Any]]) -> bool:
    """Any of the countries, any of the actors, any of the projects, and the text, when given."""
    if filters.countries and not set(filters.countries) & set(event.get("countries") or []):
        return False
    if filters.actors and not set(filters.actors) & set(event.get("actors") or []):
        return False
    if filters.projects and not set(filters.projects) & set(event.get("projects") or []):
        return False
    return not (filters.text and not _matches_text(filters.text, event, articles))


def _language_rank(languages: list[str]):
    def rank(report: Report) -> tuple[int, str, str]:
        lang = report.language or ""
        position = languages.index(lang) if lang in languages else len(languages)
        return (position, lang, report.site + report.url)

    return rank


def _actor_names(event: dict[str, Any], articles: list[dict[str, Any]]) -> list[str]:
    """Canonical names of the event's actors, with a role when an English report states one."""
    seen: dict[str, dict[str, Any]] = {}
    for article in sorted(articles, key=lambda a: a.get("language") != "en"):
        for actor in article.get("actors") or []:
            if actor.get("kind") == "country":
                continue
            entry = seen.setdefault(actor["id"], {"name": actor.get("canonical"), "role": None})
            if entry["role"] is None and article.get("language") == "en" and actor.get("role"):
                entry["role"] = actor["role"]
    names = []
    for actor_id in event.get("actors") or []:
        entry = seen.get(actor_id)
        name = (entry and entry["name"]) or actor_id.split(":", 1)[-1].replace("-", " ").title()
        names.append(f"{name} ({entry['role']})" if entry and entry["role"] else name)
    return names


def _figures(event: dict[str, Any]) -> list[str]:
    figures: list[str] = []
    for metric in event.get("metrics") or []:
        text = format_metric(metric)
        if text not in figures:
            figures.append(text)
    return figures


def build_digest(
    week: str,
    filters: Filters,
    events: list[dict[str, Any]],
    articles: dict[str, dict[str, Any]],
) -> Digest:
    """The digest of `week` for `filters`, from EVENT records and their ARTICLE records by id."""
    start, end = parse_week(week)
    groups: dict[tuple[str, ...], Group] = {}
    for event in events:
        day = event.get("date")
        if not day or not (start.isoformat() <= day <= end.isoformat()):
            continue
        reports_of = [articles[a] for a in event.get("articles") or [] if a in articles]
        if not matches(filters, event, reports_of):
            continue
        countries = tuple(sorted(event.get("countries") or []))
        group = groups.setdefault(
            countries,
            Group(list(countries), " – ".join(country_name(c) for c in countries) or "Other"),
        )
        reports = sorted(
            (
                Report(a["url"], a.get("site") or "", a.get("language"), a.get("title"))
                for a in reports_of
            ),
            key=_language_rank(filters.languages),
        )
        group.events.append(
            DigestEvent(
                id=event["id"],
                title=event.get("title") or "Untitled event",
                date=day,
                location=event.get("location"),
                event_type=event.get("event_type"),
                actors=_actor_names(event, reports_of),
                figures=_figures(event),
                reports=reports,
            )
        )
    for group in groups.values():
        group.events.sort(key=lambda e: (e.date or "", e.title, e.id))
    ordered = sorted(groups.values(), key=lambda g: (-len(g.events), g.label))
    return Digest(week, start, end, ordered)
