"""Events in the store: reports join or start events at ingest, ids stay, merges keep aliases."""

from __future__ import annotations

import json

from coopwatch.events import EventAssigner
from coopwatch.records import Actor, Article, FetchedPage, Metric
from coopwatch.store import Store


def article(article_id: str, language: str, day: str, countries=("BY", "KZ"), **kw) -> Article:
    return Article(
        id=article_id,
        url=f"https://news.example/{article_id}",
        site="news.example",
        language=language,
        title=kw.get("title", f"Report {article_id}"),
        published=kw.get("published", day),
        paragraphs=[f"Text of {article_id}."],
        relevant=kw.get("relevant", True),
        duplicate_of=kw.get("duplicate_of"),
        metrics=kw.get("metrics", []),
        actors=kw.get("actors", []),
        event_type=kw.get("event_type", "visit"),
        event_date=day,
        event_date_source="text",
        event_location=kw.get("location", "Astana"),
        event_countries=list(countries),
    )


def ingest(store: Store, report: Article) -> str | None:
    """What the import does: save the article and assign its event in one transaction."""
    with store.transaction():
        store.save(
            FetchedPage(url=report.url, body=json.dumps(report.to_record()).encode()), report
        )
        return EventAssigner(store.conn).assign(report)


def stored_event(store: Store, event_id: str) -> dict:
    return next(e for e in store.iter_events() if e["id"] == event_id)


def test_reports_in_three_languages_form_one_event(store: Store):
    de = ingest(store, article("de1", "de", "2025-11-04"))
    ru = ingest(store, article("ru1", "ru", "2025-11-04"))
    en = ingest(store, article("en1", "en", "2025-11-05", title="Belarus studies Kazakh e-gov"))
    assert de == ru == en
    event = stored_event(store, de)
    assert event["articles"] == ["de1", "ru1", "en1"]
    assert event["languages"] == ["de", "en", "ru"]
    assert event["countries"] == ["BY", "KZ"]
    assert event["date"] == "2025-11-04"  # the majority date; each record keeps its own
    assert event["title"] == "Belarus studies Kazakh e-gov"
    assert store.get_article("en1").event_id == de
    assert store.get_article("en1").event_date == "2025-11-05"


def test_event_id_is_stable_when_reports_join(store: Store):
    first = ingest(store, article("a", "de", "2025-05-20", ("BY", "UZ")))
    for n, language in enumerate(["ru", "en", "de"]):
        assert ingest(store, article(f"b{n}", language, "2025-05-21", ("BY", "UZ"))) == first


def test_other_states_or_dates_make_other_events(store: Store):
    one = ingest(store, article("a", "en", "2025-03-13", ("KZ", "UZ")))
    other_states = ingest(store, article("b", "en", "2025-03-13", ("KG", "UZ")))
    other_week = ingest(store, article("c", "en", "2025-03-30", ("KZ", "UZ")))
    assert len({one, other_states, other_week}) == 3


def test_irrelevant_and_single_state_reports_get_no_event(store: Store):
    assert ingest(store, article("a", "en", "2025-03-13", relevant=False)) is None
    assert ingest(store, article("b", "en", "2025-03-13", ("KZ",))) is None
    assert list(store.iter_events()) == []


def test_syndicated_copy_is_listed_but_does_not_vote(store: Store):
    original = ingest(store, article("orig", "de", "2026-02-17", ("DE", "KZ")))
    ingest(store, article("ru", "ru", "2026-02-17", ("DE", "KZ")))
    copy = ingest(store, article("copy", "de", "2026-02-19", ("DE", "KZ"), duplicate_of="orig"))
    assert copy == original
    event = stored_event(store, original)
    assert event["articles"] == ["orig", "ru", "copy"]
    assert event["date"] == "2026-02-17"


def test_a_report_bridging_two_events_merges_them_and_the_old_id_resolves(store: Store):
    # Two reports of one meeting dated five days apart start two events ...
    early = ingest(store, article("e", "ru", "2026-10-04", ("BY", "KZ", "RU"), location="Almaty"))
    late = ingest(store, article("l", "en", "2026-10-09", ("BY", "KZ", "RU"), location="Almaty"))
    assert early != late
    # ... until a report in between matches both.
    middle = ingest(store, article("m", "de", "2026-10-06", ("BY", "KZ", "RU"), location="Almaty"))
    assigner = EventAssigner(store.conn)
    assert middle in (early, late)
    survivor = early  # the older event keeps its id
    assert assigner.resolve(late) == survivor and assigner.resolve(early) == survivor
    assert sorted(stored_event(store, survivor)["articles"]) == ["e", "l", "m"]
    assert [e["id"] for e in store.iter_events()] == [survivor]
    assert store.get_article("l").event_id == survivor


def test_an_updated_report_that_is_no_longer_relevant_leaves_its_event(store: Store):
    event_id = ingest(store, article("a", "en", "2025-06-18", ("BY", "RU")))
    ingest(store, article("b", "ru", "2025-06-18", ("BY", "RU")))
    ingest(store, article("a", "en", "2025-06-18", ("BY", "RU"), relevant=False, title="changed"))
    assert stored_event(store, event_id)["articles"] == ["b"]
    assert store.get_article("a").event_id is None


def test_event_metrics_and_actors_keep_their_provenance(store: Store):
    metric = Metric("UN Online Services Index", 10, "rank", "KZ", "10th place", paragraph=2)
    mun = Actor("person:dmitry-mun", "person", "Dmitri Mun", "Dmitry Mun", "KZ")
    event_id = ingest(store, article("a", "en", "2025-11-04", metrics=[metric], actors=[mun]))
    ingest(store, article("b", "ru", "2025-11-04"))
    event = stored_event(store, event_id)
    (merged,) = event["metrics"]
    assert merged["article_id"] == "a" and merged["paragraph"] == 2 and merged["value"] == 10
    assert event["actors"] == ["person:dmitry-mun"]
    assert event["mentioned_in"] == {"person:dmitry-mun": ["a"]}
