"""Named projects, platforms and systems in de/ru/en, linked across languages (nlp.projects)."""

from __future__ import annotations

import pytest

from nlp.glossary import name_key
from nlp.projects import find_projects


def _names(text: str, lang: str) -> list[str]:
    return [p.name for p in find_projects(text, lang)]


def test_quoted_name_after_a_project_noun_in_each_language():
    assert _names("Sie stellten das Programm „Digitale Schule“ vor.", "de") == ["Digitale Schule"]
    assert _names("Запущена платформа «Электронная очередь» для граждан.", "ru") == [
        "Электронная очередь"
    ]
    assert _names('They presented the "Smart Akimat" platform in Almaty.', "en") == ["Smart Akimat"]


def test_one_project_in_three_languages_has_one_key():
    de = find_projects(
        "Im Rahmen des Programms „Arbeit ohne Grenzen“ werden Daten getauscht.", "de"
    )
    ru = find_projects("В рамках проекта «Работа без границ» идет обмен данными.", "ru")
    en = find_projects("Work Without Borders, the union's digital system, was launched.", "en")
    keys = {name_key(p.canonical) for p in (*de, *ru, *en)}
    assert keys == {name_key("Work Without Borders")}
    assert de[0].id == ru[0].id == en[0].id == "project:work-without-borders"


def test_russian_capitalised_name_headed_by_a_project_noun():
    [project] = find_projects("Данные передаются в Единую платформу цифровых услуг страны.", "ru")
    assert project.name == "Единую платформу цифровых услуг"
    assert name_key(project.canonical) == name_key("Single Digital Services Platform")


def test_german_compound_translated_by_the_glossary():
    [project] = find_projects("Am Beispiel der „Digitalen Familienkarte“ wurde gezeigt …", "de")
    assert project.canonical == "Digital Family Card"


def test_brand_tokens_with_owner_country_from_the_domain_or_the_known_platforms():
    projects = find_projects("Services on egov.by and the Astana Hub campus and eGov mobile.", "en")
    assert [(p.name, p.country) for p in projects] == [
        ("egov.by", "BY"),
        ("Astana Hub", "KZ"),  # nlp/data/projects.toml
        ("eGov mobile", "KZ"),
    ]


def test_known_platforms_named_without_a_project_noun_in_any_language():
    en = find_projects("A mobile app modelled on Ukraine's Diia, and India Stack next.", "en")
    assert [(p.id, p.name, p.country) for p in en] == [
        ("project:diia", "Diia", "UA"),
        ("project:india-stack", "India Stack", "IN"),
    ]
    ru = find_projects("Эксперты изучили опыт Дія и системы Трембиты.", "ru")
    assert [(p.id, p.canonical, p.country) for p in ru] == [
        ("project:diia", "Diia", "UA"),
        ("project:trembita", "Trembita", "UA"),
    ]
    [de] = find_projects("Usbekistan will ein Portal nach dem Vorbild von Government24.", "de")
    assert (de.id, de.country) == ("project:government24", "KR")
    en = find_projects("India will share UPI, CoWIN and MOSIP; Mongolia showed E-Mongolia.", "en")
    assert [(p.id, p.country) for p in en] == [
        ("project:unified-payments-interface", "IN"),
        ("project:cowin", "IN"),
        ("project:mosip", "IN"),
        ("project:e-mongolia", "MN"),
    ]


def test_a_state_named_before_a_known_platform_owns_it():
    [project] = find_projects("The delegation studied Lithuania's e-Residency programme.", "en")
    assert (project.id, project.country) == ("project:e-residency", "LT")


def test_known_brands_are_matched_as_written():
    # the common noun "госуслуги" (public services) is not the platform «Госуслуги»
    assert find_projects("Граждане получают госуслуги онлайн.", "ru") == []
    [project] = find_projects("Портал «Госуслуги» посетили 80 млн человек.", "ru")
    assert (project.id, project.country) == ("project:gosuslugi", "RU")
    # a brand keeps its stem in every case form: "Гостям" (to the guests) is not «Гостех»
    assert find_projects("Гостям показали новый зал.", "ru") == []
    [project] = find_projects("Ведомства переходят на платформу Гостеха.", "ru")
    assert project.id == "project:gostech"


