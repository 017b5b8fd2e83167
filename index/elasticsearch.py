"""The Elasticsearch backend (extra ``coopwatch[elasticsearch]``): the official 8.x client,
an index template, bulk indexing with retries, an alias that `reindex` moves atomically to a
freshly built index, and `search_after` paging. The only module that imports elasticsearch.

It searches the same analysed-term fields the embedded index does (so both give the same
answers); raw text is also indexed with Elasticsearch's language analyzers (`text_de`,
`text_ru`, `text_en`) for deployments that query the cluster directly.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from coopwatch.errors import IndexUnavailable, SearchIndexError
from index.base import FacetValue, Hit, IndexBackend, Query, SearchResult, register_backend
from index.documents import IndexDoc
from index.highlight import highlight
from index.query import (
    AAnd,
    AnalysedExpr,
    ANot,
    AOr,
    Terms,
    decode_cursor,
    encode_cursor,
    excluded,
    is_negative_only,
    positive_terms,
)

if TYPE_CHECKING:
    from elasticsearch import Elasticsearch

    from coopwatch.settings import IndexSettings, Settings
    from coopwatch.store import Store
    from coopwatch.text_analysis import TextAnalyzer

log = logging.getLogger(__name__)

LANGUAGE_ANALYZERS = {"de": "german", "ru": "russian", "en": "english"}
FACET_FIELDS = {
    "countries": "countries",
    "pairs": "pairs",
    "actors": "actor_ids",
    "projects": "project_ids",
    "event_types": "event_type",
    "languages": "languages",
    "months": "month",
}
TEXT_FIELDS = (("title_terms", 3.0), ("body_terms", 1.0), ("names_terms", 1.0))
_KEYWORD = {"type": "keyword"}


def index_template(pattern: str) -> dict[str, Any]:
    """Settings and mappings of every coopwatch index (ARTICLE and EVENT documents)."""
    terms = {"type": "text", "analyzer": "coopwatch_terms", "similarity": "BM25"}
    text_fields = {
        f"text_{lang}": {"type": "text", "analyzer": analyzer}
        for lang, analyzer in LANGUAGE_ANALYZERS.items()
    }
    return {
        "index_patterns": [pattern],
        "template": {
            "settings": {
                "number_of_shards": 1,
                "analysis": {
                    # Terms arrive analysed by coopwatch: split on spaces, nothing else.
                    "analyzer": {"coopwatch_terms": {"type": "custom", "tokenizer": "whitespace"}}
                },
            },
            "mappings": {
                "dynamic": False,
                "properties": {
                    "id": _KEYWORD,
                    "kind": _KEYWORD,
                    "language": _KEYWORD,
                    "languages": _KEYWORD,
                    "site": _KEYWORD,
                    "date": {"type": "date", "format": "strict_date"},
                    "sort_date": _KEYWORD,
                    "month": _KEYWORD,
                    "relevant": {"type": "boolean"},
                    "event_type": _KEYWORD,
                    "countries": _KEYWORD,
                    "pairs": _KEYWORD,
                    "actor_ids": _KEYWORD,
                    "project_ids": _KEYWORD,
                    "title": {"type": "text", "index": False},
                    "body": {"type": "text", "index": False},
                    "title_terms": terms,
                    "body_terms": terms,
                    "names_terms": terms,
                    **text_fields,
                    "actors": {
                        "type": "nested",
                        "properties": {
                            "id": _KEYWORD,
                            "kind": _KEYWORD,
                            "name": {"type": "text"},
                            "canonical": {"type": "text"},
                            "country": _KEYWORD,
                            "role": {"type": "text"},
                        },
                    },
                    "projects": {
                        "type": "nested",
                        "properties": {
                            "id": _KEYWORD,
                            "name": {"type": "text"},
                            "canonical": {"type": "text"},
                            "country": _KEYWORD,
                        },
                    },
                    "metrics": {
                        "type": "nested",
                        "properties": {
                            "indicator": _KEYWORD,
                            "value": {"type": "double"},
                            "unit": _KEYWORD,
                            "country": _KEYWORD,
                        },
                    },
                    "record": {"type": "object", "enabled": False},
                },
            },
        },
    }


def es_source(doc: IndexDoc) -> dict[str, Any]:
    """The Elasticsearch document of `doc`."""
    record = doc.record
    if doc.kind == "article":
        actors = record.get("actors") or []
        projects = record.get("projects") or []
    else:
        actors = [{"id": a} for a in doc.actors]
        projects = [{"id": p} for p in doc.projects]
    source: dict[str, Any] = {
        "id": doc.id,
        "kind": doc.kind,
        "language": doc.language,
        "languages": doc.languages,
        "site": doc.site,
        "date": doc.date,
        "sort_date": doc.sort_date,
        "month": doc.month,
        "relevant": doc.relevant,
        "event_type": doc.event_type,
        "countries": doc.countries,
        "pairs": doc.pairs,
        "actor_ids": doc.actors,
        "project_ids": doc.projects,
        "title": doc.title,
        "body": doc.body,
        "title_terms": doc.title_terms,
        "body_terms": doc.body_terms,
        "names_terms": doc.names_terms,
        "actors": actors,
        "projects": projects,
        "metrics": [
            {k: m.get(k) for k in ("indicator", "value", "unit", "country")}
            for m in record.get("metrics") or []
        ],
        "record": record,
    }
    if doc.language in LANGUAGE_ANALYZERS:
        source[f"text_{doc.language}"] = "\n".join([doc.title, *doc.body])
    return source


def _index_actions(docs: list[IndexDoc]) -> list[dict[str, Any]]:
    return [{"_op_type": "index", "_id": d.id, "_source": es_source(d)} for d in docs]


def es_text_query(expr: AnalysedExpr) -> dict[str, Any]:
    """The bool query of an analysed text expression (with a positive part)."""
    if isinstance(expr, Terms):
        # One term: `match` (what a one-word phrase is); several: `match_phrase`.
        should = [
            {
                "match" if len(alt) == 1 else "match_phrase": {
                    field: {"query": " ".join(alt), "boost": boost}
                }
            }
            for alt in expr.alternatives
            for field, boost in TEXT_FIELDS
        ]
        return {"bool": {"should": should, "minimum_should_match": 1}}
    if isinstance(expr, AOr):
        return {
            "bool": {"should": [es_text_query(c) for c in expr.children], "minimum_should_match": 1}
        }
    if isinstance(expr, AAnd):
        return {
            "bool": {
                "must": [es_text_query(c) for c in expr.children if not isinstance(c, ANot)],
                "must_not": [es_text_query(c.child) for c in expr.children if isinstance(c, ANot)],
            }
        }
    raise ValueError("a NOT alone is a filter, not a scored query")


def es_filters(query: Query) -> list[dict[str, Any]]:
    filters: list[dict[str, Any]] = []
    if query.relevant_only:
        filters.append({"term": {"relevant": True}})
    for field, values in (
        ("kind", query.kinds),
        ("event_type", query.event_types),
        ("site", query.sites),
        ("languages", query.languages),
        ("countries", query.countries_any),
    ):
        if values:
            filters.append({"terms": {field: values}})
    for field, values in (
        ("countries", query.countries_all),
        ("actor_ids", query.actors),
        ("project_ids", query.projects),
    ):
        filters.extend({"term": {field: value}} for value in values)
    if query.date_from or query.date_to:
        bounds = {}
        if query.date_from:
            bounds["gte"] = query.date_from
        if query.date_to:
            bounds["lte"] = query.date_to
        filters.append({"range": {"date": bounds}})
    return filters


class ElasticsearchIndex(IndexBackend):
    """Documents in the index behind the alias `settings.index.elasticsearch_index`."""

    name = "elasticsearch"
    shares_store_transaction = False

    def __init__(self, settings: IndexSettings, analyzer: TextAnalyzer):
        from elasticsearch import Elasticsearch

        self.settings = settings
        self.analyzer = analyzer
        self.alias = settings.elasticsearch_index
        self.client: Elasticsearch = Elasticsearch(
            settings.elasticsearch_url,
            api_key=settings.elasticsearch_api_key or None,
            request_timeout=settings.elasticsearch_timeout,
            max_retries=settings.elasticsearch_retries,
            retry_on_timeout=True,
        )
        self._ready = False

    # -- plumbing ----------------------------------------------------------------------------

    def _call(self, what: str, fn, *args, **kwargs):
        """Run a client call; a cluster that cannot be reached becomes IndexUnavailable."""
        from elasticsearch import ApiError, TransportError

        try:
            return fn(*args, **kwargs)
        except TransportError as exc:  # connection refused, timeouts
            self._ready = False  # the cluster may come back empty or replaced: check again
            raise IndexUnavailable(
                f"Elasticsearch at {self.settings.elasticsearch_url} is unreachable ({what}): "
                f"{exc.__class__.__name__}"
            ) from exc
        except ApiError as exc:
            if exc.meta.status >= 500 or exc.meta.status == 429:
                raise IndexUnavailable(
                    f"Elasticsearch answered {exc.meta.status} to {what}: {exc.message}"
                ) from exc
            raise SearchIndexError(
                f"Elasticsearch refused {what} ({exc.meta.status}): {exc.message}"
            ) from exc

    def _new_index_name(self) -> str:
        return f"{self.alias}-{datetime.now(UTC).strftime('%Y%m%d%H%M%S%f')}"

    def _ensure(self) -> None:
        """Template in place and the alias pointing at an index (first use creates both)."""
        if self._ready:
            return
        client = self.client
        self._call(
            "put index template",
            client.indices.put_index_template,
            name=f"{self.alias}-template",
            **index_template(f"{self.alias}-*"),
        )
        exists = self._call("alias lookup", client.indices.exists_alias, name=self.alias)
        if not exists:
            name = self._new_index_name()
            self._call("create index", client.indices.create, index=name)
            self._call(
                "create alias",
                client.indices.update_aliases,
                actions=[{"add": {"index": name, "alias": self.alias}}],
            )
        self._ready = True

    def _bulk(self, actions: list[dict[str, Any]], index: str, refresh: bool) -> None:
        """One bulk request, retried with backoff; per-item failures are errors."""
        from elasticsearch import helpers

        attempts = self.settings.elasticsearch_retries + 1
        for attempt in range(attempts):
            try:
                _, errors = self._call(
                    "bulk",
                    helpers.bulk,
                    self.client,
                    actions,
                    index=index,
                    refresh="wait_for" if refresh else False,
                    max_retries=self.settings.elasticsearch_retries,
                    raise_on_error=False,
                    chunk_size=self.settings.bulk_size,
                )
            except IndexUnavailable:
                if attempt + 1 == attempts:
                    raise
                time.sleep(min(0.5 * 2**attempt, 10))
                continue
            failed = [e for e in errors if next(iter(e.values())).get("status") != 404]
            if failed:
                raise SearchIndexError(
                    f"Elasticsearch refused {len(failed)} documents: {failed[0]}"
                )
            return

    # -- writes ------------------------------------------------------------------------------

    def upsert(self, docs: list[IndexDoc]) -> None:
        self._ensure()
        self._bulk(_index_actions(docs), self.alias, refresh=True)

    def delete(self, doc_ids: list[str]) -> None:
        self._ensure()
        self._bulk([{"_op_type": "delete", "_id": i} for i in doc_ids], self.alias, refresh=True)

    def rebuild(self, docs: Iterable[list[IndexDoc]]) -> int:
        """Build a new index, then move the alias to it in one atomic alias update."""
        self._ensure()
        client = self.client
        name = self._new_index_name()
        self._call("create index", client.indices.create, index=name)
        count = 0
        try:
            for batch in docs:
                actions = [
                    {"_op_type": "index", "_id": d.id, "_source": es_source(d)} for d in batch
                ]
                self._bulk(actions, name, refresh=False)
                count += len(batch)
            self._call("refresh", client.indices.refresh, index=name)
        except BaseException:
            self._call("delete partial index", client.indices.delete, index=name)
            raise
        old = list(self._call("alias lookup", client.indices.get_alias, name=self.alias).body)
        actions = [{"remove": {"index": o, "alias": self.alias}} for o in old]
        actions.append({"add": {"index": name, "alias": self.alias}})
        self._call("switch alias", client.indices.update_aliases, actions=actions)
        for o in old:
            self._call("delete old index", client.indices.delete, index=o)
        return count

    def count(self) -> int:
        self._ensure()
        return int(self._call("count", self.client.count, index=self.alias)["count"])

    def close(self) -> None:
        self.client.close()

    def event_records(self) -> Iterator[dict[str, Any]]:
        self._ensure()
        after: list[Any] | None = None
        while True:
            request: dict[str, Any] = {
                "query": {"term": {"kind": "event"}},
                "sort": [{"id": "asc"}],
                "size": 1000,
                "_source": {"includes": ["record"]},
            }
            if after:
                request["search_after"] = after
            hits = self._call("search", self.client.search, index=self.alias, **request)["hits"][
                "hits"
            ]
            if not hits:
                return
            for hit in hits:
                yield hit["_source"]["record"]
            after = hits[-1]["sort"]

    # -- reads -------------------------------------------------------------------------------

    def get(self, doc_id: str) -> dict[str, Any] | None:
        from elasticsearch import NotFoundError

        self._ensure()
        try:
            response = self._call("get", self.client.get, index=self.alias, id=doc_id)
        except SearchIndexError as exc:
            if isinstance(exc.__cause__, NotFoundError):
                return None
            raise
        return response["_source"].get("record")

    def search(self, query: Query, analysed: AnalysedExpr | None) -> SearchResult:
        self._ensure()
        ranked = analysed is not None and not is_negative_only(analysed)
        body: dict[str, Any] = {"filter": es_filters(query)}
        if ranked:
            body["must"] = [es_text_query(analysed)]
        elif analysed is not None:
            body["must_not"] = [es_text_query(n) for n in excluded(analysed)]
        sort_name = query.resolved_sort
        if sort_name == "date":
            sort: list[Any] = [{"sort_date": "desc"}, {"id": "asc"}]
        elif ranked:
            sort = [{"_score": "desc"}, {"id": "asc"}]
        else:
            sort = [{"id": "asc"}]
        request: dict[str, Any] = {
            "query": {"bool": body},
            "sort": sort,
            "size": query.size + 1,
            "track_total_hits": True,
            "_source": {"includes": ["record", "language", "date", "kind"]},
        }
        if query.cursor:
            request["search_after"] = decode_cursor(query.cursor, sort_name)
        if query.facets:
            request["aggs"] = {
                name: {
                    "terms": {
                        "field": FACET_FIELDS[name],
                        "size": query.facet_size,
                        "order": [{"_count": "desc"}, {"_key": "asc"}],
                    }
                }
                for name in query.facets
            }
        response = self._call("search", self.client.search, index=self.alias, **request)
        raw_hits = response["hits"]["hits"]
        more = len(raw_hits) > query.size
        raw_hits = raw_hits[: query.size]
        terms = positive_terms(analysed)
        hits = []
        for raw in raw_hits:
            source = raw["_source"]
            record = source.get("record") or {}
            language = source.get("language")
            texts = [record.get("title") or "", *(record.get("paragraphs") or [])]
            if source.get("kind") == "event" and record.get("location"):
                texts.append(record["location"])
            hits.append(
                Hit(
                    id=raw["_id"],
                    kind=source.get("kind", record.get("type", "")),
                    score=raw.get("_score") if ranked else None,
                    title=record.get("title"),
                    date=source.get("date"),
                    language=language,
                    highlights=highlight(texts, language, terms, self.analyzer),
                    record=record,
                )
            )
        next_cursor = None
        if more and raw_hits:
            key = raw_hits[-1]["sort"]
            if sort_name == "date":
                key = [raw_hits[-1]["_source"].get("date") or "", key[-1]]
            next_cursor = encode_cursor(sort_name, key)
        facets = {}
        for name in query.facets:
            buckets = response.get("aggregations", {}).get(name, {}).get("buckets", [])
            values = [FacetValue(str(b["key"]), int(b["doc_count"])) for b in buckets]
            facets[name] = sorted(values, key=lambda v: (-v.count, v.value))
        total = response["hits"]["total"]
        return SearchResult(
            hits=hits,
            total=int(total["value"] if isinstance(total, dict) else total),
            facets=facets,
            next_cursor=next_cursor,
        )


@register_backend("elasticsearch")
def elasticsearch_backend(settings: Settings, store: Store, analyzer: TextAnalyzer) -> IndexBackend:
    return ElasticsearchIndex(settings.index, analyzer)
