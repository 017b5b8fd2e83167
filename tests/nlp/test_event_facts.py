"""Event facts from de/ru/en reports: type by trigger and precedence, date, location, actors."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pycountry
import pytest

from nlp.dateline import Dateline, parse_dateline
from nlp.event_facts import (
    EVENT_TYPES,
    PLOVER,
    acting_countries,
    event_facts,
    find_acting_countries,
    find_city,
    gazetteer,
    host_states,
    ru_case_forms,
)

PUBLISHED = date(2025, 11, 6)  # a Thursday


def facts(title, paragraphs, language, published=PUBLISHED, dateline=None):
    return event_facts(title, list(paragraphs), language, published, dateline)


# --- event type: one trigger per language ---------------------------------------------------


@pytest.mark.parametrize(
    ("language", "title", "paragraph", "expected"),
    [
        ("en", "Uzbekistan and Georgia sign memorandum on e-government", "", "agreement"),
        ("de", "Armenien und Georgien unterzeichnen Kooperationsabkommen", "", "agreement"),
        ("ru", "Армения и Грузия подписали меморандум о сотрудничестве", "", "agreement"),
        ("ru", "", "Соглашение о сотрудничестве подписано в Ереване.", "agreement"),
        ("en", "Tajik delegation visits Baku e-service centre", "", "visit"),
        ("de", "Tadschikische Regierungsdelegation besuchte Baku", "", "visit"),
        ("ru", "Делегация Таджикистана посетила центр ASAN в Баку", "", "visit"),
        ("en", "Digital ministers of Armenia and Georgia hold talks in Tbilisi", "", "meeting"),
        ("de", "Digitalminister treffen sich in Tiflis", "", "meeting"),
        ("ru", "В Тбилиси прошли переговоры министров цифрового развития", "", "meeting"),
        ("en", "Tashkent hosts regional e-government forum", "", "forum"),
        ("de", "Taschkent richtet E-Government-Konferenz aus", "", "forum"),
        ("ru", "В Ташкенте открылась международная выставка ICTExpo", "", "forum"),
        ("en", "Kyrgyzstan and Tajikistan launch joint border data system", "", "project_launch"),
        ("de", "Gemeinsames Bürgerportal in Betrieb genommen", "", "project_launch"),
        ("ru", "Система введена в эксплуатацию в Душанбе", "", "project_launch"),
        ("en", "Georgian officials trained in data protection by Estonian experts", "", "training"),
        ("de", "Schulung für georgische Beamte in Tallinn", "", "training"),
        ("ru", "Грузинские госслужащие прошли обучение в Таллине", "", "training"),
        ("en", "Armenia and Belarus agree on staff exchange programme", "", "exchange"),
        ("de", "Kirgisische Fachleute absolvieren Praktika in Minsk", "", "exchange"),
        ("ru", "Специалисты из Кыргызстана пройдут стажировку в Минске", "", "exchange"),
    ],
)
def test_trigger_vocabulary_per_language(language, title, paragraph, expected):
    result = facts(title, [paragraph] if paragraph else [], language)
    assert result.event_type == expected
    assert result.plover == PLOVER[expected]


def test_russian_inflections_match_by_stem():
    assert facts("", ["Стороны подписали ряд меморандумов."], "ru").event_type == "agreement"
    assert facts("", ["Меморандумы были подписаны министрами."], "ru").event_type == "agreement"
    assert facts("", ["Участники переговоров обсудили ИИ."], "ru").event_type == "meeting"
    assert facts("", ["Министры посетили технопарк."], "ru").event_type == "visit"


def test_german_compounds_match_inside_words():
    text = ["Im Rahmen eines Arbeitsbesuchs informierte sich die Regierungsdelegation."]
    assert facts("", text, "de").event_type == "visit"
    assert facts("", ["Das Kooperationsabkommen wurde unterzeichnet."], "de").event_type == (
        "agreement"
    )
    assert facts("", ["Ein Weiterbildungsprogramm beginnt."], "de").event_type == "training"


# --- event type: precedence -----------------------------------------------------------------


def test_memorandum_signed_during_a_visit_is_an_agreement():
    paragraphs = [
        "A delegation of Tajikistan's digital ministry visited Tashkent on Monday.",
        "During the visit, the sides signed a memorandum on electronic document exchange.",
    ]
    assert facts("Tajik delegation visits Uzbekistan", paragraphs, "en").event_type == "agreement"
    ru = [
        "Делегация Минцифры Таджикистана посетила Ташкент.",
        "В ходе визита стороны подписали меморандум об электронном документообороте.",
    ]
    assert facts("Визит делегации Таджикистана", ru, "ru").event_type == "agreement"


def test_signing_on_the_sidelines_of_a_forum_is_the_forum():
    paragraphs = [
        "Georgia and Armenia signed a memorandum on digital identity on the sidelines of the "
        "Digital Caucasus Forum in Tbilisi on Friday."
    ]
    assert facts("Georgia, Armenia sign ID memorandum", paragraphs, "en").event_type == "forum"
    de = [
        "Georgien und Armenien haben am Rande der Konferenz „Digitaler Kaukasus“ in Tiflis eine "
        "Absichtserklärung unterzeichnet."
    ]
    assert facts("Georgien und Armenien kooperieren", de, "de").event_type == "forum"


def test_a_forum_mentioned_later_as_plan_does_not_frame_the_report():
    paragraphs = [
        "Georgia and Armenia signed a memorandum on digital identity in Tbilisi on Friday.",
        "The ministers also discussed plans for a regional conference.",
    ]
    assert facts("Georgia, Armenia sign ID memorandum", paragraphs, "en").event_type == "agreement"


def test_launched_training_programme_is_training():
    paragraphs = ["Mongolia and Korea launched a programme to train 500 civil servants."]
    assert facts("", paragraphs, "en").event_type == "training"
    ru = ["Монголия и Корея запустили программу обучения госслужащих."]
    assert facts("", ru, "ru").event_type == "training"


def test_exchange_of_experience_during_a_visit_stays_a_visit():
    title = "Armenien und Georgien tauschen Erfahrungen im E-Government aus"
    paragraphs = ["Eine armenische Delegation hat das georgische Justizhaus in Tiflis besucht."]
    assert facts(title, paragraphs, "de").event_type == "visit"
    ru = ["Делегация Армении посетила Дом юстиции в Тбилиси и обменялась опытом."]
    assert facts("Армения изучает опыт Грузии", ru, "ru").event_type == "visit"


def test_internships_agreed_during_a_visit_make_it_an_exchange():
    paragraphs = [
        "Eine kirgisische Delegation hat in Baku das ASAN-Zentrum besucht.",
        "Die Gäste lernten das Bürgerportal kennen.",
        "Beide Seiten vereinbarten, dass 20 kirgisische Fachleute Praktika in Baku absolvieren.",
    ]
    assert facts("Kirgisische Delegation in Baku", paragraphs, "de").event_type == "exchange"


def test_exchange_of_data_is_not_an_exchange_of_experience():
    ru = ["Таджикистан и Узбекистан запустили обмен данными между госпорталами."]
    assert facts("", ru, "ru").event_type == "project_launch"
    en = ["Armenia and Georgia launched data exchange between their registries."]
    assert facts("", en, "en").event_type == "project_launch"


def test_electronic_signatures_are_not_a_signing():
    ru = ["Стороны обсудили на переговорах взаимное признание электронной цифровой подписи."]
    assert facts("", ru, "ru").event_type == "meeting"
    en = ["At the talks, the sides discussed mutual recognition of e-signatures."]
    assert facts("", en, "en").event_type == "meeting"


def test_a_planned_launch_does_not_decide_the_type():
    paragraphs = [
        "Ministers of the five states agreed at a meeting in Astana on Tuesday to link their "
        "public service portals.",
        "The launch is planned for 2027.",
    ]
    assert facts("", paragraphs, "en").event_type == "meeting"


def test_background_signing_does_not_decide_the_type():
    paragraphs = [
        "Eine Delegation aus Duschanbe hat am Montag das Rechenzentrum in Minsk besucht.",
        "Erst im Februar hatten beide Länder ein Abkommen über E-Signaturen unterzeichnet.",
    ]
    assert facts("", paragraphs, "de").event_type == "visit"


@pytest.mark.parametrize(
    ("language", "paragraphs"),
    [
        (
            "de",
            [
                "Kirgistan und Armenien haben die ersten gemeinsamen E-Services in Betrieb "
                "genommen.",
                "Die Vereinbarung dazu war Anfang November in Eriwan unterzeichnet worden.",
            ],
        ),
        (
            "en",
            [
                "Kyrgyzstan and Armenia launched their first joint e-services.",
                "The agreement was signed in early November in Yerevan.",
            ],
        ),
        (
            "ru",
            [
                "Кыргызстан и Армения запустили первые совместные электронные услуги.",
                "Соглашение было подписано в начале ноября в Ереване.",
            ],
        ),
    ],
)
def test_a_signing_told_as_earlier_is_background_to_a_launch(language, paragraphs):
    assert facts("", paragraphs, language).event_type == "project_launch"


def test_no_trigger_is_other():
    result = facts("Portal statistics", ["More services are online than ever."], "en")
    assert result.event_type == "other"
    assert result.plover is None


def test_unsupported_language_gives_other_without_crash():
    paragraphs = ["Қазақстан мен Өзбекстан 04.03.2025 меморандумға қол қойды."]
    result = facts("Ынтымақтастық", paragraphs, "kk")
    assert result.event_type == "other"
    assert result.date == date(2025, 3, 4)
    for language in (None, "", "fr"):
        assert facts(None, [], language).event_type == "other"


def test_event_types_are_the_spec_list():
    assert set(EVENT_TYPES) == set(PLOVER)
    assert "other" in EVENT_TYPES


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "The agreement was signed on Nov. 4 in Baku.", date(2025, 11, 4)),
        ("en", "The agreement was signed on 4 November in Baku.", date(2025, 11, 4)),
        ("en", "The talks were held in Baku on October 30, 2025.", date(2025, 10, 30)),
        ("de", "Das Abkommen wurde am 4. November in Baku unterzeichnet.", date(2025, 11, 4)),
        ("de", "Die Gespräche fanden am 30. Okt. in Baku statt.", date(2025, 10, 30)),
        ("ru", "Соглашение подписано 4 ноября в Баку.", date(2025, 11, 4)),
        ("ru", "Переговоры прошли 3–4 ноября 2025 года в Баку.", date(2025, 11, 3)),
        ("ru", "Соглашение подписано 04.11.2025 в Баку.", date(2025, 11, 4)),
    ],
)
def test_explicit_dates(language, text, expected):
    result = facts("", [text], language)
    assert (result.date, result.date_source) == (expected, "text")


@pytest.mark.parametrize(
    ("language", "text", "published", "expected"),
    [
        # the most recent such weekday on or before publication
        ("en", "The ministers met on Tuesday.", date(2025, 11, 6), date(2025, 11, 4)),
        ("en", "The ministers met on Thursday.", date(2025, 11, 6), date(2025, 11, 6)),
        # across a month boundary
        ("de", "Die Minister trafen sich am Freitag.", date(2025, 12, 1), date(2025, 11, 28)),
        ("de", "Die Minister trafen sich am Dienstagabend.", date(2025, 12, 3), date(2025, 12, 2)),
        # across New Year
        ("ru", "Министры встретились во вторник.", date(2026, 1, 1), date(2025, 12, 30)),
        ("ru", "Министры встретились в пятницу.", date(2026, 1, 2), date(2026, 1, 2)),
        ("ru", "Министры встретились в среду.", date(2026, 1, 2), date(2025, 12, 31)),
        # yesterday
        ("en", "The ministers met yesterday.", date(2026, 3, 1), date(2026, 2, 28)),
        ("de", "Die Minister trafen sich gestern.", date(2025, 1, 1), date(2024, 12, 31)),
        ("ru", "Министры встретились вчера.", date(2024, 3, 1), date(2024, 2, 29)),
        ("ru", "Министры встретились позавчера.", date(2025, 11, 6), date(2025, 11, 4)),
        # today, in the sentence reporting the event
        (
            "de",
            "Heute unterzeichneten die Minister ein Abkommen.",
            date(2025, 5, 2),
            date(2025, 5, 2),
        ),
        # an announcement: "next Monday" lies ahead
        ("en", "The ministers will meet next Monday.", date(2025, 11, 6), date(2025, 11, 10)),
    ],
)
def test_relative_dates_resolved_against_publication(language, text, published, expected):
    result = facts("", [text], language, published=published)
    assert (result.date, result.date_source) == (expected, "text")


def test_day_without_year_across_new_year_takes_the_nearest_year():
    result = facts("", ["Соглашение подписано 30 декабря."], "ru", published=date(2026, 1, 2))
    assert result.date == date(2025, 12, 30)
    result = facts("", ["Agreement signed on 2 January."], "en", published=date(2025, 12, 30))
    assert result.date == date(2026, 1, 2)


def test_no_date_anywhere_uses_publication_date_and_says_so():
    result = facts("Armenia and Georgia sign memorandum", ["The sides signed it."], "en")
    assert (result.date, result.date_source) == (PUBLISHED, "published")


def test_no_date_and_no_publication_date():
    result = facts("", ["Стороны подписали меморандум."], "ru", published=None)
    assert (result.date, result.date_source) == (None, None)


def test_dateline_day_when_text_names_none():
    dateline = Dateline(text="BAKU, 3 November (BelTA)", place="Baku", day=date(2025, 11, 3))
    paragraphs = ["BAKU, 3 November (BelTA) - Belarus and Azerbaijan signed a memorandum."]
    result = facts("", paragraphs, "en", dateline=dateline)
    assert (result.date, result.date_source) == (date(2025, 11, 3), "dateline")


def test_text_date_beats_the_dateline():
    dateline = Dateline(text="BAKU, 5 November (BelTA)", place="Baku", day=date(2025, 11, 5))
    paragraphs = ["BAKU, 5 November (BelTA) - The memorandum was signed on Tuesday in Baku."]
    result = facts("", paragraphs, "en", dateline=dateline)
    assert (result.date, result.date_source) == (date(2025, 11, 4), "text")


def test_today_in_a_sentence_not_reporting_the_event_is_ignored():
    paragraphs = [
        "A delegation from Yerevan visited the service centre.",
        "Today, more than 90 percent of services are online.",
    ]
    result = facts("", paragraphs, "en")
    assert result.date_source == "published"


def test_background_and_planned_dates_are_ignored():
    paragraphs = [
        "Eine Delegation aus Duschanbe hat das Rechenzentrum in Minsk besucht.",
        "Bereits im März hatten beide Länder ein Abkommen unterzeichnet.",
        "Das nächste Treffen soll am 12. Mai in Duschanbe stattfinden.",
    ]
    result = facts("", paragraphs, "de")
    assert (result.date_source, result.location) == ("published", "Minsk")


def test_date_in_direct_speech_is_not_the_event_date():
    paragraphs = ["Die Minister trafen sich in Baku.", "„Am Montag beginnen wir“, sagte er."]
    assert facts("", paragraphs, "de").date_source == "published"


# --- locations ------------------------------------------------------------------------------


def test_russian_case_forms_by_rule():
    locative, every = ru_case_forms("Минск")
    assert locative == {"Минске"}
    assert {"Минска", "Минском", "Минску", "Минск"} <= every
    locative, every = ru_case_forms("Астана")
    assert locative == {"Астане"}
    assert {"Астаны", "Астаной", "Астану"} <= every
    assert ru_case_forms("Рига")[1] >= {"Риге", "Риги"}  # velar stem: -и, not -ы
    assert ru_case_forms("Казань")[0] == {"Казани"}  # feminine -ь
    assert ru_case_forms("Гомель", "m")[0] == {"Гомеле"}  # masculine -ь
    assert ru_case_forms("Шанхай")[0] == {"Шанхае"}
    assert ru_case_forms("София")[0] == {"Софии"}
    assert ru_case_forms("Санкт-Петербург")[0] == {"Санкт-Петербурге"}
    assert ru_case_forms("Алма-Ата")[0] == {"Алма-Ате"}
    for name in ("Баку", "Алматы", "Тбилиси", "Душанбе", "Токио"):
        assert ru_case_forms(name) == ({name}, {name})  # indeclinable


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Минске", "Minsk"),
        ("Минском", "Minsk"),
        ("Астаной", "Astana"),
        ("Нур-Султане", "Astana"),
        ("Nur-Sultan", "Astana"),
        ("Taschkent", "Tashkent"),
        ("Ташкенте", "Tashkent"),
        ("Alma-Ata", "Almaty"),
        ("Москве", "Moscow"),
        ("Moskau", "Moscow"),
        ("München", "Munich"),
        ("Peking", "Beijing"),
        ("Пекине", "Beijing"),
        ("St. Petersburg", "Saint Petersburg"),
        ("Санкт-Петербурге", "Saint Petersburg"),
        ("Нижнем Новгороде", "Nizhny Novgorod"),
        ("Neu-Delhi", "New Delhi"),
        ("Tiflis", "Tbilisi"),
        ("Eriwan", "Yerevan"),
        ("Kasan", "Kazan"),
        ("Казани", "Kazan"),
        ("Афинах", "Athens"),
        ("ASTANA", "Astana"),
        ("Kiew", "Kyiv"),
    ],
)
def test_city_names_in_three_languages(name, expected):
    city = find_city(name)
    assert city is not None and city.name == expected


def test_required_capitals_and_cities_are_in_the_gazetteer():
    for name, code in [
        ("Astana", "KZ"), ("Almaty", "KZ"), ("Tashkent", "UZ"), ("Bishkek", "KG"),
        ("Dushanbe", "TJ"), ("Ashgabat", "TM"), ("Baku", "AZ"), ("Tbilisi", "GE"),
        ("Yerevan", "AM"), ("Minsk", "BY"), ("Moscow", "RU"), ("Saint Petersburg", "RU"),
        ("Kazan", "RU"), ("Novosibirsk", "RU"), ("Berlin", "DE"), ("Munich", "DE"),
        ("Beijing", "CN"), ("Seoul", "KR"), ("Tokyo", "JP"), ("New Delhi", "IN"),
        ("Kyiv", "UA"), ("Chisinau", "MD"), ("Warsaw", "PL"), ("Vilnius", "LT"),
        ("Riga", "LV"), ("Tallinn", "EE"), ("Ulaanbaatar", "MN"),
    ]:  # fmt: skip
        city = find_city(name)
        assert city is not None and city.country == code, name


def test_every_gazetteer_entry_has_a_valid_country_and_russian_name():
    path = Path(__file__).resolve().parents[2] / "nlp" / "data" / "cities.toml"
    data = tomllib.loads(path.read_text("utf-8"))
    assert len(data) >= 150
    for name, entry in data.items():
        assert entry["country"] == "XK" or pycountry.countries.get(alpha_2=entry["country"]), name
        assert entry["ru"], name
    assert set(data) <= set(gazetteer().cities)


def test_location_from_the_sentence_reporting_the_event_over_the_dateline():
    dateline = Dateline(text="TASHKENT", place="Tashkent", day=None)
    paragraphs = ["TASHKENT — A delegation from Uzbekistan visited the e-service centre in Minsk."]
    result = facts("", paragraphs, "en", dateline=dateline)
    assert (result.location, result.location_country) == ("Minsk", "BY")


def test_location_falls_back_to_the_dateline():
    dateline = Dateline(text="АСТАНА. КАЗИНФОРМ", place="Астана", day=None)
    paragraphs = ["АСТАНА. КАЗИНФОРМ – Стороны подписали меморандум о сотрудничестве."]
    assert facts("", paragraphs, "ru", dateline=dateline).location == "Astana"


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("ru", "Меморандум подписан в Душанбе.", "Dushanbe"),
        ("ru", "Переговоры прошли в Минске.", "Minsk"),
        ("ru", "Переговоры прошли в городе Ташкент.", "Tashkent"),
        ("ru", "Переговоры прошли в столице Казахстана Астане.", "Astana"),
        ("ru", "Форум прошел во Владивостоке.", "Vladivostok"),
        ("de", "Die Gespräche fanden in Taschkent statt.", "Tashkent"),
        ("de", "Die Gespräche fanden im kasachischen Almaty statt.", "Almaty"),
        ("de", "Die Gespräche fanden in der kasachischen Hauptstadt Astana statt.", "Astana"),
        ("en", "The talks were held in the Kazakh capital Astana.", "Astana"),
        ("en", "The memorandum was signed in St. Petersburg.", "Saint Petersburg"),
    ],
)
def test_location_after_locative_preposition(language, text, expected):
    assert facts("", [text], language).location == expected


def test_a_direction_is_not_a_location():
    ru = ["Делегация Беларуси посетила центр.", "Она пригласила коллег посетить Ташкент."]
    assert facts("", ru, "ru").location is None
    de = ["Die Delegation reiste nach dem Besuch nach Minsk weiter."]
    assert facts("", de, "de").location is None
    assert facts("", ["Министры встретились. Делегация вылетела в Москву."], "ru").location is None


def test_a_planned_meeting_place_is_not_the_location():
    paragraphs = [
        "Uzbekistan and Belarus signed a memorandum on e-services.",
        "The next meeting of the working group will be held in Minsk in the autumn.",
    ]
    assert facts("", paragraphs, "en").location is None


# --- acting countries -----------------------------------------------------------------------


def test_acting_countries_from_the_headline():
    mentions = [(-1, 0, "BY"), (-1, 12, "KZ"), (0, 5, "BY"), (2, 40, "RU")]
    assert acting_countries(mentions, "t", ["a", "b", "c"]) == ["BY", "KZ"]


def test_a_state_named_once_in_passing_is_not_acting():
    mentions = [(-1, 0, "UZ"), (-1, 20, "BY"), (0, 10, "UZ"), (0, 80, "EE")]
    assert acting_countries(mentions, "t", ["a"]) == ["BY", "UZ"]


def test_acting_countries_from_the_lead_when_the_headline_names_none():
    mentions = [(0, 0, "BY"), (0, 10, "KZ"), (0, 30, "RU"), (3, 0, "AM")]
    assert acting_countries(mentions, "Drei Staaten", ["a", "b", "c", "d"]) == ["BY", "KZ", "RU"]


def test_second_acting_state_found_further_on():
    mentions = [(-1, 0, "UZ"), (0, 40, "UZ"), (2, 10, "BY"), (3, 5, "BY"), (4, 0, "KZ")]
    assert acting_countries(mentions, "t", ["a", "b", "c", "d", "e"]) == ["BY", "UZ"]


def test_the_states_listed_as_parties_of_a_multilateral_decision_all_act():
    paragraphs = [
        "Die Staaten der Eurasischen Wirtschaftsunion wollen ab 2027 elektronische Dokumente "
        "zwischen Behörden austauschen.",
        "Angeschlossen werden Armenien, Belarus, Kasachstan, Kirgistan und Russland.",
        "Deutschland beobachtet das Vorhaben mit Interesse, Deutschland sagte Unterstützung zu.",
    ]
    assert find_acting_countries("Dokumentenaustausch in der EAWU", paragraphs) == [
        "AM",
        "BY",
        "KG",
        "KZ",
        "RU",
    ]


def test_a_ranking_list_without_a_union_names_no_parties():
    paragraphs = [
        "Kazakhstan opened a new data centre for state bodies.",
        "Estonia, Denmark and South Korea lead the UN ranking; Estonia helped with the design.",
    ]
    assert find_acting_countries("A new data centre", paragraphs) == ["EE", "KZ"]


def test_no_mentions_no_countries():
    assert acting_countries([], None, []) == []


def test_an_announcement_takes_its_future_date_and_place():
    paragraphs = ["Kazakhstan and Uzbekistan will sign a roadmap in Tashkent on 20 November."]
    result = facts("Kazakhstan, Uzbekistan to sign roadmap", paragraphs, "en")
    assert (result.event_type, result.date, result.location) == (
        "agreement",
        date(2025, 11, 20),
        "Tashkent",
    )


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Kazakhstan and Kyrgyzstan concluded an agreement on digital IDs."),
        ("en", "Kazakhstan and Kyrgyzstan inked a deal on digital IDs at talks in Almaty."),
        ("en", "At talks in Almaty the sides signed an agreement that will allow data exchange."),
        ("de", "Bei Gesprächen in Almaty wurde ein Abkommen über digitale Ausweise geschlossen."),
        ("ru", "На переговорах в Алматы стороны заключили соглашение о цифровых ID."),
        ("ru", "Стороны провели переговоры, по итогам которых заключен меморандум."),
    ],
)
def test_concluding_a_document_is_a_signing(language, text):
    assert facts("", [text], language).event_type == "agreement"


def test_a_forum_ahead_is_not_the_event():
    paragraphs = [
        "The ministers met in Baku on Monday. They will attend the Digital Baku forum next week."
    ]
    assert facts("", paragraphs, "en").event_type == "meeting"


@pytest.mark.parametrize(
    ("title", "paragraphs", "expected"),
    [
        (
            "Tajik Delegation Studies Azerbaijan's ASAN Model",
            [
                "BAKU – A delegation from Tajikistan visited the ASAN service centre on Monday.",
                "Azerbaijan ranks high in e-government indices, ahead of Estonia in some of them.",
            ],
            ["AZ", "TJ"],
        ),
        (
            "Таджикистан изучает опыт Азербайджана",
            ["Делегация Таджикистана посетила центр ASAN в Баку.", "Опыт Эстонии тоже изучен."],
            ["AZ", "TJ"],
        ),
        (
            "Kirgisische Delegation zu Gast",
            [
                "Eine Delegation aus Kirgisistan hat am Dienstag das Bundesverwaltungsamt besucht.",
                "Deutschland unterstützt Kirgisistan seit Jahren bei der Digitalisierung.",
            ],
            ["DE", "KG"],
        ),
    ],
)
def test_acting_countries_with_the_country_matcher(title, paragraphs, expected):

    assert find_acting_countries(title, paragraphs) == expected


def test_dev_corpus_floors(coop_dev):
    """Quality gate on the gold paragraphs of coop-dev (per article, vs its event's gold);
    bench/event_facts_dev.py prints the figures. Raise the floors, never lower them silently."""
    import json

    from nlp.dateline import parse_dateline

    corpus = json.loads((coop_dev / "corpus.json").read_text("utf-8"))
    events = {e["id"]: e for e in corpus["events"]}
    hits = {"type": 0, "date": 0, "location": 0}
    articles = [a for a in corpus["articles"] if a.get("event")]
    for article in articles:
        gold = events[article["event"]]
        published = date.fromisoformat(article["published"])
        paragraphs = article["paragraphs"]
        dateline = parse_dateline(paragraphs[0], article["language"], published)
        result = facts(article["title"], paragraphs, article["language"], published, dateline)
        hits["type"] += result.event_type == gold["type"]
        hits["date"] += result.date is not None and result.date.isoformat() == gold["date"]
        hits["location"] += result.location == gold["location"]
    n = len(articles)
    assert hits["type"] / n >= 0.95
    assert hits["date"] / n >= 0.95
    assert hits["location"] / n >= 0.9


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "The forum was held from 4 to 6 November in Baku.", date(2025, 11, 4)),
        ("de", "Das Forum fand vom 4. bis 6. November in Baku statt.", date(2025, 11, 4)),
        ("ru", "Форум прошел с 4 по 6 ноября в Баку.", date(2025, 11, 4)),
    ],
)
def test_a_date_range_gives_its_first_day(language, text, expected):
    assert facts("", [text], language).date == expected


def test_a_city_as_subject_of_the_headline_is_the_last_resort_location():
    assert facts("Tashkent hosts regional e-government forum", [], "en").location == "Tashkent"
    assert facts("Ташкент принял форум", ["Форум собрал 500 участников."], "ru").location == (
        "Tashkent"
    )


def test_abbreviated_russian_month_in_a_dateline():
    dateline = Dateline(text="БАКУ, 5 ноя /Trend/", place="Баку", day=None)
    paragraphs = ["БАКУ, 5 ноя /Trend/ – Стороны провели переговоры в Баку."]
    result = facts("", paragraphs, "ru", dateline=dateline)
    assert (result.date, result.date_source, result.location) == (
        date(2025, 11, 5),
        "dateline",
        "Baku",
    )
    assert facts("", ["Переговоры прошли 12 сент. в Баку."], "ru").date == date(2025, 9, 12)


def test_german_meeting_nouns_in_any_case():
    text = [
        "Bei Gesprächen am Mittwoch in Baku verständigten sich beide Seiten auf Datenaustausch."
    ]
    result = facts("", text, "de")
    assert (result.event_type, result.date) == ("meeting", date(2025, 11, 5))


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("ru", "Премьер-министр Узбекистана прибыл с официальным визитом в Минск.", "Minsk"),
        ("ru", "В ходе визита президента в Астану подписано соглашение.", "Astana"),
        ("en", "During the Uzbek premier's visit to Minsk, an agreement was signed.", "Minsk"),
        ("de", "Die usbekische Delegation reiste zu einem Besuch nach Minsk.", "Minsk"),
    ],
)
def test_the_destination_of_a_visit_is_its_location(language, text, expected):
    assert facts("", [text], language).location == expected


def test_a_forum_in_the_genitive_frames_the_report():
    text = ["Am Rande des Digitalforums in Almaty unterzeichneten beide Seiten ein Memorandum."]
    assert facts("", text, "de").event_type == "forum"


def test_a_state_named_in_a_relative_clause_of_the_lead_is_not_acting():
    lead = "A delegation from Uzbekistan visited Belarus' NCES, which was built with Estonian help."
    mentions = [(-1, 0, "UZ"), (0, 19, "UZ"), (0, 37, "BY"), (0, 74, "EE")]
    assert acting_countries(mentions, "Uzbek delegation in Minsk", [lead]) == ["BY", "UZ"]


def test_a_state_of_a_later_sentence_of_the_first_paragraph_completes_the_pair():
    lead = "The delegation arrived on Monday. It came from Armenia. Georgia hosted it."
    mentions = [(0, 47, "AM"), (0, 56, "GE")]
    assert acting_countries(mentions, "Visit", [lead]) == ["AM", "GE"]


def test_a_signing_still_to_come_and_topics_of_the_talks_do_not_make_the_type():
    paragraphs = [
        "Minister Rashad Nabiyev has met with a delegation led by Deputy Minister Oybek Tursunov.",
        "The meeting discussed prospects for cooperation in e-government, digital signature and "
        "the training of IT specialists.",
        "The sides agreed to prepare a memorandum of understanding to be signed during the "
        "upcoming visit of the President.",
    ]
    assert facts("Azerbaijan, Uzbekistan discuss cooperation", paragraphs, "en").event_type == (
        "meeting"
    )


def test_a_signing_told_as_done_decides_even_when_its_object_is_about_plans():
    paragraphs = [
        "China and Kazakhstan agreed to expand cooperation in digital government.",
        "The agreement was reached during talks between the ministers in Astana.",
        "The two sides signed a memorandum on building a joint innovation center, which will "
        "train 500 civil servants over three years.",
    ]
    assert facts("China, Kazakhstan deepen cooperation", paragraphs, "en").event_type == (
        "agreement"
    )


def test_a_russian_perfective_future_is_a_plan_and_intentions_are_no_future():
    paragraphs = [
        "Министр цифровых технологий Узбекистана провел встречу с делегацией KOICA.",
        "Стороны обсудили реализацию проекта по созданию центра обработки данных.",
        "По итогам встречи подписан протокол о намерениях.",
    ]
    title = "Узбекистан и Корея запустят совместный проект"
    assert facts(title, paragraphs, "ru").event_type == "agreement"


@pytest.mark.parametrize(
    ("language", "title", "paragraph", "city"),
    [
        (
            "en",
            "Kyrgyz delegation in Estonia",
            "A Kyrgyz delegation visited Tallinn on Monday.",
            "Tallinn",
        ),
        ("de", "Usbekische Delegation", "Eine usbekische Delegation besuchte Berlin.", "Berlin"),
        (
            "de",
            "Usbekische Experten",
            "Vom 10. bis 14. November hielt sich eine Gruppe usbekischer Experten in Berlin auf.",
            "Berlin",
        ),
        ("ru", "Делегация", "Делегация Кыргызстана посетила Ташкент.", "Tashkent"),
        (
            "en",
            "Uzbekistan to host digital forum",
            "Tashkent will host the Central Asian Digital Government Forum on 3-4 December.",
            "Tashkent",
        ),
    ],
)
def test_a_visited_city_as_object_and_a_host_city_are_the_location(
    language, title, paragraph, city
):
    assert facts(title, [paragraph], language).location == city


def test_a_german_stay_is_a_visit():
    paragraph = (
        "Vom 10. bis 14. November hielt sich eine Gruppe usbekischer Experten in Berlin auf."
    )
    assert facts("Usbekische Experten", [paragraph], "de").event_type == "visit"


def test_the_host_city_of_a_visit_names_the_host_state():
    title = "Kirgisische Delegation informiert sich in Astana über E-Government"
    lead = "ASTANA. Eine kirgisische Delegation hat am Mittwoch in Astana das Zentrum besucht."
    assert host_states(title, [lead]) == {"KZ"}
    assert host_states("Kasachstan startet Portal", ["ASTANA. Das Portal ist online."]) == set()
    # the guests' state alone, the host by its city: both act
    mentions = [(-1, 0, "KG"), (0, 18, "KG")]
    assert acting_countries(mentions, title, [lead]) == ["KG", "KZ"]


# --- session 13: cities of the whole world, plans, minutes, clauses ---------------------------


@pytest.mark.parametrize(
    ("name", "city", "country"),
    [
        ("Kigali", "Kigali", "RW"),
        ("Найроби", "Nairobi", "KE"),
        ("Addis Abeba", "Addis Ababa", "ET"),
        ("Bogota", "Bogotá", "CO"),  # written without the accent
        ("Буэнос-Айресе", "Buenos Aires", "AR"),
        ("Mexiko-Stadt", "Mexico City", "MX"),
        ("Brasília", "Brasilia", "BR"),  # a capital without a time zone of its own
        ("Wiesbaden", "Wiesbaden", "DE"),  # the capitals of the German Länder
        ("Висбадене", "Wiesbaden", "DE"),
        ("Luzern", "Lucerne", "CH"),
    ],
)
def test_cities_beyond_eurasia_come_from_cldr(name, city, country):
    found = find_city(name)
    assert found is not None and (found.name, found.country) == (city, country)


@pytest.mark.parametrize("name", ["Kuwait", "Алжир", "Тунис", "Resolute", "Phoenix"])
def test_a_time_zone_name_that_names_a_state_or_a_word_is_no_city(name):
    assert find_city(name) is None


def test_an_event_in_africa_gets_its_city():
    paragraphs = [
        "Singapore’s GovTech and the Rwanda Information Society Authority on Tuesday signed a "
        "memorandum of understanding on digital identity.",
        "The agreement, signed in Kigali during a visit by a GovTech delegation, runs for three "
        "years and will be funded with SGD 3.2 million.",
    ]
    result = facts("Singapore and Rwanda sign pact", paragraphs, "en")
    assert (result.event_type, result.location) == ("agreement", "Kigali")


@pytest.mark.parametrize(
    ("language", "title", "paragraph"),
    [
        (
            "en",
            "Turkic states agree on digital ID pilot",
            "Heads of e-government agencies agreed on Thursday to launch TurkicID, a pilot "
            "project, at a meeting in Baku.",
        ),
        (
            "ru",
            "Министры цифрового развития договорились о запуске пространства доверия",
            "В Бишкеке прошло совещание руководителей уполномоченных органов.",
        ),
        (
            "en",
            "EAEU digital ministers approve roadmap",
            "Digital ministers approved on Thursday a roadmap for launching a cross-border trust "
            "space at their meeting in Bishkek.",
        ),
    ],
)
def test_a_launch_that_was_agreed_or_planned_is_no_launch(language, title, paragraph):
    assert facts(title, [paragraph], language).event_type == "meeting"


def test_a_launch_told_as_done_stays_a_launch():
    paragraph = (
        "Kyrgyzstan and Uzbekistan on Tuesday launched direct data exchange between their "
        "interoperability systems, as the ministers had agreed in talks."
    )
    assert facts("Data exchange launched", [paragraph], "en").event_type == "project_launch"


def test_training_named_as_a_topic_of_talks_is_no_training():
    paragraphs = [
        "Bei Gesprächen in Seoul am Mittwoch vereinbarten beide Seiten ein gemeinsames Zentrum.",
        "Nach Angaben des Ministeriums ging es um den Einsatz künstlicher Intelligenz, den "
        "Datenaustausch und die Fortbildung von Beamten.",
    ]
    assert facts("Usbekistan holt sich Rat aus Seoul", paragraphs, "de").event_type == "meeting"


def test_signing_the_minutes_of_a_meeting_leaves_a_meeting():
    paragraphs = [
        "14 апреля в Москве состоялось второе заседание совместной рабочей группы министерств.",
        "В ходе заседания стороны рассмотрели ход работ по подключению систем.",
        "По итогам заседания стороны подписали протокол, предусматривающий пилотный обмен.",
    ]
    assert facts("Кыргызстан и Россия обсудили интеграцию систем", paragraphs, "ru").event_type == (
        "meeting"
    )


def test_a_joint_board_session_of_two_ministries_is_a_meeting_where_it_was_held():
    paragraphs = [
        "Граждане Беларуси с 2027 года смогут авторизоваться на портале «Госуслуги». Такое "
        "решение 24 июня приняла совместная коллегия Минцифры России и Министерства связи "
        "Беларуси, прошедшая в Москве.",
        "Для этого российскую систему идентификации свяжут с белорусской системой в Минске.",
    ]
    result = facts("Вход по ID-карте", paragraphs, "ru")
    assert (result.event_type, result.location) == ("meeting", "Moscow")


def test_a_later_city_counts_only_in_the_clause_of_the_event():
    paragraphs = [
        "Eine Delegation aus Usbekistan hat sich am Dienstag über die digitale Verwaltung "
        "informiert. Die Gruppe ist auf einer Studienreise durch mehrere Bundesländer.",
        "Am Nachmittag besuchte sie das Bürgerbüro.",
        "Sabine Köhler, die das Projekt in Taschkent leitet, lobte die Studienreise.",
    ]
    dateline = Dateline(text="Magdeburg.", place="Magdeburg", day=None)
    result = facts(
        "Usbekische Delegation",
        ["Magdeburg. " + paragraphs[0], *paragraphs[1:]],
        "de",
        dateline=dateline,
    )
    assert result.location == "Magdeburg"


def test_signing_documents_electronically_is_the_service_not_an_agreement():
    paragraphs = [
        "Bürger aus der Republik Moldau und der Ukraine können seit Montag Dokumente "
        "grenzüberschreitend elektronisch unterschreiben. In Chișinău schalteten Vertreter "
        "beider Regierungen die gegenseitige Anerkennung qualifizierter elektronischer "
        "Signaturen frei.",
        "Den Startschuss gaben die Staatssekretärin und die stellvertretende Ministerin.",
    ]
    result = facts("Moldau und Ukraine erkennen Signaturen an", paragraphs, "de")
    assert (result.event_type, result.location) == ("project_launch", "Chisinau")


def test_an_agreement_on_electronic_signatures_is_an_agreement():
    paragraphs = [
        "Беларусь и Россия подписали соглашение о взаимном признании электронной цифровой подписи."
    ]
    assert facts("Соглашение подписано", paragraphs, "ru").event_type == "agreement"


def test_a_launch_in_the_headline_beats_a_protocol_signed_for_it_later_in_the_lead():
    paragraphs = [
        "ABUJA — Ghana and Nigeria today launched a pilot that allows citizens of both countries "
        "to verify their identity online across the border.",
        "The pilot builds on a data-sharing protocol signed today in Abuja by the two identity "
        "agencies.",
    ]
    title = "Ghana and Nigeria Launch First Cross-Border Digital ID Verification Pilot"
    assert facts(title, paragraphs, "en").event_type == "project_launch"


def test_a_memorandum_signed_in_the_first_paragraph_stays_the_event_of_a_launch_headline():
    paragraphs = [
        "The ministries signed a memorandum of understanding on March 17 launching the third "
        "phase of the e-Government Cooperation Center.",
    ]
    title = "Uzbekistan and South Korea launch third phase of e-government cooperation center"
    assert facts(title, paragraphs, "en").event_type == "agreement"


def test_internships_offered_far_down_a_meeting_report_leave_it_a_meeting():
    paragraphs = [
        "Азербайджан и Китай обсудили расширение сотрудничества в сфере цифрового правительства.",
        "Вопрос обсуждался на встрече заместителя министра с делегацией Китая.",
        "Стороны обсудили опыт Китая в создании национальной платформы.",
        "Китайская сторона предложила начать с пилотного проекта.",
        "Китайские компании уже участвуют в развитии инфраструктуры страны.",
        "Агентство готово принять азербайджанских специалистов на стажировку.",
    ]
    assert facts("Азербайджан и Китай обсудили сотрудничество", paragraphs, "ru").event_type == (
        "meeting"
    )


def test_a_regular_expert_dialogue_agreed_on_a_visit_leaves_it_a_visit():
    paragraphs = [
        "Eine Regierungsdelegation aus Kasachstan hat sich am Donnerstag in Wiesbaden "
        "informiert. Im Mittelpunkt des Besuchs stand das Onlinezugangsgesetz.",
        "Beide Seiten vereinbarten einen regelmäßigen Fachaustausch.",
    ]
    assert facts("Kasachische Delegation in Hessen", paragraphs, "de").event_type == "visit"


def test_the_home_city_of_a_visiting_delegation_is_not_where_it_visits():
    paragraphs = [
        "Mannheim [05.06.2025] Eine Delegation aus Usbekistan hat sich beim kommunalen "
        "IT-Dienstleister KIRN informiert.",
        "Zu der Delegation gehörte auch der Direktor des Zentrums für elektronische "
        "Regierung in Taschkent. Wie KIRN mitteilt, fand der Besuch am 3. Juni statt.",
    ]
    published = date(2025, 6, 5)
    dateline = parse_dateline(paragraphs[0], "de", published)  # Kommune21's bracketed date
    result = facts("Usbekische Delegation informiert sich bei KIRN", paragraphs, "de",
                   published, dateline)  # fmt: skip
    assert (result.event_type, result.location, result.date) == (
        "visit",
        "Mannheim",
        date(2025, 6, 3),
    )


def test_a_city_in_the_trigger_s_clause_counts_when_only_another_clause_is_background():
    result = facts(
        "Nepal launches X-Road-style data exchange",
        [
            "Nepal on Thursday launched the pilot phase of the Nepal Data Exchange Platform.",
            "It was built with Estonian help.",
            "The platform, developed under an agreement signed last year, was switched on at "
            "a ceremony in Kathmandu attended by officials of both states.",
        ],
        "en",
    )
    assert (result.event_type, result.location) == ("project_launch", "Kathmandu")


@pytest.mark.parametrize("capital", ["Kingston", "Suva", "Port Louis", "Honiara"])
def test_capitals_that_name_no_time_zone_are_places(capital):
    assert find_city(capital) is not None


@pytest.mark.parametrize(
    ("language", "title", "paragraph", "expected"),
    [
        ("ru", "Корея обучит туркменских госслужащих",
         "Курс по электронному правительству для туркменских госслужащих, организованный "
         "агентством KOICA, стартовал во вторник в Ашхабаде.", "training"),
        ("en", "Korea trains Turkmen civil servants",
         "A course on e-government for Turkmen officials was launched on Tuesday in Ashgabat.",
         "training"),
    ],
)  # fmt: skip
def test_a_course_that_starts_is_training(language, title, paragraph, expected):
    assert facts(title, [paragraph], language).event_type == expected


def test_a_delegation_received_where_no_city_is_named_meets_in_the_host_s_capital():
    result = facts(
        "Казахстан и Армения расширяют обмен опытом в сфере GovTech",
        [
            "Вице-министр цифрового развития Республики Казахстан Ерлан Ахметов провел "
            "встречу с армянской делегацией.",
            "В ходе встречи стороны обсудили обмен опытом.",
        ],
        "ru",
    )
    assert result.location == "Astana"


def test_arriving_in_a_city_is_a_visit_there():
    result = facts(
        "Делегация Узбекистана изучила российский опыт",
        ["Узбекские коллеги приехали в Москву, чтобы изучить опыт развития портала."],
        "ru",
    )
    assert (result.event_type, result.location) == ("visit", "Moscow")