def test_capitalised_name_before_a_system_noun_with_possessive_owner():
    [project] = find_projects("The link connects Kyrgyzstan's Tunduk system with others.", "en")
    assert (project.name, project.country) == ("Tunduk", "KG")


def test_roadmap_and_speech_are_no_projects():
    assert find_projects("Стороны подписали Дорожную карту сотрудничества.", "ru") == []
    text = "„Wir haben viel gelernt und werden die Erfahrungen nutzen“, sagte sie."
    assert find_projects(text, "de") == []


def test_unsupported_language():
    assert find_projects("El programa «Gobierno Digital» empezó.", "es") == []


def test_description_followed_by_its_brand_is_one_project():
    text = "Данные поступят на Единый портал интерактивных государственных услуг my.gov.uz."
    [project] = find_projects(text, "ru")
    assert project.name == "Единый портал интерактивных государственных услуг"
    assert (project.canonical, project.id, project.country) == (
        "my.gov.uz",
        "project:my-gov-uz",
        "UZ",
    )


def test_brand_with_capitalised_suffix_and_owner_before_the_kind_of_project():
    [project] = find_projects(
        "Belarus interessiert sich für die kasachische App eGov Mobile.", "de"
    )
    assert (project.name, project.country, project.id) == (
        "eGov Mobile",
        "KZ",
        "project:egov-mobile",
    )


def test_common_nouns_of_project_names_translate_across_languages():
    names = [
        ("Das Projekt „Digitale Schule“ startet.", "de"),
        ("Стартует проект «Цифровая школа».", "ru"),
        ("The Digital School project starts.", "en"),
    ]
    assert {find_projects(text, lang)[0].id for text, lang in names} == {"project:digital-school"}
    assert find_projects("Запущен проект «Единое окно».", "ru")[0].id == "project:single-window"


def test_state_and_government_services_are_public_services_on_the_key():
    de = find_projects(
        "Daten fließen in das Einheitliche Portal für staatliche Dienstleistungen.", "de"
    )
    en = find_projects("Data flows into the Single Portal of State Services.", "en")
    assert name_key(de[0].canonical) == name_key(en[0].canonical)


def test_a_name_quoted_inside_a_quotation_with_its_owner_before_the_noun():
    text = '«Российская платформа "Гостех" позволяет запускать сервисы быстрее», — сказал он.'
    assert [(p.name, p.canonical, p.country) for p in find_projects(text, "ru")] == [
        ("Гостех", "GosTech", "RU")  # its English name, nlp/data/projects.toml
    ]


def test_quoted_speech_is_no_project_even_after_a_project_noun_in_the_sentence_before():
    text = (
        "Bürger können Auszüge aus dem Unternehmensregister nutzen. „Das ist erst der Anfang“, "
        "sagte Alimow."
    )
    assert find_projects(text, "de") == []
    # the project noun before a quoted name counts only within its sentence
    text = "Alle Daten liegen im Register. „Digitale Zukunft Jetzt“ heißt ein Film."
    assert find_projects(text, "de") == []


def test_a_joint_facility_described_not_named_is_one_project_in_each_language():
    en = find_projects("They agreed to create a joint service design laboratory.", "en")
    ru = find_projects(
        "Стороны подписали меморандум о создании совместной лаборатории сервисного дизайна.", "ru"
    )
    assert [(p.name, p.country) for p in en] == [("joint service design laboratory", None)]
    assert [(p.name, p.country) for p in ru] == [
        ("совместной лаборатории сервисного дизайна", None)
    ]
    assert name_key(en[0].canonical) == name_key(ru[0].canonical)
    de = find_projects("Beide Länder eröffnen ein gemeinsames Kompetenzzentrum in Astana.", "de")
    assert [p.canonical for p in de] == ["Joint Competence Center"]


def test_joint_ways_of_working_and_bare_joint_nouns_are_no_project():
    text = "A joint working group will meet. Joint projects are planned. A joint platform, too."
    assert find_projects(text, "en") == []
    assert find_projects("Стороны создадут совместный центр.", "ru") == []


