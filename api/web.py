"""The analyst web page: server-rendered (Jinja2, autoescaped), works without JavaScript.

Text searches go through the search index (lemmas, cross-script names, BM25, facets,
highlights), as /v1/search does; when the index is unavailable the page says so and falls back
to a plain text match over the store. Without text it lists the store's events newest first.
"""

from __future__ import annotations

import html
import logging
import re
from collections import Counter
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote as url_quote
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool

from api.app import open_store, read_access
from api.catalog import Catalog, EventFilter
from api.charts import network_svg, timeline_svg
from api.digest.build import country_name, format_metric
from api.digest.render import EVENT_TYPES, LANGUAGES
from api.digest.subscriptions import Subscriptions
from api.digest.tokens import read_unsubscribe_token
from api.errors import ApiError
from coopwatch.errors import IndexUnavailable, QueryError

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)

# Scripts cannot run on these pages even if something slipped through escaping.
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
PAGE_SIZE = 20


def configure_templates(templates: Jinja2Templates) -> None:
    env = templates.env
    env.autoescape = True
    env.filters["country"] = country_name
    env.filters["event_type"] = lambda v: EVENT_TYPES.get(v or "other", "Event")
    env.filters["language"] = lambda c: LANGUAGES.get(c or "", c or "?")
    env.filters["metric"] = format_metric


def _page(request: Request, name: str, context: dict[str, Any], status: int = 200):
    login = {
        "required": request.app.state.settings.api.read_requires_key,
        "active": getattr(request.state, "session", False),
    }
    response = request.app.state.templates.TemplateResponse(
        request, name, {"login": login, **context}, status_code=status
    )
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _terms(q: str | None) -> list[str]:
    return [t for t in re.findall(r"\w+", q or "") if len(t) >= 2]


