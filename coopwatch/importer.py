"""`coopwatch import`: stream HTML files and WARC records through the pipeline into the store.

Each record is analysed and saved on its own (one transaction), so a failure or a kill
loses nothing already stored, and re-running the same import stores every record once.
"""

from __future__ import annotations

import gzip
import logging
import multiprocessing
import os
import re
import zlib
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeadersParserException

from coopwatch.actors import ActorRegistry
from coopwatch.errors import CoopwatchError, NotAnArticle, PageError, UsageError
from coopwatch.events import EventAssigner
from coopwatch.pipeline import PageAnalyser
from coopwatch.records import Article, FetchedPage
from coopwatch.settings import Settings
from coopwatch.store import SaveOutcome, Store
from coopwatch.urls import canonical_url
from nlp import syndication

log = logging.getLogger(__name__)

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
HTML_GZ_SUFFIXES = tuple(suffix + ".gz" for suffix in HTML_SUFFIXES)  # crawl dumps, test sets
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
    # WARC records that are no page (requests, redirects, HTTP errors) and pages that are no
    # article (consent walls, error pages served with status 200)
    skipped: int = 0
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
    """One page read from an input, or the reason it could not be read.

    With neither `page` nor `error` it only reports progress (`read_bytes`).
    """

    source: str
    page: FetchedPage | None = None
    error: str | None = None
    skipped: bool = False
    read_bytes: int = 0  # bytes of the input file consumed since the previous item


def collect_inputs(paths: list[Path]) -> list[Path]:
    """Expand directories into their HTML and WARC files (sorted), keep files as given."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and p.name.lower().endswith(HTML_SUFFIXES + HTML_GZ_SUFFIXES + WARC_SUFFIXES)
                )
            )
        elif path.exists():
            files.append(path)
        else:
            raise UsageError(f"no such file or directory: {path}")
    if not files:  # "imported 0" for a directory of other files would look like success
        names = ", ".join(str(p) for p in paths)
        raise UsageError(
            f"nothing to import in {names}: no HTML (.html, .htm, .xhtml, also gzipped) "
            "or WARC (.warc, .warc.gz) files"
        )
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
            read_bytes=size,
        )
        return
    if path.name.lower().endswith(HTML_GZ_SUFFIXES):
        try:
            with gzip.open(path, "rb") as handle:
                body = handle.read(max_bytes + 1)
        except (OSError, EOFError, zlib.error) as exc:
            yield InputRecord(source, error=f"not a readable gzip file: {exc}", read_bytes=size)
            return
        if len(body) > max_bytes:
            yield InputRecord(
                source,
                error=f"page is over the limit of {max_bytes:,} bytes unpacked"
                " (setting ingest.max_page_bytes)",
                read_bytes=size,
            )
            return
    else:
        body = path.read_bytes()
    fetched = datetime.fromtimestamp(path.stat().st_mtime).astimezone()
    yield InputRecord(
        source,
        FetchedPage(url=url or page_url_from_html(body, path), body=body, fetched_at=fetched),
        read_bytes=size,
    )


def _warc_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


_GZIP_MAGIC = b"\x1f\x8b\x08"
# A target URI we can store a page under (damaged headers yield control bytes and the like).
_URL = re.compile(r"^(https?|ftp|file)://[^\s\x00-\x1f\x7f]+$", re.IGNORECASE)
_WARC_START = b"\nWARC/1."
_SCAN_CHUNK = 1 << 20
# What warcio and zlib raise on a damaged record; the import skips to the next record.
_WARC_ERRORS = (
    ArchiveLoadFailed,
    StatusAndHeadersParserException,
    EOFError,
    OSError,
    ValueError,
    zlib.error,
)


def _next_record_start(stream: BinaryIO, after: int, gzipped: bool) -> int | None:
    """Offset of the next gzip member (or `WARC/1.` line) at or after `after`, else None.

    Lets the import resync after a damaged record instead of losing the rest of the file.
    """
    marker = _GZIP_MAGIC if gzipped else _WARC_START
    skip = 0 if gzipped else 1  # the found offset points at "\n" before "WARC/1."
    position = max(after - skip, 0)
    while True:
        stream.seek(position)
        chunk = stream.read(_SCAN_CHUNK + len(marker))
        found = chunk.find(marker)
        if found >= 0:
            return position + found + skip
        if len(chunk) < _SCAN_CHUNK + len(marker):
            return None
        position += _SCAN_CHUNK


class _ArchiveIterator(ArchiveIterator):
    """warcio's record iterator, noting when the file ends inside a gzip member (cut off)."""

    ended_inside_member = False

    def close(self) -> None:
        decompressor = self.reader.decompressor if self.reader else None
        if decompressor is not None and not decompressor.eof:
            self.ended_inside_member = True
        super().close()


