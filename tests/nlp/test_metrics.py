"""Figures in de/ru/en text: values normalised per language, units per spec, no dates or years."""

from __future__ import annotations

import pytest

from coopwatch.records import Metric
from nlp.metrics import find_metrics, parse_number


def one(text: str, lang: str) -> Metric:
    found = find_metrics(text, lang)
    assert len(found) == 1, found
    return found[0]


def values(text: str, lang: str) -> list[tuple[float, str]]:
    return [(m.value, m.unit) for m in find_metrics(text, lang)]


@pytest.mark.parametrize(
    ("raw", "lang", "value"),
    [
        ("1.200", "de", 1200),
        ("1,2", "de", 1.2),
        ("1.200.000", "de", 1_200_000),
        ("1.250,75", "de", 1250.75),
        ("1,200", "en", 1200),
        ("1.2", "en", 1.2),
        ("12,345,678", "en", 12_345_678),
        ("1 300", "ru", 1300),
        ("1\u00a0300", "ru", 1300),
        ("2,5", "ru", 2.5),
        ("1.2.3", "de", None),
        ("1.2.3", "en", None),
        ("12.34.56", "ru", None),
        ("1,2,3", "de", None),
    ],
)
def test_numbers_read_by_language_conventions(raw: str, lang: str, value: float | None) -> None:
    assert parse_number(raw, lang) == value


