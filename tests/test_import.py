"""`coopwatch import` through the real CLI and the real SQLite store: idempotency, streaming
WARC input, bad input reported per record, and crash safety (a killed import re-run)."""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from coopwatch.cli import cli
from coopwatch.importer import InputRecord, import_paths
from coopwatch.records import article_id_for
from coopwatch.settings import load_settings
from coopwatch.store import STORE_FILE, Store

# The console script of this environment (the venv's bin next to the running python).
COOPWATCH = Path(sys.executable).with_name("coopwatch")
if not COOPWATCH.exists():
    COOPWATCH = Path(shutil.which("coopwatch") or "coopwatch")

STORY = [
    "The digital ministries of {a} and {b} signed a memorandum on e-government cooperation "
    "on Tuesday, agreeing to share their experience with online public services.",
    "Under the agreement, experts from {a} will help {b} build a single portal for citizens, "
    "modelled on the one that already handles {n} applications a month.",
    "Both sides also agreed to exchange specialists in cybersecurity and open data, and to hold "
    "joint training sessions for civil servants in the spring.",
    "Officials said the first pilot services, including the digital registration of businesses, "
    "should be available to residents of {b} before the end of the year.",
    "The memorandum follows a visit by a delegation from {b} to the service centres in {a}, "
    "where it studied how applications are processed without paper.",
]
COUNTRIES = ["Kazakhstan", "Belarus", "Uzbekistan", "Estonia", "Azerbaijan", "Georgia"]


def news_page(number: int, *, extra: str = "", repeat_first: bool = False) -> bytes:
    """A small English news page with site boilerplate around a five-paragraph story."""
    a, b = COUNTRIES[number % 6], COUNTRIES[(number + 1) % 6]
    story = [p.format(a=a, b=b, n=1000 + number) for p in STORY]
    if repeat_first:
        story.append(story[0])
    paragraphs = "\n".join(f"<p>{p}</p>" for p in story)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{a} and {b} agree on e-government cooperation #{number}</title>