def _drain(stream: BinaryIO) -> None:
    while stream.read(65536):
        pass


class _DamagedRecord(Exception):
    """A record whose bytes are broken (cut off, failing its digest, garbled header)."""

    def __init__(self, source: str, reason: str):
        super().__init__(reason)
        self.source = source


def read_warc(path: Path, max_bytes: int) -> Iterator[InputRecord]:
    """Stream response/resource records; the record body is read up to the page limit only.

    A damaged record (bad header, corrupt gzip member, failing digest, truncated body) is
    reported once and the reader resyncs at the next record; a cut-off file reports its last
    record. Nothing is ever read whole: bodies stop at `max_bytes`, the rest is skipped.
    """
    with path.open("rb") as stream:
        gzipped = stream.read(2) == _GZIP_MAGIC[:2]
        size = os.fstat(stream.fileno()).st_size
        start: int | None = 0
        number = 0  # records seen so far (warcio's get_record_offset() would read the body)
        done = 0  # bytes of the file reported as read, for progress bars
        while start is not None:
            stream.seek(start)
            # Digests are checked (and recorded on each record) so damaged bytes are refused.
            records = _ArchiveIterator(stream, arc2warc=True, check_digests=True)
            iterator = iter(records)
            last_start, start = start, None  # resyncs only ever move forward from last_start
            ended = cut_record = False
            while not ended:
                item: InputRecord | None = None
                in_body = False
                try:
                    record = next(iterator)
                    number, in_body = number + 1, True
                    last_start = max(last_start, records.offset)
                    item = _warc_item(path, number, record, max_bytes)
                    cut_record = record.raw_stream.limit > 0  # too big: skipped, not damaged
                except StopIteration:
                    # Bytes left that make no record: the file was cut inside the next record.
                    cut_off = records.ended_inside_member or records.offset < size
                    if cut_record or not cut_off:
                        break
                    ended = True
                    item = InputRecord(
                        f"{path}#record-{number + 1} (byte {records.offset:,})",
                        error="truncated WARC file: it ends inside this record",
                    )
                except Exception as exc:  # warcio on damaged bytes can raise almost anything
                    # The reader's state after a broken record is not to be trusted: start a
                    # new one at the next record after it. warcio's offset can overshoot inside
                    # a broken gzip member, so never look before the last record begun.
                    ended = True
                    number += 0 if in_body else 1
                    offset = last_start if in_body else max(records.offset, last_start)
                    start = _next_record_start(stream, offset + 1, gzipped)
                    rest = "skipped to the next record" if start else "no record after it"
                    if isinstance(exc, _DamagedRecord):
                        source, reason = exc.source, str(exc)
                    else:
                        source = f"{path}#record-{number} (byte {offset:,})"
                        reason = f"invalid WARC record: {_one_line(exc)}"
                    item = InputRecord(source, error=f"{reason}; {rest}")
                position = min(stream.tell(), size)
                if item is not None:
                    item.read_bytes = max(position - done, 0)
                    done = max(position, done)
                    yield item
        if size > done:
            yield InputRecord(str(path), read_bytes=size - done)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    if not isinstance(exc, _WARC_ERRORS):  # e.g. AttributeError from a header warcio lost
        text = f"{type(exc).__name__}: {text}"
    return text if len(text) <= 120 else text[:120] + "..."


# Record types of WARC 1.0/1.1 (and ARC records read as WARC); anything else is a broken header.
_WARC_TYPES = frozenset(
    {"warcinfo", "response", "resource", "request", "metadata", "revisit", "conversion"}
    | {"continuation"}
)


def _check_intact(record: Any, source: str) -> None:
    """Read the rest of the record; raise _DamagedRecord when it is cut off or fails its digest."""
    _drain(record.raw_stream)
    if record.raw_stream.limit > 0:
        # The file ended (or a gzip member broke off) before the record's Content-Length.
        missing = record.raw_stream.limit
        raise _DamagedRecord(source, f"truncated WARC record: {missing:,} bytes of it are missing")
    checker = getattr(record, "digest_checker", None)
    # Only the block digest: payload digests of chunked responses differ between writers.
    if checker and any(p.startswith("block digest failed") for p in checker.problems):
        raise _DamagedRecord(source, "damaged WARC record: its bytes fail WARC-Block-Digest")