@pytest.mark.parametrize(
    ("text", "lang", "value", "unit"),
    [
        # money
        ("Die Bank gewährt einen Kredit über 3,7 Mrd. Tenge.", "de", 3.7e9, "KZT"),
        ("Das Projekt kostet 12 Millionen US-Dollar.", "de", 1.2e7, "USD"),
        ("Investiert wurden 450.000 Euro.", "de", 450_000, "EUR"),
        ("Der Fonds umfasst 2 Mio. Euro.", "de", 2e6, "EUR"),
        ("Проект обойдется в 2,3 млрд тенге.", "ru", 2.3e9, "KZT"),
        ("На эти цели выделено 500 тыс. долларов.", "ru", 5e5, "USD"),
        ("Бюджет составил 17 млн белорусских рублей.", "ru", 1.7e7, "BYN"),
        ("Сумма контракта — 40 млрд сумов.", "ru", 4e10, "UZS"),
        ("The bank lent $20 million to the agency.", "en", 2e7, "USD"),
        ("The grant is worth €3.5m.", "en", 3.5e6, "EUR"),
        ("They budgeted 800 million tenge for it.", "en", 8e8, "KZT"),
        ("costs of 1.1 billion Russian rubles", "en", 1.1e9, "RUB"),
        ("The bank will provide KZT 1.2 billion for the programme.", "en", 1.2e9, "KZT"),
        ("The portal processed 1.2bn tenge in payments.", "en", 1.2e9, "KZT"),
        ("RUB 380m was allocated.", "en", 3.8e8, "RUB"),
        ("Объем инвестиций составил $20 млн.", "ru", 2e7, "USD"),
        ("Таджикская сторона выделит 30 млн сомони.", "ru", 3e7, "TJS"),
        # percentages
        ("Der Anteil stieg auf 64,5 Prozent.", "de", 64.5, "percent"),
        ("Доля выросла до 78%.", "ru", 78, "percent"),
        ("около 55 процентов жителей", "ru", 55, "percent"),
        ("Some 70 per cent of requests are online.", "en", 70, "percent"),
        # ranks
        ("Georgien belegt den 8. Platz im Ranking.", "de", 8, "rank"),
        ("Das Land liegt auf Rang 31.", "de", 31, "rank"),
        ("Эстония заняла 2-е место в рейтинге.", "ru", 2, "rank"),
        ("страна находится на 45-м месте", "ru", 45, "rank"),
        (
            "Латвия занимает 12-е место в рейтинге развития электронного правительства",
            "ru",
            12,
            "rank",
        ),
        ("Армения поднялась на первое место", "ru", 1, "rank"),
        ("Estonia ranks 2nd in the index.", "en", 2, "rank"),
        ("It took 15th place globally.", "en", 15, "rank"),
        ("The country came first in the region.", "en", 1, "rank"),
        ("It moved up to 24th in the ranking.", "en", 24, "rank"),
        ("The country climbed to No. 5 in the ranking.", "en", 5, "rank"),
        ("Estland liegt auf Platz eins.", "de", 1, "rank"),
        ("Республика занимает восьмое место в Азии.", "ru", 8, "rank"),
        # scores
        ("Tajikistan has a score of 0.61 in the index.", "en", 0.61, "score"),
        ("Der Indexwert von 0,72 ist neu.", "de", 0.72, "score"),
        # an index value told by its verb
        ("Kazakhstan's EGDI score rose to 0.8974.", "en", 0.8974, "score"),
        ("Der EGDI-Wert Kasachstans stieg auf 0,8974.", "de", 0.8974, "score"),
        ("Индекс развития электронного правительства составил 0,8974.", "ru", 0.8974, "score"),
        # counts, with digits, scale words and number words
        ("Geschult werden 2.400 Lehrkräfte.", "de", 2400, "count"),
        ("Es kommen sieben neue Rechenzentren hinzu.", "de", 7, "count"),
        ("Подключены 75 министерств и ведомств.", "ru", 75, "count"),
        ("Приложением пользуются 3,4 млн человек.", "ru", 3.4e6, "count"),
        ("The portal has 6.2 million users.", "en", 6.2e6, "count"),
        ("Nine regional hubs will open.", "en", 9, "count"),
        ("The portal has two million users.", "en", 2e6, "count"),
        ("It cost half a billion dollars.", "en", 5e8, "USD"),
        ("Zwei Millionen Euro fließen in das Projekt.", "de", 2e6, "EUR"),
        ("Estland stellt im Jahr 2027 1,5 Millionen Euro bereit.", "de", 1.5e6, "EUR"),
        ("В 2025 году 1 200 000 человек получили услуги онлайн.", "ru", 1.2e6, "count"),
        ("Выделено полтора млрд тенге.", "ru", 1.5e9, "KZT"),
        # the currencies of other partner states, by name, code or symbol
        ("The platform saved 2 billion hryvnias.", "en", 2e9, "UAH"),
        ("Die Ukraine sparte 2 Mrd. Hrywnja ein.", "de", 2e9, "UAH"),
        ("Korea will provide 5 billion won for the project.", "en", 5e9, "KRW"),
        ("Корея выделит 5 млрд вон.", "ru", 5e9, "KRW"),
        ("The Cabinet approved Rs 1,200 crore for the mission.", "en", 1.2e10, "INR"),
        ("India pledged ₹500 crore.", "en", 5e9, "INR"),
        ("The UAE invested AED 200 million in it.", "en", 2e8, "AED"),
        ("The project costs S$3.5 million.", "en", 3.5e6, "SGD"),
        ("Монголия направит 12 млрд тугриков.", "ru", 1.2e10, "MNT"),
        ("Туркменистан выделит 30 млн туркменских манатов.", "ru", 3e7, "TMT"),
        ("The app now offers 150 e-services.", "en", 150, "count"),
        ("MeitY has signed such MoUs with 17 countries so far.", "en", 17, "count"),
        ("MOSIP wird inzwischen in mehr als zwölf Ländern eingesetzt.", "de", 12, "count"),
        ("Der Staat stellt 1,8 Mrd. Som für die Spiele bereit.", "de", 1.8e9, "KGS"),
        ("Usbekistan stellt 2 Mrd. Sum bereit.", "de", 2e9, "UZS"),
        ("It will first cover 20 of the most requested public services.", "en", 20, "count"),
        ("Six more services will follow.", "en", 6, "count"),
        ("The money will restore 120 Diia Centers.", "en", 120, "count"),
        ("Планируется перевести 25 наиболее востребованных услуг.", "ru", 25, "count"),
        ("Tunduk verbindet über 400 staatliche und kommunale Systeme.", "de", 400, "count"),
        ("mRiik has been downloaded around 160,000 times.", "en", 160000, "count"),
        ("UPI payments worth ₹27 lakh crore were made.", "en", 2.7e13, "INR"),
        ("RUB1.2 billion has been allocated from the budget.", "en", 1.2e9, "RUB"),
        ("Количество административных процедур – 680.", "ru", 680, "count"),
        ("Forty-five participants will travel to Germany.", "en", 45, "count"),
        ("The Kingdom will spend SR75 million on the link.", "en", 7.5e7, "SAR"),
        # any other ISO 4217 code, before or after the figure; "US$" with a space
        ("Egypt has allocated EGP 1.2 billion to connect ministries.", "en", 1.2e9, "EGP"),
        ("The Philippines will add ₱350 million for the data center.", "en", 3.5e8, "PHP"),
        ("A grant of about PHP1.2 billion was given.", "en", 1.2e9, "PHP"),
        ("Nigeria earmarked ₦90 billion a year.", "en", 9e10, "NGN"),
        ("Malaysia will fund the sandbox with RM50 million.", "en", 5e7, "MYR"),
        ("The ransom was Rp 130 billion.", "en", 1.3e11, "IDR"),
        ("The platform cost KSh 3 billion.", "en", 3e9, "KES"),
        ("The government spent KES 3 billion on the platform.", "en", 3e9, "KES"),
        ("The upgrade will cost Tk 350 crore.", "en", 3.5e9, "BDT"),
        ("Canberra adds A$2.4m to the programme.", "en", 2.4e6, "AUD"),
        ("The Cabinet set aside J$450 million for NIDS.", "en", 4.5e8, "JMD"),
        ("It is backed by a US$68-million loan.", "en", 6.8e7, "USD"),
        ("Die Kosten liegen bei 2,5 Mrd. ETB.", "de", 2.5e9, "ETB"),
        ("The bank will provide US$ 40 million to link Fayda.", "en", 4e7, "USD"),
        ("It was developed at a cost of Dh145 million.", "en", 1.45e8, "AED"),
        ("The deal includes a credit line of 2 billion reais.", "en", 2e9, "BRL"),
        ("В форуме участвовали представители более 40 стран.", "ru", 40, "count"),
        ("The app was downloaded 3 million times.", "en", 3e6, "count"),
        ("Knapp 5.000 Anträge gingen ein.", "de", 5000, "count"),
        ("Уже 1500 компаний стали резидентами.", "ru", 1500, "count"),
        ("They came with a delegation of 25 IT companies.", "en", 25, "count"),
        # durations
        ("Die Bearbeitung dauert nun 15 Minuten.", "de", 15, "minutes"),
        ("срок сократился до 3 дней", "ru", 3, "days"),
        ("Программа рассчитана на 144 академических часа.", "ru", 144, "hours"),
        ("Виза выдается за 5 рабочих дней.", "ru", 5, "days"),
        ("Die Bearbeitung dauert 5 Werktage.", "de", 5, "days"),
        ("Beim Test hätten sich 3'400 Personen registriert.", "de", 3400, "count"),  # Swiss
        # durations in words and as adjectives
        ("Kolumbien investiert in der ersten Phase 32 Milliarden Pesos.", "de", 3.2e10, "COP"),
        ("The project will run for three years.", "en", 3, "years"),
        ("Проект рассчитан на два года.", "ru", 2, "years"),
        ("Das BMZ stellt das Geld über vier Jahre bereit.", "de", 4, "years"),
        ("They signed a two-year agreement.", "en", 2, "years"),
        ("Es folgt ein dreimonatiges Programm.", "de", 3, "months"),
        ("Начнется двухнедельная стажировка.", "ru", 2, "weeks"),
        ("The licence is valid for 5 years.", "en", 5, "years"),
    ],
)
def test_figures(text: str, lang: str, value: float, unit: str) -> None:
    metric = one(text, lang)
    assert metric.unit == unit
    assert metric.value == pytest.approx(value)
    assert metric.text in text


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Die Strategie gilt bis 2030.", "de"),
        ("Am 12. März unterzeichneten beide Seiten das Papier.", "de"),
        ("Der Termin ist am 03.04.2026 um 10.30 Uhr.", "de"),
        ("Дорожная карта на 2026–2028 годы подписана 5 апреля.", "ru"),
        ("В 2024 году портал обновили.", "ru"),
        ("встреча прошла с 9.00 до 12.00", "ru"),
        ("The targets are to be met by 2027.", "en"),
        ("The talks were held on Oct. 14 in Baku.", "en"),
        ("They won 5-2 on Sunday.", "en"),
        ("The two countries signed three memoranda.", "en"),
        ("The new system is 1,000 times faster.", "en"),
        ("Citizens and businesses of our five countries will benefit.", "en"),
        ("Сервисом пользуются граждане старше 15 лет.", "ru"),
        ("The MSR75 engine was shown.", "en"),
        ("ТАШКЕНТ, 11 мар — РИА Новости. Министры подписали карту.", "ru"),
        ("Поставки составят 5,5 млрд кубометров газа.", "ru"),
        ("Der Park soll 5 Gigawatt liefern.", "de"),
        ("Beide Länder unterzeichneten zwei Abkommen.", "de"),
        ("Die Summe betrug 1.2.3 Mio. Euro.", "de"),
        ("Article 12 of the law applies.", "en"),
        ("The 5G network covers the capital.", "en"),
        ("Die Anlage hat eine Leistung von 900 Kilowatt.", "de"),
        ("Пик нагрузки составил 5 млн запросов в секунду.", "ru"),
        ("Over the past 3 years the portal grew.", "en"),
        ("In den nächsten zehn Jahren soll alles digital werden.", "de"),
        ("За последние 5 лет портал вырос.", "ru"),
        ("Таджикистан поднялся на 22 позиции.", "ru"),
        ("Estonia climbed 5 places in the ranking.", "en"),
        ("He ran 5k and then 10 m.", "en"),
        ("Der Anteil stieg um 3,5 Prozentpunkte.", "de"),
        ("Выручка выросла в 2,5 раза.", "ru"),
        ("The call came from No. 5 Downing Street.", "en"),
    ],
)
def test_dates_years_and_non_figures_give_nothing(text: str, lang: str) -> None:
    assert find_metrics(text, lang) == []


