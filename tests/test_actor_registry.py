"""The actor registry in a real store: one id across languages, variants with counts, merges
and splits that survive re-processing, and `coopwatch actors`."""

from __future__ import annotations

import json

from click.testing import CliRunner

from coopwatch.actors import ActorRegistry
from coopwatch.cli import cli
from coopwatch.records import Actor, Article, Project, Quote


def _article(article_id: str, language: str, actors: list[Actor], **kw) -> Article:
    return Article(
        id=article_id,
        url=f"https://example.org/{article_id}",
        site="example.org",
        language=language,
        title="t",
        published="2026-01-01",
        paragraphs=["p"],
        relevant=kw.pop("relevant", True),
        actors=actors,
        **kw,
    )


def _person(name: str, canonical: str, **kw) -> Actor:
    from nlp.names import slug

    return Actor(
        id="person:" + slug(canonical), kind="person", name=name, canonical=canonical, **kw
    )


def _resolve(store, article: Article) -> Article:
    with store.transaction():
        ActorRegistry(store.conn).resolve_article(article)
    return article


def test_one_person_in_three_scripts_gets_one_id(store):
    # German "Sch" may be ш or ж: the registry's identity key joins Schaksylykow/Zhaksylykov
    de = _resolve(
        store, _article("a1", "de", [_person("Nurlan Schaksylykow", "Nurlan Shaksylykov")])
    )
    ru = _resolve(store, _article("a2", "ru", [_person("Нурлан Жаксылыков", "Nurlan Zhaksylykov")]))
    en = _resolve(
        store, _article("a3", "en", [_person("Nurlan Zhaksylykov", "Nurlan Zhaksylykov")])
    )
    ids = {a.actors[0].id for a in (de, ru, en)}
    assert ids == {"person:nurlan-shaksylykov"}  # the first id given stays
    registry = ActorRegistry(store.conn)
    assert en.actors[0].canonical == "Nurlan Zhaksylykov"  # an English source's spelling wins
    variants = dict(registry.variants("person:nurlan-shaksylykov"))
    assert variants["Нурлан Жаксылыков"] == 1 and variants["Nurlan Zhaksylykov"] == 1
    for query in ("Нурлан Жаксылыков", "Schaksylykow", "Жаксылыкова", "Zhaksylykov Nurlan"):
        assert registry.lookup(query) == ["person:nurlan-shaksylykov"], query


def test_transcriptions_meet_on_the_loose_key(store):
    _resolve(store, _article("a1", "en", [_person("Jasur Ergashev", "Jasur Ergashev")]))
    ru = _resolve(store, _article("a2", "ru", [_person("Жасур Эргашев", "Zhasur Ergashev")]))
    assert ru.actors[0].id == "person:jasur-ergashev"
    # German "tsch" is ч and тж alike: Bachytschan Ospanow is Бахытжан Оспанов
    _resolve(store, _article("a3", "ru", [_person("Бахытжан Оспанов", "Bakhytzhan Ospanov")]))
    de = _resolve(
        store, _article("a4", "de", [_person("Bachytschan Ospanow", "Bakhychan Ospanov")])
    )
    assert de.actors[0].id == "person:bakhytzhan-ospanov"
    # English "oo" is у, Korean "eo" is о
    _resolve(store, _article("a5", "en", [_person("Fatima Al Mansoori", "Fatima Al Mansoori")]))
    _resolve(store, _article("a6", "en", [_person("Kim Do-yeon", "Kim Do-yeon")]))
    ru = _resolve(
        store,
        _article(
            "a7",
            "ru",
            [
                _person("Фатима Аль Мансури", "Fatima Al Mansuri"),
                _person("Ким До Ён", "Kim Do-yon"),
            ],
        ),
    )
    assert [a.id for a in ru.actors] == ["person:fatima-al-mansoori", "person:kim-do-yeon"]
    # "bin" (son of) written by one report and left out by another
    _resolve(
        store,
        _article("a8", "en", [_person("Ahmad Faizal Abdul Rahman", "Ahmad Faizal Abdul Rahman")]),
    )
    bin_ = _resolve(
        store,
        _article(
            "a9", "en", [_person("Ahmad Faizal bin Abdul Rahman", "Ahmad Faizal bin Abdul Rahman")]
        ),
    )
    assert bin_.actors[0].id == "person:ahmad-faizal-abdul-rahman"


