"""The JSON API, version 1: records exactly as the coopwatch ARTICLE/EVENT formats, cursor
pagination (`limit`, `cursor` → `next_cursor`), and the one error shape for every error."""

from __future__ import annotations

import json
import logging
import threading
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse
from pydantic import BaseModel, ConfigDict, Field

from api.app import check_scope, open_store, read_access, require
from api.catalog import Catalog, EventFilter, Page, has_table
from api.digest.build import parse_week
from api.digest.send import digest_for
from api.digest.subscriptions import Filters, Subscription, SubscriptionError, Subscriptions
from api.errors import ApiError
from coopwatch.actors import ActorRegistry, fold
from coopwatch.records import EVENT_TYPES

log = logging.getLogger(__name__)


def _query_names(dependant) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def reject_unknown_query(request: Request) -> None:
    """A misspelt parameter is an error, not a silently ignored filter."""
    route = request.scope.get("route")
    if route is None or not hasattr(route, "dependant"):
        return
    known = _query_names(route.dependant)
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        raise ApiError(
            422,
            f"unknown query parameter(s): {', '.join(unknown)}",
            details=[
                {"location": f"query.{name}", "message": "unknown parameter"} for name in unknown
            ],
        )


router = APIRouter(prefix="/v1", dependencies=[Depends(reject_unknown_query)])
health = APIRouter()

Limit = Annotated[int | None, Query(ge=1, description="Items per page (default api.page_size).")]
Cursor = Annotated[str | None, Query(description="`next_cursor` of the previous page.")]


def _limit(request: Request, limit: int | None) -> int:
    api = request.app.state.settings.api
    if limit is not None and limit > api.max_page_size:
        raise ApiError(
            422,
            f"limit must be at most {api.max_page_size}",
            details=[{"location": "query.limit", "message": f"at most {api.max_page_size}"}],
        )
    return limit or api.page_size


def _page(page: Page) -> dict[str, Any]:
    return {"items": page.items, "next_cursor": page.next_cursor}


class PageOut(BaseModel):
    items: list[dict[str, Any]]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page.")


class ErrorOut(BaseModel):
    error: dict[str, Any] = Field(
        ..., description="status, code, message, details [{location, message}]"
    )


ERRORS = {
    404: {"model": ErrorOut, "description": "Not found"},
    422: {"model": ErrorOut, "description": "Invalid request"},
}


# -- health ---------------------------------------------------------------------------------


@health.get("/healthz", tags=["health"])
def healthz(request: Request) -> dict[str, Any]:
    """Liveness and what the store holds."""
    with open_store(request) as store:
        events = (
            store.conn.execute("SELECT count(*) FROM events").fetchone()[0]
            if has_table(store.conn, "events")
            else 0
        )
        return {
            "status": "ok",
            "store": {
                "schema_version": store.schema_version,
                "articles": store.count_articles(),
                "events": events,
            },
        }


# -- events and articles --------------------------------------------------------------------


