"""A source registry pointing at a running sample site on 127.0.0.1 (tests, bench, demo)."""

from __future__ import annotations

from pathlib import Path

from crawler.testsite.server import SiteServer

_ENTRY = """
[[source]]
key = "{key}"
name = "Sample News ({kind})"
site = "127.0.0.1"
language = "en"
kind = "{kind}"
start_urls = ["{start}"]
allowed_domains = ["127.0.0.1", "localhost"]
article_pattern = '/news/'
interval_minutes = {interval}
allow_private_addresses = {private}
{extra}
"""


def write_registry(path: Path, server: SiteServer, interval: int = 60) -> Path:
    """A registry with one source per kind on `server`, plus `trouble` (the bad pages) and
    `walled` (only consent walls and error pages)."""
    entries = [
        ("sample-feed", "feed", server.url("/feed.xml"), "true", ""),
        ("sample-atom", "feed", server.url("/atom.xml"), "true", ""),
        ("sample-sitemap", "sitemap", server.url("/robots.txt"), "true", ""),
        ("sample-index", "sitemap", server.url("/sitemap-index.xml"), "true", ""),
        (
            "sample-listing",
            "listing",
            server.url("/list/"),
            "true",
            "pagination_pattern = '/list/\\?page=\\d+$'\nmax_pages = 2",
        ),
        ("trouble", "feed", server.url("/trouble.xml"), "false", ""),
        ("walled", "feed", server.url("/walled.xml"), "true", ""),
    ]
    path.write_text(
        "".join(
            _ENTRY.format(
                key=key, kind=kind, start=start, interval=interval, private=private, extra=extra
            )
            for key, kind, start, private, extra in entries
        ),
        encoding="utf-8",
    )
    return path
