"""API keys: created once and shown once, stored as salted SHA-256, checked with scopes; failed
checks are logged and rate-limited per client.

Keys are 32 random bytes, so a salted SHA-256 cannot be brute-forced; a slow KDF (scrypt) would
only add ~50 ms to every authenticated request.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import sqlite3
import time
from datetime import UTC, datetime

log = logging.getLogger(__name__)

SCOPES = {
    "read": "read events, articles, actors, projects, sources, digests",
    "subscriptions": "create, read and delete digest subscriptions",
    "actors:write": "merge and split actors",
    "crawl": "trigger crawls",
    "admin": "everything",
}
PREFIX = "cw"


def _hash(salt: bytes, secret: str) -> bytes:
    return hashlib.sha256(salt + secret.encode("utf-8")).digest()


class ApiKeys:
    """The api_keys table over one store connection."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def create(self, name: str, scopes: list[str]) -> str:
        unknown = sorted(set(scopes) - set(SCOPES))
        if unknown:
            from coopwatch.errors import UsageError

            raise UsageError(f"unknown scopes {unknown}; known: {', '.join(sorted(SCOPES))}")
        key_id = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        salt = secrets.token_bytes(16)
        self.conn.execute(
            "INSERT INTO api_keys (id, name, salt, hash, scopes, created_at) VALUES (?,?,?,?,?,?)",
            (
                key_id,
                name,
                salt,
                _hash(salt, secret),
                json.dumps(sorted(set(scopes))),
                datetime.now(UTC).isoformat(timespec="seconds"),
            ),
        )
        return f"{PREFIX}_{key_id}_{secret}"

    def verify(self, key: str) -> list[str] | None:
        """The scopes of a valid, unrevoked key; None otherwise."""
        parts = key.split("_", 2)
        if len(parts) != 3 or parts[0] != PREFIX:
            return None
        row = self.conn.execute(
            "SELECT salt, hash, scopes FROM api_keys WHERE id = ? AND revoked_at IS NULL",
            (parts[1],),
        ).fetchone()
        if row is None:
            return None
        salt, digest, scopes = row
        if not hmac.compare_digest(_hash(salt, parts[2]), digest):
            return None
        return json.loads(scopes)

    def list(self) -> list[dict]:
        rows = self.conn.execute(
            "SELECT id, name, scopes, created_at, revoked_at FROM api_keys ORDER BY created_at"
        )
        return [
            {"id": i, "name": n, "scopes": json.loads(s), "created_at": c, "revoked_at": r}
            for i, n, s, c, r in rows
        ]

    def revoke(self, key_id: str) -> bool:
        cur = self.conn.execute(
            "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
            (datetime.now(UTC).isoformat(timespec="seconds"), key_id),
        )
        return cur.rowcount > 0


def key_id_of(key: str) -> str:
    """The public part of a key, for logs (never the secret)."""
    parts = key.split("_", 2)
    return parts[1] if len(parts) == 3 else "?"


class FailureLimiter:
    """Counts failed key checks per client in a sliding minute. The count is kept in the store,
    so every API process (`api.workers`) sees it: more processes do not mean more tries."""

    WINDOW_SECONDS = 60

    def __init__(self, per_minute: int, clock=time.time):
        self.per_minute = per_minute
        self.clock = clock  # wall-clock time: the processes share it

    def blocked_for(self, conn: sqlite3.Connection, client: str) -> float:
        """Seconds until `client` may try again (0 when it may now)."""
        since = self.clock() - self.WINDOW_SECONDS
        (count,) = conn.execute(
            "SELECT count(*) FROM auth_failures WHERE client = ? AND at > ?", (client, since)
        ).fetchone()
        if count < self.per_minute:
            return 0.0
        # Free again when the failure that takes the count below the limit leaves the window
        # (processes failing at the same moment can take the count past the limit).
        (oldest,) = conn.execute(
            "SELECT at FROM auth_failures WHERE client = ? AND at > ? ORDER BY at LIMIT 1 OFFSET ?",
            (client, since, count - self.per_minute),
        ).fetchone()
        return max(0.0, oldest - since)

    def failed(self, conn: sqlite3.Connection, client: str) -> None:
        now = self.clock()
        conn.execute("DELETE FROM auth_failures WHERE at <= ?", (now - self.WINDOW_SECONDS,))
        conn.execute("INSERT INTO auth_failures (client, at) VALUES (?, ?)", (client, now))


# -- browser sessions ------------------------------------------------------------------------

SESSION_COOKIE = "coopwatch_session"
SESSION_SECONDS = 12 * 3600
_SESSION_SALT = "coopwatch-session"


def _hash_reference(salted_hash: bytes) -> str:
    """A short fingerprint of a key's stored hash: a session made with a key dies when the
    key is revoked or replaced, and the cookie never holds the key or its hash."""
    return hashlib.sha256(salted_hash).hexdigest()[:16]


class Sessions:
    """Signed, timed session cookies for the web page when reading needs a key: the cookie
    holds the key's id and a fingerprint of its stored hash, signed with the server secret."""

    def __init__(self, secret: str, max_age: int = SESSION_SECONDS):
        from itsdangerous import URLSafeTimedSerializer

        self.max_age = max_age
        self._serializer = URLSafeTimedSerializer(secret, salt=_SESSION_SALT)

    def create(self, conn: sqlite3.Connection, key: str) -> str | None:
        """A cookie value for a valid key (None when the key is not valid)."""
        if ApiKeys(conn).verify(key) is None:
            return None
        key_id = key_id_of(key)
        row = conn.execute("SELECT hash FROM api_keys WHERE id = ?", (key_id,)).fetchone()
        return self._serializer.dumps({"k": key_id, "h": _hash_reference(row[0])})

    def scopes(self, conn: sqlite3.Connection, cookie: str | None) -> list[str] | None:
        """The scopes of the unrevoked key a cookie was made with; None when the cookie is
        missing, forged, expired, or its key revoked or replaced."""
        from itsdangerous import BadSignature

        if not cookie:
            return None
        try:
            data = self._serializer.loads(cookie, max_age=self.max_age)
        except BadSignature:  # SignatureExpired is one too
            return None
        if not isinstance(data, dict) or not isinstance(data.get("k"), str):
            return None
        row = conn.execute(
            "SELECT hash, scopes FROM api_keys WHERE id = ? AND revoked_at IS NULL", (data["k"],)
        ).fetchone()
        if row is None or not hmac.compare_digest(_hash_reference(row[0]), str(data.get("h"))):
            return None
        return json.loads(row[1])