def test_indicator_names_the_index_per_clause() -> None:
    text = (
        "Die Ukraine liegt im UN-Online-Services-Index auf dem 5. Platz, während sie im "
        "E-Government-Entwicklungsindex den 40. Platz belegt."
    )
    found = find_metrics(text, "de")
    assert [(m.value, m.indicator) for m in found] == [
        (5, "UN Online Services Index"),
        (40, "E-Government Development Index"),
    ]
    assert all(m.country == "UA" for m in found)


def test_russian_index_name_is_given_in_english() -> None:
    m = one(
        "В индексе развития электронного правительства ООН Грузия находится на 30-м месте.", "ru"
    )
    assert (m.value, m.unit, m.indicator, m.country) == (
        30,
        "rank",
        "UN E-Government Development Index",
        "GE",
    )


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Казахстан занимает 24-е место в рейтинге электронного правительства ООН.", "ru"),
        ("Kazakhstan is 24th in the UN e-government ranking.", "en"),
        ("Kasachstan liegt im E-Government-Ranking der UNO auf Platz 24.", "de"),
        ("В рейтинге ООН по развитию электронного правительства Казахстан на 24-м месте.", "ru"),
        ("Kazakhstan ranked 24th in the UN E-Government Survey 2024.", "en"),
    ],
)
def test_short_names_of_the_un_e_government_ranking(text: str, lang: str) -> None:
    m = one(text, lang)
    assert (m.value, m.unit, m.indicator, m.country) == (
        24,
        "rank",
        "UN E-Government Development Index",
        "KZ",
    )


