"""`coopwatch digest …` and `coopwatch apikey …` through the real command line."""

from __future__ import annotations

from click.testing import CliRunner

from coopwatch.cli import cli


def _run(settings, *args: str):
    result = CliRunner().invoke(cli, ["--data-dir", str(settings.data_dir), *args])
    return result


def test_preview_writes_the_html_of_a_subscribers_digest(settings, seeded_store, tmp_path):
    sub_id = _run(settings, "digest", "subscribe", "kz@example.org", "--country", "KZ").output
    out = tmp_path / "preview.html"
    result = _run(
        settings, "digest", "preview", "--week", "2026-W45", "--subscriber", "kz@example.org",
        "-o", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "Belarus – Kazakhstan" in html and "Germany – Uzbekistan" not in html
    assert sub_id.strip().startswith("sub-")


def test_preview_refuses_a_bad_week_with_usage_status(settings, seeded_store, tmp_path):
    result = _run(settings, "digest", "preview", "--week", "2026-45", "-o", str(tmp_path / "x"))
    assert result.exit_code == 2 and "not an ISO week" in result.output


def test_send_reports_and_exits_1_when_the_server_is_down(settings, seeded_store):
    from apiseed import free_port

    _run(settings, "digest", "subscribe", "a@example.org")
    config = settings.data_dir.parent / "c.toml"
    config.write_text(
        f"[smtp]\nport = {free_port()}\n[digest]\nmax_attempts = 1\n", encoding="utf-8"
    )
    result = CliRunner().invoke(
        cli,
        ["--data-dir", str(settings.data_dir), "--config", str(config), "digest", "send",
         "--week", "2026-W45"],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "0 sent" in result.output and "failed (retried by the next run): a@example.org" in (
        result.output
    )


def test_apikey_create_list_revoke(settings, seeded_store):
    key = _run(settings, "apikey", "create", "--name", "ci", "--scope", "subscriptions")
    assert key.exit_code == 0 and key.output.startswith("cw_")
    key_id = key.output.split("_")[1]
    listed = _run(settings, "apikey", "list").output
    assert key_id in listed and "subscriptions" in listed and key.output.strip() not in listed
    assert _run(settings, "apikey", "revoke", key_id).exit_code == 0
    assert "revoked" in _run(settings, "apikey", "list").output
    bad = _run(settings, "apikey", "create", "--name", "x", "--scope", "everything")
    assert bad.exit_code == 2 and "unknown scopes" in bad.output
