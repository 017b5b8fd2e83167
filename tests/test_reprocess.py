"""`coopwatch reprocess`: a second analysis of stored pages keeps articles and event ids."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from coopwatch.cli import cli

DE = """<html lang="de"><head><meta charset="utf-8"><title>Armenien und Georgien verknüpfen
Bürgerportale</title><meta property="article:published_time" content="2026-03-10T09:00:00Z">
</head><body><article><h1>Armenien und Georgien verknüpfen Bürgerportale</h1>
<p>TIFLIS, 10. März - Armenien und Georgien haben am Dienstag in Tiflis ein Memorandum über die
Zusammenarbeit bei digitalen Verwaltungsdiensten unterzeichnet.</p>
<p>Die Digitalministerien beider Staaten wollen ihre Bürgerportale verknüpfen, damit Bürger
Bescheinigungen elektronisch im Nachbarland erhalten können.</p>
<p>Armenien und Georgien wollen außerdem bei der elektronischen Signatur zusammenarbeiten und
gemeinsame Schulungen für Fachleute der Verwaltungen durchführen.</p></article></body></html>"""
EN = """<html lang="en"><head><meta charset="utf-8"><title>Armenia and Georgia to link
e-government portals</title><meta property="article:published_time" content="2026-03-11T09:00:00Z">
</head><body><article><h1>Armenia and Georgia to link e-government portals</h1>
<p>TBILISI – Armenia and Georgia on Tuesday signed a memorandum of cooperation on digital public
services in Tbilisi, officials of both digital ministries said.</p>
<p>The two countries plan to connect their e-government portals so that citizens can obtain
certificates electronically across the border.</p>
<p>Armenia and Georgia will also cooperate on electronic signatures and hold joint training for
civil servants, the memorandum says.</p></article></body></html>"""


def run(*args: str):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result


def export(data_dir: Path) -> list[dict]:
    out = run("--data-dir", str(data_dir), "export").stdout
    return [json.loads(line) for line in out.splitlines()]


def test_reprocess_keeps_articles_and_event_ids(tmp_path: Path):
    data_dir = tmp_path / "data"
    for name, html, url in [
        ("de.html", DE, "https://news.example.de/armenien-georgien"),
        ("en.html", EN, "https://news.example.com/armenia-georgia"),
    ]:
        page = tmp_path / name
        page.write_text(html, encoding="utf-8")
        assert run("--data-dir", str(data_dir), "import", str(page), "--url", url).exit_code == 0
    before = export(data_dir)
    events = [r for r in before if r["type"] == "event"]
    assert len(events) == 1 and len(events[0]["articles"]) == 2

    result = run("--data-dir", str(data_dir), "reprocess")
    assert result.exit_code == 0, result.stderr
    assert "reprocessed 2, failed 0" in result.stderr
    after = export(data_dir)
    assert [r["id"] for r in after] == [r["id"] for r in before]
    assert [r.get("event_id") for r in after] == [r.get("event_id") for r in before]
    assert [r for r in after if r["type"] == "event"] == events


def test_reprocess_since_only_touches_newer_articles(tmp_path: Path):
    data_dir = tmp_path / "data"
    page = tmp_path / "de.html"
    page.write_text(DE, encoding="utf-8")
    run("--data-dir", str(data_dir), "import", str(page), "--url", "https://n.example/a")
    result = run("--data-dir", str(data_dir), "reprocess", "--since", "2026-04-01")
    assert "reprocessed 0, failed 0" in result.stderr
