"""Pages that answer 200 but are no article: consent walls and soft 404 error pages.

A site that shows a cookie/GDPR consent prompt instead of the article, or an error page with
status 200, would otherwise be stored as an "article" whose text is the prompt, and the source
would look healthy while yielding nothing. Such pages are recognised here (de/ru/en), counted
per run, recorded in the crawl state under their own outcome (so the next run asks again) and
not stored; the WARC keeps the response.

A cookie banner on a real article is not a wall: the banner's elements and sentences are set
aside and what is left must be too short to be a report (`MIN_ARTICLE_WORDS`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit


class PageProblem(StrEnum):
    CONSENT = "consent"  # a cookie/privacy consent prompt instead of the page
    ERROR_PAGE = "error-page"  # "page not found" and the like, served with status 200


# Fewer words than this, once consent elements and sentences are left out, is no report (the
# shortest agency notes run to 60-80 words).
MIN_ARTICLE_WORDS = 50
# An error page with its navigation and teasers can be long; a titled "not found" page with
# fewer words than this outside navigation is one.
MAX_ERROR_PAGE_WORDS = 150

# Cheap pre-check on the decoded page: without any of these the page is neither.
_TRIGGER = re.compile(
    r"cookie|consent|gdpr|datenschutz|einwilligung|zustimm|куки|согласи|"
    r"404|not found|nicht gefunden|existiert nicht|не найден|не существует",
    re.IGNORECASE,
)
_CONSENT_TERMS = re.compile(
    r"cookie|consent|gdpr|privacy|datenschutz|einwilligung|куки|конфиденциальн|"
    r"персональн\w* данн",
    re.IGNORECASE,
)
_ACCEPT_TERMS = re.compile(
    r"\baccept|\bagree|allow all|\bconsent\b|zustimm|akzeptier|einverstanden|alle erlauben|"
    r"принять|принимаю|согла[сш]|разрешить",
    re.IGNORECASE,
)
# Elements a consent manager renders into (OneTrust, Cookiebot, Usercentrics, Didomi, ...).
_CONSENT_ELEMENT = re.compile(r"cookie|consent|gdpr|\bcmp|didomi|onetrust|usercentrics", re.I)
_NOT_FOUND = re.compile(
    r"page not found|not found|\b404\b|does not exist|no longer available|"
    r"seite nicht gefunden|nicht gefunden|existiert nicht|nicht mehr verfügbar|fehler 404|"
    r"страница не найдена|не найдена|не существует|ошибка 404|страница удалена",
    re.IGNORECASE,
)
# In a title or the first headline: the page-level phrases only (a short report headlined
# "... not found" or "Flight 404 ..." is still a report).
_NOT_FOUND_TITLE = re.compile(
    r"page not found|seite nicht gefunden|seite existiert nicht|страница не найдена|"
    r"страница не существует|(?:error|fehler|ошибка)\W*404|^\W*404\b|^\W*not found\W*$",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+", re.UNICODE)
_SKIP = {"script", "style", "noscript", "template", "svg", "head"}
_CHROME = {"nav", "header", "footer", "aside"}
_CONTENT = {"article", "main"}
_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "dd", "blockquote", "div"}


def consent_host(url: str) -> bool:
    """A consent service's host (consent.google.com, consent.yahoo.com, ...) or a consent
    path that sites redirect to before the article (/consent, /cookie-consent, /gdpr)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host.split(".")[0] in ("consent", "consents", "cmp", "guce", "privacy-consent"):
        return True
    path = parts.path.lower()
    return bool(re.search(r"/(consent|cookie-?consent|gdpr|cookies?-?wall)(/|$|\.)", path))


def classify(
    url: str, status: int, text: str | None, root: Callable[[], Any] | None
) -> PageProblem | None:
    """What is wrong with an article response, or None for a page to store.

    `text` is the decoded page (None for a binary body) and `root` gives its lxml root
    element; it is only called (the page parsed) when a trigger word occurs in the text.
    """
    if consent_host(url):
        return PageProblem.CONSENT
    if status != 200 or text is None or root is None or not _TRIGGER.search(text):
        return None
    return _classify_tree(root())


def _classify_tree(root: Any) -> PageProblem | None:
    try:
        blocks, headline = _visible_blocks(root)
    except RecursionError:  # absurdly nested markup: leave the page to the analysis
        return None
    content_words = sum(b.words for b in blocks if not b.consent and not b.chrome)
    # An error page first: it may carry a cookie banner too.
    title = " ".join(root.xpath("//title//text()"))
    titled = _NOT_FOUND_TITLE.search(title) or _NOT_FOUND_TITLE.search(headline)
    if titled and content_words < MAX_ERROR_PAGE_WORDS:
        return PageProblem.ERROR_PAGE
    if any(b.consent for b in blocks) and content_words < MIN_ARTICLE_WORDS:
        return PageProblem.CONSENT
    if content_words < MIN_ARTICLE_WORDS and any(
        _NOT_FOUND.search(b.text) for b in blocks if not b.chrome
    ):
        return PageProblem.ERROR_PAGE
    return None


class _Block:
    __slots__ = ("chrome", "consent", "text", "words")

    def __init__(self, text: str, consent: bool, chrome: bool):
        self.text = text
        self.words = len(_WORD.findall(text))
        # A sentence about cookies that asks to accept is part of a prompt, wherever it sits.
        self.consent = consent or bool(_CONSENT_TERMS.search(text) and _ACCEPT_TERMS.search(text))
        self.chrome = chrome


def _visible_blocks(root: Any) -> tuple[list[_Block], str]:
    """The page's text, one entry per innermost block element, and the first h1's text."""
    blocks: list[_Block] = []
    headline = ""

    def walk(element: Any, consent: bool, chrome: bool) -> list[str]:
        nonlocal headline
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _SKIP:
            return [element.tail or ""]
        marker = f"{element.get('id', '')} {element.get('class', '')}"
        consent = consent or bool(_CONSENT_ELEMENT.search(marker))
        # Inside <article>/<main> is content, even when broken markup (an unclosed <header>)
        # leaves the whole page nested in a navigation element.
        chrome = (chrome or tag in _CHROME) and tag not in _CONTENT
        pieces = [element.text or ""]
        for child in element:
            pieces.extend(walk(child, consent, chrome))
        if tag in _BLOCKS or tag == "body":
            text = " ".join(" ".join(pieces).split())
            if text:
                blocks.append(_Block(text, consent, chrome))
                if tag == "h1" and not headline:
                    headline = text
            pieces = []  # counted once, in the innermost block
        return [*pieces, element.tail or ""]

    walk(root, False, False)
    return blocks, headline
