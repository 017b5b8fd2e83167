"""Main text and metadata of a news page: trafilatura for body, title and date, then our filters."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.utils import load_html

from coopwatch.errors import ExtractionError
from coopwatch.records import ExtractedText
from nlp.dateline import parse_dateline, place_line
from nlp.dedup import drop_repeats
from nlp.language import detect_language
from nlp.pubdate import printed_date

# "Read also" and similar cross-links that sit inside article bodies.
_CROSS_LINK = re.compile(
    r"^\s*(read (more|also)|also read|see also|related|lesen sie (auch|mehr)|mehr zum thema"
    r"|siehe auch|auch interessant|читайте (также|еще|ещё)|смотрите также|см\. также|по теме)\b",
    re.IGNORECASE,
)
# Calls to follow the outlet on social media or messengers, which close many stories.
_CHANNELS = (
    r"telegram|whatsapp|viber|vk\b|вконтакте|facebook|instagram|youtube|twitter|дзен|dzen"
    r"|google news|newsletter|рассылк|linkedin|tiktok|threads|rutube|одноклассник"
    r"|\bon x\b|\bauf x\b|(?<!\w)@\w{3,}"  # X (formerly Twitter) and handles: "on X: @agency"
)
_CALL_TO_ACTION = (
    r"subscribe|follow|join|read|stay|abonnier|folg|lesen|подписыва|следите|читать|читайте"
    r"|присоединя|подпишитесь|schau|vorbei|besuch|visit"
)
_PROMO = re.compile(rf"^(?=.*({_CHANNELS}))(?=.*({_CALL_TO_ACTION}))", re.IGNORECASE)
# Credit lines of republished stories: "This article first appeared in …".
_CREDIT = re.compile(
    r"^\s*(dieser (beitrag|artikel) (erschien|ist) (zuerst|zunächst|ursprünglich)"
    r"|(this|the) (article|story|piece) (was )?(first|originally) (appeared|published)"
    r"|originally published|first published|материал (впервые )?(опубликован|вышел)"
    r"|статья (впервые )?(опубликована|вышла))",
    re.IGNORECASE,
)
# Source and picture credits closing a story: "Источник: пресс-служба", "Foto: Ministerium".
_SOURCE_LINE = re.compile(
    r"^\s*(источник|фото|source|sources|photo|photos|credit|quelle|foto|fotos|bild"
    r"|(photo|image|picture|cover)\s+(credit|source)s?|фото\s+(источник|автор)\w*)\s*:",
    re.IGNORECASE,
)
# A dateline standing alone on its line: "Baku, September 24", "Minsk, 4. November".
_DATELINE_ONLY = re.compile(
    r"^[A-ZÄÖÜА-ЯЁ][\w'’ .-]{1,30},\s*(\d{1,2}\.?\s+[^\W\d]{3,12}|[^\W\d]{3,12}\s+\d{1,2})"
    r"(,?\s+\d{4})?\.?\s*(\([^)]{2,20}\)|[,.]?\s*/[^/]{2,20}/|,\s*[A-ZА-ЯЁ][\w.-]{1,20})?\.?$"
)  # "Baku, November 26, AZERTAC", "Minsk, 4. November (BelTA)"
# A Russian date-and-place line: "5 февраля 2026 г., г. Бишкек"
_RU_DATE_PLACE = re.compile(
    r"^\d{1,2}\s+[а-яё]+\s+\d{4}\s*(?:г\.|года)?,?\s*(?:г\.\s*)?[А-ЯЁ][\w-]+\.?$"
)
# An advertising slot's label standing alone: "Advertisement", "Anzeige", "Реклама".
_AD_LABEL = re.compile(
    r"^\s*(advertisement|advertising|sponsored( content)?|ad|anzeige|werbung|реклама"
    r"|партнерский материал)\s*[.:]?\s*$",
    re.IGNORECASE,
)
# A line that is only a date/time, e.g. "04.11.2025, 12:41" or "17 February 2026".
_DATE_ONLY = re.compile(
    r"^[\d\s.,:/\-–]+$"
    r"|^\d{1,2}[ .]+\w+[ .]+\d{4}(,? \d{1,2}:\d{2}(\s?(Uhr|h|ч\.?|MSK|GMT|UTC|CET|MEZ))?)?$"
)
# "Published : Mar. 18, 2026 - 14:32 Updated : …", "Posted On: 08 APR 2026": the page's dates.
_PUBLISHED_LINE = re.compile(
    r"^(?:published|updated|last updated|posted(?: on)?|veröffentlicht(?: am)?|aktualisiert"
    r"(?: am)?|erstellt(?: am)?|stand|опубликовано|обновлено|дата публикации)\b[^\w]{0,4}"
    r"(?=.{0,40}\d)",
    re.IGNORECASE,
)
# A byline or the author's address alone: "By Kim So-yeon", "Von Anna Weber", "sykim@herald.com",
# "Jakob Reiter für Novastan".
_BYLINE = re.compile(
    r"^(?:(?:by|von|автор|text|текст)\s*:?\s+(?:[A-ZÄÖÜА-ЯЁ][\w.'’-]*\s*){1,4}"
    r"|\S+@\S+\.\w{2,}(?:\s*\(end\))?"
    r"|(?:[A-ZÄÖÜА-ЯЁ][\w'’-]+\s+){1,3}(?:für|for|для)\s+[A-ZÄÖÜА-ЯЁ][\w.-]+)$",
    re.IGNORECASE,
)
# Lines of a page's furniture: copyright, a photo's caption ("Minister X (l.) und …"), a
# currency-rate widget ("EUR - 13 815,90"), a press release's number and its fact box
# ("Ort: Berlin", "Pressekontakt").
_FURNITURE = re.compile(
    r"copyright|©|alle rechte vorbehalten|all rights reserved|все права защищены"
    r"|\((?:l|r|m|li|re|links|rechts|left|right|слева|справа)\.?\)"
    r"|^[A-Z]{3}\s*[-–:]\s*[\d\s.,]+$"
    r"|^(?:press(?:e)?(?:mitteilung|release)|пресс-релиз)\s+(?:nr\.|no\.|№)\s*[\d/]+$"
    r"|^\[(?:editor:|edited by\b)[^\]]*\]$|^\((?:additional\s+)?(?:reporting|writing|editing) by\b"
    # a press release's contact block and a government page's footer
    r"|^(?:notes? (?:to|for) editors|updates to this page)$"
    r"|^with (?:additional )?report(?:s|ing) from\b"  # "With reports from Milenio"
    r"|\([A-Z][\w.-]*(?:/[^()/]{2,40})+\)$"  # a caption's credit: "(Xinhua/Jorge Villegas)"
    r"|^\+?\d[\d\s()/.-]{6,}\d$"  # a telephone number
    r"|^(?:e-?mail|telephone|tel\.|phone|telefon)\s*:?\s*[\w.+-]+@[\w.-]+$"
    r"|^(?:telephone|tel\.|phone|telefon)\s*:?\s*\+?[\d\s()/-]{6,}$"
    r"|^(?:pressemitteilung|pressemeldung|press release|news release|пресс-релиз)$"
    # a caption closing with its photo credit: "Wendland mit der Delegation. Foto: MID"
    r"|(?:^|[.!?]\s)(?:foto|photo|фото|bild)\s?:\s?[^.!?:]{1,40}$"
    r"|^(?:notes|footnotes|endnotes|anmerkungen|fußnoten|примечания|сноски)$"
    r"|^[A-Z]{2,6}(?:/[A-Z][\w.'’ -]{1,30}){1,4}$"  # "WAM/Khalid Abdelrahman/Amjad Saleh"
    r"|^[^«.!?]{1,40}[»›]$",  # a breadcrumb's step: "Home»"
    re.IGNORECASE,
)
# Agency and release codes closing a story: "***", "SK/KS", "(END)", "(mle)", "(Release ID: 1)",
# a press release's "ENDS", an agency's sign-off "-- BERNAMA", Xinhua's "Enditem".
_CODE_LINE = re.compile(
    r"^(?:[\W_]+|[A-Za-zА-ЯЁ]{1,6}(?:/[\w-]{1,10}){1,5}"
    r"|\((?:end|[a-zäöü]{2,4}|release id:?\s*\d+)\)|-?ends?-?|конец|enditem"
    r"|[-–—]{1,2}\s*[A-ZА-ЯЁ]{2,12}"  # an agency's sign-off: "-- BERNAMA", "— VNS"
    r"|\([A-Z][\w]{1,12}(?:[-/][A-Za-z]{2,10}){0,2}\))$",  # "(Keystone-SDA)", "(APA)"
    re.IGNORECASE,
)
# The outlet asking readers for money or a subscription ("We're a reader-funded newsroom. Join
# our community …", "Unterstützen Sie unsere Arbeit"): an appeal and the outlet's journalism.
_APPEAL = re.compile(
    r"^(?=.*\b(?:support|subscrib\w*|join|donat\w*|contribut\w*|unterstütz\w*|abonnier\w*|"
    r"spende\w*|"
    r"поддерж\w*|подпи\w*)\b)(?=.*(?:journalism|newsroom|newspaper|reporting|journalismus|"
    r"redaktion|nachrichtenmagazin|bezahlschranke|журналистик|редакци))"
    r"|^.{0,60}\b(?:independent journalism|unabhängigen? journalismus|независим\w+ журналистик"
    r"|independent news organi[sz]ation|made possible by readers|reader-(?:funded|supported))",
    re.IGNORECASE,
)
# A short line without a sentence's end that is a label and its value ("Ort: Berlin").
_FACT_LINE = re.compile(r"^[^\W\d][\w-]*(?:\s[\w-]+){0,2}:\s.{1,60}$")
_SENTENCE_END = re.compile(r"[.!?…»“\"]\s*$")
# A contact block in one paragraph: "Rückfragehinweis: Bundeskanzleramt … Telefon: …"
_CONTACTS_LEAD = re.compile(
    r"^(?:media contacts?|press contacts?|pressekontakt|rückfragehinweis|контакты для сми)\s*:"
    r"(?=.{0,300}(?:@|\+?\d[\d\s/-]{6,}))",
    re.IGNORECASE | re.DOTALL,
)
# Short lines about the piece, not of it: the author's signature "(Name, 15.4.2026)", a
# broadcast's slot "SRF 4 News, 21.05.2026, 17:00 Uhr", a reading time "Lesezeit: 3 Min."
_META_LINE = re.compile(
    r"^\([^()]{3,40},\s*\d{1,2}\.\d{1,2}\.\d{2,4}\)$"
    r"|\b\d{1,2}\.\d{1,2}\.\d{4},?\s+\d{1,2}[:.]\d{2}\s*uhr\b"
    r"|\b(?:lesezeit|reading time|время чтения)\s*:?\s*\d",
    re.IGNORECASE,
)
# The heading of a press release's contact block ("Media contacts", "Rückfragehinweis:")
_CONTACTS_HEADING = re.compile(
    r"^(?:media enquiries|press enquiries|(?:press|media) contacts?|contacts? for (?:the )?media"
    r"|pressekontakt|rückfragehinweis|rückfragen(?: bitte)? an|kontakt für medien"
    r"|контакты для сми|пресс-служба:?)\s*:?$",
    re.IGNORECASE,
)


def _dateline_only(line: str) -> bool:
    """A dateline on a line of its own: "Baku, November 26, AZERTAC", or a known place alone in
    capitals or with a full date ("COLOMBO", "Islamabad 22 January 2026")."""
    return bool(_DATELINE_ONLY.match(line)) or (len(line) <= 40 and place_line(line) is not None)


def _is_label_line(paragraph: str) -> bool:
    """A short line that ends no sentence: a banner, kicker or label, not story text."""
    return len(paragraph) <= 80 and not _SENTENCE_END.search(paragraph)


# Paragraph-level elements of trafilatura's output tree.
_BLOCK_TAGS = {"p", "head", "quote", "item", "cell", "code"}


# Inline elements that stay inside a paragraph when <br>-separated text is split into paragraphs.
_INLINE_TAGS = {
    "a",
    "abbr",
    "b",
    "cite",
    "code",
    "em",
    "font",
    "i",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "time",
    "u",
    "mark",
    "nobr",
}
_BLOCK_CONTENT = "div|p|h1|h2|h3|h4|h5|h6|ul|ol|table|form|article|section|header|footer|nav"
_CAPTION_CLASS = re.compile(r"(^|[\s_-])(caption|photo-?credit|image-?credit)($|[\s_-])", re.I)


@dataclass(slots=True, frozen=True)
class ExtractOptions:
    languages: tuple[str, ...] = ("de", "ru", "en")
    min_paragraph_chars: int = 2
    near_repeat_threshold: float = 0.8


def _unwrap_layout_tables(tree: etree._Element) -> None:
    """Turn tables used for page layout (cells holding blocks) into divs.

    trafilatura treats tables as data and keeps them whole, so on old table-layout sites the
    menu, the story and the sidebar would come out as one "table" block.
    """
    for table in reversed(list(tree.iter("table"))):
        cells = table.xpath("./tr/td | ./tr/th | ./*/tr/td | ./*/tr/th")
        if not any(
            cell.xpath(f"./*[self::{' or self::'.join(_BLOCK_CONTENT.split('|'))}]")
            for cell in cells
        ):
            continue
        for element in [table, *table.iter("tbody", "thead", "tfoot", "tr", "td", "th")]:
            element.tag = "div"
            for attribute in ("width", "valign", "cellpadding", "cellspacing", "border"):
                element.attrib.pop(attribute, None)


def _split_br_paragraphs(tree: etree._Element) -> None:
    """Wrap runs of text separated by <br> into <p> elements.

    Many news sites write a story as text lines joined by <br>; without this, trafilatura
    returns the whole story as one paragraph.
    """
    for element in list(tree.iter("div", "td", "section", "article", "font", "span")):
        children = list(element)
        if sum(1 for child in children if child.tag == "br") < 2:
            continue
        segments = [element.text or ""] + [child.tail or "" for child in children]
        if sum(1 for segment in segments if len(segment.strip()) > 40) < 2:
            continue
        rebuilt: list[etree._Element] = []
        current = lxml.html.Element("p")
        current.text = element.text
        element.text = None
        for child in children:
            element.remove(child)
            if child.tag == "br":
                rebuilt.append(current)
                current = lxml.html.Element("p")
                current.text, child.tail = child.tail, None
            elif child.tag in _INLINE_TAGS:
                current.append(child)
            else:
                rebuilt.append(current)
                current = lxml.html.Element("p")
                current.text, child.tail = child.tail, None
                rebuilt.append(child)
        rebuilt.append(current)
        for block in rebuilt:
            if block.tag != "p" or "".join(block.itertext()).strip():
                element.append(block)


def _split_double_br_in_paragraphs(tree: etree._Element) -> None:
    """Split a <p> at blank lines (two <br> in a row) into one <p> per paragraph: a story
    pasted into one <p> ("…text<br /><br />text…") reads as paragraphs in the browser."""
    for paragraph in list(tree.iter("p")):
        children = list(paragraph)
        double = [
            k
            for k in range(len(children) - 1)
            if children[k].tag == "br"
            and children[k + 1].tag == "br"
            and not (children[k].tail or "").strip()
        ]
        parent = paragraph.getparent()
        if not double or parent is None:
            continue
        parts = [lxml.html.Element("p")]
        parts[0].text = paragraph.text
        skip = set()
        for k, child in enumerate(children):
            if k in skip:
                continue
            if k in double:
                skip.add(k + 1)
                parts.append(lxml.html.Element("p"))
                parts[-1].text = children[k + 1].tail
                continue
            parts[-1].append(child)  # moves the child, with its tail
        position = parent.index(paragraph)
        tail = paragraph.tail
        parent.remove(paragraph)
        kept = [part for part in parts if "".join(part.itertext()).strip()]
        for offset, part in enumerate(kept):
            parent.insert(position + offset, part)
        if kept:
            kept[-1].tail = tail


def _spans_as_paragraphs(tree: etree._Element) -> None:
    """A block holding only sentence-long <span>s ("<div class="text"><span>…</span>
    <span>…</span></div>") writes one paragraph per span: make each a <p>."""
    for block in tree.iter("div", "td", "section"):
        children = list(block)
        if len(children) < 2 or any(child.tag != "span" for child in children):
            continue
        if (block.text or "").strip() or any((child.tail or "").strip() for child in children):
            continue
        texts = [" ".join("".join(child.itertext()).split()) for child in children]
        if all(len(t) >= 60 and _SENTENCE_END.search(t) for t in texts):
            for child in children:
                child.tag = "p"


def _drop_captions(tree: etree._Element) -> None:
    for element in list(tree.iter("figcaption", "div", "span", "p")):
        if element.tag == "figcaption" or _CAPTION_CLASS.search(element.get("class", "")):
            parent = element.getparent()
            if parent is not None:
                if element.tail:
                    previous = element.getprevious()
                    if previous is not None:
                        previous.tail = (previous.tail or "") + element.tail
                    else:
                        parent.text = (parent.text or "") + element.tail
                parent.remove(element)


# A box of bullet points restating the story before it ("summary", "key points", GOV.UK's
# summary list): a teaser, not story text.
_SUMMARY_CLASS = re.compile(
    r"(?:^|[\s_-])(?:summary|highlights|key-?points|takeaways|tldr)(?:$|[\s_-])", re.I
)


def _drop_summary_boxes(tree: etree._Element) -> None:
    for element in list(tree.iter("div", "ul", "ol", "aside", "section")):
        if not _SUMMARY_CLASS.search(element.get("class", "")):
            continue
        items = element.xpath(".//li") if element.tag not in {"ul", "ol"} else element.findall("li")
        text = " ".join("".join(element.itertext()).split())
        if items and len(text) < 600 and element.getparent() is not None:
            element.getparent().remove(element)


def prepare_tree(html: str) -> etree._Element:
    """Parse the page and undo layouts that hide paragraph structure from trafilatura."""
    tree = load_html(html)  # trafilatura's parser: tolerant of XML declarations and bad markup
    if tree is None:
        raise ExtractionError("the page cannot be parsed as HTML")
    _unwrap_layout_tables(tree)
    _split_br_paragraphs(tree)
    _split_double_br_in_paragraphs(tree)
    _spans_as_paragraphs(tree)
    _drop_captions(tree)
    _drop_summary_boxes(tree)
    return tree


def _block_text(element: etree._Element) -> tuple[str, float]:
    """Text of a block with collapsed whitespace, and the share of it inside links."""
    for line_break in element.iter("lb"):  # "Ende.<br>Neue Zeile": two words, not one
        line_break.tail = " " + (line_break.tail or "")
    text = " ".join("".join(element.itertext()).split())
    linked = sum(len(" ".join("".join(ref.itertext()).split())) for ref in element.iter("ref"))
    return text, (linked / len(text) if text else 0.0)


def _body_blocks(body: etree._Element) -> list[etree._Element]:
    """Paragraph-level blocks in document order (list items one by one, not whole lists; the
    paragraphs of a quotation of several one by one)."""
    blocks = []
    for element in body.iter():
        if element.tag in _BLOCK_TAGS and not any(
            ancestor.tag in _BLOCK_TAGS for ancestor in element.iterancestors()
        ):
            paragraphs = element.findall("p") if element.tag == "quote" else []
            blocks.extend(paragraphs if _quoted_paragraphs(element, paragraphs) else [element])
    return blocks


def _quoted_paragraphs(quote: etree._Element, paragraphs: list[etree._Element]) -> bool:
    """Is this quotation paragraphs of prose, all its text in them (a statement quoted over
    two paragraphs), not an embedded post with its author line ("— Name (@handle) date")?"""
    if len(paragraphs) < 2:
        return False
    texts = [" ".join("".join(p.itertext()).split()) for p in paragraphs]
    whole = "".join("".join(quote.itertext()).split())
    return len("".join("".join(texts).split())) == len(whole) and all(
        len(t) >= 40 and _SENTENCE_END.search(t) for t in texts
    )


def _is_body_paragraph(
    text: str, link_share: float, tag: str, title: str | None, minimum: int
) -> bool:
    if len(text) < minimum:
        return False
    if title and " ".join(text.split()).casefold() == " ".join(title.split()).casefold():
        return False
    if _CROSS_LINK.match(text) or _DATE_ONLY.match(text) or _dateline_only(text):
        return False
    if _RU_DATE_PLACE.match(text):
        return False
    if _AD_LABEL.match(text):
        return False
    if len(text) < 250 and (_PROMO.match(text) or _CREDIT.match(text)):
        return False
    if len(text) < 120 and _SOURCE_LINE.match(text):
        return False
    if len(text) < 120 and (_PUBLISHED_LINE.match(text) or _BYLINE.match(text)):
        return False
    if len(text) < 40 and _CODE_LINE.match(text):
        return False
    if len(text) < 100 and _META_LINE.search(text):
        return False
    letters = [c for c in text if c.isalpha()]
    if len(text.split()) >= 5 and sum(c.isupper() for c in letters) > 0.9 * len(letters):
        return False  # a line in capitals: a wire's footer ("OTS-ORIGINALTEXT PRESSEAUSSENDUNG")
    if text.endswith("↩"):
        return False  # an endnote with its link back to the text
    if len(text) < 300 and _FURNITURE.search(text):
        return False
    if len(text) < 90 and not _SENTENCE_END.search(text) and _FACT_LINE.match(text):
        return False
    if len(text) < 300 and _APPEAL.match(text):
        return False
    if title and len(text) - len(title) < 40 and text.casefold().endswith(title.casefold()):
        return False  # a breadcrumb ending in the headline: "Government › India and …"
    # A block that is (almost) all link text is a teaser or navigation, not story text.
    return not (link_share > 0.8 and tag != "quote")


_TITLE_SEPARATORS = re.compile(r"\s+[|–—›»·:-]{1,2}\s+")
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.IGNORECASE | re.DOTALL)


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def headline(title: str | None, html: str) -> str | None:
    """The story's headline: the page's <h1> when the title tag agrees with it, else the
    title without the site name ("Headline | Site", "Site - Headline", "Site » Blog Archive »
    Headline"). The site's name is what og:site_name says and what an <h1> that only links
    to the home page (a logo) says; neither is the headline."""
    sites = {name.casefold() for name in [_meta_site_name(html)] if name}
    h1 = None
    for match in _H1.finditer(html[:500_000]):
        text = _text_of(match.group(1))
        if text and _HOME_LINK.fullmatch(match.group(1).strip()):
            sites.add(text.casefold())
        elif text and text.casefold() not in sites:
            h1 = text
            break
    page_title = _page_title(html)
    if page_title and title and title.casefold() in sites:
        title = page_title  # the metadata took the site's name: the <title> tag says more
    elif (
        page_title
        and title
        and page_title.startswith(title)
        and _TITLE_SEPARATORS.search(title)
        and _TITLE_SEPARATORS.search(page_title[len(title) :])
    ):
        # "Landesportal Sachsen-Anhalt - Pressemitteilungen - Usbekische Delegation …": the
        # metadata kept the title tag's first parts, the site's name and section
        title = page_title
    if title and h1:
        title_words, h1_words = _words(title), _words(h1)
        if h1_words and len(title_words & h1_words) >= 0.8 * len(h1_words):
            return h1
    if title:
        return _story_part(title, sites)
    return h1