def test_country_from_adjective_on_counted_noun() -> None:
    m = one("Im Sommer kommen 25 armenische Ingenieure nach Deutschland.", "de")
    assert (m.value, m.unit, m.country) == (25, "count", "AM")


def test_text_keeps_the_qualifier() -> None:
    m = one("More than 2,000 officials were trained.", "en")
    assert m.text.startswith("More than 2,000")
    assert one("Переведут не менее 70% государственных услуг.", "ru").text == "не менее 70%"
    assert one("At least 70 percent of services are online.", "en").text == "At least 70 percent"


def test_unsupported_language_and_empty_text() -> None:
    assert find_metrics("Kazakhstan ranks 24th.", "fr") == []
    assert find_metrics("Kazakhstan ranks 24th.", None) == []
    assert find_metrics("", "en") == []


def test_odd_input_never_raises() -> None:
    junk = "1.2.3 Mio. ,,,, 99999999999999999999999 % $ € 0,,0 Platz 0. -- 1e309 " * 50
    for lang in ("de", "en", "ru"):
        assert isinstance(find_metrics(junk, lang), list)


@pytest.mark.parametrize(
    ("text", "lang", "indicator"),
    [
        ("Rund 80 Prozent der staatlichen Dienstleistungen sind digital.", "de", "state services"),
        ("Более 70% государственных услуг оказываются онлайн.", "ru", "state services"),
        ("Es entstehen 25 neue Arbeitsplätze.", "de", "new jobs"),
        ("Обучение пройдут 400 государственных служащих.", "ru", "state civil servants"),
        ("Der Haushalt des Programms beträgt 3 Mio. Euro.", "de", "budget"),
        ("Товарооборот достиг 500 млн долларов.", "ru", "trade turnover"),
        ("Bis 2028 sollen zehn solcher Zentren öffnen.", "de", "centres"),
        ("Es sollen 12 dieser neuen Rechenzentren entstehen.", "de", "new data centres"),
        # the counted thing named before the figure, not the generic "people" after it
        ("Число пользователей портала превысило 14 млн человек.", "ru", "users"),
        ("Die Zahl der registrierten Nutzer stieg auf 2,1 Millionen.", "de", "users"),
        ("The number of registered users exceeded 2.1 million.", "en", "registered users"),
        # money without a topic noun: what the clause does with it
        ("Die deutsche Seite stellt dafür 2,4 Millionen Euro bereit.", "de", "funding"),
        ("Казахстан направит на реализацию программы 1,2 млрд тенге.", "ru", "funding"),
        ("Germany will contribute 2.4 million euros to the program.", "en", "funding"),
        ("The city is co-financing it with 1.2 billion tenge.", "en", "funding"),
        ("Das Unternehmen investiert rund 6,5 Millionen Euro.", "de", "investment"),
        ("The project is worth $1.2bn.", "en", "cost"),
        ("Das Projekt kostet 1,2 Mrd. US-Dollar.", "de", "cost"),
        ("Проект обойдется в 3 млн долларов.", "ru", "cost"),
        # a share named before the percentage
        ("Доля онлайн-услуг достигла 93,5 процента.", "ru", "online services"),
        ("The share of online public services reached 92 percent.", "en", "online public services"),
        ("Es gibt 300 E-Services.", "de", "e-services"),
        # a possessor between "of" and the counted thing
        ("About 60% of the country's public services are online.", "en", "public services"),
        (
            "К ОАИС подключено 120 государственных информационных систем.",
            "ru",
            "state information systems",
        ),
        ("Es wurden 40 neue Informationssysteme angebunden.", "de", "new information systems"),
        (
            "The ministry launched 50 new electronic public services on the portal.",
            "en",
            "new electronic public services",
        ),
        (
            "The number of active mobile signature users has reached 1.6 million.",
            "en",
            "active mobile signature users",
        ),
        # what a duration measures
        (
            "The average time to obtain a digital certificate has been cut to 15 minutes.",
            "en",
            "average time to obtain a digital certificate",
        ),
        (
            "The waiting time at public service centres in Kazakhstan has dropped to 10 minutes.",
            "en",
            "waiting time at public service centres",
        ),
        ("Die Bearbeitungszeit wurde auf 2 Tage verkürzt.", "de", "Bearbeitungszeit"),
        ("Срок регистрации бизнеса сократился до 15 минут.", "ru", "Срок регистрации бизнеса"),
    ],
)
def test_indicators_are_named_in_english(text: str, lang: str, indicator: str) -> None:
    assert one(text, lang).indicator == indicator


