"""Test data for api/: articles and events to seed a store with, and a real SMTP server's parts."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from dataclasses import dataclass, field

from coopwatch.records import Actor, Article, Event, FetchedPage, Metric, Project, Quote
from coopwatch.store import Store

TURCHIN_DE = Actor(
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
TURCHIN_EN = Actor(
    "person:alexander-turchin",
    "person",
    "Alexander Turchin",
    "Alexander Turchin",
    "BY",
    "Prime Minister",
)
SHAPKINA = Actor("person:julia-shapkina", "person", "Julia Schapkina", "Julia Shapkina", "BY", None)
FAMILY_CARD = Project(
    "project:digital-family-card", "Digitale Familienkarte", "Digital Family Card", "KZ"
)
UN_RANK = Metric(
    "UN Online Services Index",
    10,
    "rank",
    "KZ",
    "im UN-Online-Services-Index den 10. Platz weltweit",
    paragraph=1,
)
SCRIPT = "<script>document.title='pwned';window.pwned=1</script>"


def _article(aid: str, url: str, language: str, title: str, paragraphs: list[str], **kw) -> Article:
    return Article(
        id=aid,
        url=url,
        site=url.split("/")[2],
        language=language,
        title=title,
        published=kw.pop("published", "2026-11-04"),
        paragraphs=paragraphs,
        relevant=True,
        relevance_score=0.9,
        **kw,
    )


ARTICLES = [
    _article(
        "a-de1",
        "https://deu.belta.by/politics/turtschin-astana",
        "de",
        "Turtschin besucht Astana: Digitale Familienkarte im Blick",
        [
            "ASTANA, 4. November (BelTA) – Premierminister Alexander Turtschin hat Astana besucht.",
            "Kasachstan belegt im UN-Online-Services-Index den 10. Platz weltweit.",
            "„Wir kooperieren bereits seit Längerem mit Kasachstan“, sagte Julia Schapkina.",
        ],
        event_id="evt-bykz1",
        actors=[TURCHIN_DE, SHAPKINA],
        projects=[FAMILY_CARD],
        metrics=[UN_RANK],
        quotes=[
            Quote(
                "person:julia-shapkina",
                "Julia Schapkina",
                "Wir kooperieren bereits seit Längerem mit Kasachstan",
            )
        ],
    ),
    _article(
        "a-ru1",
        "https://www.belta.by/politics/view/turchin-astana",
        "ru",
        "Турчин в Астане изучил цифровую семейную карту",
        ["Премьер-министр Беларуси Александр Турчин посетил Астану."],
        event_id="evt-bykz1",
        actors=[TURCHIN_RU],
        projects=[FAMILY_CARD],
    ),
    _article(
        "a-en1",
        "https://gov.uz/en/news/germany-uzbekistan-egov",
        "en",
        "Germany and Uzbekistan sign e-government agreement",
        ["TASHKENT, 6 November – Germany and Uzbekistan signed a memorandum on e-government."],
        published="2026-11-06",
        event_id="evt-deuz1",
        actors=[TURCHIN_EN],
        metrics=[Metric("Budget", 1.2e6, "EUR", "UZ", "EUR 1.2 million")],
    ),
    _article(
        "a-xss",
        "https://evil.example/news/1",
        "en",
        f"Hostile {SCRIPT} page <b>bold</b> & co",
        [f'Paragraph with {SCRIPT} inside and <img src=x onerror="window.pwned=2">.'],
        published="2026-11-07",
        event_id="evt-bykz2",
    ),
    _article(
        "a-ru2",
        "https://www.belta.by/politics/view/ru-uz",
        "ru",
        "Россия и Узбекистан обсудили электронное правительство",
        ["Стороны обсудили сотрудничество."],
        published="2026-10-28",
        event_id="evt-ruuz1",
    ),
]

EVENTS = [
    Event(
        "evt-bykz1",
        "visit",
        ["BY", "KZ"],
        "2026-11-04",
        "Astana",
        "Belarusian Prime Minister visits Kazakhstan to study the Digital Family Card",
        ["a-de1", "a-ru1"],
        ["de", "ru"],
        ["person:alexander-turchin", "person:julia-shapkina"],
        ["project:digital-family-card"],
        [Metric("UN Online Services Index", 10, "rank", "KZ", UN_RANK.text, 1, "a-de1")],
    ),
    Event(
        "evt-deuz1",
        "agreement",
        ["DE", "UZ"],
        "2026-11-06",
        "Tashkent",
        "Germany and Uzbekistan sign e-government agreement",
        ["a-en1"],
        ["en"],
        ["person:alexander-turchin"],
        [],
        [Metric("Budget", 1.2e6, "EUR", "UZ", "EUR 1.2 million", 0, "a-en1")],
    ),
    Event(
        "evt-bykz2",
        "meeting",
        ["BY", "KZ"],
        "2026-11-07",
        "Minsk",
        f"Hostile {SCRIPT} <b>event</b> & co",
        ["a-xss"],
        ["en"],
        [],
        [],
        [],
    ),
    Event(
        "evt-ruuz1",
        "meeting",
        ["RU", "UZ"],
        "2026-10-28",
        None,
        "Russia and Uzbekistan discuss e-government",
        ["a-ru2"],
        ["ru"],
        [],
        [],
        [],
    ),
]


def put_event(store: Store, event: Event, created: str = "2026-11-08T00:00:00+00:00") -> None:
    store.conn.execute(
        "INSERT OR REPLACE INTO events (id, day, countries, record, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            event.id,
            event.date,
            ",".join(event.countries),
            json.dumps(event.to_record(), ensure_ascii=False),
            created,
            created,
        ),
    )


def seed(store: Store, settings=None) -> None:
    """Store ARTICLES and EVENTS (and an alias); with `settings`, index them for search too."""
    for article in ARTICLES:
        page = FetchedPage(url=article.url, body=f"<html>{article.id}</html>".encode())
        store.save(page, article)
    for event in EVENTS:
        put_event(store, event)
    # evt-old1 was merged into evt-bykz1: its id still resolves.
    store.conn.execute(
        "INSERT INTO event_aliases (alias, event_id) VALUES ('evt-old1', 'evt-bykz1')"
    )
    if settings is not None:
        from index.search_index import open_index

        index = open_index(settings, store)
        try:
            for article in ARTICLES:
                index.index_article(article)
            for event in EVENTS:
                index.index_event(event)
        finally:
            index.close()


# -- a real SMTP server ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Mailbox:
    """What the test SMTP server received, and whom it refuses."""

    messages: list[email.message.EmailMessage] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)  # 550 at RCPT
    busy: dict[str, int] = field(default_factory=dict)  # address -> 451s at RCPT before a 250
    on_data: object = None  # called with the message before the server answers DATA
    lock: threading.Lock = field(default_factory=threading.Lock)

    def to(self, address: str) -> list[email.message.EmailMessage]:
        with self.lock:
            return [m for m in self.messages if m["To"] == address]


class SmtpHandler:
    def __init__(self, mailbox: Mailbox):
        self.mailbox = mailbox

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.mailbox.refuse:
            return "550 5.1.1 no such mailbox"
        if self.mailbox.busy.get(address, 0) > 0:
            self.mailbox.busy[address] -= 1
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.mailbox.lock:
            self.mailbox.messages.append(message)
        if callable(self.mailbox.on_data):
            self.mailbox.on_data(message)
        return "250 Message accepted"