def test_organisation_without_country_joins_the_one_with_it(store):
    org = Actor("org:uz-ministry-digital-technologies", "organization", "Министерства цифровых "
                "технологий", "Ministry of Digital Technologies", "UZ")  # fmt: skip
    _resolve(store, _article("a1", "ru", [org]))
    bare = Actor(
        "org:ministry-digital-technologies",
        "organization",
        "Ministry of Digital Technologies",
        "Ministry for Digital Technologies",
    )
    en = _resolve(store, _article("a2", "en", [bare]))
    assert en.actors[0].id == "org:uz-ministry-digital-technologies"
    assert en.actors[0].country == "UZ"


def test_projects_and_quotes_follow_the_registry_ids(store):
    project = Project("project:work-without-borders", "Arbeit ohne Grenzen", "Work Without Borders")
    chernov = _person("Juri Tschernow", "Yuri Chernov")
    _resolve(store, _article("a1", "de", [chernov], projects=[project]))
    article = _article(
        "a2",
        "ru",
        [_person("Юрий Чернов", "Yuri Chernov")],
        projects=[Project("project:rabota", "Работа без границ", "Work Without Borders")],
        quotes=[Quote("person:yuri-chernov", "Чернов", "…")],
    )
    _resolve(store, article)
    assert article.projects[0].id == "project:work-without-borders"
    assert article.quotes[0].speaker_id == "person:yuri-chernov"


def test_irrelevant_report_keeps_its_actors_but_registers_none(store):
    _resolve(store, _article("a1", "en", [_person("Olga Zhuk", "Olga Zhuk")]))
    sports = _resolve(
        store,
        _article(
            "a2",
            "en",
            [_person("Olga Zhuk", "Olga Zhuk"), _person("Ivan Goalie", "Ivan Goalie")],
            relevant=False,
        ),
    )
    assert [a.id for a in sports.actors] == ["person:olga-zhuk", "person:ivan-goalie"]
    assert ActorRegistry(store.conn).current_id("person:ivan-goalie") is None


def test_merge_is_remembered_when_articles_are_processed_again(store):
    registry = ActorRegistry(store.conn)
    _resolve(store, _article("a1", "en", [_person("Leyla Hasanova", "Leyla Hasanova")]))
    # a married name the rules cannot know
    _resolve(store, _article("a2", "ru", [_person("Лейла Мамедова", "Leyla Mamedova")]))
    with store.transaction():
        registry.merge(["person:leyla-mamedova"], into="person:leyla-hasanova")
    again = _resolve(store, _article("a2", "ru", [_person("Лейла Мамедова", "Leyla Mamedova")]))
    assert again.actors[0].id == "person:leyla-hasanova"
    assert registry.current_id("person:leyla-mamedova") == "person:leyla-hasanova"
    assert ("Лейла Мамедова", 1) in registry.variants("person:leyla-hasanova")


def test_split_is_remembered_when_articles_are_processed_again(store):
    registry = ActorRegistry(store.conn)
    _resolve(store, _article("a1", "en", [_person("Olga Zhuk", "Olga Zhuk")]))
    _resolve(store, _article("a2", "de", [_person("Olga Schuk", "Olga Shuk")]))
    assert registry.current_id("person:olga-shuk") is None  # joined Olga Zhuk
    with store.transaction():
        new = registry.split("person:olga-zhuk", ["Olga Schuk"], new_id="person:olga-schuk")
    again = _resolve(store, _article("a2", "de", [_person("Olga Schuk", "Olga Shuk")]))
    assert again.actors[0].id == new == "person:olga-schuk"
    first = _resolve(store, _article("a1", "en", [_person("Olga Zhuk", "Olga Zhuk")]))
    assert first.actors[0].id == "person:olga-zhuk"