def highlight(text: str, terms: list[str]) -> Markup:
    """`text` escaped, with each occurrence of a term wrapped in <mark>."""
    if not terms:
        return escape(text)
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(Markup("<mark>") + escape(match.group(0)) + Markup("</mark>"))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def _snippet(text: str, terms: list[str], width: int = 160) -> Markup:
    lowered = text.casefold()
    positions = [lowered.find(t.casefold()) for t in terms]
    positions = [p for p in positions if p >= 0]
    start = max(0, min(positions) - width // 3) if positions else 0
    piece = text[start : start + width]
    prefix = "…" if start else ""
    suffix = "…" if start + width < len(text) else ""
    return Markup(escape(prefix)) + highlight(piece, terms) + escape(suffix)


def _text_hit(
    terms: list[str], event: dict[str, Any], articles: list[dict[str, Any]]
) -> Markup | None:
    """A highlighted snippet when every term occurs in the event or its reports, else None."""
    texts = [event.get("title") or "", event.get("location") or ""]
    for article in articles:
        texts.append(article.get("title") or "")
        texts.extend(article.get("paragraphs") or [])
    folded = [t.casefold() for t in texts]
    if not all(any(term.casefold() in f for f in folded) for term in terms):
        return None
    for text, f in zip(texts[2:], folded[2:], strict=True):
        if any(term.casefold() in f for term in terms):
            return _snippet(text, terms)
    return Markup("")


_EM = re.compile(r"(</?em>)")


def safe_fragment(fragment: str) -> Markup:
    """An index highlight (HTML-escaped text with <em> marks) re-escaped: only the marks stay."""
    out = []
    for piece in _EM.split(fragment):
        if piece == "<em>":
            out.append(Markup("<mark>"))
        elif piece == "</em>":
            out.append(Markup("</mark>"))
        else:
            out.append(escape(html.unescape(piece)))
    return Markup("").join(out)


_INDEX_FACETS = {
    "countries": "country",
    "pairs": "pair",
    "event_types": "type",
    "languages": "language",
}


def _index_search(request: Request, store, q: str, flt: EventFilter, cursor: str | None):
    """One page of index hits as result rows, facets, total and next cursor."""
    from api.v1 import _open_index

    index = _open_index(request, store)
    try:
        query = index.parse(
            q,
            countries_all=flt.countries or None,
            event_types=[flt.event_type] if flt.event_type else None,
            languages=[flt.language] if flt.language else None,
            date_from=flt.date_from.isoformat() if flt.date_from else None,
            date_to=flt.date_to.isoformat() if flt.date_to else None,
            facets=list(_INDEX_FACETS),
            size=PAGE_SIZE,
            cursor=cursor,
        )
        result = index.search(query.validate())
    finally:
        index.close()
    rows = []
    for hit in result.hits:
        record = hit.record
        if hit.kind == "event":
            link, about = f"/events/{hit.id}", None
        else:
            event_id = record.get("event_id")
            link = f"/events/{event_id}" if event_id else record.get("url")
            language = LANGUAGES.get(record.get("language") or "", "?")
            about = f"report in {language}, {record.get('site')}"
        rows.append(
            {
                "kind": hit.kind,
                "link": link,
                "about": about,
                "record": record,
                "title": escape(hit.title or "Untitled"),
                "snippets": [safe_fragment(f) for f in hit.highlights[:2]],
            }
        )
    facets = {
        _INDEX_FACETS[name]: [
            (v.value.replace("-", ",") if name == "pairs" else v.value, v.count) for v in values
        ]
        for name, values in result.facets.items()
        if name in _INDEX_FACETS
    }
    return rows, facets, result.total, result.next_cursor


def _facets(events: list[dict[str, Any]]) -> dict[str, list[tuple[str, int]]]:
    counts: dict[str, Counter] = {k: Counter() for k in ("country", "pair", "type", "language")}
    for event in events:
        countries = event.get("countries") or []
        counts["country"].update(countries)
        counts["pair"][",".join(countries)] += 1
        counts["type"][event.get("event_type") or "other"] += 1
        counts["language"].update(event.get("languages") or [])
    return {k: c.most_common(12) for k, c in counts.items()}


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request,
    q: Annotated[str | None, Query(max_length=200)] = None,
    country: Annotated[list[str], Query()] = [],  # noqa: B006
    event_type: Annotated[str | None, Query()] = None,
    language: Annotated[str | None, Query()] = None,
    date_from: Annotated[str | None, Query()] = None,
    date_to: Annotated[str | None, Query()] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
):
    """Search page: form, facets, highlighted results, charts."""
    read_access(request)
    problems = []
    days: dict[str, date | None] = {}
    for name, value in (("date_from", date_from), ("date_to", date_to)):
        try:
            days[name] = date.fromisoformat(value) if value else None
        except ValueError:
            problems.append(f"{name}: not a date (YYYY-MM-DD): {value}")
            days[name] = None
    given = [part for value in country for part in re.split(r"[\s,]+", value) if part]
    codes = list(dict.fromkeys(c.upper() for c in given if re.fullmatch(r"[A-Za-z]{2}", c)))
    problems += [f"country: not a two-letter code: {c}" for c in given if c.upper() not in codes]
    flt = EventFilter(
        countries=codes,
        event_type=event_type or None,
        language=language or None,
        date_from=days["date_from"],
        date_to=days["date_to"],
    )
    terms = _terms(q)
    notice = None
    with open_store(request) as store:
        catalog = Catalog(store.conn)
        events = [e for e in catalog.iter_events(flt.date_from, flt.date_to) if flt.matches(e)]
        rows, facets, total, next_cursor = None, None, 0, None
        if q and q.strip() and not problems:
            try:
                rows, facets, total, next_cursor = _index_search(request, store, q, flt, cursor)
            except QueryError as exc:
                problems.append(f"query: {exc}")
                rows = []
            except IndexUnavailable as exc:
                notice = f"The search index is unavailable ({exc}); showing plain text matches."
        if rows is None:
            rows, total = _store_rows(catalog, events, terms, page)
    names = {c: country_name(c) for e in events for c in e.get("countries") or []}
    params = {
        "q": q or "",
        "country": codes,
        "event_type": event_type or "",
        "language": language or "",
        "date_from": date_from or "",
        "date_to": date_to or "",
    }

    def link(**changes: Any) -> str:
        merged = {**params, **changes}
        return "/?" + urlencode({k: v for k, v in merged.items() if v}, doseq=True)

    if facets is not None:  # from the index
        next_link = link(cursor=next_cursor) if next_cursor else None
        prev_link = None
    else:
        facets = _facets(events)
        next_link = link(page=page + 1) if page * PAGE_SIZE < total else None
        prev_link = link(page=page - 1) if page > 1 else None
    return _page(
        request,
        "index.html",
        {
            "q": q or "",
            "params": params,
            "problems": problems,
            "notice": notice,
            "results": rows,
            "total": total,
            "next_link": next_link,
            "prev_link": prev_link,
            "facets": facets,
            "link": link,
            "event_types": list(EVENT_TYPES),
            "timeline": timeline_svg(events),
            "network": network_svg(events, names),
        },
    )


