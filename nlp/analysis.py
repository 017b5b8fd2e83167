"""Rule-based analysis of an article's paragraphs: the states it is about, its figures, its quotes.

The one entry point the article pipeline calls (`analyse_paragraphs`). Everything here is built
from language knowledge (country vocabulary, number conventions, quotation conventions) and runs
for de, ru and en; other languages get an empty analysis, nothing invented.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field

from coopwatch.records import Actor, Metric, Quote
from nlp.countries import (
    CountryMention,
    english_name,
    enumerated_states,
    find_countries,
    names_union,
)
from nlp.metrics import find_metrics, local_currencies
from nlp.quotes import find_quotes

log = logging.getLogger(__name__)

SUPPORTED = ("de", "en", "ru")
# A state named once, outside the lead, is a passing mention ("Armenia may join later"), not a
# party to what the report is about.
LEAD_PARAGRAPHS = 1
MIN_MENTIONS = 2


@dataclass(slots=True)
class Analysis:
    countries: list[Actor] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    mentions: list[CountryMention] = field(default_factory=list)  # every country mention
    # (paragraph, offset, ISO code) of every mention; paragraph -1 is the title
    positioned: list[tuple[int, int, str]] = field(default_factory=list)

    @property
    def actors(self) -> list[Actor]:
        return list(self.countries)


def _salient_countries(
    per_paragraph: list[list[CountryMention]],
    title_mentions: list[CountryMention],
    paragraphs: list[str],
) -> list[Actor]:
    counts: Counter[str] = Counter()
    union = any(names_union(p) for p in paragraphs)
    first_surface: dict[str, str] = {}
    order: list[str] = list(dict.fromkeys(m.code for m in title_mentions))
    lead: set[str] = {m.code for m in title_mentions}
    for m in title_mentions:
        first_surface.setdefault(m.code, m.surface)
    for index, mentions in enumerate(per_paragraph):
        for m in mentions:
            counts[m.code] += 1
            first_surface.setdefault(m.code, m.surface)
            if m.code not in order:
                order.append(m.code)
            if index < LEAD_PARAGRAPHS:
                lead.add(m.code)
        if union:
            lead |= enumerated_states(paragraphs[index], mentions)
    actors = []
    for code in order:
        if code in lead or counts[code] >= MIN_MENTIONS:
            actors.append(
                Actor(
                    id=f"country:{code.lower()}",
                    kind="country",
                    name=first_surface[code],
                    canonical=english_name(code),
                    country=code,
                )
            )
    return actors


def analyse_paragraphs(
    paragraphs: list[str], language: str | None, title: str | None = None
) -> Analysis:
    """Countries (as country actors), metrics and quotes of one article's paragraphs."""
    if language not in SUPPORTED or not paragraphs:
        return Analysis()
    per_paragraph = [find_countries(p, language) for p in paragraphs]
    title_mentions = find_countries(title, language) if title else []
    countries = _salient_countries(per_paragraph, title_mentions, paragraphs)
    salient = {country.country for country in countries}
    metrics: list[Metric] = []
    # A figure whose paragraph names no state is about the state last named before it, if that
    # state is one the report is about ("similar services exist in Estonia" names none).
    last_country: str | None = None
    for index, (paragraph, mentions) in enumerate(zip(paragraphs, per_paragraph, strict=True)):
        found = _guarded("metrics", find_metrics, paragraph, language, mentions, last_country)
        for metric in found or []:
            metric.paragraph = index  # provenance: which paragraph states it
            metrics.append(metric)
        named = [m.code for m in mentions if m.code in salient]
        if named:
            last_country = named[-1]
    local_currencies(metrics, salient, language)
    return Analysis(
        countries=countries,
        metrics=_once(metrics),
        quotes=_guarded("quotes", find_quotes, paragraphs, language) or [],
        mentions=[m for ms in per_paragraph for m in ms],
        positioned=[(-1, m.start, m.code) for m in title_mentions]
        + [(i, m.start, m.code) for i, ms in enumerate(per_paragraph) for m in ms],
    )


def _once(metrics: list[Metric]) -> list[Metric]:
    """A figure restated later in the article ("more than 90%" in lead and body) is one metric."""
    seen: set[tuple] = set()
    out = []
    for m in metrics:
        key = (m.value, m.unit, (m.indicator or "").casefold())
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


def _guarded(what: str, function, *args):
    """Run one rule component; a bug on an odd text costs that component, not the article."""
    try:
        return function(*args)
    except Exception:  # logged with its traceback; the article still goes on
        log.exception("%s extraction failed on a %s text; left empty", what, args[1])
        return None