def test_actors_cli_list_show_merge_split(settings, tmp_path):
    from coopwatch.store import Store

    with Store(settings.data_dir) as store:
        _resolve(store, _article("a1", "en", [_person("Yuri Chernov", "Yuri Chernov")]))
        _resolve(store, _article("a2", "en", [_person("Yura Chernov", "Yura Chernov")]))
    runner = CliRunner()
    base = ["--data-dir", str(settings.data_dir), "actors"]
    listed = runner.invoke(cli, [*base, "list", "--kind", "person"])
    assert listed.exit_code == 0, listed.output
    assert "person:yuri-chernov\tperson\tYuri Chernov" in listed.output
    merged = runner.invoke(cli, [*base, "merge", "person:yura-chernov", "--into",
                                 "person:yuri-chernov"])  # fmt: skip
    assert merged.exit_code == 0, merged.output
    shown = json.loads(runner.invoke(cli, [*base, "show", "person:yura-chernov"]).output)
    assert shown["id"] == "person:yuri-chernov"
    assert shown["merged"] == ["person:yura-chernov"]
    assert {n["name"] for n in shown["names"]} >= {"Yuri Chernov", "Yura Chernov"}
    split = runner.invoke(cli, [*base, "split", "person:yuri-chernov", "--name", "Yura Chernov"])
    assert split.exit_code == 0, split.output
    missing = runner.invoke(cli, [*base, "show", "person:nobody"])
    assert missing.exit_code == 2


_PAGE = """<html><head><title>{title}</title></head><body><article><h1>{title}</h1>
{paragraphs}</article></body></html>"""


def _page(url: str, title: str, paragraphs: list[str]):
    from datetime import UTC, datetime

    from coopwatch.records import FetchedPage

    body = _PAGE.format(title=title, paragraphs="".join(f"<p>{p}</p>" for p in paragraphs))
    return FetchedPage(url=url, body=body.encode(), fetched_at=datetime(2026, 3, 2, tzinfo=UTC))


def test_merge_survives_reimport_through_the_ingest_step(settings, store):
    from coopwatch.importer import ImportReport, ingest_page
    from coopwatch.pipeline import PageAnalyser

    analyser = PageAnalyser(settings)
    text = (
        "TASHKENT – Kazakhstan and Uzbekistan agreed on March 2 to connect their e-government "
        "portals and recognise each other's electronic signatures."
    )
    en = _page(
        "https://news.example/en/1",
        "Kazakhstan and Uzbekistan to link e-government portals",
        [
            text,
            "Uzbekistan's Deputy Minister of Digital Technologies Rustam Karimov and "
            "Kazakhstan's Vice Minister of Digital Development Askar Zhumabekov signed the "
            "roadmap on digital government cooperation.",
            "Karimov said twelve cross-border e-government services would start this year.",
        ],
    )
    report = ImportReport()
    ingest_page(store, analyser, en, "en", report)
    registry = ActorRegistry(store.conn)
    ids = {a.id for a in store.get_article(_article_id(store, en.url)).actors}
    assert {"person:rustam-karimov", "person:askar-zhumabekov"} <= ids
    with store.transaction():
        registry.merge(["person:askar-zhumabekov"], into="person:rustam-karimov")  # analyst's call
    stored = store.get_article(_article_id(store, en.url))
    assert "person:askar-zhumabekov" not in {a.id for a in stored.actors}
    [event] = store.iter_events()  # the event follows the merge at once
    assert "person:askar-zhumabekov" not in event["actors"]
    assert "person:rustam-karimov" in event["actors"]
    ingest_page(store, analyser, en, "en", report, reanalyse=True)
    again = store.get_article(_article_id(store, en.url))
    persons = [a.id for a in again.actors if a.kind == "person"]
    assert persons == ["person:rustam-karimov"]
    assert not report.failures
    events = list(store.iter_events())
    assert events and all("person:askar-zhumabekov" not in e["actors"] for e in events)


