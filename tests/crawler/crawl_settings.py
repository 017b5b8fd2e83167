"""Settings for crawler tests (a module of its own: test files import it, and every test
folder has a `conftest`, so `from conftest import ...` would pick whichever loaded first)."""

from __future__ import annotations

from pathlib import Path

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
    # One analysing process (not the default two): each loads the NLP models, and the tests'
    # sites are small; tests that need more say so.
    "crawler.analysis_processes": 1,
}


def make_settings(tmp_path: Path, server: SiteServer, **extra) -> Settings:
    registry = write_registry(tmp_path / "sources.toml", server)
    return load_settings(
        data_dir=tmp_path / "data", **{"crawler.sources_file": str(registry), **FAST, **extra}
    )