def _store_rows(
    catalog: Catalog, events: list[dict[str, Any]], terms: list[str], page: int
) -> tuple[list[dict[str, Any]], int]:
    """Result rows from the store: the filtered events, those containing every term."""
    snippets: dict[str, Markup] = {}
    if terms:
        kept = []
        for event in events:
            snippet = _text_hit(terms, event, catalog.articles(event.get("articles") or []))
            if snippet is not None:
                snippets[event["id"]] = snippet
                kept.append(event)
        events = kept
    shown = events[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    rows = [
        {
            "kind": "event",
            "link": f"/events/{e['id']}",
            "about": None,
            "record": e,
            "title": highlight(e.get("title") or "Untitled event", terms),
            "snippets": [snippets[e["id"]]] if snippets.get(e["id"]) else [],
        }
        for e in shown
    ]
    return rows, len(events)


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: str):
    read_access(request)
    with open_store(request) as store:
        catalog = Catalog(store.conn)
        event = catalog.get_event(event_id)
        if event is None:
            raise ApiError(404, f"no event {event_id!r}")
        if event["id"] != event_id:
            return RedirectResponse(f"/events/{event['id']}", status_code=301)
        articles = catalog.articles(event.get("articles") or [])
    by_language: dict[str, list[dict[str, Any]]] = {}
    for article in articles:
        by_language.setdefault(article.get("language") or "?", []).append(article)
    actors: dict[str, dict[str, Any]] = {}
    projects: dict[str, dict[str, Any]] = {}
    quotes = []
    for article in articles:
        for actor in article.get("actors") or []:
            entry = actors.setdefault(actor["id"], {**actor, "roles": []})
            if actor.get("role") and actor["role"] not in entry["roles"]:
                entry["roles"].append(actor["role"])
        for project in article.get("projects") or []:
            projects.setdefault(project["id"], project)
        for quote in article.get("quotes") or []:
            quotes.append({**quote, "article": article})
    sources = {a["id"]: a for a in articles}
    return _page(
        request,
        "event.html",
        {
            "event": event,
            "by_language": sorted(by_language.items()),
            "actors": [actors[a] for a in event.get("actors") or [] if a in actors]
            + [a for k, a in actors.items() if k not in (event.get("actors") or [])],
            "projects": list(projects.values()),
            "metrics": [
                {**m, "source": sources.get(m.get("article_id"))}
                for m in event.get("metrics") or []
            ],
            "quotes": quotes,
        },
    )


