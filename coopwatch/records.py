"""Typed records that cross stage borders (crawler -> nlp -> index -> api), defined once."""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal, get_args

# The event types of the record format (spec/output-format.md), in order of precedence
# where a report gives evidence for several with equal weight.
EventType = Literal[
    "visit", "meeting", "agreement", "forum", "project_launch", "exchange", "training", "other"
]
EVENT_TYPES: tuple[EventType, ...] = get_args(EventType)


def article_id_for(url: str) -> str:
    """Stable article id: the same canonical URL gives the same id on every run."""
    return "a-" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]


def content_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def plain(value: Any) -> Any:
    """`dataclasses.asdict` for our records, without its deep copies of every string and
    number (they are immutable): a fifth of the store's time went into asdict."""
    if isinstance(value, _ATOMIC):
        return value
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    names = _FIELD_NAMES.get(type(value))
    if names is None:
        if not dataclasses.is_dataclass(value) or isinstance(value, type):
            return value
        names = _FIELD_NAMES[type(value)] = tuple(f.name for f in dataclasses.fields(value))
    return {name: plain(getattr(value, name)) for name in names}


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
_ATOMIC = (str, int, float, type(None))


@dataclass(slots=True)
class FetchedPage:
    """One HTTP response as fetched or read from a file/WARC, before any analysis."""

    url: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    status: int = 200
    fetched_at: datetime | None = None

    @property
    def content_type(self) -> str:
        for key, value in self.headers.items():
            if key.lower() == "content-type":
                return value
        return ""

    @property
    def sha256(self) -> str:
        return content_hash(self.body)


@dataclass(slots=True)
class ExtractedText:
    """Main text and metadata of one page (nlp.extract output)."""

    title: str | None
    published: str | None  # ISO date
    paragraphs: list[str]
    repeated_paragraphs: int
    language: str | None
    dateline: str | None = None  # e.g. "ASTANA, 4. November (BelTA)"
    dateline_place: str | None = None
    dateline_day: date | None = None  # the day the dateline names, year from context
    encoding: str | None = None


@dataclass(slots=True)
class Actor:
    id: str
    kind: str  # person | organization | country
    name: str
    canonical: str
    country: str | None = None
    role: str | None = None


@dataclass(slots=True)
class Project:
    id: str
    name: str
    canonical: str
    country: str | None = None


@dataclass(slots=True)
class Metric:
    indicator: str | None
    value: float
    unit: str
    country: str | None
    text: str
    paragraph: int | None = None  # index into the article's paragraphs (provenance)
    article_id: str | None = None  # set on an event's merged metrics (provenance)


@dataclass(slots=True)
class Quote:
    speaker_id: str | None
    speaker: str | None
    text: str


@dataclass(slots=True)
class Article:
    """An analysed news page: the ARTICLE record of spec/output-format.md."""

    id: str
    url: str
    site: str
    language: str | None
    title: str | None
    published: str | None
    paragraphs: list[str]
    repeated_paragraphs: int = 0
    relevant: bool = False
    relevance_score: float = 0.0
    duplicate_of: str | None = None
    event_id: str | None = None
    actors: list[Actor] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    content_hash: str | None = None
    fetched_at: str | None = None
    # The event this report describes, as read from it (nlp.event_facts); null when irrelevant.
    event_type: str | None = None
    event_date: str | None = None
    event_date_source: str | None = None  # "text" | "dateline" | "published"
    event_location: str | None = None
    event_countries: list[str] = field(default_factory=list)
    # Analysis stages that failed on this page (the page is stored without their results;
    # `coopwatch reprocess` runs them again after a fix).
    warnings: list[str] = field(default_factory=list)

    def to_record(self) -> dict[str, Any]:
        """The exported JSON object (spec field order first, extras after)."""
        return {"type": "article", **plain(self)}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Article:
        data = {k: v for k, v in record.items() if k in _ARTICLE_FIELDS}
        data["actors"] = [Actor(**a) for a in data.get("actors", [])]
        data["projects"] = [Project(**p) for p in data.get("projects", [])]
        data["metrics"] = [Metric(**m) for m in data.get("metrics", [])]
        data["quotes"] = [Quote(**q) for q in data.get("quotes", [])]
        return cls(**data)


_ARTICLE_FIELDS = {f.name for f in dataclasses.fields(Article)}


@dataclass(slots=True)
class Event:
    """A real-world cooperation event: the EVENT record of spec/output-format.md."""

    id: str
    event_type: str
    countries: list[str]
    date: str | None
    location: str | None
    title: str | None
    articles: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    projects: list[str] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)  # each with article_id and paragraph
    # actor/project id -> ids of the reports that name it (provenance of the merged lists)
    mentioned_in: dict[str, list[str]] = field(default_factory=dict)

    def to_record(self) -> dict[str, Any]:
        return {"type": "event", **plain(self)}
