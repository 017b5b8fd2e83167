"""The index contract: every backend (embedded, elasticsearch) gives these answers.

Written once, run against each backend by the `backend_settings` fixture's parameters.
"""

from __future__ import annotations

import hashlib
import os

import pytest
from index_corpus import corpus_articles, corpus_events, late_article, save, save_event

from coopwatch.errors import QueryError
from coopwatch.records import Article
from coopwatch.store import Store
from coopwatch.text_analysis import BuiltinAnalyzer
from index import open_index
from index.query import FACETS


def ids(result) -> set[str]:
    return {hit.id for hit in result.hits}


def search(index, text: str, **fields):
    return index.search(index.parse(text, **fields))


def test_german_inflected_form_finds_the_other_inflection(corpus_index):
    result = search(corpus_index, "Familienkarte kind:article")
    assert ids(result) == {"a-de-card"}
    result = search(corpus_index, "Familienkarten kind:article")
    assert ids(result) == {"a-de-card"}


def test_russian_case_forms_find_each_other(corpus_index):
    for form in ("карта", "карты", "картой"):
        assert ids(search(corpus_index, form)) == {"a-ru-card"}, form


def test_phrase_needs_adjacent_words(corpus_index):
    assert ids(search(corpus_index, '"cooperation agreement"')) == {"a-en-egov"}
    assert ids(search(corpus_index, '"agreement cooperation"')) == set()


def test_boolean_operators(corpus_index):
    assert ids(search(corpus_index, "Tashkent OR Astana kind:article")) == {
        "a-de-card",
        "a-en-egov",
    }
    assert ids(search(corpus_index, "Kazakhstan AND Uzbekistan kind:article")) == {"a-en-egov"}
    assert ids(search(corpus_index, "agreement NOT exchange")) == {"e-agreement"}
    assert ids(search(corpus_index, "agreement -exchange")) == {"e-agreement"}
    assert ids(search(corpus_index, "agreement NOT Tashkent")) == set()
    assert ids(search(corpus_index, "(Astana OR Tashkent) digital kind:article")) == {
        "a-de-card",
        "a-en-egov",
    }


def test_exclusion_only_query_returns_everything_else(corpus_index):
    result = search(corpus_index, "-Kazakhstan -Kasachstan -Казахстан kind:article")
    assert ids(result) == {"a-de-undated"}


def test_relevant_only_by_default(corpus_index):
    assert "a-en-sport" not in ids(search(corpus_index, "football"))
    assert ids(search(corpus_index, "football relevant:all")) == {"a-en-sport"}


def test_country_filters_all_of_and_any_of(corpus_index):
    all_of = search(corpus_index, "country:BY country:KZ", size=50)
    assert ids(all_of) == {"a-de-card", "a-ru-card", "e-visit"}
    any_of = search(corpus_index, "country:UZ,RU", size=50)
    assert ids(any_of) == {"a-en-egov", "e-agreement", "a-de-undated"}


def test_actor_project_type_language_site_and_date_filters(corpus_index):
    assert ids(search(corpus_index, "actor:person:alexander-turchin")) == {
        "a-de-card",
        "a-ru-card",
        "e-visit",
    }
    assert ids(search(corpus_index, "project:project:egov-portal")) == {"a-en-egov", "e-agreement"}
    assert ids(search(corpus_index, "type:agreement")) == {"e-agreement"}
    assert ids(search(corpus_index, "lang:ru")) == {"a-ru-card", "e-visit"}
    assert ids(search(corpus_index, "site:deu.belta.by")) == {"a-de-card", "a-de-undated"}
    assert ids(search(corpus_index, "date:2025-11")) == {"a-de-card", "a-ru-card", "e-visit"}
    assert ids(search(corpus_index, "from:2025-11-05")) == {"a-ru-card"}
    assert ids(search(corpus_index, "date:2025-10-01..2025-10-31")) == {"a-en-egov", "e-agreement"}


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("to:2025-10-31", "0000", "2025-10-31"),
        ("from:2025-11-02", "2025-11-02", "9999"),
        ("date:2024-12-15..2025-11-04", "2024-12-15", "2025-11-04"),
        ("date:2025-10-21..2025-11-01", "2025-10-21", "2025-11-01"),
        ("date:2019..2024", "2019", "2024-12-31"),
    ],
)
def test_date_ranges_any_bounds(corpus_index, text, first, last):
    """Open, partial-month and multi-year ranges, inclusive (the embedded index narrows
    them by month/year tags first)."""
    dated = [(a.id, a.published, a.relevant) for a in corpus_articles()]
    dated += [(e.id, e.date, True) for e in corpus_events()]
    expected = {i for i, day, relevant in dated if relevant and day and first <= day <= last}
    assert ids(search(corpus_index, text)) == expected


