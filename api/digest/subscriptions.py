"""Digest subscriptions and the per-(subscription, week) send log, in the store of record."""

from __future__ import annotations

import json
import re
import secrets
import sqlite3
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from coopwatch.errors import UsageError

# Deliberately simple: one @, no blanks, a dot in the domain. The SMTP server has the last word.
_EMAIL = re.compile(r"[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+")


class SubscriptionError(UsageError):
    """A subscription that cannot be stored as given."""

    code = "E051"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(slots=True)
class Filters:
    """What a subscriber wants: any of the countries / actors / projects, text, languages.

    Empty lists mean "no restriction"; different kinds of criteria must all hold.
    """

    countries: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    projects: list[str] = field(default_factory=list)
    text: str | None = None
    languages: list[str] = field(default_factory=list)  # reports in these come first

    def normalised(self) -> Filters:
        return Filters(
            countries=sorted({c.upper() for c in self.countries}),
            actors=sorted(set(self.actors)),
            projects=sorted(set(self.projects)),
            text=(self.text or "").strip() or None,
            languages=list(dict.fromkeys(code.lower() for code in self.languages)),
        )


@dataclass(slots=True)
class Subscription:
    id: str
    email: str
    filters: Filters
    active: bool = True
    created_at: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "email": self.email,
            "active": self.active,
            "created_at": self.created_at,
            **asdict(self.filters),
        }


def _row(row: tuple) -> Subscription:
    sid, email, filters, active, created = row
    return Subscription(sid, email, Filters(**json.loads(filters)), bool(active), created)


class Subscriptions:
    """Subscriptions and send log over one store connection."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def add(self, email: str, filters: Filters | None = None) -> Subscription:
        email = email.strip()
        if not _EMAIL.fullmatch(email):
            raise SubscriptionError(f"not an e-mail address: {email!r}")
        filters = (filters or Filters()).normalised()
        bad = [c for c in filters.countries if not re.fullmatch(r"[A-Z]{2}", c)]
        if bad:
            raise SubscriptionError(f"countries must be ISO 3166-1 alpha-2 codes, not {bad}")
        sub = Subscription("sub-" + secrets.token_hex(8), email, filters, True, _now())
        self.conn.execute(
            "INSERT INTO subscriptions (id, email, filters, active, created_at, updated_at)"
            " VALUES (?, ?, ?, 1, ?, ?)",
            (sub.id, sub.email, json.dumps(asdict(filters)), sub.created_at, sub.created_at),
        )
        return sub

    def get(self, subscription_id: str) -> Subscription | None:
        row = self.conn.execute(
            "SELECT id, email, filters, active, created_at FROM subscriptions WHERE id = ?",
            (subscription_id,),
        ).fetchone()
        return _row(row) if row else None

    def list(self, active_only: bool = False, after: str | None = None) -> list[Subscription]:
        query = "SELECT id, email, filters, active, created_at FROM subscriptions WHERE id > ?"
        if active_only:
            query += " AND active = 1"
        return [_row(r) for r in self.conn.execute(query + " ORDER BY id", (after or "",))]

    def find(self, key: str) -> list[Subscription]:
        """Subscriptions with this id or e-mail address."""
        rows = self.conn.execute(
            "SELECT id, email, filters, active, created_at FROM subscriptions"
            " WHERE id = ? OR lower(email) = lower(?) ORDER BY id",
            (key, key),
        )
        return [_row(r) for r in rows]

    def deactivate(self, subscription_id: str) -> bool:
        """Unsubscribe; True when the subscription exists (also when it already was inactive)."""
        cur = self.conn.execute(
            "UPDATE subscriptions SET active = 0, updated_at = ? WHERE id = ?",
            (_now(), subscription_id),
        )
        return cur.rowcount > 0

    def delete(self, subscription_id: str) -> bool:
        self.conn.execute("DELETE FROM digest_sends WHERE subscription_id = ?", (subscription_id,))
        cur = self.conn.execute("DELETE FROM subscriptions WHERE id = ?", (subscription_id,))
        return cur.rowcount > 0

    # -- send log -------------------------------------------------------------------------

    def send_state(self, subscription_id: str, week: str) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT state, message_id, attempts, last_error, sent_at FROM digest_sends"
            " WHERE subscription_id = ? AND week = ?",
            (subscription_id, week),
        ).fetchone()
        if row is None:
            return None
        keys = ("state", "message_id", "attempts", "last_error", "sent_at")
        return dict(zip(keys, row, strict=True))

    def claim(self, subscription_id: str, week: str, message_id: str) -> bool:
        """Mark (subscription, week) as being sent now; False when it must not be sent again.

        Allowed only from no row or `failed`. A row left in `sending` means a run died while
        talking to the server, so the message may have gone out: never sent automatically again.
        """
        now = _now()
        cur = self.conn.execute(
            "INSERT INTO digest_sends (subscription_id, week, state, message_id, attempts,"
            " updated_at) VALUES (?, ?, 'sending', ?, 0, ?)"
            " ON CONFLICT (subscription_id, week) DO UPDATE SET state = 'sending',"
            " updated_at = excluded.updated_at WHERE digest_sends.state = 'failed'",
            (subscription_id, week, message_id, now),
        )
        return cur.rowcount > 0

    def record(self, subscription_id: str, week: str, state: str, error: str | None = None) -> None:
        """Record the outcome of one delivery attempt (`sent`, `failed` or `rejected`)."""
        now = _now()
        self.conn.execute(
            "UPDATE digest_sends SET state = ?, attempts = attempts + 1, last_error = ?,"
            " updated_at = ?, sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END"
            " WHERE subscription_id = ? AND week = ?",
            (state, error, now, state, now, subscription_id, week),
        )

    def release_uncertain(self, week: str) -> int:
        """Let deliveries left in `sending` (a run died mid-send) be tried again; how many."""
        cur = self.conn.execute(
            "UPDATE digest_sends SET state = 'failed', last_error = 'released after an"
            " interrupted run', updated_at = ? WHERE week = ? AND state = 'sending'",
            (_now(), week),
        )
        return cur.rowcount
