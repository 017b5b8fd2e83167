"""Main text and metadata of a news page: trafilatura for body, title and date, then our filters."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import trafilatura
from lxml import etree

from coopwatch.errors import ExtractionError
from coopwatch.records import ExtractedText
from nlp.dateline import parse_dateline
from nlp.dedup import drop_repeats
from nlp.language import detect_language

# "Read also" and similar cross-links that sit inside article bodies.
_CROSS_LINK = re.compile(
    r"^\s*(read (more|also)|see also|related|lesen sie (auch|mehr)|mehr zum thema|siehe auch"
    r"|auch interessant|читайте (также|еще|ещё)|смотрите также|см\. также|по теме)\b",
    re.IGNORECASE,
)
# A line that is only a date/time, e.g. "04.11.2025, 12:41" or "17 February 2026".
_DATE_ONLY = re.compile(r"^[\d\s.,:/\-–]+$|^\d{1,2}[ .]+\w+[ .]+\d{4}(,? \d{1,2}:\d{2})?$")
# Paragraph-level elements of trafilatura's output tree.
_BLOCK_TAGS = {"p", "head", "quote", "item", "cell", "code"}


@dataclass(slots=True, frozen=True)
class ExtractOptions:
    languages: tuple[str, ...] = ("de", "ru", "en")
    min_paragraph_chars: int = 2
    near_repeat_threshold: float = 0.8


def _block_text(element: etree._Element) -> tuple[str, float]:
    """Text of a block with collapsed whitespace, and the share of it inside links."""
    text = " ".join("".join(element.itertext()).split())
    linked = sum(len(" ".join("".join(ref.itertext()).split())) for ref in element.iter("ref"))
    return text, (linked / len(text) if text else 0.0)


def _body_blocks(body: etree._Element) -> list[etree._Element]:
    """Paragraph-level blocks in document order (list items one by one, not whole lists)."""
    blocks = []
    for element in body.iter():
        if element.tag in _BLOCK_TAGS and not any(
            ancestor.tag in _BLOCK_TAGS for ancestor in element.iterancestors()
        ):
            blocks.append(element)
    return blocks


def _is_body_paragraph(
    text: str, link_share: float, tag: str, title: str | None, minimum: int
) -> bool:
    if len(text) < minimum:
        return False
    if title and " ".join(text.split()).casefold() == " ".join(title.split()).casefold():
        return False
    if _CROSS_LINK.match(text) or _DATE_ONLY.match(text):
        return False
    # A block that is (almost) all link text is a teaser or navigation, not story text.
    return not (link_share > 0.8 and tag != "quote")


def extract_text(
    html: str, url: str, options: ExtractOptions, fallback_date: date | None = None
) -> ExtractedText:
    """Body paragraphs (page order, repeats dropped), title, date, language and dateline."""
    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_links=True,
        include_tables=True,
        deduplicate=False,
        as_dict=False,
    )
    if document is None or document.body is None:
        raise ExtractionError("no main text found in the page")
    title = " ".join(document.title.split()) if document.title else None
    paragraphs = []
    for block in _body_blocks(document.body):
        text, link_share = _block_text(block)
        if _is_body_paragraph(text, link_share, block.tag, title, options.min_paragraph_chars):
            paragraphs.append(text)
    paragraphs, repeated = drop_repeats(paragraphs, options.near_repeat_threshold)
    if not paragraphs:
        raise ExtractionError("the page has no body paragraphs")

    language = detect_language(" ".join(paragraphs), options.languages)
    published = document.date[:10] if document.date else None
    context = date.fromisoformat(published) if published else fallback_date
    dateline = parse_dateline(paragraphs[0], language, context)
    if published is None and dateline and dateline.day:
        published = dateline.day.isoformat()
    return ExtractedText(
        title=title,
        published=published,
        paragraphs=paragraphs,
        repeated_paragraphs=repeated,
        language=language,
        dateline=dateline.text if dateline else None,
        dateline_place=dateline.place if dateline else None,
    )