def test_random_mixed_text_never_raises() -> None:
    import random

    from nlp.analysis import analyse_paragraphs

    rng = random.Random(11)
    pieces = [
        "1.2.3",
        "1 300",
        "10.",
        "Platz",
        "место",
        "«",
        "»",
        "„",
        "“",
        '"',
        " — ",
        ", – сказал ",
        "Kasachstan",
        "$",
        "€",
        "%",
        "24-м",
        "No.",
        "Mrd.",
        "млрд",
        "тенге",
        "said",
        "sagte",
        ":",
        "Иван Петров",
        "Anna Berg",
        "2025–2026",
        "1,2",
        "3.500",
        "five",
        "fünf",
        " ",
        " ",
        "x",
        "Д",
    ]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 40)))
        for lang in ("de", "en", "ru"):
            analysis = analyse_paragraphs([text, text[::-1]], lang)
            assert all(m.text for m in analysis.metrics)


def test_a_restated_figure_is_one_metric_of_the_article() -> None:
    from nlp.analysis import analyse_paragraphs

    paragraphs = [
        "Über 80 Prozent der staatlichen Dienstleistungen sind online.",
        "Die Regierung betonte erneut, über 80 Prozent der staatlichen Dienstleistungen "
        "seien digital. Zudem gibt es 80 neue Terminals.",
    ]
    found = analyse_paragraphs(paragraphs, "de").metrics
    assert [(m.value, m.unit) for m in found] == [(80, "percent"), (80, "count")]


