"""Relevance: cooperation between states on digital government, and what is not."""

from __future__ import annotations

from nlp.relevance import assess_relevance


def test_digital_cooperation_between_two_states_is_relevant():
    result = assess_relevance(
        "Armenien und Georgien vereinbaren Zusammenarbeit bei digitalen Bürgerdiensten",
        [
            "Die Digitalministerien Armeniens und Georgiens haben in Tiflis ein Memorandum über "
            "die Zusammenarbeit bei elektronischen Verwaltungsdiensten unterzeichnet.",
            "Beide Seiten wollen ihre Bürgerportale verknüpfen und Erfahrungen bei der digitalen "
            "Identität austauschen.",
        ],
        "de",
        {"AM", "GE"},
    )
    assert result.relevant
    assert result.score > 0.7


def test_russian_delegation_visit_on_e_government_is_relevant():
    result = assess_relevance(
        "Делегация Таджикистана изучила опыт Узбекистана в сфере электронного правительства",
        [
            "Делегация министерства Таджикистана посетила Ташкент и ознакомилась с работой "
            "единого портала интерактивных государственных услуг.",
            "Стороны договорились о сотрудничестве в области цифровизации госуслуг.",
        ],
        "ru",
        {"TJ", "UZ"},
    )
    assert result.relevant


def test_adopting_another_state_s_public_service_centres_is_relevant():
    # Bürgerämter / ЦОНы are the front of e-government in the region, as "public services" is
    result = assess_relevance(
        "Kirgisistan will georgisches Modell für Bürgerämter übernehmen",
        [
            "Der stellvertretende Ministerpräsident Kirgisistans hat bei einem Besuch in Georgien "
            "das georgische System der Bürgerämter besichtigt.",
            "Die „Häuser der Justiz“ bieten mehr als 400 staatliche Dienstleistungen an einem "
            "Ort an. Kirgisistan will nach georgischem Vorbild zehn solcher Zentren eröffnen.",
            "„Georgien hat gezeigt, dass ein kleines Land Weltspitze bei digitalen Diensten sein "
            "kann“, sagte er.",
        ],
        "de",
        {"GE", "KG"},
    )
    assert result.relevant


def test_trade_in_services_is_no_digital_government():
    result = assess_relevance(
        "Kasachstan und Usbekistan wollen Handel ausbauen",
        [
            "Kasachstan und Usbekistan haben bei einem Besuch in Taschkent vereinbart, den "
            "Handel mit Waren und Dienstleistungen bis 2030 zu verdoppeln.",
            "Die Delegationen unterzeichneten ein Abkommen über Zusammenarbeit im Verkehr.",
        ],
        "de",
        {"KZ", "UZ"},
    )
    assert not result.relevant


def test_ai_cooperation_outside_the_public_sector_is_not_relevant():
    result = assess_relevance(
        "Russia and China to cooperate on artificial intelligence",
        [
            "Russia and China signed an agreement on cooperation in artificial intelligence "
            "research, including joint development of large language models and AI chips.",
            "The agreement was signed by the science ministers of the two countries.",
        ],
        "en",
        {"CN", "RU"},
    )
    assert not result.relevant


def test_ai_for_public_services_between_states_is_relevant():
    result = assess_relevance(
        "Казахстан передаст Кыргызстану ИИ-ассистента",
        [
            "Казахстан передаст Кыргызстану искусственный интеллект для консультирования "
            "граждан по госуслугам, договорились стороны.",
        ],
        "ru",
        {"KG", "KZ"},
    )
    assert result.relevant


def test_domestic_digital_news_is_not_relevant():
    result = assess_relevance(
        "Georgia launches new mobile app for public services",
        [
            "Georgia's Public Service Development Agency launched a mobile app that gives "
            "citizens access to 120 digital public services.",
            "The agency said the app would be extended with electronic signatures next year.",
        ],
        "en",
        {"GE"},
    )
    assert not result.relevant