def test_a_joint_facility_named_right_after_its_description_is_that_project():
    text = (
        "Beide Länder haben ein gemeinsames Weiterbildungsprogramm für den öffentlichen Dienst "
        "gestartet. Im Rahmen des Programms „Digitaler Staatsdienst“ werden Beamte geschult."
    )
    assert [p.canonical for p in find_projects(text, "de")] == ["Digital Civil Service"]


def test_a_quoted_name_with_its_kind_after_modifiers():
    text = 'They studied how Azerbaijan built the "Digital Login" single authentication system.'
    assert [p.name for p in find_projects(text, "en")] == ["Digital Login"]
    # the kind must follow in the same clause
    text = 'They used "Digital Login", and later a new system.'
    assert find_projects(text, "en") == []


@pytest.mark.parametrize(
    ("text", "lang", "names"),
    [
        ("Die App Diia wird von 22 Millionen Menschen genutzt.", "de", ["Diia"]),
        (
            "Beide Länder verbinden die Datenaustauschsysteme Trembita und X-Road.",
            "de",
            ["Trembita", "X-Road"],
        ),
        ("Kirgisistan nutzt das System Tunduk seit 2019.", "de", ["Tunduk"]),
        ("Кыргызстан использует систему Тундук с 2019 года.", "ru", ["Тундук"]),
        ("Платформа X-Road используется в 20 странах.", "ru", ["X-Road"]),
    ],
)
def test_a_name_in_apposition_right_after_the_kind_of_project(text, lang, names):
    assert _names(text, lang) == names


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Das Portal Ende 2025 soll schneller werden.", "de"),  # a time, not a name
        ("Reformen des Finanzsystems Luft verschaffen.", "de"),  # a genitive, then a noun
        ("Neben dem knappen Angebot an Bauland fehlt es.", "de"),  # knappen is no App
        ("Он проводит время в социальной сети Facebook.", "ru"),  # the owner of a network
        ("Сервис разработан на базе платформы Министерства.", "ru"),  # a body in the genitive
    ],
)
def test_nouns_times_and_owners_after_a_project_noun_are_no_name(text, lang):
    assert _names(text, lang) == []


def test_ukrainian_letters_transliterate_and_meet_the_english_name():
    [mriia] = find_projects("Приложением «Мрія» пользуются 2 млн человек.", "ru")
    assert mriia.canonical == "Mriya"
    assert name_key(mriia.canonical) == name_key("Mriia")


def test_hyphenated_brands_and_one_project_with_or_without_app():
    text = "Citizens use the myGov portal and Türkiye's e-Devlet platform. The myGov app has fans."
    assert [(p.name, p.country) for p in find_projects(text, "en")] == [
        ("myGov", None),
        ("e-Devlet", "TR"),
    ]
    assert _names("An e-Mail was sent to the ministry.", "en") == []
    assert _names("Sie planen gemeinsame Start-up-Wettbewerbe.", "de") == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("It links the Trembita and X-Road data exchange systems.", ["Trembita", "X-Road"]),
        ("Most Moldovans already use the MPass authentication service.", ["MPass"]),
        ("Kyrgyzstan's Tunduk data exchange system links 200 bodies.", ["Tunduk"]),
        ("The EU and UNDP digital services were shown.", []),  # services of bodies
        ("The Ministry launched new data exchange systems.", []),
    ],
)
def test_an_english_name_before_words_describing_the_system(text, names):
    assert _names(text, "en") == names


def test_a_brand_is_the_portal_whose_address_the_report_gives():
    text = "Интеграция с казахстанской системой eGov. На портале eGov.kz 12 млн пользователей."
    assert [(p.id, p.canonical) for p in find_projects(text, "ru")] == [
        ("project:egov-kz", "eGov.kz")
    ]
    # two addresses with that name: the brand is neither of them
    both = find_projects("Citizens use egov.kz and egov.uz. The eGov system is popular.", "en")
    assert [p.id for p in both] == ["project:egov-kz", "project:egov-uz", "project:egov"]


