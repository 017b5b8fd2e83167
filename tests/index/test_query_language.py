"""The query parser: what each query string means, and a clear QueryError for bad input."""

from __future__ import annotations

import pytest

from coopwatch.errors import QueryError, UsageError
from coopwatch.text_analysis import BuiltinAnalyzer
from index.query import (
    AAnd,
    And,
    ANot,
    Not,
    Or,
    Phrase,
    Query,
    Terms,
    Word,
    analyse_expr,
    decode_cursor,
    encode_cursor,
    parse_query,
)


def test_words_phrases_and_operators():
    query = parse_query(
        'Familienkarte "digital family card" (Astana OR Tashkent) NOT Moskau -Minsk'
    )
    assert query.text == And(
        (
            Word("Familienkarte"),
            Phrase("digital family card"),
            Or((Word("Astana"), Word("Tashkent"))),
            Not(Word("Moskau")),
            Not(Word("Minsk")),
        )
    )


def test_lower_case_operators_are_words():
    assert parse_query("digital and or not").text == And(
        (Word("digital"), Word("and"), Word("or"), Word("not"))
    )


def test_guillemets_quote_a_phrase():
    assert parse_query("«цифровая карта»").text == Phrase("цифровая карта")


def test_filters():
    query = parse_query(
        "card country:by country:KZ country:UZ,RU actor:person:alexander-turchin "
        "project:project:x type:visit,meeting lang:DE site:belta.by kind:event "
        "date:2025-02 relevant:all sort:date"
    )
    assert query.text == Word("card")
    assert query.countries_all == ["BY", "KZ"]
    assert query.countries_any == ["UZ", "RU"]
    assert query.actors == ["person:alexander-turchin"]
    assert query.projects == ["project:x"]
    assert query.event_types == ["visit", "meeting"]
    assert query.languages == ["de"]
    assert query.sites == ["belta.by"]
    assert query.kinds == ["event"]
    assert (query.date_from, query.date_to) == ("2025-02-01", "2025-02-28")
    assert query.relevant_only is False
    assert query.sort == "date"


def test_date_forms():
    assert (parse_query("date:2024").date_from, parse_query("date:2024").date_to) == (
        "2024-01-01",
        "2024-12-31",
    )
    query = parse_query("date:2025-01-15..2025-03")
    assert (query.date_from, query.date_to) == ("2025-01-15", "2025-03-31")
    query = parse_query("from:2025-01-15 to:2025-02")
    assert (query.date_from, query.date_to) == ("2025-01-15", "2025-02-28")


def test_filters_only_query_has_no_text_and_sorts_by_date():
    query = parse_query("country:BY")
    assert query.text is None
    assert query.resolved_sort == "date"
    assert parse_query("digital").resolved_sort == "relevance"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('"digital family', 'unbalanced quote: the " at position 1 is never closed'),
        ('site:"belta', "unbalanced quote"),
        ("«карта", "unbalanced quote"),
        ("(Astana OR Tashkent", "unbalanced parenthesis: '(' at position 1"),
        ("Astana)", "unbalanced parenthesis: ')' at position 7"),
        ("cuntry:BY", "unknown filter cuntry:"),
        ("date:2025-13", "bad date '2025-13' in date:2025-13"),
        ("date:2025-02-30", "bad date '2025-02-30'"),
        ("from:yesterday", "bad date 'yesterday'"),
        ("date:2025-03..2025-01", "date range is empty"),
        ("country:Belarus", "bad country 'Belarus'"),
        ("type:party", "unknown event type 'party'"),
        ("lang:german", "bad language 'german'"),
        ("kind:page", "unknown kind 'page'"),
        ("relevant:maybe", "relevant:yes or relevant:all"),
        ("sort:random", "sort:relevance or sort:date"),
        ("country:", "needs a value"),
        ("Astana OR", "OR at position 8 needs a term"),
        ("NOT", "NOT at position 1 needs a term"),
        ("Astana OR NOT Tashkent", "NOT cannot be an OR alternative"),
        ("Tashkent (NOT Astana NOT Minsk)", "NOT needs a positive term"),
        ("(country:BY)", "filter country: inside parentheses"),
        ("-country:BY", "filters cannot be negated"),
        ('""', "empty phrase"),
        ("()", "empty parentheses"),
    ],
)
def test_malformed_query_names_what_is_wrong(text, message):
    with pytest.raises(QueryError) as caught:
        parse_query(text)
    assert message in str(caught.value)
    assert isinstance(caught.value, UsageError)  # the CLI exits 2, the API answers 422


def test_urls_and_times_are_text_not_filters():
    assert parse_query("https://belta.by/x").text == Word("https://belta.by/x")
    assert parse_query("10:30").text == Word("10:30")


def test_query_fields_set_directly_are_validated():
    with pytest.raises(QueryError, match="unknown facet 'colours'"):
        Query(facets=["colours"]).validate()
    assert Query(countries_all=["by"]).validate().countries_all == ["BY"]


def test_cursor_round_trip_and_mismatch():
    cursor = encode_cursor("date", ["2025-11-04", "a-1"])
    assert decode_cursor(cursor, "date") == ["2025-11-04", "a-1"]
    with pytest.raises(QueryError, match="cursor is for sort 'date'"):
        decode_cursor(cursor, "relevance")
    with pytest.raises(QueryError, match="bad cursor"):
        decode_cursor("!!!", "date")


def test_analysis_by_script_and_expansion():
    analyzer = BuiltinAnalyzer()
    expr = analyse_expr(
        parse_query("карты Familienkarten -e-government").text,
        analyzer,
        ["de", "ru", "en"],
        term_expander=lambda w: ["Karta"] if w == "карты" else [],
    )
    assert isinstance(expr, AAnd)
    cards, family, excluded = expr.children
    assert ("карта",) in cards.alternatives  # ru lemma
    assert ("karta",) in cards.alternatives  # expansion, Latin script
    assert ("familienkart",) in family.alternatives  # de light stem
    assert ("familienkarten",) in family.alternatives  # plain folding
    assert isinstance(excluded, ANot)
    assert excluded.child == Terms((("e", "government"),))  # two terms: a phrase