def test_facets_count_every_matching_document(corpus_index):
    result = search(corpus_index, "", facets=list(FACETS), size=1)
    assert result.total == 6
    facets = {name: {v.value: v.count for v in values} for name, values in result.facets.items()}
    assert facets["countries"] == {"KZ": 5, "BY": 4, "UZ": 2, "RU": 1}
    assert facets["pairs"] == {"BY-KZ": 3, "KZ-UZ": 2, "BY-RU": 1}
    assert facets["actors"]["person:alexander-turchin"] == 3
    assert facets["projects"] == {"project:digital-family-card": 3, "project:egov-portal": 2}
    assert facets["event_types"] == {"visit": 1, "agreement": 1}
    assert facets["languages"] == {"de": 3, "ru": 2, "en": 2}
    assert facets["months"] == {"2025-11": 3, "2025-10": 2}
    # counts come first, then values alphabetically
    assert [v.value for v in result.facets["countries"]] == ["KZ", "BY", "UZ", "RU"]


def test_facets_follow_the_query(corpus_index):
    result = search(corpus_index, "Tashkent", facets=["countries", "event_types"])
    facets = {name: {v.value: v.count for v in values} for name, values in result.facets.items()}
    assert facets == {"countries": {"KZ": 2, "UZ": 2}, "event_types": {"agreement": 1}}


def test_sort_by_date_newest_first_undated_last(corpus_index):
    result = search(corpus_index, "sort:date", size=50)
    assert [h.id for h in result.hits] == [
        "a-ru-card",
        "a-de-card",
        "e-visit",
        "a-en-egov",
        "e-agreement",
        "a-de-undated",
    ]


def cursor_pages(index, text: str, size: int, total: int) -> list[str]:
    """The ids of every page of `text`, following the cursors (each page must say `total`)."""
    seen: list[str] = []
    cursor = None
    while True:
        page = search(index, text, size=size, cursor=cursor)
        assert page.total == total
        seen.extend(h.id for h in page.hits)
        assert len(seen) <= total, "a cursor page repeated hits"
        cursor = page.next_cursor
        if cursor is None:
            return seen


@pytest.mark.parametrize("text", ["sort:date", "Kazakhstan OR Kasachstan OR Belarus", ""])
def test_cursor_pages_visit_every_hit_once(corpus_index, text):
    everything = search(corpus_index, text, size=100)
    seen = cursor_pages(corpus_index, text, 2, everything.total)
    assert seen == [h.id for h in everything.hits]
    assert len(seen) == everything.total > 2


def index_two_score_runs(index, store, ids: list[str], top: set[str]) -> None:
    """Articles matching "quokka" with one of two scores: those in `top` in the title too,
    the others in the text only; indexed in the order of `ids`."""
    for doc_id in ids:
        article = Article(
            id=doc_id,
            url=f"https://example.kz/tie/{doc_id}",
            site="example.kz",
            language="en",
            title="Quokka registry" if doc_id in top else "Registry news",
            published="2025-10-01",
            paragraphs=["The quokka registry opened."],
            relevant=True,
        )
        save(store, article)
        assert index.index_article(article)


def assert_score_then_id_order(result) -> None:
    assert len({h.score for h in result.hits}) == 2
    assert [(-h.score, h.id) for h in result.hits] == sorted((-h.score, h.id) for h in result.hits)


# Short ids, and long ones that differ only after their 15th byte (tantivy orders ties by
# numbers made of an id's first 15 bytes and reads the rest only where those are equal).
@pytest.mark.parametrize("id_pattern", ["a-tie-{:02d}", "a-tie-shared-prefix-{:02d}"])
def test_pages_of_many_equal_scores_follow_doc_id_order(corpus_index, index_store, id_pattern):
    """Relevance ties (more than a page plus the embedded backend's margin) are ordered by
    id, and cursor pages still visit every hit once."""
    ids = [id_pattern.format(n) for n in range(45)]
    index_two_score_runs(corpus_index, index_store, ids, set(ids[::3]))
    everything = search(corpus_index, "quokka", size=100)
    assert everything.total == 45
    assert_score_then_id_order(everything)
    assert cursor_pages(corpus_index, "quokka", 4, 45) == [h.id for h in everything.hits]


def _hashed_id(number: int) -> str:
    return "a-" + hashlib.sha1(f"run-{number}".encode()).hexdigest()[:16]  # as the store's


