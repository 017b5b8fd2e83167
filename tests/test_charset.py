"""Charset: BOM > valid UTF-8 > HTTP header > <meta> > detection; refusing non-text bytes."""

from __future__ import annotations

import codecs
import io
import json
import os
import zlib

import pytest
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from coopwatch.cli import cli
from coopwatch.errors import DecodeError
from nlp.charset import decode_html, looks_binary

RU = "Министерства цифрового развития Казахстана и Беларуси подписали соглашение о сотрудничестве."
DE = "Die Behörden in Österreich und Südtirol tauschen Erfahrungen über die E-Akte aus: größer."


def page(text: str, meta: str | None = None) -> str:
    head = f'<meta charset="{meta}">' if meta else ""
    return f"<html><head>{head}<title>t</title></head><body><p>{text}</p></body></html>"


def test_windows_1251_declared_only_in_meta():
    body = page(RU, meta="windows-1251").encode("cp1251")
    text, codec = decode_html(body, "text/html")
    assert RU in text
    assert codec == "cp1251"


def test_meta_http_equiv_content_type_is_read():
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
        f"</head><body><p>{RU}</p></body></html>"
    )
    text, _ = decode_html(html.encode("cp1251"))
    assert RU in text


def test_iso_8859_1_declared_in_http_header_only():
    body = page(DE).encode("iso-8859-1")
    text, _ = decode_html(body, "text/html; charset=ISO-8859-1")
    assert DE in text


def test_http_header_beats_meta():
    body = page(DE, meta="utf-8").encode("iso-8859-1")
    text, _ = decode_html(body, "text/html; charset=iso-8859-1")
    assert DE in text


@pytest.mark.parametrize(
    ("text", "label"),
    [(DE, "ISO-8859-1"), (DE, "windows-1252"), (RU, "windows-1251"), (RU, "koi8-r")],
)
def test_utf8_page_labelled_with_a_legacy_charset_is_read_as_utf8(text, label):
    """Servers keep announcing their old charset after a site moved to UTF-8."""
    body = page(text, meta=label).encode("utf-8")
    decoded, codec = decode_html(body, f"text/html; charset={label}")
    assert text in decoded
    assert codec == "utf-8"


def test_legacy_text_that_happens_to_be_ascii_keeps_its_label():
    body = page("Astana and Minsk signed a memorandum.").encode("ascii")
    _, codec = decode_html(body, "text/html; charset=windows-1251")
    assert codec == "cp1251"


def test_utf8_with_bom_drops_the_bom():
    body = codecs.BOM_UTF8 + page(RU).encode("utf-8")
    text, _ = decode_html(body)
    assert RU in text
    assert not text.startswith("\ufeff")


def test_utf8_bom_beats_a_wrong_header():
    # A byte order mark cannot be there by accident; browsers (WHATWG) let it win.
    body = codecs.BOM_UTF8 + page(RU).encode("utf-8")
    text, _ = decode_html(body, "text/html; charset=windows-1251")
    assert RU in text
    assert not text.startswith("\ufeff")


def test_utf16_with_bom():
    body = codecs.BOM_UTF16_LE + page(DE).encode("utf-16-le")
    text, _ = decode_html(body)
    assert DE in text


def test_header_says_utf8_but_page_is_cp1251_with_meta():
    body = page(RU, meta="windows-1251").encode("cp1251")
    text, _ = decode_html(body, "text/html; charset=utf-8")
    assert RU in text


def test_header_says_utf8_but_page_is_cp1251_without_any_declaration():
    body = page(RU * 5).encode("cp1251")
    text, codec = decode_html(body, "text/html; charset=utf-8")
    assert RU in text
    assert codec == "cp1251"


def test_undeclared_utf8_is_utf8():
    text, codec = decode_html(page(RU + DE).encode("utf-8"))
    assert RU in text and DE in text
    assert codec == "utf-8"


def test_unknown_charset_label_falls_back():
    text, _ = decode_html(
        page(DE, meta="x-no-such-charset").encode("utf-8"), "text/html; charset=bogus"
    )
    assert DE in text


def test_meta_after_a_long_head_is_found():
    scripts = "<script>var x = 1;</script>" * 800  # > 8 KB before the meta tag
    html = f"<html><head>{scripts}<meta charset=windows-1251></head><body><p>{RU}</p></body></html>"
    text, _ = decode_html(html.encode("cp1251"))
    assert RU in text


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   \n\t  ",
    ],
    ids=["empty", "whitespace"],
)
def test_empty_page_is_refused(body: bytes):
    with pytest.raises(DecodeError, match="empty"):
        decode_html(body)