<meta property="article:published_time" content="2025-11-{number % 28 + 1:02d}">
</head><body>
<header><nav><a href="/">Home</a> <a href="/politics">Politics</a> <a href="/tech">Tech</a></nav>
</header>
<main><article>
<h1>{a} and {b} agree on e-government cooperation #{number}</h1>
<p class="date">Published 2025-11-{number % 28 + 1:02d}</p>
{paragraphs}
{extra}
</article></main>
<footer><p>© Example News Agency. All rights reserved.</p>
<a href="/about">About us</a> <a href="/contact">Contact</a></footer>
</body></html>""".encode()


def response(url: str, body: bytes, content_type: str = "text/html; charset=utf-8"):
    return url, body, content_type


def write_warc(path: Path, records, gzipped: bool | None = None) -> Path:
    """Write (url, body, content type) triples as WARC response records with warcio."""
    gzipped = path.name.endswith(".gz") if gzipped is None else gzipped
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gzipped)
        for url, body, content_type in records:
            http = StatusAndHeaders(
                "200 OK",
                [("Content-Type", content_type), ("Content-Length", str(len(body)))],
                protocol="HTTP/1.1",
            )
            writer.write_record(
                writer.create_warc_record(
                    url, "response", payload=io.BytesIO(body), http_headers=http
                )
            )
    return path


def run(data_dir: Path, *args: str):
    """`coopwatch --data-dir DATA import ...` in this process (click's runner)."""
    result = CliRunner().invoke(cli, ["--data-dir", str(data_dir), *args], catch_exceptions=False)
    return result


def summary(result) -> dict[str, int]:
    line = [ln for ln in result.stderr.splitlines() if ln.startswith("imported ")][-1]
    return {part.split()[0]: int(part.split()[1]) for part in line.split(", ")}


def stored(data_dir: Path) -> dict[str, dict]:
    with Store(data_dir) as store:
        return {a.url: a.to_record() for a in store.iter_articles()}


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch):
    for name in ("COOPWATCH_CONFIG", "COOPWATCH_DATA_DIR", "COOPWATCH_INGEST__MAX_PAGE_BYTES"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


# -- idempotency ---------------------------------------------------------------------------


def test_same_url_and_content_twice_is_stored_once(tmp_path: Path, data_dir: Path):
    page = tmp_path / "page.html"
    page.write_bytes(news_page(1))
    url = "https://news.example/2025/11/ka-by"
    first = run(data_dir, "import", str(page), "--url", url)
    second = run(data_dir, "import", str(page), "--url", url)
    assert first.exit_code == 0, first.output
    assert summary(first) == {"imported": 1, "updated": 0, "unchanged": 0, "failed": 0}
    assert second.exit_code == 0, second.output
    assert summary(second) == {"imported": 0, "updated": 0, "unchanged": 1, "failed": 0}
    articles = stored(data_dir)
    assert list(articles) == [url]
    with Store(data_dir) as store:
        assert store.conn.execute("SELECT count(*) FROM pages").fetchone()[0] == 1


def test_changed_content_updates_the_article_and_keeps_the_previous_hash(
    tmp_path: Path, data_dir: Path
):
    url = "https://news.example/2025/11/story"
    page = tmp_path / "page.html"
    page.write_bytes(news_page(2))
    run(data_dir, "import", str(page), "--url", url)
    old = stored(data_dir)[url]
    page.write_bytes(news_page(2, extra="<p>Update: the agreement was ratified on Friday.</p>"))
    result = run(data_dir, "import", str(page), "--url", url)
    assert summary(result)["updated"] == 1
    new = stored(data_dir)[url]
    assert new["id"] == old["id"] == article_id_for(url)
    assert new["content_hash"] != old["content_hash"]
    assert "Update: the agreement was ratified on Friday." in new["paragraphs"]
    with Store(data_dir) as store:
        assert store.previous_hashes(url) == [old["content_hash"]]
        assert store.count_articles() == 1
        # the previous version's page is kept, the article points at the new one
        assert store.conn.execute("SELECT count(*) FROM pages").fetchone()[0] == 2
        assert b"ratified on Friday" in store.page_body(url)


def test_ids_are_stable_across_data_directories_and_url_spellings(tmp_path: Path):
    warc = write_warc(
        tmp_path / "a.warc.gz",
        [
            response(f"https://News.Example/story/{i}?utm_source=x#top", news_page(i))
            for i in range(3)
        ],
    )
    first, second = tmp_path / "d1", tmp_path / "d2"
    run(first, "import", str(warc))
    run(second, "import", str(warc))
    ids_first = {url: a["id"] for url, a in stored(first).items()}
    ids_second = {url: a["id"] for url, a in stored(second).items()}
    assert ids_first == ids_second
    assert sorted(ids_first) == [f"https://news.example/story/{i}" for i in range(3)]
    assert ids_first["https://news.example/story/0"] == article_id_for(
        "https://news.example/story/0"
    )


def test_a_warc_imported_twice_is_unchanged_the_second_time(tmp_path: Path, data_dir: Path):
    warc = write_warc(
        tmp_path / "pages.warc",
        [response(f"https://news.example/s/{i}", news_page(i)) for i in range(4)],
    )
    assert summary(run(data_dir, "import", str(warc)))["imported"] == 4
    again = run(data_dir, "import", str(warc))
    assert again.exit_code == 0
    assert summary(again) == {"imported": 0, "updated": 0, "unchanged": 4, "failed": 0}


# -- WARC input ----------------------------------------------------------------------------


def test_warc_records_are_imported_and_non_pages_skipped(tmp_path: Path, data_dir: Path):
    path = tmp_path / "mixed.warc.gz"
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        writer.write_record(writer.create_warcinfo_record("mixed.warc.gz", {"software": "test"}))
        for i, status in enumerate(["200 OK", "404 Not Found", "301 Moved Permanently"]):
            body = news_page(i)
            http = StatusAndHeaders(status, [("Content-Type", "text/html")], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    f"https://news.example/{i}",
                    "response",
                    payload=io.BytesIO(body),
                    http_headers=http,
                )
            )
        writer.write_record(
            writer.create_warc_record(
                "https://news.example/request",
                "request",
                payload=io.BytesIO(b"GET / HTTP/1.1\r\nHost: news.example\r\n\r\n"),
            )
        )
        writer.write_record(
            writer.create_warc_record(
                "https://news.example/resource",
                "resource",
                payload=io.BytesIO(news_page(7)),
                warc_content_type="text/html",
            )
        )
    result = run(data_dir, "import", str(path))
    assert result.exit_code == 0, result.output
    assert "imported 2, updated 0, unchanged 0, failed 0, skipped 2" in result.stderr
    assert set(stored(data_dir)) == {"https://news.example/0", "https://news.example/resource"}


