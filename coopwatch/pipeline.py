"""Per-page analysis: one fetched page in, one ARTICLE record out. Crawler and import share it."""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import lxml.html

from coopwatch.errors import CoopwatchError, NotAnArticle, PageTooLarge, UnsupportedContent
from coopwatch.records import Actor, Article, ExtractedText, FetchedPage, article_id_for
from coopwatch.settings import Settings
from coopwatch.urls import canonical_url
from coopwatch.walls import MAX_ERROR_PAGE_WORDS, PageProblem, classify
from nlp.actors import analyse_actors
from nlp.analysis import Analysis, analyse_paragraphs
from nlp.charset import decode_html
from nlp.countries import find_countries
from nlp.dateline import Dateline
from nlp.event_facts import acting_countries, event_facts, host_states
from nlp.extract import ExtractOptions, extract_text
from nlp.metrics import states_from_speakers
from nlp.relevance import LEAD_PARAGRAPHS, assess_relevance

log = logging.getLogger(__name__)

_NOT_AN_ARTICLE = {
    PageProblem.CONSENT: "a consent wall instead of the article (not stored)",
    PageProblem.ERROR_PAGE: "an error page served with status 200 (not stored)",
}
_HTML_TYPES = re.compile(r"^\s*(text/html|application/xhtml\+xml|text/plain)\b", re.IGNORECASE)


def check_page(page: FetchedPage, settings: Settings) -> None:
    """Refuse what is not a readable HTML page, with a reason a person can act on."""
    if len(page.body) > settings.ingest.max_page_bytes:
        raise PageTooLarge(
            f"page is {len(page.body):,} bytes, over the limit of "
            f"{settings.ingest.max_page_bytes:,} (setting ingest.max_page_bytes)"
        )
    content_type = page.content_type
    if content_type and not _HTML_TYPES.match(content_type):
        raise UnsupportedContent(f"not an HTML page: Content-Type {content_type.split(';')[0]}")


def _parse(html: str) -> Any:
    """The page's lxml tree for the wall check (lxml takes no str with an encoding
    declaration, so such pages go in as UTF-8 bytes)."""
    try:
        return lxml.html.document_fromstring(html)
    except ValueError:
        return lxml.html.document_fromstring(html.encode("utf-8"))


def site_of(url: str) -> str:
    return (urlsplit(url).hostname or "local").removeprefix("www.")


def guarded(stage: str, warnings: list[str], default: Any, function: Any, *args, **kwargs) -> Any:
    """Run one analysis stage; a bug on an odd page costs that stage's results, not the page.

    The page is still stored (with a warning naming the stage), so nothing is lost and a
    later `coopwatch reprocess` fills the gap.
    """
    try:
        return function(*args, **kwargs)
    except CoopwatchError:
        raise
    except Exception as exc:  # logged with its traceback
        log.exception("%s failed on a page; stored without it", stage)
        warnings.append(f"{stage} failed: {type(exc).__name__}: {exc}")
        return default


