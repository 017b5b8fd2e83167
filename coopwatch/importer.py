"""`coopwatch import`: stream HTML files and WARC records through the pipeline into the store.

Each record is analysed and saved on its own (one transaction), so a failure or a kill
loses nothing already stored, and re-running the same import stores every record once.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from coopwatch.errors import CoopwatchError, PageError, UsageError
from coopwatch.pipeline import PageAnalyser
from coopwatch.records import FetchedPage
from coopwatch.settings import Settings
from coopwatch.store import SaveOutcome, Store
from coopwatch.urls import canonical_url

log = logging.getLogger(__name__)

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
WARC_SUFFIXES = (".warc", ".warc.gz")
_CANONICAL_LINK = re.compile(
    rb"""<link[^>]+rel=["']?canonical["']?[^>]*href=["']([^"']+)["']"""
    rb"""|<link[^>]+href=["']([^"']+)["'][^>]*rel=["']?canonical""",
    re.IGNORECASE,
)
_OG_URL = re.compile(rb"""<meta[^>]+property=["']og:url["'][^>]*content=["']([^"']+)["']""", re.I)


@dataclass(slots=True)
class Failure:
    source: str  # file, or file#record-offset for WARC records
    reason: str


@dataclass(slots=True)
class ImportReport:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # WARC records that are no page (requests, redirects, HTTP errors)
    failures: list[Failure] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)

    def count(self, outcome: SaveOutcome) -> None:
        setattr(self, outcome.value, getattr(self, outcome.value) + 1)

    def summary(self) -> str:
        return (
            f"imported {self.imported}, updated {self.updated}, unchanged {self.unchanged}, "
            f"failed {self.failed}" + (f", skipped {self.skipped}" if self.skipped else "")
        )


@dataclass(slots=True)
class InputRecord:
    """One page read from an input, or the reason it could not be read."""

    source: str
    page: FetchedPage | None = None
    error: str | None = None
    skipped: bool = False


def collect_inputs(paths: list[Path]) -> list[Path]:
    """Expand directories into their HTML and WARC files (sorted), keep files as given."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and p.name.lower().endswith(HTML_SUFFIXES + WARC_SUFFIXES)
                )
            )
        elif path.exists():
            files.append(path)
        else:
            raise UsageError(f"no such file or directory: {path}")
    return files


def page_url_from_html(body: bytes, path: Path) -> str:
    """The page's own canonical URL (link rel=canonical, og:url), else its file URI."""
    head = body[:65536]
    for pattern in (_CANONICAL_LINK, _OG_URL):
        match = pattern.search(head)
        if match:
            url = next(g for g in match.groups() if g).decode("utf-8", "replace").strip()
            if url.startswith(("http://", "https://")):
                return url
    return path.resolve().as_uri()


def read_html_file(path: Path, url: str | None, max_bytes: int) -> Iterator[InputRecord]:
    source = str(path)
    size = path.stat().st_size
    if size > max_bytes:
        yield InputRecord(
            source,
            error=f"page is {size:,} bytes, over the limit of {max_bytes:,}"
            " (setting ingest.max_page_bytes)",
        )
        return
    body = path.read_bytes()
    fetched = datetime.fromtimestamp(path.stat().st_mtime).astimezone()
    yield InputRecord(
        source,
        FetchedPage(url=url or page_url_from_html(body, path), body=body, fetched_at=fetched),
    )


def _warc_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def read_warc(path: Path, max_bytes: int) -> Iterator[InputRecord]:
    """Stream response/resource records; the record body is read up to the page limit only."""
    with path.open("rb") as stream:
        records = ArchiveIterator(stream, arc2warc=True)
        try:
            for number, record in enumerate(records, start=1):
                # (warcio's get_record_offset() would consume the record body: use a count.)
                source = f"{path}#record-{number}"
                if record.rec_type not in ("response", "resource"):
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                if not url:
                    yield InputRecord(source, error="WARC record has no WARC-Target-URI")
                    continue
                source = f"{path}#record-{number} {url}"
                headers: dict[str, str] = {}
                status = 200
                if record.http_headers is not None:
                    headers = dict(record.http_headers.headers)
                    try:
                        status = int(record.http_headers.get_statuscode() or 200)
                    except ValueError:
                        status = 0
                elif record.rec_headers.get_header("Content-Type"):
                    headers = {"Content-Type": record.rec_headers.get_header("Content-Type")}
                if record.rec_type == "response" and not 200 <= status < 300:
                    yield InputRecord(source, error=f"HTTP status {status}", skipped=True)
                    continue
                body = record.content_stream().read(max_bytes + 1)
                if len(body) > max_bytes:
                    yield InputRecord(
                        source,
                        error=f"page is over the limit of {max_bytes:,} bytes"
                        " (setting ingest.max_page_bytes)",
                    )
                    continue
                fetched = _warc_date(record.rec_headers.get_header("WARC-Date"))
                yield InputRecord(source, FetchedPage(url, body, headers, status, fetched))
        except (ArchiveLoadFailed, EOFError, OSError, ValueError) as exc:
            yield InputRecord(
                str(path), error=f"corrupt or truncated WARC, rest of file not readable: {exc}"
            )


def read_inputs(files: list[Path], url: str | None, max_bytes: int) -> Iterator[InputRecord]:
    for path in files:
        name = path.name.lower()
        try:
            if name.endswith(WARC_SUFFIXES):
                yield from read_warc(path, max_bytes)
            else:
                yield from read_html_file(path, url, max_bytes)
        except OSError as exc:
            yield InputRecord(str(path), error=f"cannot read file: {exc.strerror or exc}")


def import_paths(
    store: Store,
    paths: list[Path],
    settings: Settings,
    url: str | None = None,
    on_record: Callable[[InputRecord], None] | None = None,
) -> ImportReport:
    """Import every page under `paths`; per-record errors are reported, never raised."""
    files = collect_inputs(paths)
    if url and (len(files) != 1 or files[0].name.lower().endswith(WARC_SUFFIXES)):
        raise UsageError("--url applies to a single HTML file")
    analyser = PageAnalyser(settings)
    report = ImportReport()
    for item in read_inputs(files, url, settings.ingest.max_page_bytes):
        if on_record:
            on_record(item)
        if item.page is None:
            if item.skipped:
                report.skipped += 1
            else:
                report.failures.append(Failure(item.source, item.error or "unreadable"))
            continue
        outcome = ingest_page(store, analyser, item.page, item.source, report)
        if outcome is not None:
            report.count(outcome)
    return report


def ingest_page(
    store: Store, analyser: PageAnalyser, page: FetchedPage, source: str, report: ImportReport
) -> SaveOutcome | None:
    """Analyse and store one page. Returns None (and records the failure) when it cannot."""
    if store.current_hash(canonical_url(page.url)) == page.sha256:
        return SaveOutcome.UNCHANGED
    try:
        article = analyser.analyse(page)
        return store.save(page, article)
    except PageError as exc:
        report.failures.append(Failure(source, str(exc)))
    except CoopwatchError:
        raise
    except Exception as exc:  # a bug or a library failure on one odd page must not stop the run
        log.exception("unexpected failure on %s", source)
        report.failures.append(Failure(source, f"internal error: {type(exc).__name__}: {exc}"))
    return None