def test_gzip_content_encoding_in_a_warc_is_decoded(tmp_path: Path, data_dir: Path):
    path = tmp_path / "enc.warc"
    body = gzip.compress(news_page(3))
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=False)
        http = StatusAndHeaders(
            "200 OK",
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip")],
            protocol="HTTP/1.1",
        )
        writer.write_record(
            writer.create_warc_record(
                "https://news.example/gz", "response", payload=io.BytesIO(body), http_headers=http
            )
        )
    result = run(data_dir, "import", str(path))
    assert result.exit_code == 0, result.output
    assert stored(data_dir)["https://news.example/gz"]["title"].startswith("Estonia and Azerbaijan")


def test_progress_reports_every_byte_of_every_input(tmp_path: Path, data_dir: Path):
    warc = write_warc(
        tmp_path / "p.warc.gz",
        [response(f"https://news.example/p/{i}", news_page(i)) for i in range(5)],
    )
    broken = tmp_path / "broken.warc"
    write_warc(broken, [response("https://news.example/b/1", news_page(9))])
    broken.write_bytes(broken.read_bytes() + b"WARC/9.9 no record\r\n\r\n")
    html = tmp_path / "one.html"
    html.write_bytes(news_page(11))
    seen: list[InputRecord] = []
    settings = load_settings(data_dir=data_dir)
    with Store(data_dir) as store:
        report = import_paths(store, [warc, broken, html], settings, on_record=seen.append)
    expected = sum(p.stat().st_size for p in (warc, broken, html))
    assert sum(item.read_bytes for item in seen) == expected
    assert report.imported == 7
    assert report.failed == 1


# -- bad input -----------------------------------------------------------------------------


def test_bad_inputs_are_reported_per_record_and_the_rest_is_imported(
    tmp_path: Path, data_dir: Path
):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a-good.html").write_bytes(news_page(1))
    (inputs / "b-empty.html").write_bytes(b"")
    (inputs / "c-binary.html").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(20_000))
    big = inputs / "d-huge.html"
    with big.open("wb") as out:  # a 50 MB page, over the default 20 MB limit
        out.write(news_page(4)[: -len(b"</body></html>")])
        filler = (
            b"<p>" + b"Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 100 + b"</p>\n"
        )
        for _ in range(50 * 1024 * 1024 // len(filler) + 1):
            out.write(filler)
        out.write(b"</body></html>")
    assert big.stat().st_size > 50 * 1024 * 1024
    write_warc(
        inputs / "e-mixed.warc.gz",
        [
            response(
                "https://news.example/pdf", b"%PDF-1.7\n" + os.urandom(3000), "application/pdf"
            ),
            response("https://news.example/ok", news_page(5)),
            response("https://news.example/image", os.urandom(2000), "image/png"),
            response("https://news.example/empty", b""),
        ],
    )
    (inputs / "f-good.html").write_bytes(news_page(6))

    result = run(data_dir, "import", str(inputs))
    assert result.exit_code == 1
    counts = summary(result)
    assert counts == {"imported": 3, "updated": 0, "unchanged": 0, "failed": 6}
    failures = [ln for ln in result.stderr.splitlines() if ln.startswith("failed: ")]
    assert len(failures) == 6
    by_source = "\n".join(failures)
    assert "b-empty.html: empty page" in by_source
    assert "c-binary.html: binary content" in by_source
    assert "d-huge.html: page is 5" in by_source and "ingest.max_page_bytes" in by_source
    assert "https://news.example/pdf: not an HTML page: Content-Type application/pdf" in by_source
    assert "https://news.example/image: not an HTML page: Content-Type image/png" in by_source
    assert "https://news.example/empty: empty page" in by_source
    urls = set(stored(data_dir))
    assert len(urls) == 3
    assert {"https://news.example/ok"} <= urls


def test_a_huge_warc_record_is_refused_without_reading_it_whole(tmp_path: Path, data_dir: Path):
    huge = news_page(1).replace(b"</body>", b"<p>" + b"x" * (30 * 1024 * 1024) + b"</p></body>")
    warc = write_warc(
        tmp_path / "huge.warc.gz",
        [
            response("https://news.example/before", news_page(2)),
            response("https://news.example/huge", huge),
            response("https://news.example/after", news_page(3)),
        ],
    )
    result = run(data_dir, "import", str(warc))
    assert result.exit_code == 1
    assert "https://news.example/huge: page is over the limit of 20,000,000 bytes" in result.stderr
    assert set(stored(data_dir)) == {"https://news.example/before", "https://news.example/after"}


def test_truncated_warc_gz_reports_the_cut_record_and_keeps_the_rest(
    tmp_path: Path, data_dir: Path
):
    whole = write_warc(
        tmp_path / "whole.warc.gz",
        [response(f"https://news.example/t/{i}", news_page(i)) for i in range(6)],
    )
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: int(len(data) * 0.6)])
    other = tmp_path / "other.html"
    other.write_bytes(news_page(20))
    result = run(data_dir, "import", str(cut), str(other), "--url", "https://x.example/o")
    # --url applies to one HTML file only
    assert result.exit_code == 2
    result = run(data_dir, "import", str(cut), str(other))
    assert result.exit_code == 1
    counts = summary(result)
    assert counts["failed"] == 1
    assert "truncated" in result.stderr
    urls = set(stored(data_dir))
    assert counts["imported"] == len(urls) >= 4
    assert {f"https://news.example/t/{i}" for i in range(3)} <= urls
    assert "https://news.example/t/5" not in urls


