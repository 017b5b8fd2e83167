"""A small corpus in de/ru/en: articles (stored in the store of record) and events."""

from __future__ import annotations

import json

from coopwatch.records import Actor, Article, Event, FetchedPage, Project
from coopwatch.store import Store


def save_event(store: Store, event: Event) -> None:
    """Store an event the way coopwatch/events.py does (a row of the store's events table)."""
    now = "2026-01-01T00:00:00+00:00"
    with store.transaction() as conn:
        conn.execute(
            "INSERT OR REPLACE INTO events (id, day, countries, record, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                event.id,
                event.date,
                ",".join(event.countries),
                json.dumps(event.to_record(), ensure_ascii=False),
                now,
                now,
            ),
        )


def save(store: Store, article: Article) -> None:
    body = f"<html><body>{article.id} {article.title}</body></html>".encode()
    store.save(FetchedPage(url=article.url, body=body), article)


TURCHIN = Actor(
    "person:alexander-turchin",
    "person",
    "Alexander Turtschin",
    "Alexander Turchin",
    "BY",
    "Premierminister",
)
TURCHIN_RU = Actor(
    "person:alexander-turchin",
    "person",
    "Александр Турчин",
    "Alexander Turchin",
    "BY",
    "премьер-министр",
)
KZ = Actor("country:kz", "country", "Kasachstan", "Kazakhstan", "KZ")
UZ = Actor("country:uz", "country", "Uzbekistan", "Uzbekistan", "UZ")
FAMILY_CARD = Project(
    "project:digital-family-card", "Digitale Familienkarte", "Digital Family Card", "KZ"
)
FAMILY_CARD_RU = Project(
    "project:digital-family-card", "Цифровая семейная карта", "Digital Family Card", "KZ"
)
EGOV = Project("project:egov-portal", "e-government portal", "E-Government Portal", "UZ")


def corpus_articles() -> list[Article]:
    return [
        Article(
            id="a-de-card",
            url="https://deu.belta.by/card",
            site="deu.belta.by",
            language="de",
            title="Digitale Familienkarten für Belarus",
            published="2025-11-04",
            paragraphs=[
                "Der belarussische Premierminister Alexander Turtschin besuchte Astana.",
                "Belarus übernimmt die digitale Familienkarte aus Kasachstan.",
            ],
            relevant=True,
            relevance_score=0.9,
            event_id="e-visit",
            actors=[TURCHIN, KZ],
            projects=[FAMILY_CARD],
        ),
        Article(
            id="a-ru-card",
            url="https://belta.by/card",
            site="belta.by",
            language="ru",
            title="Цифровые карты для семей",
            published="2025-11-05",
            paragraphs=[
                "Премьер-министр Александр Турчин посетил Астану.",
                "Казахстан поделится цифровой картой семьи; такие карты уже работают.",
            ],
            relevant=True,
            relevance_score=0.9,
            event_id="e-visit",
            actors=[TURCHIN_RU, KZ],
            projects=[FAMILY_CARD_RU],
        ),
        Article(
            id="a-en-egov",
            url="https://kazinform.kz/egov",
            site="kazinform.kz",
            language="en",
            title="Uzbekistan and Kazakhstan sign e-government agreement",
            published="2025-10-20",
            paragraphs=[
                "The digital government agencies of Uzbekistan and Kazakhstan signed a"
                " cooperation agreement in Tashkent.",
                "The agreement covers data exchange between the two portals.",
            ],
            relevant=True,
            relevance_score=0.8,
            event_id="e-agreement",
            actors=[KZ, UZ],
            projects=[EGOV],
        ),
        Article(
            id="a-en-sport",
            url="https://kazinform.kz/football",
            site="kazinform.kz",
            language="en",
            title="Kazakhstan wins football match",
            published="2025-11-01",
            paragraphs=["Kazakhstan beat Uzbekistan in a digital-era football derby."],
            relevant=False,
            relevance_score=0.1,
            actors=[KZ, UZ],
        ),
        Article(
            id="a-de-undated",
            url="https://deu.belta.by/platform",
            site="deu.belta.by",
            language="de",
            title="Gemeinsame digitale Plattform",
            published=None,
            paragraphs=["Russland und Belarus bauen eine gemeinsame Plattform für Bürgerdienste."],
            relevant=True,
            relevance_score=0.7,
            actors=[
                Actor("country:ru", "country", "Russland", "Russia", "RU"),
                Actor("country:by", "country", "Belarus", "Belarus", "BY"),
            ],
        ),
    ]


def corpus_events() -> list[Event]:
    return [
        Event(
            id="e-visit",
            event_type="visit",
            countries=["BY", "KZ"],
            date="2025-11-04",
            location="Astana",
            title="Belarus Prime Minister visits Kazakhstan to adopt the digital family card",
            articles=["a-de-card", "a-ru-card"],
            languages=["de", "ru"],
            actors=["person:alexander-turchin"],
            projects=["project:digital-family-card"],
        ),
        Event(
            id="e-agreement",
            event_type="agreement",
            countries=["KZ", "UZ"],
            date="2025-10-20",
            location="Tashkent",
            title="Kazakhstan and Uzbekistan sign an e-government agreement",
            articles=["a-en-egov"],
            languages=["en"],
            actors=[],
            projects=["project:egov-portal"],
        ),
    ]


def store_and_index_corpus(store: Store, index) -> None:
    """The corpus stored in the store of record and indexed the way ingest does it."""
    for article in corpus_articles():
        save(store, article)
        assert index.index_article(article)
    for event in corpus_events():
        save_event(store, event)
        assert index.index_event(event)
    assert index.stale() == 0


def late_article(doc_id: str = "a-en-late") -> Article:
    """An article stored after the corpus (the only one naming Kyrgyzstan)."""
    return Article(
        id=doc_id,
        url=f"https://kazinform.kz/late/{doc_id}",
        site="kazinform.kz",
        language="en",
        title="Kyrgyzstan joins the digital ID scheme",
        published="2025-12-01",
        paragraphs=["Kyrgyzstan will accept digital IDs."],
        relevant=True,
    )