def _story_part(title: str, sites: set[str]) -> str:
    """The longest part of a title split at its separators, leaving out the site's name and
    blog boilerplate ("Blog Archive")."""
    parts = [part.strip() for part in _TITLE_SEPARATORS.split(title) if part.strip()]
    kept = [p for p in parts if not _BLOG_PART.fullmatch(p) and p.casefold() not in sites]
    return max(kept or parts or [title], key=lambda part: len(part.split()))


def _meta_site_name(html: str) -> str | None:
    m = _SITE_NAME.search(html[:200_000])
    return " ".join(m.group(1).split()) if m else None


def _page_title(html: str) -> str | None:
    m = _TITLE_TAG.search(html[:200_000])
    return (_text_of(m.group(1)) or None) if m else None


def _text_of(fragment: str) -> str:
    """The text of an HTML fragment, whitespace collapsed."""
    return " ".join(lxml.html.fromstring(f"<p>{fragment}</p>").text_content().split())


_HOME_LINK = re.compile(
    r"<a\b[^>]*\bhref=[\"'](?:https?://[^/\"']+)?/?[\"'][^>]*>.*?</a>", re.IGNORECASE | re.DOTALL
)
_SITE_NAME = re.compile(
    r"<meta\s[^>]*property=[\"']og:site_name[\"'][^>]*content=[\"']([^\"']+)", re.IGNORECASE
)
_TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_BLOG_PART = re.compile(r"(?:Blog\s+)?(?:Archive|Archiv)", re.IGNORECASE)