def test_a_silk_road_project_is_one_project_in_russian_and_german():
    [ru] = find_projects("Внимание уделили проекту «Цифровой шелковый путь».", "ru")
    [de] = find_projects("Es ging um das Projekt „Digitale Seidenstraße“.", "de")
    assert ru.id == de.id == "project:digital-silk-road"


def test_phone_systems_and_units_are_no_projects():
    text = "The eGov mobile app runs on iOS and the iPhone; it saves 5 kWh a year."
    assert [p.name for p in find_projects(text, "en")] == ["eGov mobile"]


def test_a_descriptive_platform_takes_its_owner_into_its_name_in_every_language():
    found = [
        find_projects(
            "Документ закладывает основу пространства доверия Союзного государства.", "ru"
        ),
        find_projects(
            "Das Abkommen gilt als Grundstein für den Vertrauensraum des Unionsstaates.", "de"
        ),
        find_projects("The agreement lays the groundwork for the Union State trust space.", "en"),
    ]
    assert [[p.name for p in projects] for projects in found] == [
        ["пространства доверия Союзного государства"],
        ["Vertrauensraum des Unionsstaates"],
        ["Union State trust space"],
    ]
    assert {p.id for projects in found for p in projects} == {"project:union-state-space-of-trust"}
    # an owner the glossary cannot name in English stays in the name only
    [eaeu] = find_projects("Страны развивают пространство доверия ЕАЭС.", "ru")
    assert (eaeu.name, eaeu.id) == ("пространство доверия ЕАЭС", "project:space-of-trust")


def test_a_union_of_states_before_a_project_noun_is_its_owner_not_its_name():
    assert find_projects("The work is financed under a Union State program.", "en") == []


def test_a_capitalised_word_opening_a_quotation_is_no_project_name():
    assert find_projects("He said: “Digital services are not a luxury in wartime.”", "en") == []


def test_a_short_russian_brand_in_its_case_forms():
    text = "Интеграция «Дии» с кошельком; жители пользуются «Дией». Дина и Дима пришли."
    assert [p.id for p in find_projects(text, "ru")] == ["project:diia"]


def test_a_facility_named_after_two_states_is_one_joint_project_in_each_language():
    cases = [
        ("The Korea-Uzbekistan e-Government Cooperation Center opened.", "en"),
        ("Das Koreanisch-Usbekische Zentrum für digitale Verwaltung öffnet.", "de"),
        ("Открылся Узбекско-корейский центр сотрудничества.", "ru"),
    ]
    for text, lang in cases:
        [project] = find_projects(text, lang)
        assert project.country is None
        assert {"Uzbekistan", "Korea"} <= set(project.canonical.replace("-", " ").split())
    assert find_projects("Trade between Uzbek-Korean companies grew.", "en") == []


def test_a_known_platform_opening_a_german_compound_is_found():
    text = "Behörden könnten von der Diia-App lernen; die Trembita-Anbindung folgt."
    assert [p.id for p in find_projects(text, "de")] == ["project:diia", "project:trembita"]


def test_a_named_pilot_is_a_project():
    text = "The parties agreed to launch a Digital Khorgos pilot for traders."
    assert [p.name for p in find_projects(text, "en")] == ["Digital Khorgos"]


def test_a_quotation_opening_with_a_project_noun_is_no_project():
    text = "«Наши системы технически готовы к обмену данными», – отметил вице-министр."
    assert find_projects(text, "ru") == []
    assert [
        p.name for p in find_projects("Запущена платформа «Единая система идентификации».", "ru")
    ] == ["Единая система идентификации"]


def test_identity_brands_and_programmes_named_in_title_case_are_projects():
    text = (
        "Armenia launched HayID. Under the UAE Government Experience Exchange Programme, "
        "officials from Tajikistan will train in Dubai, al-Mansoori said."
    )
    assert [p.name for p in find_projects(text, "en")] == [
        "HayID",
        "UAE Government Experience Exchange Programme",
    ]
    assert [p.name for p in find_projects("Mit HayID gibt Armenien Ausweise aus.", "de")] == [
        "HayID"
    ]
    assert [p.name for p in find_projects("Das Programm EU4Digital hilft.", "de")] == ["EU4Digital"]