def _warc_item(path: Path, number: int, record: Any, max_bytes: int) -> InputRecord | None:
    """The page in one WARC record, a reason it cannot be imported, or None (no page record).

    Raises _DamagedRecord for broken bytes, so the reader resyncs after the record.
    """
    source = f"{path}#record-{number}"
    if record.rec_type not in _WARC_TYPES:
        raise _DamagedRecord(source, f"unknown WARC-Type {str(record.rec_type)[:40]!r}")
    if record.rec_type not in ("response", "resource"):
        _check_intact(record, source)  # a wrong length here would misplace the next record
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    if not url:
        raise _DamagedRecord(source, "WARC record has no WARC-Target-URI")
    url = url.strip().strip("<>")  # WARC/1.0 writers may bracket it
    if not _URL.match(url):
        raise _DamagedRecord(source, f"WARC-Target-URI is not a web address: {url[:60]!r}")
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
        _check_intact(record, source)
        return InputRecord(source, error=f"HTTP status {status}", skipped=True)
    body = record.content_stream().read(max_bytes + 1)
    if len(body) > max_bytes:
        return InputRecord(
            source,
            error=f"page is over the limit of {max_bytes:,} bytes (setting ingest.max_page_bytes)",
        )
    _check_intact(record, source)
    fetched = _warc_date(record.rec_headers.get_header("WARC-Date"))
    return InputRecord(source, FetchedPage(url, body, headers, status, fetched))


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
    """Import every page under `paths`; per-record errors are reported, never raised.

    Large imports analyse pages in worker processes (setting ingest.workers); this process
    stores the results one by one in input order, so events and copies come out the same.
    """
    files = collect_inputs(paths)
    if url and (len(files) != 1 or files[0].name.lower().endswith(WARC_SUFFIXES)):
        raise UsageError("--url applies to a single HTML file")
    report = ImportReport()
    total_bytes = sum(path.stat().st_size for path in files)
    parallel = settings.ingest.workers > 1 and total_bytes >= settings.ingest.parallel_min_bytes
    with AnalysisPool(settings, settings.ingest.workers if parallel else 0) as pool:
        for item, analysed in pool.analyse_in_order(
            read_inputs(files, url, settings.ingest.max_page_bytes), store
        ):
            if item.page is not None:
                outcome = store_page(store, item.page, analysed, item.source, report)
                if outcome is not None:
                    report.count(outcome)
            elif item.skipped:
                report.skipped += 1
            elif item.error is not None:
                report.failures.append(Failure(item.source, item.error))
            if on_record:
                on_record(item)  # after the record is stored, so progress never runs ahead
    return report


@dataclass(slots=True)
class Skipped:
    """A page that is no article (a consent wall, an error page): counted, not stored."""

    reason: str


# What analysing one page gave: the article, the unchanged marker, a page that is no article,
# or the failure's reason.
Analysed = Article | SaveOutcome | Skipped | PageError | str


def analyse_page(analyser: PageAnalyser, page: FetchedPage) -> Analysed:
    """The pure half of ingest (no store): page -> article, or why it cannot be one."""
    try:
        return analyser.analyse(page)
    except NotAnArticle as exc:
        return Skipped(str(exc))
    except PageError as exc:
        return exc
    except CoopwatchError:
        raise
    except Exception as exc:  # a bug or a library failure on one odd page must not stop the run
        log.exception("unexpected failure on %s", page.url)
        return f"internal error: {type(exc).__name__}: {exc}"