@pytest.mark.parametrize("fraction", [0.1, 0.3, 0.62, 0.77, 0.9])
def test_truncated_plain_warc_never_stores_a_partial_page(
    tmp_path: Path, data_dir: Path, fraction: float
):
    whole = write_warc(
        tmp_path / "whole.warc",
        [response(f"https://news.example/t/{i}", news_page(i)) for i in range(4)],
    )
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc"
    cut.write_bytes(data[: int(len(data) * fraction)])
    result = run(data_dir, "import", str(cut))
    assert result.exit_code == 1
    assert summary(result)["failed"] == 1
    with Store(data_dir) as store:
        for url in stored(data_dir):
            number = int(url.rsplit("/", 1)[1])
            assert store.page_body(url) == news_page(number)


def test_an_invalid_warc_record_is_skipped_and_the_next_ones_imported(
    tmp_path: Path, data_dir: Path
):
    plain = write_warc(
        tmp_path / "p.warc",
        [response(f"https://news.example/i/{i}", news_page(i)) for i in range(5)],
    )
    data = plain.read_bytes()
    third = data.index(b"WARC/1.", data.index(b"https://news.example/i/2") - 600)
    plain.write_bytes(data[:third] + b"NOT-A-WARC/1.0\r\n" + data[third + 9 :])

    gz = write_warc(
        tmp_path / "g.warc.gz",
        [response(f"https://news.example/j/{i}", news_page(i)) for i in range(5)],
    )
    members = gz.read_bytes()
    starts = [i for i in range(len(members)) if members.startswith(b"\x1f\x8b\x08", i)]
    assert len(starts) == 5
    damaged = bytearray(members)
    for offset in range(starts[2] + 30, starts[2] + 60):
        damaged[offset] ^= 0x5A  # corrupt the deflate data of the third record
    gz.write_bytes(bytes(damaged))

    result = run(data_dir, "import", str(plain), str(gz))
    assert result.exit_code == 1, result.output
    assert summary(result)["failed"] == 2, result.stderr
    assert "p.warc#record-3" in result.stderr and "g.warc.gz#record-3" in result.stderr
    urls = set(stored(data_dir))
    assert urls == {f"https://news.example/{d}/{i}" for d in "ij" for i in (0, 1, 3, 4)}


def _damage(data: bytes, start: int, marker: bytes, how: str) -> bytes:
    at = data.index(marker, start) + len(marker) // 2
    if how == "flip":
        return data[:at] + bytes([data[at] ^ 0x15]) + data[at + 1 :]
    if how == "cut":
        return data[:at] + data[at + 7 :]
    return data[:at] + b"\x00garbage\x00" + data[at:]