@pytest.mark.parametrize(
    "body",
    [
        b"\x89PNG\r\n\x1a\n" + os.urandom(5000),
        b"\xff\xd8\xff\xe0\x00\x10JFIF" + os.urandom(5000),
        zlib.compress(page(DE).encode() * 50),
        os.urandom(3000),
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + zlib.compress(os.urandom(4000)),
    ],
    ids=["png", "jpeg", "zlib", "random", "pdf"],
)
def test_binary_content_is_refused(body: bytes):
    assert looks_binary(body)
    with pytest.raises(DecodeError, match="binary"):
        decode_html(body)


def test_text_in_legacy_charsets_is_not_binary():
    for codec in ("cp1251", "iso-8859-1", "utf-8", "koi8-r"):
        assert not looks_binary(page(RU if codec != "iso-8859-1" else DE).encode(codec))


RU_STORY = [
    "Министерства цифрового развития Казахстана и Беларуси подписали соглашение о "
    "сотрудничестве в сфере электронного правительства.",
    "Стороны договорились объединить порталы государственных услуг и признавать электронные "
    "подписи друг друга.",
    "Первые совместные услуги для граждан обеих стран планируется запустить в следующем году.",
]
DE_STORY = [
    "Die Digitalministerien Österreichs und Südtirols tauschen künftig Erfahrungen über die "
    "elektronische Akte aus.",
    "Bürgerinnen und Bürger sollen Anträge grenzüberschreitend stellen können, ohne Papier.",
    "Größere Änderungen am Datenschutz seien dafür nicht nötig, hieß es aus dem Ministerium.",
]


def story_page(title: str, paragraphs: list[str], head: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head>{head}<title>{title}</title></head><body><nav>Home</nav>"
        f"<article><h1>{title}</h1>{body}</article><footer>Impressum</footer></body></html>"
    )


def test_pages_in_legacy_and_mislabelled_charsets_import_right(tmp_path, monkeypatch):
    """Through the CLI and the store: every page comes out as the text it was written in."""
    for name in ("COOPWATCH_CONFIG", "COOPWATCH_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    ru_meta = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
    pages = {
        # windows-1251 declared only in <meta>, no charset in the HTTP header
        "https://ru.example/meta-1251": (
            story_page("Цифровое сотрудничество", RU_STORY, ru_meta).encode("cp1251"),
            "text/html",
        ),
        # ISO-8859-1 declared only in the HTTP header
        "https://de.example/header-latin1": (
            story_page("Digitale Zusammenarbeit", DE_STORY).encode("iso-8859-1"),
            "text/html; charset=ISO-8859-1",
        ),
        # UTF-8 with a byte order mark, no declaration at all
        "https://ru.example/bom": (
            codecs.BOM_UTF8 + story_page("Цифровое сотрудничество", RU_STORY).encode("utf-8"),
            "text/html",
        ),
        # the header says utf-8, the bytes are windows-1251, nothing else declared
        "https://ru.example/header-lies": (
            story_page("Цифровое сотрудничество", RU_STORY).encode("cp1251"),
            "text/html; charset=utf-8",
        ),
    }
    warc = tmp_path / "charsets.warc.gz"
    with warc.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, (body, content_type) in pages.items():
            http = StatusAndHeaders("200 OK", [("Content-Type", content_type)], "HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    url, "response", payload=io.BytesIO(body), http_headers=http
                )
            )
    runner = CliRunner()
    data_dir = str(tmp_path / "data")
    result = runner.invoke(cli, ["--data-dir", data_dir, "import", str(warc)])
    assert result.exit_code == 0, result.output
    exported = runner.invoke(cli, ["--data-dir", data_dir, "export", "--format", "jsonl"])
    articles = {
        r["url"]: r for r in map(json.loads, exported.stdout.splitlines()) if r["type"] == "article"
    }
    assert set(articles) == set(pages)
    for url, article in articles.items():
        story = DE_STORY if url.startswith("https://de.") else RU_STORY
        assert article["paragraphs"] == story, url
        assert article["language"] == ("de" if story is DE_STORY else "ru"), url
        assert article["title"] in ("Цифровое сотрудничество", "Digitale Zusammenarbeit"), url
