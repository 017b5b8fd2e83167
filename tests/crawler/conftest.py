"""Fixtures for crawler tests: the sample site on 127.0.0.1 and settings that point at it.

Crawls run in a subprocess, exactly as `coopwatch crawl` and the scheduler run them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from crawl_settings import make_settings

from coopwatch.settings import Settings
from crawler.testsite import SiteServer


@pytest.fixture
def site_server():
    with SiteServer(articles=12) as server:
        yield server


@pytest.fixture
def crawl_settings(tmp_path: Path, site_server: SiteServer, monkeypatch) -> Settings:
    for name in ("COOPWATCH_CONFIG", "COOPWATCH_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    return make_settings(tmp_path, site_server)