@router.get(
    "/events",
    response_model=PageOut,
    dependencies=[Depends(read_access)],
    responses=ERRORS,
    tags=["events"],
)
def list_events(
    request: Request,
    country: Annotated[list[str], Query(description="ISO code; all given take part.")] = [],  # noqa: B006
    actor: Annotated[list[str], Query(description="Actor id; any of them.")] = [],  # noqa: B006
    project: Annotated[list[str], Query(description="Project id; any of them.")] = [],  # noqa: B006
    event_type: Annotated[Literal[EVENT_TYPES] | None, Query()] = None,  # type: ignore[valid-type]
    language: Annotated[str | None, Query(pattern="^[a-z]{2}$")] = None,
    date_from: Annotated[date | None, Query(description="ISO date, inclusive.")] = None,
    date_to: Annotated[date | None, Query(description="ISO date, inclusive.")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Text in title/place.")] = None,
    limit: Limit = None,
    cursor: Cursor = None,
):
    """Events, newest first."""
    bad = [c for c in country if len(c) != 2 or not c.isalpha()]
    if bad:
        raise ApiError(
            422,
            f"country must be ISO 3166-1 alpha-2 codes, not {bad}",
            details=[{"location": "query.country", "message": "expected a two-letter code"}],
        )
    if date_from and date_to and date_from > date_to:
        raise ApiError(422, f"date range is empty: {date_from} is after {date_to}")
    flt = EventFilter(
        countries=[c.upper() for c in country],
        actors=actor,
        projects=project,
        event_type=event_type,
        language=language,
        date_from=date_from,
        date_to=date_to,
        text=q,
    )
    with open_store(request) as store:
        return _page(Catalog(store.conn).list_events(flt, _limit(request, limit), cursor))


@router.get(
    "/events/{event_id}", dependencies=[Depends(read_access)], responses=ERRORS, tags=["events"]
)
def get_event(request: Request, response: Response, event_id: Annotated[str, Path()]):
    """One EVENT record; the id of an event merged into another resolves to the survivor."""
    with open_store(request) as store:
        event = Catalog(store.conn).get_event(event_id)
    if event is None:
        raise ApiError(404, f"no event {event_id!r}")
    if event["id"] != event_id:
        response.headers["Content-Location"] = f"/v1/events/{event['id']}"
    return event


@router.get(
    "/articles/{article_id}",
    dependencies=[Depends(read_access)],
    responses=ERRORS,
    tags=["articles"],
)
def get_article(request: Request, article_id: str):
    """One ARTICLE record."""
    with open_store(request) as store:
        article = Catalog(store.conn).get_article(article_id)
    if article is None:
        raise ApiError(404, f"no article {article_id!r}")
    return article


# -- actors and projects --------------------------------------------------------------------


def _entities(kind: str):
    def listing(
        request: Request,
        q: Annotated[str | None, Query(max_length=200, description="Part of a name.")] = None,
        limit: Limit = None,
        cursor: Cursor = None,
    ):
        with open_store(request) as store:
            page = Catalog(store.conn).list_entities(kind, _limit(request, limit), cursor, q)
        return _page(page)

    def one(request: Request, response: Response, entity_id: str):
        with open_store(request) as store:
            entity = entity_view(store, kind, entity_id)
        if entity is None:
            raise ApiError(404, f"no {kind[:-1]} {entity_id!r}")
        if entity["id"] != entity_id:  # an id merged into another resolves to the survivor
            response.headers["Content-Location"] = f"/v1/{kind}/{entity['id']}"
        return entity

    listing.__doc__ = f"{kind.title()} named in stored articles, by id, with name variants."
    one.__doc__ = f"One of the {kind}: name variants in every script, roles, events, articles."
    router.add_api_route(
        f"/{kind}",
        listing,
        methods=["GET"],
        response_model=PageOut,
        dependencies=[Depends(read_access)],
        responses=ERRORS,
        tags=[kind],
        name=f"list_{kind}",
    )
    router.add_api_route(
        f"/{kind}/{{entity_id}}",
        one,
        methods=["GET"],
        dependencies=[Depends(read_access)],
        responses=ERRORS,
        tags=[kind],
        name=f"get_{kind}",
    )


_entities("actors")
_entities("projects")


def entity_view(store, kind: str, entity_id: str) -> dict[str, Any] | None:
    """An actor or project as /v1/{kind}/{id} shows it: gathered from the stored articles
    (names as written, roles, events), under its current registry id (an id merged into
    another resolves to the survivor), with `aliases` (ids merged into it). None if unknown."""
    registry = ActorRegistry(store.conn)
    current = registry.current_id(entity_id) or entity_id
    registered = registry.kind_of(current)
    if registered is not None and (registered == "project") != (kind == "projects"):
        return None  # /v1/actors/project:… is not an actor
    entity = Catalog(store.conn).entities(kind, current).get(current)
    if entity is None:
        entry = registry.entry(current) if registered else None
        if entry is None:
            return None
        # registered but named in no stored article (e.g. a split-off spelling never seen)
        entity = {
            "id": entry.id,
            "canonical": entry.canonical,
            "kind": entry.kind,
            "country": entry.country,
            "names": [{"name": name, "languages": []} for name, _count in entry.names],
            "roles": [],
            "events": [],
            "articles": [],
        }
        if kind == "projects":
            del entity["roles"], entity["kind"]
    entity["aliases"] = registry.aliases(current)
    return entity


# -- actor merges and splits (the analyst's decisions, kept by the registry) ----------------

EntityId = Annotated[str, Field(min_length=1, max_length=200)]


class MergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ids: list[EntityId] = Field(
        ...,
        min_length=1,
        max_length=50,
        description="Ids to merge into this one; each stays resolvable as an alias.",
    )


class SplitIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    names: list[Annotated[str, Field(min_length=1, max_length=300)]] = Field(
        ..., min_length=1, max_length=50, description="Name variants that move to a new id."
    )
    new_id: str | None = Field(
        None,
        pattern=r"^(person|org|project):[a-z0-9][a-z0-9-]*$",
        max_length=200,
        description="Id for the new actor (default: from the first name).",
    )


_PREFIX = {"person": "person:", "organization": "org:", "project": "project:"}


def _registered(registry: ActorRegistry, kind: str, entity_id: str) -> str:
    """The current registry id behind a path id of /v1/{kind}; 404 when there is none."""
    current = registry.current_id(entity_id)
    if current is None or (registry.kind_of(current) == "project") != (kind == "projects"):
        raise ApiError(404, f"no {kind[:-1]} {entity_id!r} in the actor registry")
    return current


def _catch_up(request: Request, store) -> int:
    """Bring the search index up to the rewritten articles and events (marked stale by the
    store's triggers in the merge's own transaction); returns what is still stale (-1: not
    known). An index that is down keeps its marks: search, `reindex --catch-up` and serve's
    catch-up job index them later. The change is committed by now, so no failure here may
    turn its answer into an error."""
    try:
        index = _open_index(request, store)
        try:
            index.catch_up()
            return index.stale()
        finally:
            index.close()
    except Exception:  # logged; the marks stay for the next catch-up
        log.exception("search index not updated after an actor change")
        return -1


def _merge(request: Request, kind: str, entity_id: str, body: MergeIn) -> dict[str, Any]:
    with open_store(request) as store:
        registry = ActorRegistry(store.conn)
        target = _registered(registry, kind, entity_id)
        target_kind = registry.kind_of(target)
        sources: list[str] = []
        problems = []
        for position, source in enumerate(body.ids):
            current = registry.current_id(source)
            if current is None:
                problems.append((position, f"no actor {source!r} in the registry"))
            elif current == target:
                problems.append((position, f"{source!r} is {target} itself"))
            elif registry.kind_of(current) != target_kind:
                problems.append(
                    (position, f"{source!r} is a {registry.kind_of(current)}, not a {target_kind}")
                )
            else:
                sources.append(current)
        if problems:
            raise ApiError(
                422,
                "cannot merge: " + "; ".join(message for _, message in problems),
                details=[{"location": f"body.ids.{i}", "message": m} for i, m in problems],
            )
        with store.transaction():
            registry.merge(sources, into=target)
        stale = _catch_up(request, store)
        log.info("merged %s into %s", sources, target)
        return {
            kind[:-1]: entity_view(store, kind, target),
            "merged": sorted(set(sources)),
            "index_stale": stale,
        }


def _split(request: Request, kind: str, entity_id: str, body: SplitIn) -> JSONResponse:
    with open_store(request) as store:
        registry = ActorRegistry(store.conn)
        current = _registered(registry, kind, entity_id)
        own = {fold(name) for name, _count in registry.variants(current)}
        problems = [
            {"location": f"body.names.{i}", "message": f"{current} has no name variant {name!r}"}
            for i, name in enumerate(body.names)
            if fold(name) not in own
        ]
        if not problems and own <= {fold(name) for name in body.names}:
            problems.append(
                {
                    "location": "body.names",
                    "message": "every name variant would move: nothing would be left to split",
                }
            )
        if body.new_id is not None:
            prefix = _PREFIX[registry.kind_of(current) or "person"]
            if not body.new_id.startswith(prefix):
                problems.append(
                    {"location": "body.new_id", "message": f"must start with {prefix!r}"}
                )
            elif registry.id_taken(body.new_id):
                raise ApiError(
                    409,
                    f"id {body.new_id!r} is already taken",
                    details=[{"location": "body.new_id", "message": "already taken"}],
                )
        if problems:
            raise ApiError(422, "cannot split: " + problems[0]["message"], details=problems)
        with store.transaction():
            new_id = registry.split(current, list(body.names), body.new_id)
        stale = _catch_up(request, store)
        log.info("split %s off %s into %s", body.names, current, new_id)
        content = {
            kind[:-1]: entity_view(store, kind, new_id),
            "from": entity_view(store, kind, current),
            "index_stale": stale,
        }
    return JSONResponse(content, status_code=201, headers={"Location": f"/v1/{kind}/{new_id}"})


def _entity_changes(kind: str) -> None:
    write = [Depends(require("actors:write"))]
    errors = {
        **ERRORS,
        401: {"model": ErrorOut, "description": "No valid API key"},
        403: {"model": ErrorOut, "description": "The key lacks scope actors:write"},
    }

    def merge(request: Request, entity_id: str, body: MergeIn):
        return _merge(request, kind, entity_id, body)

    def split(request: Request, entity_id: str, body: SplitIn):
        return _split(request, kind, entity_id, body)

    merge.__doc__ = (
        f"Merge other {kind} into this one (scope `actors:write`): their name variants, "
        "mentions and events move here, their ids stay as aliases, and re-processing keeps it."
    )
    split.__doc__ = (
        "Move name variants to a new id of their own (scope `actors:write`); the articles "
        "that wrote them follow, and re-processing keeps them apart."
    )
    router.add_api_route(
        f"/{kind}/{{entity_id}}/merge", merge, methods=["POST"], dependencies=write,
        responses=errors, tags=[kind], name=f"merge_{kind}",
    )  # fmt: skip
    router.add_api_route(
        f"/{kind}/{{entity_id}}/split", split, methods=["POST"], dependencies=write,
        responses={**errors, 409: {"model": ErrorOut, "description": "new_id is taken"}},
        status_code=201, tags=[kind], name=f"split_{kind}",
    )  # fmt: skip


_entity_changes("actors")
_entity_changes("projects")


# -- sources --------------------------------------------------------------------------------


@router.get("/sources", dependencies=[Depends(read_access)], tags=["sources"])
def sources(request: Request):
    """Each crawled source with its state and latest runs."""
    with open_store(request) as store:
        return {"items": Catalog(store.conn).sources()}


# -- subscriptions --------------------------------------------------------------------------


class SubscriptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(..., max_length=320)
    countries: list[Annotated[str, Field(pattern="^[A-Za-z]{2}$")]] = Field(
        default_factory=list, max_length=50
    )
    actors: list[Annotated[str, Field(max_length=200)]] = Field(default_factory=list, max_length=50)
    projects: list[Annotated[str, Field(max_length=200)]] = Field(
        default_factory=list, max_length=50
    )
    text: str | None = Field(None, max_length=200)
    languages: list[Annotated[str, Field(pattern="^[a-z]{2}$")]] = Field(
        default_factory=list, max_length=10
    )


SubscriptionsScope = Depends(require("subscriptions"))


@router.post(
    "/subscriptions",
    status_code=201,
    dependencies=[SubscriptionsScope],
    responses=ERRORS,
    tags=["subscriptions"],
)
def create_subscription(request: Request, body: SubscriptionIn):
    """Subscribe an address to the weekly digest (scope `subscriptions`)."""
    filters = Filters(body.countries, body.actors, body.projects, body.text, body.languages)
    with open_store(request) as store:
        try:
            sub = Subscriptions(store.conn).add(body.email, filters)
        except SubscriptionError as exc:
            raise ApiError(
                422, str(exc), details=[{"location": "body.email", "message": str(exc)}]
            ) from exc
    return sub.to_json()


@router.get(
    "/subscriptions",
    response_model=PageOut,
    dependencies=[SubscriptionsScope],
    tags=["subscriptions"],
)
def list_subscriptions(request: Request, limit: Limit = None, cursor: Cursor = None):
    """Subscriptions by id (scope `subscriptions`: they hold personal data)."""
    from api.catalog import decode_cursor, encode_cursor

    after = decode_cursor(cursor, 1)[0] if cursor else None
    size = _limit(request, limit)
    with open_store(request) as store:
        subs = Subscriptions(store.conn).list(after=after)
    page = subs[:size]
    more = len(subs) > size
    return {
        "items": [s.to_json() for s in page],
        "next_cursor": encode_cursor([page[-1].id]) if more else None,
    }


@router.get(
    "/subscriptions/{subscription_id}",
    dependencies=[SubscriptionsScope],
    responses=ERRORS,
    tags=["subscriptions"],
)
def get_subscription(request: Request, subscription_id: str):
    with open_store(request) as store:
        sub = Subscriptions(store.conn).get(subscription_id)
    if sub is None:
        raise ApiError(404, f"no subscription {subscription_id!r}")
    return sub.to_json()


@router.delete(
    "/subscriptions/{subscription_id}",
    status_code=204,
    dependencies=[SubscriptionsScope],
    responses=ERRORS,
    tags=["subscriptions"],
)
def delete_subscription(request: Request, subscription_id: str):
    with open_store(request) as store:
        if not Subscriptions(store.conn).delete(subscription_id):
            raise ApiError(404, f"no subscription {subscription_id!r}")
    return Response(status_code=204)


# -- digests --------------------------------------------------------------------------------


@router.get("/digests/{week}", dependencies=[Depends(read_access)], tags=["digests"])
def digest_preview(
    request: Request,
    week: Annotated[str, Path(description="ISO week, e.g. 2026-W45")],
    subscription: Annotated[str | None, Query(description="Subscription id (needs a key).")] = None,
    format: Annotated[Literal["json", "html", "text"], Query()] = "json",
):
    """Preview a week's digest: every event, or one subscriber's (scope `subscriptions`)."""
    parse_week(week)
    settings = request.app.state.settings
    with open_store(request) as store:
        if subscription:
            check_scope(request, "subscriptions")
            sub = Subscriptions(store.conn).get(subscription)
            if sub is None:
                raise ApiError(404, f"no subscription {subscription!r}")
        else:
            sub = Subscription("preview", "preview@localhost", Filters())
        digest, rendered = digest_for(settings, store, week, sub)
    if format == "html":
        return HTMLResponse(rendered.html)
    if format == "text":
        return PlainTextResponse(rendered.text)
    from dataclasses import asdict

    body = asdict(digest)
    body["start"], body["end"] = digest.start.isoformat(), digest.end.isoformat()
    body["subject"] = rendered.subject
    body["event_count"] = digest.event_count
    return body


# -- search (through the index package) -----------------------------------------------------

_ANALYZER_LOCK = threading.Lock()


def _open_index(request: Request, store):
    """The index over this request's store, or 503 when this build has no usable index."""
    from coopwatch.errors import IndexUnavailable

    settings = request.app.state.settings
    try:
        from coopwatch.text_analysis import analyzer_from_settings
        from index.search_index import open_index
    except ImportError as exc:
        raise IndexUnavailable(f"the search index is not installed ({exc})") from exc
    if not hasattr(settings, "index"):
        raise IndexUnavailable("the search index is not configured")
    state = request.app.state
    with _ANALYZER_LOCK:
        if getattr(state, "analyzer", None) is None:
            state.analyzer = analyzer_from_settings(settings)  # loads NLP models once
    return open_index(settings, store, analyzer=state.analyzer)


def _search(
    request: Request,
    q: str,
    country: list[str],
    country_any: list[str],
    actor: list[str],
    project: list[str],
    event_type: list[str],
    language: list[str],
    site: list[str],
    kind: list[str],
    date_from: str | None,
    date_to: str | None,
    sort: str | None,
    facets: list[str],
    limit: int | None,
    cursor: str | None,
):
    with open_store(request) as store:
        index = _open_index(request, store)
        try:
            query = index.parse(
                q,
                countries_all=[c.upper() for c in country] or None,
                countries_any=[c.upper() for c in country_any] or None,
                # an id merged into another stands for the survivor
                actors=[ActorRegistry(store.conn).current_id(a) or a for a in actor] or None,
                projects=project or None,
                event_types=event_type or None,
                languages=language or None,
                sites=site or None,
                kinds=kind or None,
                date_from=date_from,
                date_to=date_to,
                sort=sort,
                facets=facets or None,
                size=_limit(request, limit),
                cursor=cursor,
            )
            return index.search(query.validate()).to_json()
        finally:
            index.close()


@router.get("/search", dependencies=[Depends(read_access)], tags=["search"])
def search(
    request: Request,
    q: Annotated[str, Query(max_length=500, description="Query language text.")] = "",
    country: Annotated[list[str], Query(description="All of these states.")] = [],  # noqa: B006
    country_any: Annotated[list[str], Query()] = [],  # noqa: B006
    actor: Annotated[list[str], Query()] = [],  # noqa: B006
    project: Annotated[list[str], Query()] = [],  # noqa: B006
    event_type: Annotated[list[str], Query()] = [],  # noqa: B006
    language: Annotated[list[str], Query()] = [],  # noqa: B006
    site: Annotated[list[str], Query()] = [],  # noqa: B006
    kind: Annotated[list[str], Query(description="article or event")] = [],  # noqa: B006
    date_from: Annotated[str | None, Query()] = None,
    date_to: Annotated[str | None, Query()] = None,
    sort: Annotated[Literal["relevance", "date"] | None, Query()] = None,
    facet: Annotated[list[str], Query(description="Facets to count.")] = [],  # noqa: B006
    limit: Limit = None,
    cursor: Cursor = None,
):
    """Search articles and events (hits with highlights, total, facets, next cursor)."""
    # The result is plain JSON already: skip FastAPI's jsonable_encoder walk (~1 ms a page).
    return _json(
        _search(
            request,
            q,
            country,
            country_any,
            actor,
            project,
            event_type,
            language,
            site,
            kind,
            date_from,
            date_to,
            sort,
            facet,
            limit,
            cursor,
        )
    )


def _json(content: dict[str, Any]) -> Response:
    body = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return Response(body.encode("utf-8"), media_type="application/json")


@router.get("/facets", dependencies=[Depends(read_access)], tags=["search"])
def facets(
    request: Request,
    q: Annotated[str, Query(max_length=500)] = "",
    country: Annotated[list[str], Query()] = [],  # noqa: B006
    language: Annotated[list[str], Query()] = [],  # noqa: B006
    kind: Annotated[list[str], Query()] = [],  # noqa: B006
    date_from: Annotated[str | None, Query()] = None,
    date_to: Annotated[str | None, Query()] = None,
    facet: Annotated[list[str], Query(description="Default: all facets.")] = [],  # noqa: B006
):
    """Facet counts (countries, pairs, actors, projects, event types, languages, months)."""
    try:
        from index.base import FACETS
    except ImportError:
        FACETS = ()  # the 503 comes from _open_index
    result = _search(
        request,
        q,
        country,
        [],
        [],
        [],
        [],
        language,
        [],
        kind,
        date_from,
        date_to,
        None,
        facet or list(FACETS),
        1,
        None,
    )
    return _json({"total": result["total"], "facets": result["facets"]})


# -- crawls ---------------------------------------------------------------------------------


class CrawlIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sources: list[Annotated[str, Field(max_length=100)]] = Field(
        default_factory=list, max_length=100, description="Source keys; empty: every enabled one."
    )


_CRAWL_LOCK = threading.Lock()


@router.post(
    "/crawls",
    status_code=202,
    dependencies=[Depends(require("crawl"))],
    responses={**ERRORS, 409: {"model": ErrorOut, "description": "A crawl is running"}},
    tags=["sources"],
)
def start_crawl(request: Request, body: CrawlIn):
    """Crawl sources now, in a subprocess as the scheduler does (scope `crawl`); follow its
    runs at /v1/sources."""
    from coopwatch.errors import ConfigError
    from crawler.sources import load_sources, select_sources, sources_path

    settings = request.app.state.settings
    try:
        chosen = select_sources(load_sources(sources_path(settings)), body.sources)
    except ConfigError as exc:
        raise ApiError(
            422, str(exc), details=[{"location": "body.sources", "message": str(exc)}]
        ) from exc
    keys = [s.key for s in chosen]
    with _CRAWL_LOCK:
        running = getattr(request.app.state, "crawl", None)
        if running is not None and running.is_alive():
            raise ApiError(409, "a crawl started through the API is still running", "conflict")
        thread = threading.Thread(target=_crawl, args=(settings, keys), daemon=True)
        request.app.state.crawl = thread
        thread.start()
    return {"status": "started", "sources": keys, "runs": "/v1/sources"}


def _crawl(settings, keys: list[str]) -> None:
    import logging

    from crawler.runner import run_subprocess

    try:
        results = run_subprocess(settings, keys)
        logging.getLogger(__name__).info("API crawl: %s", {r.source: r.state for r in results})
    except Exception:  # a background thread: log, never lose the reason
        logging.getLogger(__name__).exception("API crawl of %s failed", keys)
