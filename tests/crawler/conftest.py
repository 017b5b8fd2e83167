"""Fixtures for crawler tests: the sample site on 127.0.0.1 and settings that point at it.

Crawls run in a subprocess, exactly as `coopwatch crawl` and the scheduler run them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coopwatch.settings import Settings, load_settings
from crawler.testsite import SiteServer
from crawler.testsite.registry import write_registry

# Politeness delays off and short limits, so bad pages fail fast; robots.txt stays on.
FAST = {
    "crawler.download_delay": 0,
    "crawler.autothrottle": False,
    "crawler.download_timeout": 2.0,
    "crawler.max_page_bytes": 1_000_000,
    "crawler.retry_times": 1,
    "crawler.retry_backoff": 0.1,
    "crawler.concurrent_per_domain": 2,
    "crawler.jitter_seconds": 60,
}


@pytest.fixture
def site_server():
    with SiteServer(articles=12) as server:
        yield server


def make_settings(tmp_path: Path, server: SiteServer, **extra) -> Settings:
    registry = write_registry(tmp_path / "sources.toml", server)
    return load_settings(
        data_dir=tmp_path / "data", **{"crawler.sources_file": str(registry), **FAST, **extra}
    )


@pytest.fixture
def crawl_settings(tmp_path: Path, site_server: SiteServer, monkeypatch) -> Settings:
    for name in ("COOPWATCH_CONFIG", "COOPWATCH_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    return make_settings(tmp_path, site_server)