def test_a_description_running_into_a_known_platform_ends_with_it():
    text = (
        "Die Gäste zeigten Interesse an der Analyseplattform Smart Data Ukimet, die Daten bündelt."
    )
    assert [(p.name, p.canonical) for p in find_projects(text, "de")] == [
        ("Analyseplattform Smart Data Ukimet", "Smart Data Ukimet")
    ]


@pytest.mark.parametrize(
    ("text", "lang", "name", "canonical"),
    [
        (
            "Специалисты изучили работу общегосударственной автоматизированной информационной "
            "системы (ОАИС) и портала.",
            "ru",
            "общегосударственной автоматизированной информационной системы",
            "Nationwide Automated Information System",
        ),
        (
            "Россия готова подключить к пилоту Единую систему идентификации и аутентификации "
            "(ЕСИА).",
            "ru",
            "Единую систему идентификации и аутентификации",
            "Single System of Identity and Authentication",
        ),
        (
            "The Unified Identification and Authentication System (ESIA) will be linked.",
            "en",
            "Unified Identification and Authentication System",
            "Unified Identification and Authentication System",
        ),
    ],
)
def test_a_system_described_with_its_acronym_is_a_project(text, lang, name, canonical):
    assert [(p.name, p.canonical) for p in find_projects(text, lang)] == [(name, canonical)]


def test_a_bare_head_noun_with_an_acronym_is_no_project():
    assert find_projects("The system (ERP) works well.", "en") == []


@pytest.mark.parametrize(
    ("text", "canonical", "country"),
    [
        ("Vietnam is ready to connect VNeID to the sandbox.", "VNeID", "VN"),
        ("Holders of the Ghana Card will be verified in Nigeria.", "Ghana Card", "GH"),
        ("Kenya will link Maisha Namba, the new digital ID, to banks.", "Maisha Namba", "KE"),
        (
            "Malaysia will fund the ASEAN Digital ID Interoperability Sandbox.",
            "ASEAN Digital ID Interoperability Sandbox",
            None,
        ),
    ],
)
def test_national_digital_ids_and_sandboxes_are_projects(text, canonical, country):
    assert [(p.canonical, p.country) for p in find_projects(text, "en")] == [(canonical, country)]


@pytest.mark.parametrize(
    ("text", "lang", "names"),
    [
        # a German determiner, an adjective, then the kind of project and its name
        ("Bislang sind über das staatliche Portal ZamPortal 350 Leistungen abrufbar.", "de",
         ["ZamPortal"]),
        ("Dessen KI-Plattform KIPITZ nutzen inzwischen 30 Behörden.", "de", ["KIPITZ"]),
        # a list of names after a plural kind
        ("Sie werden im Umgang mit den Plattformen MPass, MSign und MGov-Sign geschult.", "de",
         ["MPass", "MSign", "MGov-Sign"]),
        # a system described by its field
        ("The corridor links Kazakhstan's Keden customs information system with others.", "en",
         ["Keden"]),
        # the EU's regulation is no platform
        ("Die Dienste werden an die eIDAS-Verordnung angepasst.", "de", []),
        # the acronym of a body whose name ends in a kind of project
        ("Umgesetzt wird es von der Nationalen Agentur für das öffentliche Register (NAPR).",
         "de", []),
        # a body before a phrase that only ends in a kind of project
        ("According to Kazakhstan's State Revenue Committee, the development of the platform "
         "cost 1.2 billion tenge.", "en", []),
    ],
)  # fmt: skip
def test_named_platforms_after_their_kind(text: str, lang: str, names: list[str]) -> None:
    assert _names(text, lang) == names


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Nevine Farouk heads the Digital Egypt programme at the ministry.", "en"),
        ("Das Programm Digitales Ägypten läuft seit 2021.", "de"),
        ("В рамках программы Цифровой Египет сделано много.", "ru"),
    ],
)
def test_a_state_s_digital_programme_named_after_it(text: str, lang: str) -> None:
    [project] = find_projects(text, lang)
    assert (project.canonical, project.country) == ("Digital Egypt", "EG")