def test_a_score_s_text_is_the_figure_as_told() -> None:
    assert one("Kazakhstan's EGDI score rose to 0.8974.", "en").text == "rose to 0.8974"
    assert one("Inflation was 0.85 percent.", "en").unit == "percent"


def test_a_value_told_by_its_verb_is_a_share_or_a_sum_when_its_unit_says_so() -> None:
    assert one("The value of exports was 0.85 percent higher.", "en").unit == "percent"
    assert one("Der Wert lag bei 0,85 Prozent.", "de").unit == "percent"


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "В рейтинге ООН Таджикистан занял 133-е место, Россия — 43-е.",
            "ru",
            [(133, "TJ"), (43, "RU")],
        ),
        (
            "В рейтинге ООН Казахстан занял 24-ю строчку, Южная Корея — 4-ю.",
            "ru",
            [(24, "KZ"), (4, "KR")],
        ),
        (
            "Kazakhstan ranked 24th in the UN E-Government Development Index, Uzbekistan 69th.",
            "en",
            [(24, "KZ"), (69, "UZ")],
        ),
    ],
)
def test_a_second_state_s_rank_with_the_verb_left_out(text, lang, expected) -> None:
    assert [(m.value, m.country) for m in find_metrics(text, lang) if m.unit == "rank"] == expected


def test_a_portal_s_national_domain_names_the_state_a_figure_is_about():
    text = "Сейчас через портал my.gov.uz оказывается более 600 услуг."
    [metric] = find_metrics(text, "ru", None, fallback_country="KR")
    assert (metric.value, metric.country) == (600, "UZ")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The number of electronic services rose from 120 to 300 in two years.", "en"),
        ("Die Zahl der elektronischen Dienste stieg von 120 auf 300.", "de"),
        ("Число электронных услуг выросло со 120 до 300.", "ru"),
    ],
)
def test_the_new_value_of_a_named_count_is_read(text: str, lang: str) -> None:
    [metric] = find_metrics(text, lang)
    assert (metric.value, metric.unit) == (300, "count")
    assert metric.indicator and "services" in metric.indicator


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Доля электронных услуг увеличилась с 60% до 85%.", "ru", [(85, "percent")]),
        ("Funding grew from $10 million to $15 million.", "en", [(15e6, "USD")]),
        ("Der Anteil stieg von 70 Prozent auf 85 Prozent.", "de", [(85, "percent")]),
        ("Kazakhstan rose four places to 24th in the survey.", "en", [(24, "rank")]),
        ("Georgia fell 3 spots to 30th.", "en", [(30, "rank")]),
    ],
)
def test_a_change_gives_its_new_value(text: str, lang: str, expected: list) -> None:
    assert values(text, lang) == expected


def test_the_state_in_a_currency_s_name_is_not_what_the_sum_is_about() -> None:
    text = "На проект в Узбекистане выделено 1,2 млн долларов США."
    [metric] = find_metrics(text, "ru")
    assert (metric.unit, metric.country) == ("USD", "UZ")


