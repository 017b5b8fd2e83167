"""The command line: records out (export, extract) as the spec says, exit statuses, summaries."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from coopwatch.cli import cli
from coopwatch.records import article_id_for

SPEC = Path(__file__).resolve().parents[2] / "shared" / "spec" / "output-format.md"
COOPWATCH = Path(sys.executable).with_name("coopwatch")

# The ARTICLE record of spec/output-format.md: every field is required (null where unknown).
ARTICLE_FIELDS = {
    "type": str,
    "id": str,
    "url": str,
    "site": str,
    "language": (str, type(None)),
    "title": (str, type(None)),
    "published": (str, type(None)),
    "relevant": bool,
    "relevance_score": (int, float),
    "paragraphs": list,
    "repeated_paragraphs": int,
    "duplicate_of": (str, type(None)),
    "event_id": (str, type(None)),
    "actors": list,
    "projects": list,
    "metrics": list,
    "quotes": list,
}
# Keys of the objects inside the later-issue lists, when they are filled.
ITEM_FIELDS = {
    "actors": {"id", "kind", "name", "canonical", "country", "role"},
    "projects": {"id", "name", "canonical", "country"},
    "metrics": {"indicator", "value", "unit", "country", "text"},
    "quotes": {"speaker_id", "speaker", "text"},
}

PAGE = """<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">
<title>Belarus und Kasachstan vereinbaren Zusammenarbeit bei E-Government</title>
<meta property="article:published_time" content="2025-11-04T10:15:00+03:00">
</head><body><nav><a href="/">Startseite</a> <a href="/wirtschaft">Wirtschaft</a></nav>
<article><h1>Belarus und Kasachstan vereinbaren Zusammenarbeit bei E-Government</h1>
<p>Die Ministerien für digitale Entwicklung von Belarus und Kasachstan haben am Dienstag in
Astana ein Memorandum über die Zusammenarbeit im Bereich E-Government unterzeichnet.</p>
<p>Demnach sollen die Bürgerportale beider Länder künftig Daten austauschen und elektronische
Signaturen gegenseitig anerkannt werden.</p>
<p>Fachleute beider Seiten wollen sich im Dezember in Minsk treffen, um die technischen
Einzelheiten zu besprechen.</p>
</article><footer>© Nachrichtenagentur Beispiel</footer></body></html>"""
URL = "https://nachrichten.example/wirtschaft/belarus-kasachstan-egov"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch):
    for name in ("COOPWATCH_CONFIG", "COOPWATCH_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def page_file(tmp_path: Path) -> Path:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    return path


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def assert_article_record(record: dict) -> None:
    missing = set(ARTICLE_FIELDS) - set(record)
    assert not missing, f"ARTICLE record lacks {missing}"
    for name, kind in ARTICLE_FIELDS.items():
        assert isinstance(record[name], kind), f"{name} = {record[name]!r}"
    assert record["type"] == "article"
    assert 0.0 <= record["relevance_score"] <= 1.0
    if record["published"] is not None:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", record["published"])
    for name, keys in ITEM_FIELDS.items():
        for item in record[name]:
            assert keys <= set(item), f"{name} item lacks {keys - set(item)}"


def test_extract_prints_the_article_record_without_storing_it(tmp_path: Path, page_file: Path):
    data_dir = tmp_path / "data"
    result = invoke("--data-dir", str(data_dir), "extract", str(page_file), "--url", URL)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert_article_record(record)
    assert record["id"] == article_id_for(URL)
    assert record["url"] == URL
    assert record["site"] == "nachrichten.example"
    assert record["language"] == "de"
    assert record["published"] == "2025-11-04"
    assert record["title"] == "Belarus und Kasachstan vereinbaren Zusammenarbeit bei E-Government"
    assert len(record["paragraphs"]) == 3
    assert record["paragraphs"][0].startswith("Die Ministerien für digitale Entwicklung")
    assert record["duplicate_of"] is None and record["event_id"] is None
    export = invoke("--data-dir", str(data_dir), "export", "--format", "jsonl")
    assert export.stdout == ""


def test_export_writes_every_stored_article_in_the_spec_format(tmp_path: Path, page_file: Path):
    data_dir = tmp_path / "data"
    assert (
        invoke("--data-dir", str(data_dir), "import", str(page_file), "--url", URL).exit_code == 0
    )
    other = tmp_path / "other.html"
    other.write_text(
        PAGE.replace("2025-11-04", "2025-09-01").replace("Dienstag", "Montag"), encoding="utf-8"
    )
    assert (
        invoke("--data-dir", str(data_dir), "import", str(other), "--url", URL + "-2").exit_code
        == 0
    )

    out = tmp_path / "export.jsonl"
    result = invoke("--data-dir", str(data_dir), "export", "--format", "jsonl", "-o", str(out))
    assert result.exit_code == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    articles = [r for r in records if r["type"] == "article"]
    # Articles first, then events.
    assert records[: len(articles)] == articles
    assert all(r["type"] == "event" for r in records[len(articles) :])
    assert [r["url"] for r in articles] == [URL, URL + "-2"]
    for record in articles:
        assert_article_record(record)
    stdout = invoke("--data-dir", str(data_dir), "export", "--format", "jsonl").stdout
    assert [json.loads(line) for line in stdout.splitlines()] == records

    since = invoke("--data-dir", str(data_dir), "export", "--since", "2025-10-01").stdout
    since_articles = [json.loads(line) for line in since.splitlines()]
    assert [r["url"] for r in since_articles if r["type"] == "article"] == [URL]


def test_record_fields_cover_the_spec(page_file: Path, tmp_path: Path):
    if not SPEC.is_file():
        pytest.skip("../shared/spec/output-format.md is not present")
    text = SPEC.read_text(encoding="utf-8")
    block = text.split("## ARTICLE", 1)[1].split("```json", 1)[1].split("```", 1)[0]
    top_level = set(re.findall(r'^  "(\w+)":', block, re.MULTILINE))
    assert top_level == set(ARTICLE_FIELDS)  # this test's copy of the spec is complete
    result = invoke("--data-dir", str(tmp_path / "d"), "extract", str(page_file), "--url", URL)
    record = json.loads(result.stdout)
    assert top_level <= set(record)


def test_import_exit_status_and_summary(tmp_path: Path, page_file: Path):
    data_dir = str(tmp_path / "data")
    ok = invoke("--data-dir", data_dir, "import", str(page_file), "--url", URL)
    assert ok.exit_code == 0
    assert ok.stderr.strip().splitlines()[-1] == ("imported 1, updated 0, unchanged 0, failed 0")
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    bad = invoke("--data-dir", data_dir, "import", str(empty), str(page_file))
    assert bad.exit_code == 1
    lines = bad.stderr.strip().splitlines()
    assert lines[-1] == "imported 1, updated 0, unchanged 0, failed 1"
    assert f"failed: {empty}: empty page: no bytes to read" in lines


def test_usage_errors_exit_2_with_a_message(tmp_path: Path, page_file: Path):
    data_dir = str(tmp_path / "data")
    missing = invoke("--data-dir", data_dir, "import", str(tmp_path / "absent.html"))
    assert missing.exit_code == 2
    assert "no such file or directory" in missing.stderr
    warc = tmp_path / "x.warc.gz"
    warc.write_bytes(b"")
    url_on_warc = invoke("--data-dir", data_dir, "import", str(warc), "--url", URL)
    assert url_on_warc.exit_code == 2
    assert "--url applies to a single HTML file" in url_on_warc.stderr
    config = tmp_path / "bad.toml"
    config.write_text("[ingest]\nmax_page_bytes = 0\n")
    bad_config = invoke("--config", str(config), "--data-dir", data_dir, "import", str(page_file))
    assert bad_config.exit_code == 2
    assert "ingest.max_page_bytes" in bad_config.stderr


def test_page_limit_from_the_environment_applies(tmp_path: Path, page_file: Path, monkeypatch):
    monkeypatch.setenv("COOPWATCH_INGEST__MAX_PAGE_BYTES", "100")
    result = invoke("--data-dir", str(tmp_path / "d"), "import", str(page_file), "--url", URL)
    assert result.exit_code == 1
    assert "over the limit of 100 (setting ingest.max_page_bytes)" in result.stderr


def test_the_installed_console_script_imports_and_exports(tmp_path: Path, page_file: Path):
    data_dir = str(tmp_path / "data")
    imported = subprocess.run(
        [str(COOPWATCH), "--data-dir", data_dir, "import", str(page_file), "--url", URL],
        capture_output=True,
        text=True,
    )
    assert imported.returncode == 0, imported.stderr
    assert "imported 1, updated 0, unchanged 0, failed 0" in imported.stderr
    exported = subprocess.run(
        [str(COOPWATCH), "--data-dir", data_dir, "export", "--format", "jsonl"],
        capture_output=True,
        text=True,
        check=True,
    )
    records = [json.loads(line) for line in exported.stdout.splitlines()]
    (record,) = [r for r in records if r["type"] == "article"]
    assert_article_record(record)
    assert record["url"] == URL
