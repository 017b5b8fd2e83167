"""The app factory: `create_app(settings)` builds the FastAPI app (JSON API under /v1, the web
page, OpenAPI docs at /docs). Nothing happens at import; the store opens per request."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.templating import Jinja2Templates

from api.auth import SESSION_COOKIE, ApiKeys, FailureLimiter, Sessions, key_id_of
from api.errors import ApiError, error_body, install_error_handlers
from coopwatch.settings import Settings
from coopwatch.store import Store

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "templates"
_SESSIONS_LOCK = threading.Lock()


class BodyLimit:
    """ASGI middleware: refuse request bodies over `limit` bytes with 413 (any transfer coding)."""

    def __init__(self, app, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._refuse(send)
            return
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._refuse(send)
                return
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        sent = False

        async def replay():
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _refuse(self, send) -> None:
        payload = json.dumps(
            error_body(413, f"request body larger than {self.limit} bytes")
        ).encode("utf-8")
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(payload)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})


@contextmanager
def open_store(request: Request) -> Iterator[Store]:
    """The store of record for this request's worker thread.

    SQLite connections must stay in the thread that opened them, so each worker thread keeps
    its own (opening one costs more than a typical query); in autocommit mode every statement
    sees what other processes committed.
    """
    local = request.app.state.thread_stores
    store = getattr(local, "store", None)
    if store is None:
        store = local.store = Store(request.app.state.settings.data_dir)
    yield store


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _presented_key(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return request.headers.get("x-api-key") or None


def refuse_if_blocked(limiter: FailureLimiter, conn, client: str) -> None:
    """429 for a client with too many failed key checks (API keys and the login form)."""
    wait = limiter.blocked_for(conn, client)
    if wait:
        raise ApiError(
            429,
            "too many failed API key checks; try again later",
            headers={"Retry-After": str(int(wait) + 1)},
        )


def check_scope(request: Request, scope: str) -> list[str]:
    """The scopes of the request's valid API key holding `scope`; 401/403/429 otherwise."""
    limiter: FailureLimiter = request.app.state.limiter
    client = _client(request)
    with open_store(request) as store:
        refuse_if_blocked(limiter, store.conn, client)
        key = _presented_key(request)
        if key is None:
            raise ApiError(
                401,
                f"this needs an API key with scope {scope!r} (header Authorization: Bearer KEY)",
                headers={"WWW-Authenticate": "Bearer"},
            )
        scopes = ApiKeys(store.conn).verify(key)
        if scopes is None:
            limiter.failed(store.conn, client)
    if scopes is None:
        log.warning("API key check failed: client %s, key id %s", client, key_id_of(key))
        raise ApiError(401, "API key not valid", headers={"WWW-Authenticate": "Bearer"})
    if scope not in scopes and "admin" not in scopes:
        raise ApiError(403, f"this API key lacks scope {scope!r}")
    return scopes


def require(scope: str):
    """A dependency: the request must carry a key with `scope`."""

    def dependency(request: Request) -> list[str]:
        return check_scope(request, scope)

    return dependency


def sessions(request: Request) -> Sessions:
    """The app's session cookie signer (made on first use: it may create the secret file)."""
    state = request.app.state
    with _SESSIONS_LOCK:
        if getattr(state, "sessions", None) is None:
            from api.digest.tokens import secret_key

            state.sessions = Sessions(secret_key(state.settings))
    return state.sessions


def session_scopes(request: Request) -> list[str] | None:
    """The scopes of the browser session this request carries (None: no valid session)."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    with open_store(request) as store:
        return sessions(request).scopes(store.conn, cookie)


def read_access(request: Request) -> None:
    """Reading is open unless `api.read_requires_key` is set; then an API key with scope
    `read` (header), or a browser session made with one (the web page's login form).
    Sessions only ever grant reading: changing state always needs the key itself."""
    if not request.app.state.settings.api.read_requires_key:
        return
    if _presented_key(request) is None:
        scopes = session_scopes(request)
        if scopes is not None and ("read" in scopes or "admin" in scopes):
            request.state.session = True
            return
    check_scope(request, "read")


def create_app(settings: Settings) -> FastAPI:
    """The whole web application for `settings`."""
    from api import v1, web

    app = FastAPI(
        title="coopwatch",
        version="1",
        description=(
            "Cooperation between states on digital government, from de/ru/en news. Records "
            "follow the coopwatch ARTICLE and EVENT formats. Every error answers "
            '`{"error": {"status", "code", "message", "details"}}`.'
        ),
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.thread_stores = threading.local()
    app.state.sessions = None  # made on first use (see `sessions`)
    app.state.limiter = FailureLimiter(settings.api.auth_failures_per_minute)
    app.state.templates = Jinja2Templates(directory=str(TEMPLATES))
    web.configure_templates(app.state.templates)
    install_error_handlers(app)
    app.include_router(v1.health)
    app.include_router(v1.router)
    app.include_router(web.router)
    app.add_middleware(BodyLimit, limit=settings.api.max_body_bytes)
    return app