def _run_trafilatura(html: str, url: str, favor_recall: bool = False):
    return trafilatura.bare_extraction(
        prepare_tree(html),
        url=url,
        with_metadata=True,
        include_comments=False,
        include_links=True,
        include_tables=True,
        deduplicate=False,
        favor_recall=favor_recall,
        # htmldate's extensive search hands text to dateparser over all its locales: seconds
        # per page. Pages without date metadata get our own visible-date search instead.
        date_extraction_params={"original_date": True, "extensive_search": False},
        as_dict=False,
    )


def _paragraphs_of(
    document, title: str | None, options: ExtractOptions
) -> tuple[list[str], str | None]:
    """The body paragraphs, and a dateline standing on its own line before them ("Baku,
    November 26, AZERTAC"): not story text, but it says where and when."""
    paragraphs: list[str] = []
    dateline_line = None
    if document is None or document.body is None:
        return paragraphs, dateline_line
    quotes: list[str] = []
    in_contacts = False
    for block in _body_blocks(document.body):
        text, link_share = _block_text(block)
        if _CONTACTS_HEADING.match(text) or _CONTACTS_LEAD.match(text):
            in_contacts = True  # a release's contact block: its labels, names and numbers
            continue
        if in_contacts and len(text) < 80 and not _SENTENCE_END.search(text):
            continue
        in_contacts = False
        if block.tag == "cell" and _contact_row(block):
            continue
        if _is_body_paragraph(text, link_share, block.tag, title, options.min_paragraph_chars):
            paragraphs.append(text)
            if block.tag == "quote":
                quotes.append(text)
        elif not paragraphs and dateline_line is None and _dateline_only(text):
            dateline_line = text
    pulled = {q for q in quotes if _pull_quote_of(q, paragraphs)}
    return [p for p in paragraphs if p not in pulled], dateline_line


