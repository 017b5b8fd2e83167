"""Shared fixtures: settings on a temporary data directory, the shared corpora when present."""

from __future__ import annotations

from pathlib import Path

import pytest

from coopwatch.settings import Settings, load_settings
from coopwatch.store import Store

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
COOP_DEV = SHARED / "fixtures" / "coop-dev"


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    for name in ("COOPWATCH_CONFIG", "COOPWATCH_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    return load_settings(data_dir=tmp_path / "data")


@pytest.fixture
def store(settings: Settings):
    with Store(settings.data_dir) as store:
        yield store


@pytest.fixture
def coop_dev() -> Path:
    if not (COOP_DEV / "corpus.json").is_file():
        pytest.skip("../shared/fixtures/coop-dev is not present")
    return COOP_DEV
