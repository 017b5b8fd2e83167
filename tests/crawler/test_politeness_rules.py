"""Pure parts of the politeness rules: Retry-After, private addresses, feed dates, settings."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.middlewares import is_private_host, retry_after_seconds
from crawler.runner import scrapy_settings, user_agent
from crawler.spiders import _feed_date


def test_retry_after_accepts_seconds_and_http_dates():
    now = datetime(2026, 11, 29, 10, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("120", now) == 120
    assert retry_after_seconds("Sun, 29 Nov 2026 10:01:30 GMT", now) == 90
    assert retry_after_seconds("Sun, 29 Nov 2026 09:00:00 GMT", now) == 0
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds(None, now) is None


@pytest.mark.parametrize(
    ("host", "private"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("10.1.2.3", True),
        ("192.168.0.10", True),
        ("169.254.169.254", True),
        ("[::1]", True),
        ("93.184.215.14", False),
        ("no-such-host.invalid", False),
    ],
)
def test_private_and_loopback_addresses_are_recognised(host, private):
    assert is_private_host(host) is private


def test_feed_dates_become_iso_utc():
    assert _feed_date("Tue, 04 Nov 2025 12:41:00 +0300") == "2025-11-04T09:41:00+00:00"
    assert _feed_date("2025-11-04T12:41:00Z") == "2025-11-04T12:41:00+00:00"
    assert _feed_date("garbage") is None


def test_scrapy_settings_follow_coopwatch_settings(settings):
    result = scrapy_settings(settings)
    assert result["ROBOTSTXT_OBEY"] is True
    assert result["AUTOTHROTTLE_ENABLED"] is True
    assert result["CONCURRENT_REQUESTS_PER_DOMAIN"] == 1
    assert result["DOWNLOAD_MAXSIZE"] == settings.crawler.max_page_bytes
    assert 429 in result["RETRY_HTTP_CODES"] and 503 in result["RETRY_HTTP_CODES"]
    assert settings.crawler.contact_url in result["USER_AGENT"]
    assert result["USER_AGENT"] == user_agent(settings)
    assert result["USER_AGENT"].startswith("coopwatch/")


def test_public_suffix_list_comes_from_the_bundled_snapshot_without_a_download(caplog, monkeypatch):
    import socket

    import scrapy.downloadermiddlewares.cookies as cookies

    from crawler.runner import _quiet_public_suffix_fetch

    def no_network(*args, **kwargs):
        raise AssertionError("tldextract tried the network")

    _quiet_public_suffix_fetch()
    monkeypatch.setattr(socket, "create_connection", no_network)
    with caplog.at_level("DEBUG"):
        assert cookies._is_public_domain("co.uk")
        assert not cookies._is_public_domain("belta.by")
    assert not [r for r in caplog.records if r.name.startswith("tldextract")]