# Where a record is damaged and how. A changed letter in the target URI still reads as a
# valid URI (WARC headers carry no digest): that cannot be told apart from a real URL.
DAMAGE = [
    (marker, how)
    for marker in (b"WARC/1.", b"WARC-Type: response", b"HTTP/1.1 200", b"<article>")
    for how in ("flip", "cut", "insert")
] + [(b"https://news.example/d/2", "insert")]


@pytest.mark.parametrize(("marker", "how"), DAMAGE, ids=lambda v: str(v)[:12])
def test_damage_in_one_record_loses_that_record_only(
    tmp_path: Path, data_dir: Path, marker: bytes, how: str
):
    warc = write_warc(
        tmp_path / "d.warc",
        [response(f"https://news.example/d/{i}", news_page(i)) for i in range(5)],
    )
    data = warc.read_bytes()
    third = data.index(b"WARC/1.", data.index(b"https://news.example/d/2") - 600)
    warc.write_bytes(_damage(data, third, marker, how))
    result = run(data_dir, "import", str(warc))
    assert result.exit_code == 1, result.stderr
    assert summary(result)["failed"] == 1, result.stderr
    assert set(stored(data_dir)) == {f"https://news.example/d/{i}" for i in (0, 1, 3, 4)}


def test_a_file_that_is_no_warc_at_all_is_one_failure(tmp_path: Path, data_dir: Path):
    fake = tmp_path / "fake.warc.gz"
    fake.write_bytes(os.urandom(5000))
    text = tmp_path / "notes.warc"
    text.write_text("just some notes\n" * 20)
    result = run(data_dir, "import", str(fake), str(text))
    assert result.exit_code == 1
    assert summary(result) == {"imported": 0, "updated": 0, "unchanged": 0, "failed": 2}


def test_a_failure_never_loses_what_is_stored(tmp_path: Path, data_dir: Path):
    url = "https://news.example/keep"
    page = tmp_path / "keep.html"
    page.write_bytes(news_page(8))
    run(data_dir, "import", str(page), "--url", url)
    before = stored(data_dir)[url]
    page.write_bytes(b"")  # the same URL now unreadable
    result = run(data_dir, "import", str(page), "--url", url)
    assert result.exit_code == 1
    assert stored(data_dir)[url] == before


# -- memory and crash safety (subprocesses) -------------------------------------------------


