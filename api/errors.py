"""One error shape for every API error: ``{"error": {"status", "code", "message", "details"}}``.

Validation problems list each offending field in `details` (`location` like ``query.limit`` or
``body.email``, and a message). Web pages get the same facts as an HTML page.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from coopwatch.errors import CoopwatchError, IndexUnavailable, UsageError

log = logging.getLogger(__name__)

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}


class ApiError(Exception):
    """An error answered with the one error shape."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str | None = None,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code or _CODES.get(status, "error")
        self.details = details or []
        self.headers = headers or {}


def error_body(
    status: int, message: str, code: str | None = None, details: list | None = None
) -> dict[str, Any]:
    return {
        "error": {
            "status": status,
            "code": code or _CODES.get(status, "error"),
            "message": message,
            "details": details or [],
        }
    }


def _wants_html(request: Request) -> bool:
    path = request.url.path
    if path.startswith("/v1") or path in ("/healthz", "/openapi.json"):
        return False
    return "text/html" in request.headers.get("accept", "")


def error_response(request: Request, error: ApiError):
    if _wants_html(request):
        if error.status == 401 and request.method == "GET" and request.url.path != "/login":
            # a browser without a session: to the login form, and back here afterwards
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?{urlencode({'next': target})}", status_code=303)
        templates = getattr(request.app.state, "templates", None)
        if templates is not None:
            return templates.TemplateResponse(
                request,
                "error.html",
                {"error": error_body(error.status, error.message, error.code)["error"]},
                status_code=error.status,
                headers=error.headers,
            )
        return HTMLResponse(error.message, status_code=error.status, headers=error.headers)
    return JSONResponse(
        error_body(error.status, error.message, error.code, error.details),
        status_code=error.status,
        headers=error.headers,
    )


def _location(loc: tuple | list) -> str:
    return ".".join(str(part) for part in loc)


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    details = []
    for err in exc.errors():
        kind = err.get("type", "")
        message = err.get("msg", "invalid")
        if kind == "json_invalid":
            message = f"body is not valid JSON: {err.get('ctx', {}).get('error', message)}"
        elif kind == "extra_forbidden":
            message = "unknown field"
        details.append({"location": _location(err.get("loc", ())), "message": message})
    return details


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return error_response(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        details = _validation_details(exc)
        summary = "; ".join(f"{d['location']}: {d['message']}" for d in details[:5])
        return error_response(request, ApiError(422, f"invalid request: {summary}", None, details))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such path: {request.url.path}"
        return error_response(
            request, ApiError(exc.status_code, message, headers=dict(exc.headers or {}))
        )

    @app.exception_handler(IndexUnavailable)
    async def _index_down(request: Request, exc: IndexUnavailable):
        return error_response(
            request, ApiError(503, f"search index unavailable: {exc}", "index_unavailable")
        )

    @app.exception_handler(UsageError)
    async def _usage(request: Request, exc: UsageError):
        return error_response(request, ApiError(422, str(exc), "invalid_request"))

    @app.exception_handler(CoopwatchError)
    async def _coopwatch(request: Request, exc: CoopwatchError):
        log.error("request %s failed: %s", request.url.path, exc)
        return error_response(request, ApiError(500, f"{exc.code}: {exc}", "internal_error"))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.exception("unexpected error on %s", request.url.path)
        return error_response(request, ApiError(500, "internal error; see the server log"))
