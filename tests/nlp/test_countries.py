"""Country mentions in de/ru/en: names, short names, adjectives and inflected forms -> ISO codes."""

from __future__ import annotations

import pytest

from nlp.countries import (
    country_code,
    curated_codes,
    english_name,
    enumerated_states,
    find_countries,
    names_union,
)


def codes(text: str) -> list[str]:
    return [m.code for m in find_countries(text)]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # German: names, genitive, adjective endings, old names
        ("kasachisch", "KZ"),
        ("der belarussischen Delegation", "BY"),
        ("Weißrussland", "BY"),
        ("die Zusammenarbeit Usbekistans mit der EU", "UZ"),
        ("ein tadschikischer Unternehmer", "TJ"),
        ("im aserbaidschanischen Baku", "AZ"),
        ("mit den Vereinigten Arabischen Emiraten", "AE"),
        ("Gäste aus der Türkei", "TR"),
        ("Việt Nam signed the plan", "VN"),  # the state's own spelling
        ("das georgische Justizministerium", "GE"),
        ("Kirgisistan", "KG"),
        ("Kirgisien", "KG"),
        ("Südkorea", "KR"),
        ("die Republik Moldau", "MD"),
        ("ein estnisches Start-up", "EE"),
        ("die Kasachen", "KZ"),
        ("zwei Usbekinnen", "UZ"),
        # Russian: case forms of names and adjectives, short and official names
        ("казахстанский", "KZ"),
        ("с Казахстаном", "KZ"),
        ("в Беларуси", "BY"),
        ("Белоруссия", "BY"),
        ("делегация Кыргызстана", "KG"),
        ("киргизских коллег", "KG"),
        ("в Республике Узбекистан", "UZ"),
        ("с Южной Кореей", "KR"),
        ("таджикской стороной", "TJ"),
        ("правительство РФ", "RU"),
        ("в Объединенных Арабских Эмиратах", "AE"),
        ("азербайджанские партнеры", "AZ"),
        ("ФРГ", "DE"),
        ("с киргизами", "KG"),
        ("армянин", "AM"),
        # English: names, possessives, adjectives, demonyms
        ("Kazakh", "KZ"),
        ("Uzbekistan's", "UZ"),
        ("the Kyrgyz Republic", "KG"),
        ("Tajik officials", "TJ"),
        ("Azerbaijani experts", "AZ"),
        ("the United Arab Emirates", "AE"),
        ("a South Korean firm", "KR"),
        ("the UK", "GB"),
        ("Armenian", "AM"),
    ],
)
def test_single_mentions_map_to_their_code(text: str, code: str) -> None:
    assert codes(text) == [code]


def test_word_boundaries_keep_names_inside_words_out() -> None:
    assert codes("Chadwick met Omanovic in Indianapolis") == []
    assert codes("Chad") == ["TD"]


def test_lower_case_english_words_are_not_country_names() -> None:
    assert codes("a roast turkey and fine china") == []
    assert codes("Turkey and China") == ["TR", "CN"]


def test_offsets_and_surface_point_into_the_text() -> None:
    text = "Лидеры Казахстана и Узбекистана обсудили казахстанско-узбекские проекты."
    found = find_countries(text)
    assert [m.code for m in found] == ["KZ", "UZ", "KZ", "UZ"]
    for m in found:
        assert text[m.start : m.end] == m.surface
    assert found[0].surface == "Казахстана"
    assert found[0].kind == "name" and found[2].kind == "adjective"


def test_multiword_name_wins_over_its_parts() -> None:
    found = find_countries("Vertreter Nordkoreas und Südkoreas trafen sich in der Mongolei.")
    assert [m.code for m in found] == ["KP", "KR", "MN"]


def test_country_code_of_single_words() -> None:
    assert country_code("Казахстаном") == "KZ"
    assert country_code("usbekische") == "UZ"
    assert country_code("Kyrgyzstan") == "KG"
    assert country_code("Astana") is None


def test_english_names() -> None:
    assert english_name("KZ") == "Kazakhstan"
    assert english_name("BY") == "Belarus"
    assert english_name("KR") == "South Korea"


EUROPE_AND_ASIA = (
    "AL AD AT BY BE BA BG HR CY CZ DK EE FI FR DE GR HU IS IE IT LV LI LT LU MT MD MC ME NL "
    "MK NO PL PT RO RU SM RS SK SI ES SE CH UA GB AF AM AZ BH BD BT BN KH CN GE IN ID IR IQ "
    "IL JP JO KZ KW KG LA LB MY MV MN MM NP KP OM PK PH QA SA SG KR LK SY TW TJ TH TL TR TM "
    "AE UZ VN YE"
)


