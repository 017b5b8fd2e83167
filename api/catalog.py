"""Read-side views of the store of record: events (with merge aliases), articles, actors, projects,
and the crawler's runs, for the JSON API, the web page and the digests.

Tables written by other stages (events, crawl runs) are read only when present, so the API works
on a store that has none yet.
"""

from __future__ import annotations

import base64
import binascii
import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from coopwatch.errors import UsageError


class BadCursor(UsageError):
    """A pagination cursor that this API did not hand out."""

    code = "E050"


def has_table(conn: sqlite3.Connection, name: str) -> bool:
    return (
        conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
        ).fetchone()
        is not None
    )


# -- cursors ------------------------------------------------------------------------------


def encode_cursor(key: list[Any]) -> str:
    raw = json.dumps(key, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, arity: int) -> list[Any]:
    """The sort key a cursor carries; BadCursor for anything not made by `encode_cursor`."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8"))
    except (ValueError, UnicodeError, binascii.Error) as exc:
        raise BadCursor("cursor is not valid: pass the next_cursor of a previous page") from exc
    if (
        not isinstance(key, list)
        or len(key) != arity
        or not all(isinstance(part, str | int | None) for part in key)
    ):
        raise BadCursor("cursor is not valid: pass the next_cursor of a previous page")
    return key


@dataclass(slots=True)
class Page:
    items: list[dict[str, Any]]
    next_cursor: str | None


# -- events -------------------------------------------------------------------------------


@dataclass(slots=True)
class EventFilter:
    """Which events to list; every given criterion must hold (within one, any value matches)."""

    countries: list[str] = field(default_factory=list)  # all of these take part
    actors: list[str] = field(default_factory=list)
    projects: list[str] = field(default_factory=list)
    event_type: str | None = None
    language: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    text: str | None = None

    def matches(self, event: dict[str, Any]) -> bool:
        if self.countries and not set(self.countries) <= set(event.get("countries") or []):
            return False
        if self.actors and not set(self.actors) & set(event.get("actors") or []):
            return False
        if self.projects and not set(self.projects) & set(event.get("projects") or []):
            return False
        if self.event_type and event.get("event_type") != self.event_type:
            return False
        if self.language and self.language not in (event.get("languages") or []):
            return False
        if self.text:
            haystack = " ".join(str(event.get(k) or "") for k in ("title", "location")).casefold()
            if self.text.casefold() not in haystack:
                return False
        return True


class Catalog:
    """Queries over one open store connection (one per request or job)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._has_events = has_table(conn, "events")

    # events ------------------------------------------------------------------------------

    def resolve_event_id(self, event_id: str) -> str | None:
        """The current id of an event, following merge aliases (None when unknown)."""
        if not self._has_events:
            return None
        if self.conn.execute("SELECT 1 FROM events WHERE id = ?", (event_id,)).fetchone():
            return event_id
        if has_table(self.conn, "event_aliases"):
            row = self.conn.execute(
                "SELECT event_id FROM event_aliases WHERE alias = ?", (event_id,)
            ).fetchone()
            if row:
                return row[0]
        return None

    def get_event(self, event_id: str) -> dict[str, Any] | None:
        current = self.resolve_event_id(event_id)
        if current is None:
            return None
        row = self.conn.execute("SELECT record FROM events WHERE id = ?", (current,)).fetchone()
        return json.loads(row[0]) if row else None

    def iter_events(
        self,
        date_from: date | None = None,
        date_to: date | None = None,
        after: list[Any] | None = None,
        countries: list[str] | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Events newest first (undated last), then by id; optionally within a date range,
        after a (date, id) sort key, with all of `countries` taking part."""
        if not self._has_events:
            return
        query = "SELECT record FROM events WHERE record != '{}'"
        params: list[Any] = []
        if date_from:
            query += " AND day >= ?"
            params.append(date_from.isoformat())
        if date_to:
            query += " AND day <= ?"
            params.append(date_to.isoformat())
        if after is not None:
            query += " AND (coalesce(day, '') < ? OR (coalesce(day, '') = ? AND id > ?))"
            params += [after[0], after[0], after[1]]
        for code in countries or []:
            query += " AND ',' || countries || ',' LIKE ?"
            params.append(f"%,{code},%")
        query += " ORDER BY coalesce(day, '') DESC, id"
        for (record,) in self.conn.execute(query, params):
            yield json.loads(record)

    def list_events(self, flt: EventFilter, limit: int, cursor: str | None = None) -> Page:
        """One page of matching events; the cursor is the (date, id) of the last one shown."""
        after = decode_cursor(cursor, 2) if cursor else None
        if after is not None and not all(isinstance(part, str) for part in after):
            raise BadCursor("cursor is not valid: pass the next_cursor of a previous page")
        records = self.iter_events(flt.date_from, flt.date_to, after, flt.countries)
        matching = (record for record in records if flt.matches(record))
        return _cut(matching, limit, lambda e: [e.get("date") or "", e["id"]])

    # articles ----------------------------------------------------------------------------

    def get_article(self, article_id: str) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT record FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return json.loads(row[0]) if row else None

    def articles(self, article_ids: list[str]) -> list[dict[str, Any]]:
        """The stored records of these articles, in the given order (unknown ids skipped)."""
        found = {}
        for start in range(0, len(article_ids), 500):
            chunk = article_ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for aid, record in self.conn.execute(
                f"SELECT id, record FROM articles WHERE id IN ({marks})", chunk
            ):
                found[aid] = json.loads(record)
        return [found[aid] for aid in article_ids if aid in found]

    def iter_articles(self) -> Iterator[dict[str, Any]]:
        for (record,) in self.conn.execute("SELECT record FROM articles ORDER BY rowid"):
            yield json.loads(record)

    # actors and projects (gathered from article records) ---------------------------------

    def entities(self, kind: str, entity_id: str | None = None) -> dict[str, dict[str, Any]]:
        """Every actor (`kind="actors"`) or project (`"projects"`) named in stored articles
        (or just `entity_id`).

        Each with its canonical English name, every name variant as written, roles (actors),
        countries, the events and articles that name it. SQLite's JSON functions pick the
        entries out of the records, so paragraphs are never parsed.
        """
        if kind not in ("actors", "projects"):
            raise ValueError(f"unknown entity kind {kind!r}")
        query = (
            "SELECT a.id, a.language, a.event_id, j.value FROM articles a,"
            f" json_each(a.record, '$.{kind}') j"
        )
        params: tuple[str, ...] = ()
        if entity_id is not None:
            query += " WHERE json_extract(j.value, '$.id') = ?"
            params = (entity_id,)
        found: dict[str, dict[str, Any]] = {}
        for article_id, language, event_id, value in self.conn.execute(
            query + " ORDER BY a.rowid", params
        ):
            item = json.loads(value)
            entry = found.setdefault(
                item["id"],
                {
                    "id": item["id"],
                    "canonical": item.get("canonical"),
                    "kind": item.get("kind", "project"),
                    "country": item.get("country"),
                    "names": {},
                    "roles": {},
                    "events": [],
                    "articles": [],
                },
            )
            for field_name, bucket in (("name", "names"), ("role", "roles")):
                if item.get(field_name):
                    languages = entry[bucket].setdefault(item[field_name], [])
                    if language and language not in languages:
                        languages.append(language)
            if article_id not in entry["articles"]:
                entry["articles"].append(article_id)
            if event_id and event_id not in entry["events"]:
                entry["events"].append(event_id)
        result = {}
        for key, entry in found.items():
            names, roles = entry["names"].items(), entry["roles"].items()
            entry["names"] = [{"name": n, "languages": sorted(ls)} for n, ls in names]
            entry["roles"] = [{"role": r, "languages": sorted(ls)} for r, ls in roles]
            if kind == "projects":
                del entry["roles"]
                del entry["kind"]
            result[key] = entry
        return result

    def list_entities(self, kind: str, limit: int, cursor: str | None, query: str | None) -> Page:
        after = decode_cursor(cursor, 1)[0] if cursor else None
        entries = sorted(self.entities(kind).values(), key=lambda e: e["id"])
        if query:
            folded = query.casefold()
            entries = [
                e
                for e in entries
                if folded in (e.get("canonical") or "").casefold()
                or any(folded in n["name"].casefold() for n in e["names"])
            ]
        if after is not None:
            entries = [e for e in entries if e["id"] > after]
        return _cut(iter(entries), limit, lambda e: [e["id"]])

    # crawler sources ---------------------------------------------------------------------

    def sources(self, runs_per_source: int = 5) -> list[dict[str, Any]]:
        """Each crawled source with its latest runs (empty when the crawler never ran here),
        counts of consent walls and error pages the runs met, and the source's flags."""
        if not has_table(self.conn, "crawl_runs"):
            return []
        self.conn.row_factory = sqlite3.Row
        try:
            names = [r[0] for r in self.conn.execute("SELECT DISTINCT source FROM crawl_runs")]
            result = []
            for name in sorted(names):
                runs = [
                    {**dict(row), "flags": [f for f in row["flags"].split(",") if f]}
                    for row in self.conn.execute(
                        "SELECT id, started_at, finished_at, state, reason, fetched, new, updated,"
                        " unchanged, failed, skipped, consent, error_pages, flags, duration,"
                        " last_error FROM crawl_runs"
                        " WHERE source = ? ORDER BY id DESC LIMIT ?",
                        (name, runs_per_source),
                    )
                ]
                last = runs[0] if runs else None
                result.append(
                    {
                        "source": name,
                        "state": last["state"] if last else None,
                        "last_run": last["started_at"] if last else None,
                        "flags": last["flags"] if last else [],
                        "runs": runs,
                    }
                )
            return result
        finally:
            self.conn.row_factory = None


def _cut(
    items: Iterator[dict[str, Any]], limit: int, key: Callable[[dict[str, Any]], list[Any]]
) -> Page:
    page: list[dict[str, Any]] = []
    for item in items:
        if len(page) == limit:
            return Page(page, encode_cursor(key(page[-1])))
        page.append(item)
    return Page(page, None)