_CONTACT_DETAIL = re.compile(r"^\s*(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\+\d[\d\s()/.-]{6,}\d)\s*$")


def _contact_row(cell: etree._Element) -> bool:
    """A table row with an e-mail address or a telephone number in a cell of its own lists a
    contact ("Sanna Virtanen | Phone | +32 2 … | sanna.virtanen@…"): none of its cells is story."""
    row = cell.getparent()
    return row is not None and any(
        _CONTACT_DETAIL.match(" ".join(c.itertext())) for c in row if c.tag == "cell"
    )


_QUOTE_MARKS = re.compile(r"[\"“”„«»‘’‚]")


def _pull_quote_of(quote: str, paragraphs: list[str]) -> bool:
    """A block quote repeating words of a body paragraph as a display ("“Digital identity is
    the foundation …” Dr Tan, GovTech"): page design, not story text."""
    core = _QUOTE_MARKS.split(quote.strip())
    words = max(core, key=len).strip(" ,.–—-") if core else ""
    if len(words) < 30:
        return False
    return any(words in _QUOTE_MARKS.sub("", p) and p != quote for p in paragraphs)


# A standfirst, deck or subtitle is a teaser (gold corpora leave it out); a lead is story text,
# unless it is the page's description as well (then it is the teaser search engines show).
_LEAD_CLASS = re.compile(
    r"(?:^|[\s_-])(?:lead|intro|teaser-text|summary|abstract)(?:$|[\s_-])", re.IGNORECASE
)