# A run of equal scores longer than tantivy's first fetch (a page plus its margin) is taken
# in the order of the ids' first 8 bytes, without fetching the whole run (hashed ids as the
# store makes them; ids sharing those bytes in threes), or fetched whole when the ids share
# them all.
@pytest.mark.parametrize(
    "id_of",
    [_hashed_id, lambda n: f"a-{n // 3:06d}-{n % 3}", "a-long-shared-prefix-{:03d}".format],
    ids=["hashed", "threes", "shared-prefix"],
)
def test_long_runs_of_equal_scores_page_in_id_order(corpus_index, index_store, id_of):
    # Indexed out of id order: tantivy's own order of equal scores is not the ids'.
    ids = [id_of(k * 37 % 90) for k in range(90)]
    index_two_score_runs(corpus_index, index_store, ids, {id_of(n) for n in range(75)})
    everything = search(corpus_index, "quokka", size=100)
    assert everything.total == 90
    assert_score_then_id_order(everything)
    if corpus_index.backend.name == "elasticsearch" and not os.environ.get("COOPWATCH_ES_URL"):
        # noida-db, the local stand-in for Elasticsearch, ignores search_after at some _score
        # values (this test's among them; a real cluster pages them) and repeats page one.
        pytest.xfail("noida-db: search_after at this _score repeats the first page")
    for size in (4, 30):  # pages inside the long run, and pages across its end
        assert cursor_pages(corpus_index, "quokka", size, 90) == [h.id for h in everything.hits]


def test_title_match_ranks_above_body_match(corpus_index):
    # "Astana" is in a-ru-card's text (Астану) only via the Cyrillic form; "Belarus" is in
    # a-de-card's title and body but only in the body of a-de-undated.
    hits = search(corpus_index, "Belarus kind:article").hits
    assert [h.id for h in hits] == ["a-de-card", "a-de-undated"]
    assert hits[0].score > hits[1].score


def test_highlights_mark_the_matched_forms(corpus_index):
    [hit] = search(corpus_index, "картой").hits
    assert any("<em>карты</em>" in fragment for fragment in hit.highlights)
    assert any("<em>картой</em>" in fragment for fragment in hit.highlights)
    [hit] = search(corpus_index, "Familienkarte kind:article").hits
    assert hit.highlights[0] == "Digitale <em>Familienkarten</em> für Belarus"


def test_hits_carry_the_exported_record(corpus_index):
    [hit] = search(corpus_index, "type:visit").hits
    assert hit.kind == "event" and hit.record["countries"] == ["BY", "KZ"]
    assert hit.record["type"] == "event"
    [hit] = search(corpus_index, "Tashkent kind:article").hits
    assert hit.record["url"] == "https://kazinform.kz/egov"
    assert hit.date == "2025-10-20" and hit.language == "en"


def test_get_by_id(corpus_index):
    assert corpus_index.get("a-ru-card")["title"] == "Цифровые карты для семей"
    assert corpus_index.get("e-agreement")["location"] == "Tashkent"
    assert corpus_index.get("no-such-id") is None


def test_update_replaces_and_delete_removes(corpus_index, index_store):
    article = corpus_articles()[2]
    article.title = "Uzbekistan and Kazakhstan link their portals"
    article.paragraphs = ["A new interoperability bridge connects the portals."]
    save(index_store, article)
    assert corpus_index.index_article(article)
    assert ids(search(corpus_index, "interoperability")) == {"a-en-egov"}
    assert ids(search(corpus_index, "Tashkent kind:article")) == set()
    assert corpus_index.delete("e-agreement", "event")
    assert corpus_index.get("e-agreement") is None
    assert ids(search(corpus_index, "type:agreement")) == set()


def test_stored_article_not_yet_indexed_is_caught_up(corpus_index, index_store):
    article = late_article()
    save(index_store, article)  # stored by some path that did not call the index
    assert corpus_index.stale() == 1
    assert search(corpus_index, "Kyrgyzstan").stale == 1
    assert corpus_index.catch_up() == 1
    assert corpus_index.stale() == 0
    assert ids(search(corpus_index, "Kyrgyzstan")) == {"a-en-late"}


def test_reindex_rebuilds_the_same_answers_from_the_store(corpus_index):
    before = search(corpus_index, "", facets=list(FACETS), size=50, sort="date")
    assert corpus_index.reindex() == 7
    after = search(corpus_index, "", facets=list(FACETS), size=50, sort="date")
    assert [h.id for h in after.hits] == [h.id for h in before.hits]
    assert after.facets == before.facets
    assert corpus_index.count() == 7


def test_reindex_in_worker_processes_gives_the_same_answers(corpus_index):
    """Analysis in forked worker processes (as for a large store) builds the same index."""
    before = search(corpus_index, "", facets=list(FACETS), size=50, sort="date")
    texts = ["Familienkarte", "карта", "digital card", "country:KZ date:2025"]
    ranked = [[(h.id, h.score) for h in search(corpus_index, t).hits] for t in texts]
    corpus_index.settings.index.workers = 2
    corpus_index.parallel_min_docs = 0  # the corpus is tiny
    assert corpus_index.reindex(batch_size=2) == 7
    after = search(corpus_index, "", facets=list(FACETS), size=50, sort="date")
    assert [h.id for h in after.hits] == [h.id for h in before.hits]
    assert after.facets == before.facets
    assert [[(h.id, h.score) for h in search(corpus_index, t).hits] for t in texts] == ranked
    assert ranked[0] and ranked[1]


