"""Turn page bytes into text: BOM > valid UTF-8 > HTTP header charset > <meta> > detection.

A byte order mark cannot be there by accident, so (as in browsers, WHATWG) it beats the header.
Nor can valid multi-byte UTF-8: text in a legacy single-byte charset (windows-1251, -1252,
latin-1) practically never forms valid UTF-8 sequences, while servers still label UTF-8 pages
with their old charset. So non-ASCII bytes that decode as UTF-8 are UTF-8, whatever the label.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from coopwatch.errors import DecodeError

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# WHATWG: pages labelled latin-1/ascii are decoded as windows-1252 (a superset) by browsers.
_WHATWG_ALIASES = {"iso8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252"}
# How far into the page a <meta charset> is looked for (long <head>s of scripts are common).
_META_WINDOW = 65536
# Control bytes that never occur in a text page in any charset we read (not \t \n \f \r ESC).
_CONTROL_BYTES = bytes([*range(0, 9), 11, *range(14, 27), *range(28, 32)])
_BINARY_MAGIC = (
    b"\x89PNG",
    b"\xff\xd8\xff",  # JPEG
    b"GIF8",
    b"%PDF-",
    b"PK\x03\x04",  # zip, docx, xlsx
    b"\x1f\x8b",  # gzip
    b"RIFF",  # webp, wav, avi
    b"\x00\x00\x00",  # mp4/mov boxes
)


def _codec(label: str | bytes | None) -> str | None:
    """The Python codec name for a charset label, or None when unknown."""
    if not label:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", "ignore")
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    return _WHATWG_ALIASES.get(name, name)


def header_charset(content_type: str | None) -> str | None:
    match = _HEADER_CHARSET.search(content_type or "")
    return match.group(1) if match else None


def looks_binary(body: bytes) -> bool:
    """True for bytes that are no text document (images, archives, executables)."""
    head = body[:4096]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if head.startswith(_BINARY_MAGIC):
        return True
    # Compressed or random bytes hold ~10 % control bytes; text pages hold almost none.
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls > len(head) // 100


def _valid_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode an HTML page; returns (text, codec used). Raises DecodeError for non-text bytes."""
    if not body.strip():
        raise DecodeError("empty page: no bytes to read")
    if looks_binary(body):
        raise DecodeError("binary content, not an HTML page")
    candidates: list[str] = []
    for bom, codec in _BOMS:
        if body.startswith(bom):
            candidates.append(codec)
            break
    else:
        if not body.isascii() and _valid_utf8(body):
            return body.decode("utf-8"), "utf-8"
    declared = _codec(header_charset(content_type))
    if declared:
        # "utf-8" would keep a BOM as U+FEFF at the start of the text.
        candidates.append("utf-8-sig" if declared == "utf-8" else declared)
    meta = _META_CHARSET.search(body[:_META_WINDOW])
    if meta and _codec(meta.group(1)):
        candidates.append(_codec(meta.group(1)))  # type: ignore[arg-type]
    for codec in candidates:
        try:
            return body.decode(codec), codec
        except (UnicodeDecodeError, LookupError):
            continue  # a wrong declaration: try the next source of truth
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(body[:200_000]).best()
    if best is None:
        raise DecodeError("cannot determine the text encoding")
    codec = _codec(best.encoding) or best.encoding
    return body.decode(codec, errors="replace"), codec
