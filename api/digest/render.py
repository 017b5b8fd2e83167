"""Render a built digest (pure): subject, HTML with inline CSS for mail clients, plain text."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import jinja2

from api.digest.build import Digest

TEMPLATES = Path(__file__).resolve().parent / "templates"

EVENT_TYPES = {
    "visit": "Visit",
    "meeting": "Meeting",
    "agreement": "Agreement",
    "forum": "Forum",
    "project_launch": "Project launch",
    "exchange": "Exchange",
    "training": "Training",
    "other": "Event",
}
LANGUAGES = {"de": "German", "ru": "Russian", "en": "English"}


@dataclass(slots=True, frozen=True)
class RenderedDigest:
    subject: str
    html: str
    text: str


@functools.cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["event_type"] = lambda value: EVENT_TYPES.get(value or "other", "Event")
    env.filters["language"] = lambda code: LANGUAGES.get(code or "", code or "?")
    return env


def subject_for(digest: Digest) -> str:
    count = digest.event_count
    noun = "event" if count == 1 else "events"
    return (
        f"coopwatch weekly digest {digest.week}: {count} cooperation {noun} "
        f"({digest.start:%d %b} – {digest.end:%d %b %Y})"
    )


def render_digest(digest: Digest, unsubscribe_url: str, web_url: str) -> RenderedDigest:
    """The e-mail for `digest`; `web_url` is the web page's base URL (event links)."""
    env = _environment()
    context = {
        "digest": digest,
        "subject": subject_for(digest),
        "unsubscribe_url": unsubscribe_url,
        "web_url": web_url.rstrip("/"),
    }
    return RenderedDigest(
        subject=context["subject"],
        html=env.get_template("digest.html").render(context),
        text=env.get_template("digest.txt").render(context),
    )