def test_term_expander_finds_names_written_in_another_script(backend_settings, corpus_index):
    variants = {"Турчин": ["Turtschin", "Turchin"], "Turtschin": ["Турчин"]}
    expanded = open_index(
        backend_settings, corpus_index.store, term_expander=lambda w: variants.get(w, [])
    )
    assert ids(search(expanded, "Турчин kind:article")) == {"a-de-card", "a-ru-card"}
    assert ids(search(corpus_index, "Турчин kind:article")) == {"a-ru-card"}


def test_malformed_query_is_a_query_error(corpus_index):
    with pytest.raises(QueryError, match="unbalanced quote"):
        search(corpus_index, '"digital family')
    with pytest.raises(QueryError, match="bad cursor"):
        search(corpus_index, "digital", cursor="not-a-cursor")


def test_update_written_during_a_rebuild_is_not_lost(backend_settings, corpus_index):
    """Ingest (another process: its own store connection) updates an article while reindex
    is filling the new index; after the swap the update is what the index has."""
    other_store = Store(backend_settings.data_dir)
    other_index = open_index(backend_settings, other_store)

    class UpdateWhileRebuilding(BuiltinAnalyzer):
        """The builtin analyzer; analysing the last stored title (after a-en-egov was read
        for the new index) interleaves the update."""

        done = False

        def __call__(self, text, language):
            if text == corpus_articles()[4].title and not self.done:
                self.done = True
                updated = corpus_articles()[2]
                updated.title = "A quantum registry"
                updated.paragraphs = ["A quantum registry now links the portals."]
                save(other_store, updated)
                assert other_index.index_article(updated)
            return super().__call__(text, language)

    rebuilding = open_index(backend_settings, corpus_index.store, UpdateWhileRebuilding())
    assert rebuilding.reindex(batch_size=1) == 7
    assert rebuilding.analyzer.done
    assert ids(search(corpus_index, "quantum")) == {"a-en-egov"}
    assert corpus_index.stale() == 0
    other_index.close()
    other_store.close()


def test_events_changed_in_the_store_are_caught_up(corpus_index, index_store):
    """Ingest creates, updates and merges away events in the store's own transactions; the
    index follows with catch_up (no index call needed from the event code)."""
    visit = corpus_events()[0]
    visit.title = "Belarus and Kazakhstan agree on a blockchain registry"
    save_event(index_store, visit)
    assert corpus_index.stale() == 1
    assert corpus_index.catch_up() == 1
    assert ids(search(corpus_index, "blockchain")) == {"e-visit"}
    with index_store.transaction() as conn:
        conn.execute("DELETE FROM events WHERE id = 'e-visit'")  # merged into another
    assert corpus_index.catch_up() == 1
    assert corpus_index.get("e-visit") is None
    assert ids(search(corpus_index, "type:visit")) == set()


def test_person_names_expand_across_scripts_through_the_actor_registry(
    backend_settings, corpus_index, index_store
):
    """The actor registry (coopwatch.actors) knows both spellings of one person once the
    reports are resolved; a query in one script then finds reports in the other."""
    from coopwatch.actors import ActorRegistry

    registry = ActorRegistry(index_store.conn)
    for article in corpus_articles():
        with index_store.transaction():
            registry.resolve_article(article)
    index = open_index(backend_settings, index_store)  # the registry's expander by default
    assert ids(search(index, "Турчин kind:article")) == {"a-de-card", "a-ru-card"}
    assert ids(search(index, "Turtschin kind:article")) == {"a-de-card", "a-ru-card"}
    assert ids(search(index, '"Александр Турчин" kind:article')) == {"a-de-card", "a-ru-card"}
    assert ids(search(index, "Tashkent kind:article")) == {"a-en-egov"}  # others unchanged


def test_opening_an_index_needs_no_write_lock(backend_settings, corpus_index):
    """The API opens an index per request: that must not wait for ingest's write lock."""
    writer = Store(backend_settings.data_dir)
    reader = Store(backend_settings.data_dir)
    try:
        writer.conn.execute("BEGIN IMMEDIATE")  # ingest holds the write lock
        reader.conn.execute("PRAGMA busy_timeout = 100")
        index = open_index(backend_settings, reader)
        assert ids(search(index, "type:visit")) == {"e-visit"}
    finally:
        writer.conn.execute("ROLLBACK")
        writer.close()
        reader.close()
