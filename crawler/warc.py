"""Rotating, gzip-compressed WARC files of every response, re-importable with `coopwatch import`.

Each record is its own gzip member and is flushed at once, so a killed crawl leaves every
earlier record readable; a new file is started when the current one reaches the size limit.
"""

from __future__ import annotations

import io
import os
from datetime import UTC, datetime
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

WARC_DIR = "warc"
PAGES_DIR = "pages"  # article responses, any status: `coopwatch import <data>/warc/pages`
HUBS_DIR = "hubs"  # robots.txt, feeds, sitemaps, listing pages
# Hop-by-hop framing that no longer describes the stored body (it was already de-chunked).
_DROP_HEADERS = {"transfer-encoding"}


class RotatingWarcWriter:
    """Writes response records to `<data_dir>/warc/<prefix>-<time>-<pid>-<n>.warc.gz`."""

    def __init__(self, directory: Path, prefix: str, max_bytes: int, software: str = "coopwatch"):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.prefix = prefix
        self.max_bytes = max_bytes
        self.software = software
        self._stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        self._serial = 0
        self._file: io.BufferedWriter | None = None
        self._writer: WARCWriter | None = None
        self.path: Path | None = None
        self.files: list[Path] = []

    def _open(self) -> WARCWriter:
        self._serial += 1
        name = f"{self.prefix}-{self._stamp}-{os.getpid()}-{self._serial:05d}.warc.gz"
        self.path = self.directory / name
        self._file = self.path.open("ab")
        self._writer = WARCWriter(self._file, gzip=True)
        info = self._writer.create_warcinfo_record(
            name, {"software": self.software, "format": "WARC File Format 1.1"}
        )
        self._writer.write_record(info)
        self.files.append(self.path)
        return self._writer

    def write_response(
        self,
        url: str,
        status: int,
        headers: list[tuple[str, str]],
        body: bytes,
        *,
        protocol: str = "HTTP/1.1",
        ip_address: str | None = None,
    ) -> None:
        writer = self._writer or self._open()
        kept = [(k, v) for k, v in headers if k.lower() not in _DROP_HEADERS]
        http_headers = StatusAndHeaders(f"{status} {_reason(status)}", kept, protocol=protocol)
        warc_headers = {"WARC-Date": datetime.now(UTC).isoformat(timespec="microseconds")}
        if ip_address:
            warc_headers["WARC-IP-Address"] = ip_address
        record = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=http_headers,
            warc_headers_dict=warc_headers,
        )
        writer.write_record(record)
        assert self._file is not None
        self._file.flush()
        if self._file.tell() >= self.max_bytes:
            self.close()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        self._file = None
        self._writer = None


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
