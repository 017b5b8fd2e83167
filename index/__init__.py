"""Store and find articles and events: one index interface, backends chosen by name
(`index.backend`: embedded SQLite FTS5, or Elasticsearch), one query language.

Ingest calls `open_index(settings, store)` once, then `index.index_article(article)` after
each `Store.save` and `index.index_event(event)` after each event is stored or merged.
"""

from index.base import FacetValue, Hit, IndexBackend, SearchResult, register_backend
from index.query import Query, parse_query
from index.search_index import SearchIndex, open_index

__all__ = [
    "FacetValue",
    "Hit",
    "IndexBackend",
    "Query",
    "SearchIndex",
    "SearchResult",
    "open_index",
    "parse_query",
    "register_backend",
]