class PageAnalyser:
    """Turns fetched pages into articles; holds what is costly to set up once per process."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.options = ExtractOptions(
            languages=tuple(settings.nlp.languages),
            min_paragraph_chars=settings.extract.min_paragraph_chars,
            near_repeat_threshold=settings.extract.near_repeat_threshold,
        )

    def analyse(self, page: FetchedPage) -> Article:
        check_page(page, self.settings)
        html, _codec = decode_html(page.body, page.content_type)
        url = canonical_url(page.url)
        fetched = page.fetched_at.date() if page.fetched_at else None
        warnings: list[str] = []
        text = guarded(
            "main text",
            warnings,
            ExtractedText(None, None, [], 0, None),
            extract_text,
            html,
            url,
            self.options,
            fallback_date=fetched or date.today(),
        )
        if sum(len(p.split()) for p in text.paragraphs) < MAX_ERROR_PAGE_WORDS:
            # Little main text: maybe a consent wall or an error page instead of the article
            # (the crawler drops those before they get here; archives and files may hold them).
            problem = classify(url, page.status, html, lambda: _parse(html))
            if problem is not None:
                raise NotAnArticle(_NOT_AN_ARTICLE[problem])
        analysis = guarded(
            "countries/metrics/quotes",
            warnings,
            Analysis(),
            analyse_paragraphs,
            text.paragraphs,
            text.language,
            title=text.title,
        )
        people, projects = guarded(
            "actors/projects",
            warnings,
            ([], []),
            analyse_actors,
            text.title,
            text.paragraphs,
            text.language,
            self.settings,
            analysis.quotes,
        )
        guarded(
            "metrics' states",
            warnings,
            None,
            states_from_speakers,
            analysis.metrics,
            analysis.quotes,
            people,
            text.language,
        )
        # A state takes part through its bodies too: a German report on the GIZ and the BMZ
        # helping Tajikistan often never writes "Deutschland".
        bodies = [a for a in people if a.kind == "organization" and a.country]
        body_mentions = _body_mentions(bodies, text.title, text.paragraphs)
        states = {actor.country for actor in analysis.countries if actor.country}
        states |= host_states(text.title, text.paragraphs) | {body.country for body in bodies}
        lead = text.paragraphs[:LEAD_PARAGRAPHS]
        lead_states = (
            host_states(text.title, lead)
            | {
                m.code
                for part in [text.title or "", *lead]
                for m in find_countries(part, text.language)
            }
            | {code for para, _offset, code in body_mentions if para < LEAD_PARAGRAPHS}
        )
        relevance = guarded(
            "relevance",
            warnings,
            None,
            assess_relevance,
            text.title,
            text.paragraphs,
            text.language,
            states,
            lead_states,
        )
        article = Article(
            id=article_id_for(url),
            url=url,
            site=site_of(url),
            language=text.language,
            title=text.title,
            published=text.published,
            paragraphs=text.paragraphs,
            repeated_paragraphs=text.repeated_paragraphs,
            actors=[*analysis.actors, *people],
            # Projects are the initiatives states cooperate on: a report about something else
            # has none (its capitalised brands and quoted titles are not such projects).
            projects=projects if relevance and relevance.relevant else [],
            metrics=analysis.metrics,
            quotes=analysis.quotes,
            relevant=relevance.relevant if relevance else False,
            relevance_score=relevance.score if relevance else 0.0,
            warnings=warnings,
        )
        if article.relevant:
            guarded(
                "event facts",
                warnings,
                None,
                self._add_event_facts,
                article,
                text,
                [*analysis.positioned, *body_mentions],
            )
        return article

    @staticmethod
    def _add_event_facts(
        article: Article, text: ExtractedText, mentions: list[tuple[int, int, str]]
    ) -> None:
        """What the report says about its event: type, date, place, acting states."""
        published = date.fromisoformat(article.published) if article.published else None
        paragraphs = article.paragraphs
        # The dateline extraction already read (same paragraph, same year context).
        dateline = (
            Dateline(text.dateline, text.dateline_place, text.dateline_day)
            if text.dateline and text.dateline_place
            else None
        )
        facts = event_facts(article.title, paragraphs, article.language, published, dateline)
        article.event_type = facts.event_type
        article.event_date = facts.date.isoformat() if facts.date else None
        article.event_date_source = facts.date_source
        article.event_location = facts.location
        article.event_countries = acting_countries(mentions, article.title, paragraphs)


def _body_mentions(
    bodies: list[Actor], title: str | None, paragraphs: list[str]
) -> list[tuple[int, int, str]]:
    """A state's body named in the report as a mention of that state, (paragraph, offset,
    code) with the title as paragraph -1: "Die GIZ unterstützt Tadschikistan" names Germany."""
    found = []
    for index, part in enumerate([title or "", *paragraphs]):
        for body in bodies:
            offset = part.find(body.name)
            if offset >= 0 and body.country:
                found.append((index - 1, offset, body.country))
    return found
