"""Settings: layering, validation, and the example config kept in step with the model."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from coopwatch.errors import ConfigError
from coopwatch.settings import Settings, load_settings

EXAMPLE = Path(__file__).resolve().parent.parent / "coopwatch.example.toml"


def test_example_config_lists_every_setting_with_its_default(monkeypatch):
    monkeypatch.delenv("COOPWATCH_CONFIG", raising=False)
    example = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    defaults = Settings().model_dump(mode="json")
    assert example == defaults


def test_every_example_setting_has_a_comment():
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if "=" in line and not line.startswith("#"):
            assert lines[number - 1].startswith("#"), f"setting without comment: {line}"


def test_layers_file_then_environment_then_flags(tmp_path: Path, monkeypatch):
    config = tmp_path / "c.toml"
    config.write_text('log_level = "INFO"\n[ingest]\nmax_page_bytes = 100\nprogress = false\n')
    monkeypatch.setenv("COOPWATCH_INGEST__MAX_PAGE_BYTES", "200")
    settings = load_settings(config, log_level="DEBUG")
    assert settings.log_level == "DEBUG"  # flag beats file
    assert settings.ingest.max_page_bytes == 200  # environment beats file
    assert settings.ingest.progress is False  # file beats default


def test_invalid_setting_names_the_field(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("COOPWATCH_CONFIG", raising=False)
    config = tmp_path / "c.toml"
    config.write_text("[ingest]\nmax_page_bytes = -1\n")
    with pytest.raises(ConfigError, match=r"ingest\.max_page_bytes"):
        load_settings(config)


def test_unknown_setting_is_refused(tmp_path: Path):
    config = tmp_path / "c.toml"
    config.write_text("no_such_setting = 1\n")
    with pytest.raises(ConfigError, match="no_such_setting"):
        load_settings(config)


def test_missing_config_file_is_a_clear_error(tmp_path: Path):
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "absent.toml")