def test_a_figure_quoted_from_a_person_is_about_the_speaker_s_state() -> None:
    from coopwatch.records import Actor, Quote
    from nlp.metrics import states_from_speakers

    paragraph = "«Через центры прошло более 70 млн обращений граждан», — отметил Рашад Набиев."
    metrics = find_metrics(paragraph, "ru", None, fallback_country="KZ")
    nabiyev = Actor("person:rashad-nabiyev", "person", "Рашад Набиев", "Rashad Nabiyev", "AZ")
    quote = Quote("person:rashad-nabiyev", "Рашад Набиев", paragraph[1 : paragraph.index("»")])
    # a quotation that names a state keeps the state named
    named = Quote("person:rashad-nabiyev", "Рашад Набиев", "В Казахстане 14,5 тыс. услуг")
    other = find_metrics("В Казахстане 14,5 тыс. услуг.", "ru")
    states_from_speakers([*metrics, *other], [quote, named], [nabiyev], "ru")
    assert [m.country for m in metrics] == ["AZ"]
    assert [m.country for m in other] == ["KZ"]


def test_a_deadline_year_after_a_sum_is_not_its_new_value() -> None:
    m = one("Das Projekt hat ein Volumen von 85 Mio. Euro und soll bis 2028 fertig sein.", "de")
    assert (m.value, m.unit) == (85e6, "EUR")
    # a change from one figure to another still keeps only the new one
    assert [
        (m.value, m.unit) for m in find_metrics("Der Anteil stieg von 60 auf 85 Prozent.", "de")
    ] == [(85, "percent")]


def test_a_russian_share_of_nothing_named_has_no_indicator() -> None:
    assert one("Доля выросла с 60% до 85%.", "ru").indicator is None
    assert one("Доля электронных услуг выросла до 85%.", "ru").indicator == "electronic services"


def test_a_figure_without_a_state_belongs_to_the_state_the_report_is_about() -> None:
    from nlp.analysis import analyse_paragraphs

    paragraphs = [
        "Kazakhstan's Ministry of Digital Development added 12 new services to the eGov app.",
        "Officials said similar one-stop services already exist in Estonia and South Korea.",
        "The ministry expects the number of app users to exceed 15 million by the end of 2026.",
    ]
    metrics = analyse_paragraphs(paragraphs, "en").metrics
    assert [(m.value, m.country) for m in metrics] == [(12, "KZ"), (15e6, "KZ")]


def test_an_index_named_by_its_acronym_gives_its_value() -> None:
    m = one("Kazakhstan has an EGDI of 0.8628, up from 0.8375.", "en")
    assert (m.value, m.unit, m.indicator, m.country) == (
        0.8628,
        "score",
        "E-Government Development Index",
        "KZ",
    )


def test_a_russian_count_of_kinds_keeps_what_they_are_kinds_of() -> None:
    m = one("Через портал доступно свыше 700 видов электронных услуг.", "ru")
    assert (m.value, m.unit, m.indicator) == (700, "count", "types of electronic services")


@pytest.mark.parametrize(
    ("text", "lang", "indicator"),
    [
        ("The number of e-services on the platform has exceeded 700.", "en", "e-services"),
        ("Die Zahl der Online-Dienste überstieg 700.", "de", "services"),
        ("Число электронных услуг превысило 700.", "ru", "services"),
    ],
)
def test_a_named_count_exceeding_a_figure(text: str, lang: str, indicator: str) -> None:
    m = one(text, lang)
    assert (m.value, m.unit) == (700, "count")
    assert indicator in (m.indicator or "")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Это уже третья крупная атака на государственные системы с начала года.", "ru"),
        ("It was the third major cyberattack on state systems this year.", "en"),
        ("Es war der dritte große Angriff auf staatliche Systeme in diesem Jahr.", "de"),
    ],
)
def test_an_ordinal_with_a_period_counts_what_it_orders(text: str, lang: str) -> None:
    m = one(text, lang)
    assert (m.value, m.unit) == (3, "count")


def test_an_ordinal_without_a_period_is_no_count() -> None:
    assert find_metrics("The second meeting took place in Astana.", "en") == []


def test_a_figure_told_of_one_named_before_takes_its_indicator() -> None:
    text = "Bilateral trade reached $400 million. The sides aim to raise it to $600 million."
    assert [(m.indicator, m.value) for m in find_metrics(text, "en")] == [
        ("trade", 400e6),
        ("trade", 600e6),
    ]