def store_page(
    store: Store,
    page: FetchedPage,
    analysed: Analysed,
    source: str,
    report: ImportReport,
    reanalyse: bool = False,
) -> SaveOutcome | None:
    """The store half of ingest: actor ids, copy check, article and event, in one transaction
    (a kill never leaves half of them). None (and a recorded failure) when it cannot."""
    if isinstance(analysed, SaveOutcome):
        return analysed
    if isinstance(analysed, Skipped):
        log.info("skipped %s: %s", source, analysed.reason)
        report.skipped += 1
        return None
    if not isinstance(analysed, Article):
        report.failures.append(Failure(source, str(analysed)))
        return None
    article = analysed
    try:
        with store.transaction():
            _stage(store, article, "actor registry", ActorRegistry(store.conn).resolve_article)
            signature = syndication.signature(article.paragraphs)
            outcome = store.save(page, article, signature, reanalysed=reanalyse)
            if outcome is not SaveOutcome.UNCHANGED:
                _stage(store, article, "event grouping", EventAssigner(store.conn).assign)
        return outcome
    except PageError as exc:
        report.failures.append(Failure(source, str(exc)))
    except CoopwatchError:
        raise
    except Exception as exc:  # a bug on one odd page must not stop the run
        log.exception("unexpected failure storing %s", source)
        report.failures.append(Failure(source, f"internal error: {type(exc).__name__}: {exc}"))
    return None


def _stage(
    store: Store, article: Article, name: str, function: Callable[[Article], object]
) -> None:
    """One store-side stage in its own savepoint: a bug on an odd article rolls back that
    stage's writes only; the article is stored with a warning (reprocess redoes the stage)."""
    try:
        with store.transaction():
            function(article)
    except CoopwatchError:
        raise
    except Exception as exc:  # logged with its traceback
        log.exception("%s failed on %s; stored without it", name, article.url)
        article.warnings.append(f"{name} failed: {type(exc).__name__}: {exc}")


def ingest_page(
    store: Store,
    analyser: PageAnalyser,
    page: FetchedPage,
    source: str,
    report: ImportReport,
    reanalyse: bool = False,
) -> SaveOutcome | None:
    """Analyse and store one page. Returns None (and records the failure) when it cannot.

    An unchanged page is skipped unless `reanalyse` (re-processing after a model upgrade).
    """
    if not reanalyse and store.current_hash(canonical_url(page.url)) == page.sha256:
        return SaveOutcome.UNCHANGED
    return store_page(store, page, analyse_page(analyser, page), source, report, reanalyse)


_worker_analyser: list[PageAnalyser] = []


def _start_worker(settings_json: str) -> None:
    _worker_analyser.append(PageAnalyser(Settings.model_validate_json(settings_json)))


def _analyse_in_worker(page: FetchedPage) -> Analysed:
    result = analyse_page(_worker_analyser[0], page)
    # Exceptions cross process borders badly (custom __init__s): send their message.
    return str(result) if isinstance(result, PageError) else result


class AnalysisPool:
    """Analyses pages in `workers` processes (0: in this process), results in input order.

    At most a few pages per worker are in flight, so memory stays flat on any input size.
    """

    def __init__(self, settings: Settings, workers: int):
        self.settings = settings
        self.workers = workers
        self.executor: ProcessPoolExecutor | None = None
        self.analyser: PageAnalyser | None = None

    def __enter__(self) -> AnalysisPool:
        if self.workers > 0:
            self.executor = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(self.settings.model_dump_json(),),
            )
        else:
            self.analyser = PageAnalyser(self.settings)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)

    def analyse_in_order(
        self, items: Iterator[InputRecord], store: Store
    ) -> Iterator[tuple[InputRecord, Analysed | None]]:
        """(item, analysis) per input item; unchanged pages are not analysed at all."""
        window: deque[tuple[InputRecord, Future[Analysed] | Analysed | None]] = deque()
        limit = max(1, 3 * self.workers)
        for item in items:
            work: Future[Analysed] | Analysed | None = None
            if item.page is not None:
                if store.current_hash(canonical_url(item.page.url)) == item.page.sha256:
                    work = SaveOutcome.UNCHANGED
                elif self.executor is not None:
                    work = self.executor.submit(_analyse_in_worker, item.page)
                else:
                    work = analyse_page(self.analyser, item.page)  # type: ignore[arg-type]
            window.append((item, work))
            while len(window) > limit or (window and not isinstance(window[0][1], Future)):
                yield self._settled(*window.popleft())
        while window:
            yield self._settled(*window.popleft())

    @staticmethod
    def _settled(
        item: InputRecord, work: Future[Analysed] | Analysed | None
    ) -> tuple[InputRecord, Analysed | None]:
        if isinstance(work, Future):
            try:
                return item, work.result()
            except Exception as exc:  # a worker died (out of memory, killed): this page fails
                return item, f"analysis worker failed: {type(exc).__name__}: {exc}"
        return item, work
