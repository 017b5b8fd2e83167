"""One page through the whole per-article analysis (coopwatch.pipeline.PageAnalyser): what the
stages decide together, beyond what each stage's own tests show."""

from __future__ import annotations

from datetime import UTC, datetime

from coopwatch.pipeline import PageAnalyser
from coopwatch.records import FetchedPage


def _page(title: str, paragraphs: list[str]) -> FetchedPage:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = (
        f'<html lang="de"><head><meta charset="utf-8"><title>{title}</title></head><body>'
        f"<article><h1>{title}</h1>{body}</article></body></html>"
    )
    return FetchedPage(
        url="https://example.de/kg-kz",
        body=html.encode(),
        fetched_at=datetime(2026, 11, 12, tzinfo=UTC),
    )


def test_a_visit_that_names_the_host_only_by_its_city_is_cooperation_of_two_states(settings):
    page = _page(
        "Kirgisische Delegation informiert sich in Astana über E-Government",
        [
            "ASTANA. Eine kirgisische Regierungsdelegation unter Leitung von Digitalminister "
            "Nurbek Sadykow hat am Mittwoch in Astana das Zentrum für digitale "
            "Regierungsunterstützung besucht.",
            "Vizeminister Askhat Orasbek präsentierte den Gästen das Portal eGov.kz, über das "
            "2025 rund 45 Mio. Dienstleistungen erbracht wurden.",
        ],
    )
    article = PageAnalyser(settings).analyse(page)
    assert article.relevant
    assert article.event_countries == ["KG", "KZ"]
    assert article.event_location == "Astana"


def test_a_report_about_something_else_has_no_projects(settings):
    page = _page(
        "Neues iPhone im Test",
        [
            "Das neue iPhone läuft mit iOS 18 und der App „Kamera Pro“, die Apple im Herbst "
            "vorgestellt hat. Der Akku hält nach unseren Messungen rund zwei Tage.",
            "Die Plattform „Apple Intelligence“ soll im nächsten Jahr auch auf Deutsch kommen.",
        ],
    )
    article = PageAnalyser(settings).analyse(page)
    assert not article.relevant
    assert article.projects == []


def test_a_state_that_takes_part_only_through_its_bodies_still_takes_part(settings):
    # a German press release never writes "Deutschland": the GIZ and the BMZ are German
    page = _page(
        "Tadschikistan: Gemeinsam für eine bürgernahe digitale Verwaltung",
        [
            "Duschanbe, 13. November 2025 – Tadschikistan will staatliche Dienstleistungen "
            "digital anbieten. Die GIZ unterstützt das Land dabei im Auftrag des "
            "Bundesministeriums für wirtschaftliche Zusammenarbeit und Entwicklung (BMZ). Eine "
            "Vereinbarung über das Vorhaben haben die GIZ und die Agentur für Innovation und "
            "digitale Technologien am Donnerstag unterzeichnet.",
            "Das Vorhaben „Digitale Verwaltung Tadschikistan“ hat eine Laufzeit von drei Jahren. "
            "Gemeinsam mit der Agentur werden Standards für den Datenaustausch zwischen Behörden "
            "entwickelt.",
        ],
    )
    article = PageAnalyser(settings).analyse(page)
    assert article.relevant
    assert article.event_countries == ["DE", "TJ"]