def test_coordinated_counted_nouns_are_counted_together() -> None:
    m = one(
        "Über das Portal sind mehr als 300 Verwaltungsverfahren und elektronische Dienste da.",
        "de",
    )
    assert m.indicator == "administrative procedures and electronic services"
    assert one("Über 300 Bürger und der Minister kamen.", "de").indicator == "citizens"


def test_coordinated_ordinals_after_a_rank_are_ranks() -> None:
    text = "Kazakhstan is ranked 24th in the UN E-Government Development Index and 8th in its "
    text += "Online Services Index; Uzbekistan and Kyrgyzstan are placed 69th and 83rd."
    ranks = [m.value for m in find_metrics(text, "en") if m.unit == "rank"]
    assert ranks == [24, 8, 69, 83]


def test_a_qualifier_is_a_word_of_its_own() -> None:
    [metric] = find_metrics("It will first cover 20 of the most requested services.", "en")
    assert metric.text == "20 of the most requested services"


def test_a_part_of_a_counted_whole_counts_its_noun() -> None:
    text = "Only about 120 of more than 700 public services are online."
    assert [(m.value, m.indicator) for m in find_metrics(text, "en")] == [
        (120, "public services"),
        (700, "public services"),
    ]


def test_three_capitals_before_a_figure_are_money_only_when_an_iso_currency():
    [users] = find_metrics("In the UAE 5 million users have a digital ID.", "en")
    assert users.unit == "count"
    [states] = find_metrics("ALL 50 states joined the platform.", "en")
    assert states.unit == "count"


@pytest.mark.parametrize(
    ("text", "lang", "unit"),
    [
        ("На Концепцию цифровой экономики Туркменистана выделено 1,1 млрд манатов.", "ru", "TMT"),
        ("Азербайджан выделил 3,2 млрд манатов на цифровизацию.", "ru", "AZN"),
        ("Sri Lanka will invest 5 billion rupees in its digital ID.", "en", "LKR"),
        ("India will invest 5 billion rupees in its digital ID.", "en", "INR"),
        ("Turkmenistan pays 2 million AZN to its partner.", "en", "AZN"),  # as written
    ],
)
def test_a_currency_name_states_share_is_the_one_of_the_figure_s_state(text, lang, unit):
    [metric] = find_metrics(text, lang)
    assert metric.unit == unit


def test_a_shared_currency_name_in_a_figure_told_of_no_state_is_the_report_states():
    from nlp.analysis import analyse_paragraphs

    paragraphs = [
        "Nepal and Estonia signed a data-exchange agreement in Kathmandu on Tuesday.",
        "The government has allocated Rs 4.2 billion for the project.",
    ]
    [metric] = analyse_paragraphs(paragraphs, "en").metrics
    assert (metric.value, metric.unit) == (4.2e9, "NPR")
    # a report about India as well: the rupee stays India's
    paragraphs[0] = "Nepal and India signed a data-exchange agreement in Kathmandu on Tuesday."
    [metric] = analyse_paragraphs(paragraphs, "en").metrics
    assert metric.unit == "INR"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Kaum ein Monat vergeht ohne Besuch.", "de"),  # "one" is idiom, not a figure
        ("It is in the plans for the next five years.", "en"),  # a time window
        ("Two years ago the system started.", "en"),
        ("The number will double in two years.", "en"),
    ],
)
def test_durations_in_words_that_are_no_figure(text: str, lang: str) -> None:
    assert find_metrics(text, lang) == []


@pytest.mark.parametrize(
    ("text", "lang", "rank"),
    [
        ("Im Index liegt das Land auf Platz 131 von 193 Staaten.", "de", 131),
        ("Sri Lanka ranked 95th of 193 countries in the index.", "en", 95),
        ("Казахстан занял 28-е место из 193 стран.", "ru", 28),
    ],
)
def test_the_size_of_a_ranking_after_the_rank_is_no_count(text: str, lang: str, rank: int):
    assert [(m.value, m.unit) for m in find_metrics(text, lang)] == [(rank, "rank")]


def test_a_second_state_s_rank_in_words_after_a_rank():
    text = "Cambodia ranked 127th out of 193 countries in the index, while Singapore was third."
    assert [(m.value, m.unit) for m in find_metrics(text, "en")] == [(127, "rank"), (3, "rank")]