def _standalone_lead(tree: etree._Element, paragraphs: list[str]) -> str | None:
    """The story's lead when the page sets it apart between the headline and the body
    (`<p class="article-header__lead">` in the header, `<div class="lead">`), where
    trafilatura leaves it out with the rest of the header."""
    first = paragraphs[0][:40]
    descriptions = {
        " ".join(d.split())
        for d in tree.xpath("//meta[@name='description' or @property='og:description']/@content")
    }
    seen_headline = False
    for element in tree.iter("h1", "p", "div"):
        if element.tag == "h1":
            seen_headline = True
            continue
        text = " ".join(" ".join(element.itertext()).split())
        if not seen_headline or not text:
            continue
        if text.startswith(first):
            return None  # the body begins: no lead of its own before it
        if not _LEAD_CLASS.search(element.get("class", "")) or len(text) < 60:
            continue
        if element.find(".//li") is not None:
            continue  # a box of bullet points restating the story (see _drop_summary_boxes)
        if _SENTENCE_END.search(text) and text not in paragraphs and text not in descriptions:
            return text
    return None


# Shorter repeats are left to drop_repeats: trafilatura keeps them (its MIN_DUPLICATE_LENGTH).
_MIN_DROPPED_REPEAT_CHARS = 50


def _repeats_trafilatura_dropped(tree: etree._Element, found: list[str], kept: list[str]) -> int:
    """Exact repeats of a paragraph that trafilatura removed before we saw them (a long
    paragraph repeating the one before it, as a CMS duplicates a block): counted in the page's
    text, since the page still shows them to its readers."""
    candidates = [p for p in kept if len(p) >= _MIN_DROPPED_REPEAT_CHARS]
    if not candidates:
        return 0
    texts = tree.xpath("//body//text()[not(ancestor::script or ancestor::style)]")
    page = " ".join(" ".join(texts).split())
    return sum(max(0, page.count(p) - found.count(p)) for p in candidates)