@router.get("/actors/{actor_id}", response_class=HTMLResponse)
def actor_page(request: Request, actor_id: str):
    read_access(request)
    from api.v1 import entity_view

    with open_store(request) as store:
        catalog = Catalog(store.conn)
        actor = entity_view(store, "actors", actor_id)
        if actor is None:
            raise ApiError(404, f"no actor {actor_id!r}")
        if actor["id"] != actor_id:  # merged into another: the survivor's page
            return RedirectResponse(f"/actors/{url_quote(actor['id'], safe=':')}", status_code=301)
        events = [e for e in (catalog.get_event(i) for i in actor["events"]) if e]
    return _page(request, "actor.html", {"actor": actor, "events": events})


@router.get("/unsubscribe", response_class=HTMLResponse)
def unsubscribe_form(request: Request, token: str = ""):
    """Confirm first: link scanners in mail systems follow GET links."""
    subscription_id = read_unsubscribe_token(request.app.state.settings, token)
    if subscription_id is None:
        raise ApiError(400, "this unsubscribe link is damaged or not ours")
    return _page(request, "unsubscribe.html", {"token": token, "done": False})


@router.post("/unsubscribe", response_class=HTMLResponse)
def unsubscribe(request: Request, token: str = ""):
    """Unsubscribe (the page's button, and RFC 8058 one-click from mail clients)."""
    subscription_id = read_unsubscribe_token(request.app.state.settings, token)
    if subscription_id is None:
        raise ApiError(400, "this unsubscribe link is damaged or not ours")
    with open_store(request) as store:
        Subscriptions(store.conn).deactivate(subscription_id)
    return _page(request, "unsubscribe.html", {"token": token, "done": True})


# -- login (when reading needs a key) ---------------------------------------------------------


def _local_target(target: str | None) -> str:
    """Where to go after logging in: a path on this site only (never another origin)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: Annotated[str | None, Query(max_length=2000)] = None):
    """The login form: an API key with scope `read` opens a browser session."""
    if not request.app.state.settings.api.read_requires_key:
        return RedirectResponse(_local_target(next), status_code=303)
    return _page(request, "login.html", {"next": _local_target(next), "problem": None})


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request):
    """Check the key (failures logged and rate-limited as for API calls) and set the session
    cookie: signed, HttpOnly, SameSite=Strict; it holds the key's id, never the key."""
    from urllib.parse import parse_qs

    from api.app import _client

    form = parse_qs((await request.body()).decode("utf-8", "replace"))
    key = (form.get("key") or [""])[0].strip()
    target = _local_target((form.get("next") or ["/"])[0])
    return await run_in_threadpool(_login, request, key, target, _client(request))


def _login(request: Request, key: str, target: str, client: str):
    from api.app import refuse_if_blocked, sessions
    from api.auth import SESSION_COOKIE, key_id_of

    limiter = request.app.state.limiter
    with open_store(request) as store:
        refuse_if_blocked(limiter, store.conn, client)
        cookie = sessions(request).create(store.conn, key) if key else None
        scopes = sessions(request).scopes(store.conn, cookie) if cookie else None
        if cookie is None or scopes is None:
            limiter.failed(store.conn, client)
    if cookie is None or scopes is None:
        log.warning("login failed: client %s, key id %s", client, key_id_of(key))
        problem = "This API key is not valid." if key else "Enter an API key."
        return _page(request, "login.html", {"next": target, "problem": problem}, status=401)
    if "read" not in scopes and "admin" not in scopes:
        problem = "This API key lacks the scope read."
        return _page(request, "login.html", {"next": target, "problem": problem}, status=403)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        max_age=sessions(request).max_age,
        path="/",
        httponly=True,
        samesite="strict",
        # behind a TLS-terminating proxy the request itself may arrive over http
        secure=request.url.scheme == "https"
        or request.app.state.settings.api.public_url.startswith("https://"),
    )
    return response


@router.post("/logout")
def logout(request: Request):
    """End the browser session (the cookie is dropped; the key itself stays valid)."""
    from api.auth import SESSION_COOKIE

    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
    return response