def test_all_of_europe_and_asia_have_adjectives_in_three_languages() -> None:
    covered = curated_codes()
    assert [code for code in EUROPE_AND_ASIA.split() if code not in covered] == []


def test_article_countries_are_the_states_it_is_about() -> None:
    from nlp.analysis import analyse_paragraphs

    paragraphs = [
        "Vertreter Georgiens und Armeniens trafen sich in Tiflis.",
        "Die georgische Seite stellte ihr Bürgerportal vor. Armenien will es übernehmen.",
        "Später könnten sich auch Moldau und die Ukraine anschließen.",
    ]
    analysis = analyse_paragraphs(paragraphs, "de")
    assert [(a.id, a.kind, a.country, a.canonical) for a in analysis.countries] == [
        ("country:ge", "country", "GE", "Georgia"),
        ("country:am", "country", "AM", "Armenia"),
    ]
    assert analysis.countries[0].name == "Georgiens"
    assert analyse_paragraphs(paragraphs, "fr").countries == []


@pytest.mark.parametrize(
    "text",
    [
        "Das Portal gibt es auch auf Russisch.",
        "Сайт работает на русском языке.",
        "Kazakh-language media reported it.",
        "The app is available in Uzbek.",
    ],
)
def test_language_names_are_not_country_mentions(text: str) -> None:
    assert codes(text) == []


def test_language_aware_matching_avoids_false_friends() -> None:
    assert find_countries("Rhode Island and New Jersey", "en") == []
    assert [m.code for m in find_countries("Island und Norwegen", "de")] == ["IS", "NO"]
    assert [m.code for m in find_countries("Kazakhstan hat gewählt", "de")] == ["KZ"]
    assert find_countries("der Jordan fließt", "de") == []
    assert [m.code for m in find_countries("Казахстан", "ru")] == ["KZ"]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "К системе подключатся Армения, Беларусь, Казахстан, Кыргызстан и Россия.",
            "ru",
            {"AM", "BY", "KZ", "KG", "RU"},
        ),
        (
            "Connected are Armenia, Belarus and Kazakhstan, as well as Russia.",
            "en",
            {"AM", "BY", "KZ", "RU"},
        ),
        # two states, or states apart in the sentence, are no enumeration of parties
        ("Armenien und Belarus, dazu später Kasachstan.", "de", set()),
        ("Armenia signed with Belarus; Kazakhstan and Russia watched.", "en", set()),
    ],
)
def test_states_enumerated_together(text: str, lang: str, expected: set[str]) -> None:
    assert enumerated_states(text, find_countries(text, lang)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Страны ЕАЭС запустят обмен документами", True),
        ("Решение принял Евразийский межправительственный совет ЕЭК", True),
        ("Die Staaten der Eurasischen Wirtschaftsunion", True),
        ("a summit of the Organization of Turkic States", True),
        ("в рамках Союзного государства", True),
        ("Estonia, Denmark and South Korea lead the ranking", False),
        ("The CISCO router", False),
    ],
)
def test_unions_of_states_are_recognised(text: str, expected: bool) -> None:
    assert names_union(text) is expected


def test_an_adjective_opening_a_company_name_is_no_mention_of_its_state() -> None:
    text = "Die Deutsche Telekom baut mit der deutschen Regierung; Turkish Airlines fliegt."
    assert [(m.surface, m.code) for m in find_countries(text, "de")] == [("deutschen", "DE")]
    assert find_countries("Turkish Airlines and Deutsche Bank", "en") == []


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Ukrainian communities in areas liberated from Russian occupation", "en"),
        ("Ukrainische Gemeinden nach russischen Angriffen", "de"),
        ("украинские общины после российских ударов", "ru"),
    ],
)
def test_a_state_s_armed_hostility_is_no_mention_of_it(text: str, lang: str) -> None:
    assert [m.code for m in find_countries(text, lang)] == ["UA"]


def test_abbreviations_of_states_in_capitals_only() -> None:
    text = "Delegations from the US and the UK attended. Us and them."
    assert [(m.surface, m.code) for m in find_countries(text, "en")] == [("US", "US"), ("UK", "GB")]
    text = "Министерства цифрового развития РК, РУз и КР подписали меморандум."
    assert [m.code for m in find_countries(text, "ru")] == ["KZ", "UZ", "KG"]