def extract_text(
    html: str, url: str, options: ExtractOptions, fallback_date: date | None = None
) -> ExtractedText:
    """Body paragraphs (page order, repeats dropped), title, date, language and dateline.

    A page without recognisable main text still yields its metadata and no paragraphs:
    every page given to coopwatch is stored, so nothing is lost.
    """
    document = _run_trafilatura(html, url)
    title = " ".join(document.title.split()) if document is not None and document.title else None
    title = headline(title, html)
    paragraphs, dateline_line = _paragraphs_of(document, title, options)
    if not paragraphs:
        # Short or unusual pages: trafilatura's recall mode finds text the precise one skips.
        recall_document = _run_trafilatura(html, url, favor_recall=True)
        candidates, candidate_dateline = _paragraphs_of(recall_document, title, options)
        # Accept only prose: recall mode also returns menus and link lists on empty pages.
        if sum(len(p) for p in candidates if _SENTENCE_END.search(p)) >= 200:
            document, paragraphs = recall_document, candidates
            dateline_line = candidate_dateline
    page = load_html(html)  # the page as written, for what trafilatura leaves out
    if paragraphs and page is not None:
        lead = _standalone_lead(page, paragraphs)
        if lead:
            paragraphs.insert(0, lead)
    kept, repeated = drop_repeats(paragraphs, options.near_repeat_threshold)
    if page is not None:
        repeated += _repeats_trafilatura_dropped(page, paragraphs, kept)
    paragraphs = kept
    if document is None:
        metadata = trafilatura.extract_metadata(prepare_tree(html), default_url=url)
        date_text = metadata.date if metadata else None
        title = title or (metadata.title if metadata else None)
    else:
        date_text = document.date
    language = detect_language(" ".join(paragraphs) or (title or ""), options.languages)
    published = date_text[:10] if date_text else None
    if published is None:
        printed = printed_date(page, fallback_date) if page is not None else None
        published = printed.isoformat() if printed else None
    context = date.fromisoformat(published) if published else fallback_date
    dateline = parse_dateline(paragraphs[0], language, context) if paragraphs else None
    if dateline is None and len(paragraphs) > 1 and _is_label_line(paragraphs[0]):
        # The story opens at its dateline: a short line without a sentence before it is page
        # furniture the layout put next to it (a site banner in a table cell, a kicker).
        dateline = parse_dateline(paragraphs[1], language, context)
        if dateline is not None:
            paragraphs = paragraphs[1:]
    if dateline is None and dateline_line:
        dateline = parse_dateline(dateline_line, language, context)
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
        dateline_day=dateline.day if dateline else None,
    )
