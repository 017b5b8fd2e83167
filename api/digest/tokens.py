"""Signed unsubscribe tokens: a subscription id signed with the digest secret (itsdangerous)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from itsdangerous import BadSignature, URLSafeSerializer

from coopwatch.settings import Settings

SECRET_FILE = "digest-secret.key"
_SALT = "coopwatch-unsubscribe"


def secret_key(settings: Settings) -> str:
    """`digest.secret_key`, else a random key created once and kept in the data directory."""
    if settings.digest.secret_key:
        return settings.digest.secret_key
    path = Path(settings.data_dir) / SECRET_FILE
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(32)
        # O_EXCL: two processes starting at once agree on the one key written first.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text(encoding="ascii").strip()
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(key)
        return key


def _serializer(settings: Settings) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key(settings), salt=_SALT)


def unsubscribe_token(settings: Settings, subscription_id: str) -> str:
    return _serializer(settings).dumps(subscription_id)


def read_unsubscribe_token(settings: Settings, token: str) -> str | None:
    """The subscription id a token was made for, or None when it is forged or damaged."""
    try:
        value = _serializer(settings).loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, str) else None


def unsubscribe_url(settings: Settings, subscription_id: str) -> str:
    base = settings.api.public_url.rstrip("/")
    return f"{base}/unsubscribe?token={unsubscribe_token(settings, subscription_id)}"