def test_bilateral_cooperation_without_digital_angle_is_not_relevant():
    result = assess_relevance(
        "Kyrgyzstan and Tajikistan agree on water sharing",
        [
            "Kyrgyzstan and Tajikistan signed an agreement on the joint use of water resources "
            "after talks between the two delegations in Dushanbe.",
            "The sides also discussed cooperation in energy and cross-border trade.",
        ],
        "en",
        {"KG", "TJ"},
    )
    assert not result.relevant


def test_commentary_on_digital_rankings_is_not_relevant():
    result = assess_relevance(
        "Kommentar: Digitale Ranglisten sind nicht alles",
        [
            "Estland und Finnland liegen in jedem E-Government-Ranking vorn, digitale Dienste "
            "sind dort Alltag.",
            "Doch Online-Portale allein machen noch keine gute Verwaltung.",
        ],
        "de",
        {"EE", "FI"},
    )
    assert not result.relevant


def test_unsupported_language_and_empty_text_are_not_relevant():
    assert not assess_relevance("Titre", ["La coopération numérique."], "fr", {"FR", "DE"}).relevant
    assert not assess_relevance("Title", [], "en", {"FR", "DE"}).relevant


def test_joint_military_exercises_with_digital_systems_are_not_relevant():
    result = assess_relevance(
        "Азербайджан и Турция провели совместные учения с применением беспилотников",
        [
            "Азербайджан и Турция провели совместные военные учения с применением беспилотных "
            "летательных аппаратов и цифровых систем управления войсками.",
            "В учениях приняли участие более 3 тысяч военнослужащих.",
        ],
        "ru",
        {"AZ", "TR"},
    )
    assert not result.relevant


def test_cyber_protection_in_a_funding_report_is_no_incident_but_an_attack_in_the_lead_is():
    paragraphs = [
        "Germany will provide an additional EUR 30 million to support the development of "
        "Ukraine's digital state, including the integration of the Diia app with the EU "
        "Digital Identity Wallet.",
        "The new package will help us protect state registries from cyberattacks, the "
        "minister said after the joint declaration was signed with the German partners.",
    ]
    funding = assess_relevance(
        "Germany to fund Ukraine's digital state", paragraphs, "en", {"DE", "UA"}
    )
    assert funding.relevant
    attack = assess_relevance(
        "Cyberattack hits Ukraine's Diia portal",
        ["A cyberattack disrupted the Diia portal; Germany offered its help.", *paragraphs],
        "en",
        {"DE", "UA"},
    )
    assert attack.score < funding.score


def test_a_second_state_named_only_after_the_lead_is_a_passing_mention():
    paragraphs = [
        "Die Bundesregierung hat die erste Pilotphase der staatlichen EUDI-Wallet gestartet. "
        "Rund 5.000 Testnutzer können ihren Personalausweis in der App hinterlegen.",
        "Die digitale Brieftasche soll bis Ende 2026 bundesweit verfügbar sein, teilte das "
        "Digitalministerium mit; eine Zusammenarbeit mit den Ländern ist vereinbart.",
        "Vorbild sei auch die ukrainische App Diia, mit der Deutschland bei der Digitalisierung "
        "der Verwaltung kooperiert.",
    ]
    title = "EUDI-Wallet: Bund startet Pilotphase"
    everywhere = assess_relevance(title, paragraphs, "de", {"DE", "UA"})
    in_lead_only = assess_relevance(title, paragraphs, "de", {"DE", "UA"}, lead_states={"DE"})
    assert not in_lead_only.relevant
    assert in_lead_only.score < everywhere.score


def test_training_on_another_state_s_e_procurement_system_is_relevant():
    result = assess_relevance(
        "South Korea to train PHL procurement execs, share e-bidding know-how",
        [
            "SOUTH Korea will train Filipino procurement officials and share the know-how "
            "behind its KONEPS e-procurement system as the Philippines rolls out a modernized "
            "procurement system.",
            "A two-week training program for 40 officials opened on Tuesday in Manila. It is "
            "conducted by experts from Korea's Public Procurement Service.",
            "The cooperation covers the new e-bidding, e-marketplace and e-payment modules.",
        ],
        "en",
        {"KR", "PH"},
        {"KR", "PH"},
    )
    assert result.relevant