def _article_id(store, url: str) -> str:
    return store.conn.execute("SELECT id FROM articles WHERE url = ?", (url,)).fetchone()[0]


def test_reading_the_registry_loads_no_nlp():
    """index/ expands name queries through the registry and must not load the nlp stage."""
    import subprocess
    import sys

    code = "import sys, coopwatch.actors\nassert 'nlp' not in sys.modules, sorted(sys.modules)\n"
    subprocess.run([sys.executable, "-c", code], check=True)


def _stored(store, table: str) -> dict[str, str]:
    return dict(store.conn.execute(f"SELECT id, record FROM {table}"))


def test_merge_touches_only_the_articles_and_events_that_name_the_actor(store):
    """The merge finds the articles through actor_mentions: an article that does not name
    the merged actor is not rewritten, and no statement reads through all articles or event
    members (a big store is not scanned while the write lock is held)."""
    import re

    from coopwatch.events import EventAssigner
    from coopwatch.records import FetchedPage

    karimov = _person("Rustam Karimov", "Rustam Karimov", country="UZ")
    zhumabekov = _person("Askar Zhumabekov", "Askar Zhumabekov", country="KZ")
    mun = _person("Dmitry Mun", "Dmitry Mun", country="KZ")
    reports = [  # a and b report one event; c another
        ("a", "en", "2026-03-02", ("KZ", "UZ"), [karimov, zhumabekov]),
        ("b", "ru", "2026-03-02", ("KZ", "UZ"), [_person("Рустам Каримов", "Rustam Karimov")]),
        ("c", "en", "2026-02-10", ("BY", "KZ"), [mun]),
    ]
    for article_id, language, day, countries, actors in reports:
        report = _article(
            article_id, language, actors, event_date=day, event_date_source="text",
            event_type="agreement", event_location="Tashkent", event_countries=list(countries),
        )  # fmt: skip
        with store.transaction():
            ActorRegistry(store.conn).resolve_article(report)
            store.save(FetchedPage(url=report.url, body=article_id.encode()), report)
            EventAssigner(store.conn).assign(report)
    articles, events = _stored(store, "articles"), _stored(store, "events")
    assert len(events) == 2
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    with store.transaction():
        ActorRegistry(store.conn).merge(["person:askar-zhumabekov"], into="person:rustam-karimov")
    store.conn.set_trace_callback(None)

    after, events_after = _stored(store, "articles"), _stored(store, "events")
    assert after["b"] == articles["b"] and after["c"] == articles["c"]  # not rewritten
    assert after["a"] != articles["a"] and "person:askar-zhumabekov" not in after["a"]
    assert [a["id"] for a in json.loads(after["a"])["actors"]] == ["person:rustam-karimov"]
    (changed,) = [e for e in events if events_after[e] != events[e]]
    assert json.loads(events_after[changed])["actors"] == ["person:rustam-karimov"]
    scans = []
    for statement in statements:
        if re.match(r"\s*(SELECT|UPDATE|INSERT|DELETE)", statement, re.I) and re.search(
            r"\b(articles|event_members)\b", statement
        ):
            plan = store.conn.execute(
                "EXPLAIN QUERY PLAN " + statement, [None] * statement.count("?")
            ).fetchall()
            scans += [
                (statement, p[-1])
                for p in plan
                if re.match(r"SCAN (articles|event_members)\b", p[-1])
            ]
    assert not scans


def test_a_better_english_form_reaches_the_reports_stored_before(store):
    """A German report first gives the person a folded form; when an English report names
    him, every stored report shows the English form under the one id."""
    from coopwatch.records import FetchedPage

    reports = [
        ("de1", "de", _person("Scherzod Schermatow", "Shertsod Shermatov", country="UZ")),
        ("en1", "en", _person("Sherzod Shermatov", "Sherzod Shermatov", country="UZ")),
    ]
    for article_id, language, person in reports:
        report = _article(article_id, language, [person])
        with store.transaction():
            ActorRegistry(store.conn).resolve_article(report)
            store.save(FetchedPage(url=report.url, body=article_id.encode()), report)
    stored = [
        store.get_article(_article_id(store, f"https://example.org/{a}")) for a in ("de1", "en1")
    ]
    assert {(a.actors[0].id, a.actors[0].canonical) for a in stored} == {
        ("person:shertsod-shermatov", "Sherzod Shermatov")
    }
    assert stored[0].actors[0].name == "Scherzod Schermatow"  # as written in that report


