"""Grouping reports into events: how well a report fits an event, and an event's merged facts.

Pure logic over typed facts; the store persists events and the ingest step calls these
functions with the candidate events it loaded (same period, overlapping states).

A report joins the event that best agrees with it on
- the set of cooperating states (the strongest signal: reports of one meeting name the
  same states in every language),
- the date (within a window: agencies report a day or two later),
- shared canonical actors and projects (the same person or platform across scripts),
- the event type and the place;
and starts a new event when nothing agrees well enough.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

# Reports of one event carry dates at most this many days apart (publication lag, time zones,
# "on Tuesday" written on Thursday).
DATE_WINDOW_DAYS = 3
# Minimum agreement for a report to join an event. A report with the same states and the
# same day scores ≥ 0.65 even when no actor or project is shared across the languages.
JOIN_THRESHOLD = 0.6

TYPE_LABELS = {
    "visit": "visit",
    "meeting": "meeting",
    "agreement": "agreement",
    "forum": "forum",
    "project_launch": "project launch",
    "exchange": "exchange of experience",
    "training": "training programme",
    "other": "cooperation",
}


@dataclass(slots=True, frozen=True)
class ReportFacts:
    """What one relevant report says about its event (from the article's analysis)."""

    article_id: str
    language: str | None
    title: str | None
    countries: frozenset[str]
    day: date | None
    event_type: str | None
    location: str | None
    actors: frozenset[str] = frozenset()
    projects: frozenset[str] = frozenset()


@dataclass(slots=True)
class EventSummary:
    """An event's facts merged over its reports (majority, ties to the earliest report)."""

    countries: list[str]
    day: date | None
    event_type: str
    location: str | None
    title: str | None
    languages: list[str]
    actors: list[str] = field(default_factory=list)
    projects: list[str] = field(default_factory=list)


def _jaccard(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> float:
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def match_score(report: ReportFacts, members: list[ReportFacts]) -> float:
    """Agreement (0..1) between a report and an event's reports; 0 when they cannot match."""
    if not members:
        return 0.0
    summary = summarise(members)
    countries = set(summary.countries)
    overlap = _jaccard(report.countries, countries)
    if len(report.countries & countries) < min(2, len(report.countries), len(countries)):
        return 0.0
    if report.day and summary.day:
        gap = abs((report.day - summary.day).days)
        if gap > DATE_WINDOW_DAYS:
            return 0.0
        closeness = 1.0 - gap / (DATE_WINDOW_DAYS + 1)
    else:
        closeness = 0.3
    entities = _jaccard(
        report.actors | report.projects, set(summary.actors) | set(summary.projects)
    )
    same_type = 1.0 if report.event_type and report.event_type == summary.event_type else 0.0
    same_place = 1.0 if report.location and report.location == summary.location else 0.0
    return (
        0.40 * overlap
        + 0.25 * closeness
        + 0.20 * min(1.0, 2 * entities)
        + 0.08 * same_type
        + 0.07 * same_place
    )


def _majority(values: list, default=None):
    """Most common non-empty value; ties go to the one seen first (the earliest report)."""
    present = [value for value in values if value]
    if not present:
        return default
    counts = Counter(present)
    best = max(counts.values())
    return next(value for value in present if counts[value] == best)


def summarise(members: list[ReportFacts]) -> EventSummary:
    """Merge the facts of an event's reports (in the order they joined)."""
    country_sets = [tuple(sorted(member.countries)) for member in members if member.countries]
    countries = list(_majority(country_sets, ()))
    day = _majority([member.day for member in members])
    event_type = _majority([member.event_type for member in members], "other")
    location = _majority([member.location for member in members])
    languages = sorted({member.language for member in members if member.language})
    actors = sorted({actor for member in members for actor in member.actors})
    projects = sorted({project for member in members for project in member.projects})
    english = [member.title for member in members if member.language == "en" and member.title]
    title = english[0] if english else None
    return EventSummary(countries, day, event_type, location, title, languages, actors, projects)


def english_title(summary: EventSummary, country_names: dict[str, str]) -> str:
    """A headline in English: an English report's title, else one built from the facts."""
    if summary.title:
        return summary.title
    names = [country_names.get(code, code) for code in summary.countries]
    states = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)
    label = TYPE_LABELS.get(summary.event_type, "cooperation")
    where = f" in {summary.location}" if summary.location else ""
    return f"{states}: {label} on digital government{where}".strip()


def best_event(
    report: ReportFacts, candidates: dict[str, list[ReportFacts]]
) -> tuple[str | None, list[str]]:
    """The event the report joins (or None) and every other event it also matches.

    When a report matches several events they were one event reported in pieces: the
    caller merges the others into the chosen one (keeping their ids as aliases).
    """
    scored = [(match_score(report, members), event_id) for event_id, members in candidates.items()]
    matching = sorted(
        ((score, event_id) for score, event_id in scored if score >= JOIN_THRESHOLD),
        key=lambda pair: (-pair[0], pair[1]),
    )
    if not matching:
        return None, []
    return matching[0][1], [event_id for _, event_id in matching[1:]]