def _peak_rss_of_child_mb(args: list[str]) -> tuple[subprocess.CompletedProcess, float]:
    """Run `args` in a fresh child process and return its peak resident memory (MB)."""
    code = (
        "import resource, subprocess, sys; "
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
        "print(p.returncode); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
        "sys.stderr.write(p.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    )
    status, rss_kb = done.stdout.split()
    done.returncode = int(status)
    return done, int(rss_kb) / 1024


@pytest.mark.slow
def test_a_huge_warc_record_is_streamed_not_loaded(tmp_path: Path):
    """A 300 MB record with a 5 MB page limit: the import must stay far below 300 MB."""
    path = tmp_path / "big.warc"
    size = 300 * 1024 * 1024
    with path.open("wb") as out:
        head = (
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
            + str(size).encode()
            + b"\r\n\r\n"
        )
        out.write(
            b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://news.example/big\r\n"
            b"WARC-Date: 2025-11-04T00:00:00Z\r\n"
            b"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000001>\r\n"
            b"Content-Type: application/http; msgtype=response\r\n"
            b"Content-Length: " + str(len(head) + size).encode() + b"\r\n\r\n" + head
        )
        chunk = b"<p>" + b"a" * (1024 * 1024 - 7) + b"</p>\n"
        for _ in range(size // len(chunk)):
            out.write(chunk)
        out.write(b" " * (size % len(chunk)))
        out.write(b"\r\n\r\n")
    done, peak_mb = _peak_rss_of_child_mb(
        [
            "env",
            "COOPWATCH_INGEST__MAX_PAGE_BYTES=5000000",
            str(COOPWATCH),
            "--data-dir",
            str(tmp_path / "data"),
            "import",
            str(path),
        ]
    )
    assert done.returncode == 1
    assert "over the limit of 5,000,000 bytes" in done.stderr
    assert peak_mb < 250, f"peak RSS {peak_mb:.0f} MB: the record was held in memory"


def _count_articles(data_dir: Path) -> int:
    path = data_dir / STORE_FILE
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


@pytest.mark.slow
def test_import_is_idempotent_after_kill(tmp_path: Path):
    total = 400
    warc = write_warc(
        tmp_path / "big.warc.gz",
        [response(f"https://news.example/k/{i}", news_page(i)) for i in range(total)],
    )
    data_dir = tmp_path / "data"
    command = [str(COOPWATCH), "--data-dir", str(data_dir), "import", str(warc)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOPWATCH_")}
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    killed_at = None
    deadline = time.monotonic() + 300  # only a guard against hanging, not a speed assert
    while time.monotonic() < deadline and child.poll() is None:
        stored_now = _count_articles(data_dir)
        if stored_now >= 25:
            child.send_signal(signal.SIGKILL)
            killed_at = stored_now
            break
        time.sleep(0.02)
    child.wait()
    child.stderr.close()
    assert killed_at is not None, "the import ended before it could be killed"
    assert child.returncode == -signal.SIGKILL
    partial = _count_articles(data_dir)
    assert 25 <= partial < total

    rerun = subprocess.run(command, env=env, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert f"imported {total - partial}, updated 0, unchanged {partial}, failed 0" in rerun.stderr

    with sqlite3.connect(data_dir / STORE_FILE) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        urls = [row[0] for row in conn.execute("SELECT url FROM articles")]
        pages = [row[0] for row in conn.execute("SELECT url FROM pages")]
        paragraphs = dict(
            conn.execute("SELECT article_id, count(*) FROM paragraphs GROUP BY article_id")
        )
        records = [json.loads(row[0]) for row in conn.execute("SELECT record FROM articles")]
    expected = {f"https://news.example/k/{i}" for i in range(total)}
    assert sorted(urls) == sorted(expected)  # every record once, none lost
    assert sorted(pages) == sorted(expected)
    for record in records:
        assert paragraphs[record["id"]] == len(record["paragraphs"]) >= 5


# -- pages that are no article -------------------------------------------------------------


def test_consent_walls_and_error_pages_in_an_archive_are_skipped_not_stored(
    tmp_path: Path, data_dir: Path
):
    """A crawl's WARC keeps the consent walls and soft-404 pages the crawler met; importing it
    again must not turn them into articles (the same check as the crawler's, coopwatch.walls)."""
    from crawler.testsite.server import WALLS

    banner = (
        '<div id="cmp" class="cookie-consent"><p>We use cookies to analyse traffic. Click '
        "Accept all to consent.</p><button>Accept all</button></div>"
    )
    real = news_page(1, extra=banner)  # a report under a cookie banner is still a report
    walls = [
        response(f"https://example.org/wall/{name}", html.encode()) for name, html in WALLS.items()
    ]
    warc = write_warc(tmp_path / "crawl.warc.gz", [*walls, response("https://example.org/1", real)])
    result = run(data_dir, "import", str(warc))
    assert result.exit_code == 0, result.stderr
    assert summary(result) == {
        "imported": 1, "updated": 0, "unchanged": 0, "failed": 0, "skipped": len(WALLS)
    }  # fmt: skip
    assert list(stored(data_dir)) == ["https://example.org/1"]


def test_gzipped_html_files_are_imported_and_a_broken_one_is_one_failure(
    tmp_path: Path, data_dir: Path
):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.html.gz").write_bytes(gzip.compress(news_page(1)))
    (inputs / "b.htm.gz").write_bytes(gzip.compress(news_page(2))[:200])  # cut short
    (inputs / "notes.txt").write_text("not a page")
    result = run(data_dir, "import", str(inputs))
    assert summary(result) == {"imported": 1, "updated": 0, "unchanged": 0, "failed": 1}
    assert "b.htm.gz: not a readable gzip file" in result.stderr
    (article,) = stored(data_dir).values()
    assert article["title"].startswith("Belarus and Uzbekistan agree")


def test_a_directory_with_nothing_to_import_is_a_usage_error(tmp_path: Path, data_dir: Path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "notes.txt").write_text("not a page")
    result = CliRunner().invoke(cli, ["--data-dir", str(data_dir), "import", str(inputs)])
    assert result.exit_code == 2
    assert "nothing to import" in result.stderr and "notes" not in result.stderr