def test_actors_stored_with_keys_of_an_older_release_are_re_keyed(store):
    # an English report stored by a release whose key still told Mykhailo from Mikhail
    _resolve(store, _article("a1", "en", [_person("Mykhailo Fedorov", "Mykhailo Fedorov")]))
    with store.transaction():
        store.conn.execute("UPDATE actors SET key = 'mihailo fedorov'")
        store.conn.execute("UPDATE registry_meta SET value = 'an-older-release'")
    ru = _resolve(store, _article("a2", "ru", [_person("Михаил Федоров", "Mikhail Fedorov")]))
    assert ru.actors[0].id == "person:mykhailo-fedorov"
    assert ActorRegistry(store.conn).refresh_keys() == 0  # current now: nothing to do


def test_current_keys_are_not_rewritten(store):
    _resolve(store, _article("a1", "en", [_person("Mykhailo Fedorov", "Mykhailo Fedorov")]))
    with store.transaction():
        store.conn.execute("UPDATE actors SET key = 'left as it is'")
    assert ActorRegistry(store.conn).refresh_keys() == 0
    assert store.conn.execute("SELECT key FROM actors").fetchone()[0] == "left as it is"


def _body(actor_id: str, name: str, canonical: str, country: str) -> Actor:
    return Actor(actor_id, "organization", name, canonical, country)


def test_a_shortened_name_of_a_state_s_body_joins_its_full_name(store):
    full_name = "Ministry of Digital Development and Innovative Technologies"
    full = _body("org:kg-full", full_name, full_name, "KG")
    _resolve(store, _article("a1", "en", [full]))
    short = _body(
        "org:kg-short",
        "Ministeriums für digitale Entwicklung",
        "Ministry for Digital Development",
        "KG",
    )
    assert _resolve(store, _article("a2", "de", [short])).actors[0].id == "org:kg-full"
    # another state's ministry of that name stays its own
    other = _body(
        "org:kz-short", "Ministry of Digital Development", "Ministry of Digital Development", "KZ"
    )
    assert _resolve(store, _article("a3", "en", [other])).actors[0].id == "org:kz-short"


def test_a_name_written_with_its_initial_is_the_one_person_named_in_full(store):
    full = _resolve(store, _article("a1", "ru", [_person("Бауыржан Мусин", "Bauyrzhan Musin")]))
    short = _resolve(store, _article("a2", "ru", [_person("Б. Мусин", "B. Musin")]))
    assert short.actors[0].id == full.actors[0].id == "person:bauyrzhan-musin"
    assert short.actors[0].canonical == "Bauyrzhan Musin"


def test_a_full_name_after_its_initial_form_takes_that_id_and_gives_it_its_name(store):
    short = _resolve(store, _article("a1", "ru", [_person("Ш. Насруллоев", "Sh. Nasrulloev")]))
    full = _resolve(
        store, _article("a2", "de", [_person("Schamschidin Nasrulloew", "Shamshidin Nasrulloev")])
    )
    assert full.actors[0].id == short.actors[0].id == "person:sh-nasrulloev"
    assert ActorRegistry(store.conn).entry("person:sh-nasrulloev").canonical == (
        "Shamshidin Nasrulloev"
    )


def test_an_initial_shared_by_two_people_of_one_surname_joins_neither(store):
    _resolve(store, _article("a1", "ru", [_person("Бауыржан Мусин", "Bauyrzhan Musin")]))
    _resolve(store, _article("a2", "ru", [_person("Багдат Мусин", "Bagdat Musin")]))
    short = _resolve(store, _article("a3", "ru", [_person("Б. Мусин", "B. Musin")]))
    assert short.actors[0].id == "person:b-musin"
