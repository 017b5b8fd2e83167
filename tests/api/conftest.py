"""Fixtures for api/: a store seeded with articles and events, a real SMTP server on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest
from apiseed import Mailbox, SmtpHandler, free_port, seed

from coopwatch.settings import Settings, load_settings
from coopwatch.store import Store


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    for name in ("COOPWATCH_CONFIG", "COOPWATCH_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    return load_settings(
        data_dir=tmp_path / "data",
        **{
            "digest.secret_key": "test-secret",
            "digest.retry_backoff": 0,
            "api.public_url": "http://coopwatch.test",
        },
    )


@pytest.fixture
def seeded_store(settings: Settings):
    with Store(settings.data_dir) as store:
        seed(store, settings)
        yield store


@pytest.fixture
def smtp_server(settings: Settings):
    """An aiosmtpd server on 127.0.0.1; `settings.smtp` points at it."""
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    port = free_port()
    controller = Controller(SmtpHandler(mailbox), hostname="127.0.0.1", port=port)
    controller.start()
    settings.smtp.host = "127.0.0.1"
    settings.smtp.port = port
    settings.smtp.timeout = 10
    try:
        yield mailbox
    finally:
        controller.stop()
