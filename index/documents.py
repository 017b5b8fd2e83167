"""Articles and events as index documents: the flat fields every backend filters and facets
on, the raw text shown in highlights, and the analysed terms that are searched."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coopwatch.records import Article, Event

if TYPE_CHECKING:
    from coopwatch.text_analysis import TextAnalyzer

EVENT_TEXT_LANGUAGE = "en"  # event titles are written in English where possible


@dataclass(slots=True)
class IndexDoc:
    id: str
    kind: str  # "article" | "event"
    language: str | None  # language the text was analysed in
    languages: list[str]
    site: str | None
    date: str | None  # ISO date
    relevant: bool
    event_type: str | None
    countries: list[str]
    actors: list[str]
    projects: list[str]
    title: str
    body: list[str]  # paragraphs (articles), location (events)
    title_terms: str  # analysed terms, space-separated, in text order
    body_terms: str
    names_terms: str  # actor/project names and canonical forms: cross-language matches
    source: Article | Event | None = None

    @property
    def record(self) -> dict[str, Any]:
        """The exported ARTICLE or EVENT record (built on demand: it is not cheap)."""
        return self.source.to_record() if self.source is not None else {}

    @property
    def pairs(self) -> list[str]:
        return [f"{a}-{b}" for a, b in itertools.combinations(sorted(set(self.countries)), 2)]

    @property
    def month(self) -> str | None:
        return self.date[:7] if self.date and len(self.date) >= 7 else None

    @property
    def sort_date(self) -> str:
        """Date sort key: undated documents sort after every dated one (descending)."""
        return self.date or ""

    def facet_values(self) -> dict[str, list[str]]:
        """Values of each facet (names as in `index.query.FACETS`)."""
        return {
            "countries": sorted(set(self.countries)),
            "pairs": self.pairs,
            "actors": sorted(set(self.actors)),
            "projects": sorted(set(self.projects)),
            "event_types": [self.event_type] if self.event_type else [],
            "languages": sorted(set(self.languages)),
            "months": [self.month] if self.month else [],
        }


def _id_words(entity_id: str) -> str:
    """'person:alexander-turchin' -> 'alexander turchin' (ids are built from English names)."""
    return entity_id.split(":", 1)[-1].replace("-", " ")


def _join(analyzer: TextAnalyzer, texts: list[str], language: str | None) -> str:
    return " ".join(" ".join(analyzer(t, language)) for t in texts if t)


def article_doc(article: Article, analyzer: TextAnalyzer) -> IndexDoc:
    lang = article.language
    countries = {a.country for a in article.actors if a.country}
    countries |= {p.country for p in article.projects if p.country}
    names = [n for a in article.actors for n in (a.name, a.canonical)]
    names += [n for p in article.projects for n in (p.name, p.canonical)]
    title = article.title or ""
    return IndexDoc(
        id=article.id,
        kind="article",
        language=lang,
        languages=[lang] if lang else [],
        site=article.site,
        date=article.published,
        relevant=article.relevant,
        event_type=None,
        countries=sorted(countries),
        actors=sorted({a.id for a in article.actors}),
        projects=sorted({p.id for p in article.projects}),
        title=title,
        body=list(article.paragraphs),
        title_terms=_join(analyzer, [title], lang),
        body_terms=_join(analyzer, article.paragraphs, lang),
        names_terms=_join(analyzer, sorted(set(names)), lang),
        source=article,
    )


def event_doc(event: Event, analyzer: TextAnalyzer) -> IndexDoc:
    lang = EVENT_TEXT_LANGUAGE
    title = event.title or ""
    body = [event.location] if event.location else []
    names = [_id_words(i) for i in [*event.actors, *event.projects]]
    return IndexDoc(
        id=event.id,
        kind="event",
        language=lang,
        languages=sorted(set(event.languages)),
        site=None,
        date=event.date,
        relevant=True,  # events are grouped from relevant reports only
        event_type=event.event_type,
        countries=sorted(set(event.countries)),
        actors=sorted(set(event.actors)),
        projects=sorted(set(event.projects)),
        title=title,
        body=body,
        title_terms=_join(analyzer, [title], lang),
        body_terms=_join(analyzer, body, lang),
        names_terms=_join(analyzer, names, lang),
        source=event,
    )


def event_from_record(record: dict[str, Any]) -> Event:
    """Event.from_record (records.Event has no from_record yet)."""
    from coopwatch.records import Metric

    fields = set(Event.__dataclass_fields__)
    data = {k: v for k, v in record.items() if k in fields}
    data["metrics"] = [Metric(**m) if isinstance(m, dict) else m for m in data.get("metrics", [])]
    return Event(**data)


def build_doc(record: Article | Event, analyzer: TextAnalyzer) -> IndexDoc:
    if isinstance(record, Article):
        return article_doc(record, analyzer)
    return event_doc(record, analyzer)
