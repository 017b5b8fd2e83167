"""The index interface every backend implements, its typed query/result records, and the
backend registry (backends are chosen by name in settings, like spaCy's registries)."""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from index.documents import IndexDoc
from index.query import FACETS, Query

if TYPE_CHECKING:
    from coopwatch.settings import Settings
    from coopwatch.store import Store
    from coopwatch.text_analysis import TextAnalyzer

__all__ = ["FACETS", "FacetValue", "Hit", "IndexBackend", "Query", "SearchResult"]


@dataclass(slots=True)
class Hit:
    id: str
    kind: str  # "article" | "event"
    score: float | None
    title: str | None
    date: str | None
    language: str | None
    highlights: list[str]  # HTML-escaped fragments, matches wrapped in <em>…</em>
    record: dict[str, Any]  # the ARTICLE or EVENT record as exported


@dataclass(slots=True)
class FacetValue:
    value: str
    count: int


@dataclass(slots=True)
class SearchResult:
    hits: list[Hit]
    total: int
    facets: dict[str, list[FacetValue]]
    next_cursor: str | None
    stale: int = 0  # documents waiting to be (re)indexed; 0 when the index is current

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "hits": [
                {
                    "id": h.id,
                    "type": h.kind,
                    "score": h.score,
                    "title": h.title,
                    "date": h.date,
                    "language": h.language,
                    "highlights": h.highlights,
                    "record": h.record,
                }
                for h in self.hits
            ],
            "facets": {
                name: [{"value": v.value, "count": v.count} for v in values]
                for name, values in self.facets.items()
            },
            "next_cursor": self.next_cursor,
            "stale": self.stale,
        }


class IndexBackend(abc.ABC):
    """What a backend does. Documents arrive already built (`IndexDoc`, analysed terms in)."""

    name: str
    # False: the backend never reads an article's record from its IndexDoc (the embedded
    # index reads the store's), so rebuild workers need not send it back.
    needs_article_records: bool = True

    @abc.abstractmethod
    def upsert(self, docs: list[IndexDoc]) -> None:
        """Add or replace documents. Raises IndexUnavailable when the backend is down."""

    @abc.abstractmethod
    def delete(self, doc_ids: list[str]) -> None:
        """Remove documents (unknown ids are ignored)."""

    @abc.abstractmethod
    def get(self, doc_id: str) -> dict[str, Any] | None:
        """The stored record of one document, or None."""

    @abc.abstractmethod
    def search(self, query: Query, analysed: Any) -> SearchResult:
        """Run `query`; `analysed` is its text as `index.query.AnalysedExpr` (or None)."""

    @abc.abstractmethod
    def rebuild(self, docs: Iterable[list[IndexDoc]]) -> int:
        """Replace the whole index with `docs` (batches); returns the number indexed.
        Searches see the old index until the new one is complete."""

    @abc.abstractmethod
    def event_records(self) -> Iterator[dict[str, Any]]:
        """Every indexed EVENT record (carried over by rebuilds while the store has none)."""

    @abc.abstractmethod
    def count(self) -> int:
        """Documents in the index."""

    def close(self) -> None:  # noqa: B027 (optional hook)
        """Release connections."""


BUILTIN = {"embedded", "elasticsearch", "tantivy"}  # imported on first use
BackendFactory = Callable[["Settings", "Store", "TextAnalyzer"], IndexBackend]
_BACKENDS: dict[str, BackendFactory] = {}


def register_backend(name: str) -> Callable[[BackendFactory], BackendFactory]:
    """Decorator: make a backend factory available under `name` (setting index.backend)."""

    def decorate(factory: BackendFactory) -> BackendFactory:
        _BACKENDS[name] = factory
        return factory

    return decorate


def backend_factory(name: str) -> BackendFactory:
    """The factory registered under `name`; imports the built-in backends lazily."""
    if name not in _BACKENDS:
        if name == "embedded":
            import index.embedded
        elif name == "elasticsearch":
            import index.elasticsearch
        elif name == "tantivy":
            import index.tantivy_index  # noqa: F401
    try:
        return _BACKENDS[name]
    except KeyError:
        from coopwatch.errors import ConfigError

        raise ConfigError(
            f"unknown index backend {name!r}; known: "
            + ", ".join(["embedded", "elasticsearch", "tantivy", *sorted(set(_BACKENDS) - BUILTIN)])
        ) from None
