"""Varied sample articles for the crawl bench: many distinct reports, grouped into small events.

The default sample articles are one text with the article number filled in, so every page is a
syndicated copy of the first and all of them form one ever-growing event: fine for crawl
tests, but a bench over 10,000 of them measures copy detection and one 10,000-report event,
not a news crawl. Here each article is written from templates with several slots (country
pair, capital, topic, official, figures) and a choice of wording per paragraph, so reports
share few 4-word shingles. `event_size` consecutive articles report one event (same
countries, topic and day); the same country pair comes back only weeks later, so events stay
small. All names, figures and texts are invented.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import combinations

# code: (English name, German name, Russian nominative, Russian genitive, capitals en/de/ru)
_COUNTRIES = {
    "KZ": ("Kazakhstan", "Kasachstan", "Казахстан", "Казахстана", "Astana", "Astana", "Астана"),
    "UZ": ("Uzbekistan", "Usbekistan", "Узбекистан", "Узбекистана", "Tashkent", "Taschkent",
           "Ташкент"),
    "BY": ("Belarus", "Belarus", "Беларусь", "Беларуси", "Minsk", "Minsk", "Минск"),
    "KG": ("Kyrgyzstan", "Kirgisistan", "Кыргызстан", "Кыргызстана", "Bishkek", "Bischkek",
           "Бишкек"),
    "AZ": ("Azerbaijan", "Aserbaidschan", "Азербайджан", "Азербайджана", "Baku", "Baku", "Баку"),
    "AM": ("Armenia", "Armenien", "Армения", "Армении", "Yerevan", "Eriwan", "Ереван"),
    "GE": ("Georgia", "Georgien", "Грузия", "Грузии", "Tbilisi", "Tiflis", "Тбилиси"),
    "EE": ("Estonia", "Estland", "Эстония", "Эстонии", "Tallinn", "Tallinn", "Таллин"),
    "TJ": ("Tajikistan", "Tadschikistan", "Таджикистан", "Таджикистана", "Dushanbe",
           "Duschanbe", "Душанбе"),
}  # fmt: skip
# Russian case forms: dative, instrumental, prepositional (nominative and genitive above).
_RU_CASES = {
    "KZ": ("Казахстану", "Казахстаном", "Казахстане"),
    "UZ": ("Узбекистану", "Узбекистаном", "Узбекистане"),
    "BY": ("Беларуси", "Беларусью", "Беларуси"),
    "KG": ("Кыргызстану", "Кыргызстаном", "Кыргызстане"),
    "AZ": ("Азербайджану", "Азербайджаном", "Азербайджане"),
    "AM": ("Армении", "Арменией", "Армении"),
    "GE": ("Грузии", "Грузией", "Грузии"),
    "EE": ("Эстонии", "Эстонией", "Эстонии"),
    "TJ": ("Таджикистану", "Таджикистаном", "Таджикистане"),
}
PAIRS = list(combinations(sorted(_COUNTRIES), 2))  # 36 pairs: one comes back every 36 days

# (English, German, Russian genitive after "в сфере")
_TOPICS = [
    ("digital identity cards", "digitale Ausweise", "цифровых удостоверений личности"),
    ("electronic public procurement", "elektronische Beschaffung", "электронных госзакупок"),
    ("the land registry", "das Grundbuch", "земельного кадастра"),
    ("online tax returns", "Online-Steuererklärungen", "онлайн-декларирования налогов"),
    ("telemedicine services", "Telemedizin-Dienste", "телемедицинских услуг"),
    ("electronic court files", "elektronische Gerichtsakten", "электронного правосудия"),
    ("open data portals", "Open-Data-Portale", "порталов открытых данных"),
    ("qualified electronic signatures", "elektronische Signaturen", "электронной подписи"),
    ("proactive social benefits", "proaktive Sozialleistungen", "проактивных социальных услуг"),
    ("school enrolment online", "die Online-Schulanmeldung", "онлайн-записи в школы"),
    ("business registration", "die Gewerbeanmeldung", "регистрации бизнеса"),
]

# Invented officials (Latin, Cyrillic).
_PEOPLE = [
    ("Aidar Nurbekov", "Айдар Нурбеков"),
    ("Timur Rashidov", "Тимур Рашидов"),
    ("Pavel Zhukovich", "Павел Жукович"),
    ("Ruslan Osmonov", "Руслан Осмонов"),
    ("Elchin Mammadli", "Эльчин Мамедли"),
    ("Arman Petrosyan", "Арман Петросян"),
    ("Giorgi Beridze", "Георгий Беридзе"),
    ("Mart Tamm", "Март Тамм"),
    ("Farrukh Nazarov", "Фаррух Назаров"),
    ("Dmitry Levkovich", "Дмитрий Левкович"),
    ("Nurlan Sadykov", "Нурлан Садыков"),
]

# Per language: the title, and five paragraph slots with three wordings each.
_TEMPLATES: dict[str, dict[str, object]] = {
    "en": {
        "title": "{A} and {B} to cooperate on {topic} ({n})",
        "slots": [
            [
                "Officials of {A} and {B} agreed on {day_words} in {city} to share their "
                "experience with {topic}, deputy minister {person} told reporters after "
                "meeting number {n}.",
                "{A} will help {B} introduce {topic}, the two governments said in {city} "
                "after talks that lasted {hours} hours and brought together {m} experts.",
                "A delegation of {m} specialists from {B} arrived in {city} to study how "
                "{A} runs {topic}, according to a statement signed by {person}.",
            ],
            [
                "The plan foresees {k} pilot regions and a budget of {money} million dollars "
                "over {years} years, with a first review due in {month}.",
                "About {money} million dollars are set aside; {k} agencies of {B} will test "
                "the approach before {month}, {person} added.",
                "{person} said {k} ministries had asked for the change and that {money} "
                "million dollars would come from the national digital fund by {month}.",
            ],
            [
                "In {A}, {share} percent of such requests are already handled online, "
                "against {share2} percent in {B} last year.",
                "Figures quoted in {city} show {share} percent of applications in {A} "
                "arriving electronically; {B} reports {share2} percent so far.",
                "Officials in {B} expect the share of online cases to rise from {share2} "
                "to {share} percent, the level reached in {A}.",
            ],
            [
                "Both sides also want to train {m} civil servants and to link their "
                "registries through a secure exchange layer by {month}.",
                "Engineers from {A} are to spend {hours} weeks in {B} to adapt the software, "
                "and {m} officials will attend courses in {city}.",
                "The agreement covers data protection rules, a common test environment and "
                "{hours} joint workshops for {m} developers.",
            ],
            [
                "Observers in {city} describe the project as one of {k} digital initiatives "
                "the two neighbours launched since {year}.",
                "It is the {ordinal} such agreement between {A} and {B} since {year}, the "
                "foreign ministry of {B} noted.",
                "Analysts count {k} similar programmes in the region and say results are "
                "expected before {month}.",
            ],
        ],
    },
    "de": {
        "title": "{A} und {B} kooperieren bei {topic} ({n})",
        "slots": [
            [
                "Vertreter von {A} und {B} haben am {day_words} in {city} vereinbart, ihre "
                "Erfahrungen über {topic} zu teilen, sagte Vizeminister {person} nach der "
                "Sitzung Nummer {n}.",
                "{A} soll {B} bei der Einführung von {topic} helfen, teilten beide "
                "Regierungen in {city} nach {hours} Stunden Gesprächen mit {m} Fachleuten mit.",
                "Eine Delegation von {m} Fachleuten aus {B} ist in {city} eingetroffen, um "
                "zu lernen, wie {A} {topic} betreibt, heißt es in einer Erklärung von {person}.",
            ],
            [
                "Der Plan sieht {k} Pilotregionen und {money} Millionen Dollar über {years} "
                "Jahre vor; eine erste Prüfung ist für {month} geplant.",
                "Rund {money} Millionen Dollar sind vorgesehen; {k} Behörden in {B} sollen "
                "das Verfahren bis {month} erproben, fügte {person} hinzu.",
                "{person} sagte, {k} Ministerien hätten die Änderung verlangt, und {money} "
                "Millionen Dollar kämen bis {month} aus dem nationalen Digitalfonds.",
            ],
            [
                "In {A} werden bereits {share} Prozent solcher Anträge online bearbeitet, "
                "in {B} waren es im vergangenen Jahr {share2} Prozent.",
                "Nach in {city} genannten Zahlen gehen in {A} {share} Prozent der Anträge "
                "elektronisch ein; {B} meldet bisher {share2} Prozent.",
                "Beamte in {B} erwarten, dass der Anteil der Online-Fälle von {share2} auf "
                "{share} Prozent steigt, den Stand von {A}.",
            ],
            [
                "Beide Seiten wollen außerdem {m} Beamte schulen und ihre Register bis "
                "{month} über eine sichere Schnittstelle verbinden.",
                "Ingenieure aus {A} sollen {hours} Wochen in {B} die Software anpassen, und "
                "{m} Beamte besuchen Kurse in {city}.",
                "Die Vereinbarung umfasst Datenschutzregeln, eine gemeinsame Testumgebung "
                "und {hours} Workshops für {m} Entwickler.",
            ],
            [
                "Beobachter in {city} sehen das Projekt als eine von {k} digitalen "
                "Initiativen, die beide Nachbarn seit {year} gestartet haben.",
                "Es ist die {ordinal}. Vereinbarung dieser Art zwischen {A} und {B} seit "
                "{year}, erklärte das Außenministerium von {B}.",
                "Fachleute zählen {k} ähnliche Programme in der Region und erwarten "
                "Ergebnisse vor {month}.",
            ],
        ],
    },
    "ru": {
        "title": "{A} и {B} будут сотрудничать в сфере {topic} ({n})",
        "slots": [
            [
                "Представители {A_gen} и {B_gen} договорились {day_words} в городе {city} "
                "обмениваться опытом в сфере {topic}, сообщил замминистра {person} после "
                "заседания номер {n}.",
                "{A} поможет {B_dat} внедрить решения в сфере {topic}, заявили "
                "правительства в городе {city} после {hours} часов переговоров с участием {m} "
                "экспертов.",
                "Делегация из {m} специалистов прибыла в город {city}, чтобы изучить опыт "
                "{A_gen} в сфере {topic}, говорится в заявлении, которое подписал {person}.",
            ],
            [
                "План предусматривает {k} пилотных регионов и {money} млн долларов на "
                "{years} лет, первая проверка намечена на {month}.",
                "Выделено около {money} млн долларов; {k} ведомств проверят подход до "
                "{month}, добавил {person}.",
                "{person} сообщил, что изменений добивались {k} министерств, а {money} млн "
                "долларов поступят из национального цифрового фонда к {month}.",
            ],
            [
                "В {A_pre} уже {share} процентов таких обращений обрабатываются онлайн, "
                "тогда как в прошлом году доля составляла {share2} процентов.",
                "По данным, названным в городе {city}, {share} процентов заявок поступают в "
                "электронном виде; ранее было {share2} процентов.",
                "Чиновники ожидают роста доли онлайн-обращений с {share2} до {share} процентов.",
            ],
            [
                "Стороны также намерены обучить {m} госслужащих и связать свои реестры через "
                "защищенный шлюз к {month}.",
                "Инженеры проведут {hours} недель на месте, чтобы адаптировать программы, а "
                "{m} чиновников пройдут курсы в городе {city}.",
                "Соглашение охватывает правила защиты данных, общую тестовую среду и {hours} "
                "совместных семинаров для {m} разработчиков.",
            ],
            [
                "Наблюдатели называют проект одной из {k} цифровых инициатив, начатых "
                "соседями с {year} года.",
                "Это уже {ordinal}-е подобное соглашение между {A_ins} и {B_ins} с {year} "
                "года, отметили в министерстве иностранных дел.",
                "Аналитики насчитывают {k} похожих программ в регионе и ждут результатов "
                "до {month}.",
            ],
        ],
    },
}

_MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "de": [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
    "ru": [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ],
}
_RU_MONTHS_NOM = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
]


@dataclass(frozen=True, slots=True)
class VariedText:
    title: str
    place: str  # the dateline's city, upper case
    paragraphs: list[str]


def event_day(number: int, event_size: int, base: date) -> date:
    """The day of the event article `number` reports: one event per `event_size` articles."""
    return base - timedelta(days=number // event_size)


def varied_text(number: int, language: str, event_size: int, base: date) -> VariedText:
    group = number // event_size
    a, b = PAIRS[group % len(PAIRS)]
    if number % 2:  # reports of one event name the two countries in either order
        a, b = b, a
    ca, cb = _COUNTRIES[a], _COUNTRIES[b]
    topic = _TOPICS[(group * 7) % len(_TOPICS)]
    person = _PEOPLE[(group + number) % len(_PEOPLE)]
    day = event_day(number, event_size, base)
    lang = {"en": 0, "de": 1, "ru": 2}[language]
    city = cb[4 + lang] if number % 3 else ca[4 + lang]
    month_index = (day.month + number % 5) % 12
    values = {
        "n": number + 1,
        "m": 20 + (number * 37) % 480,
        "k": 2 + (number * 13) % 17,
        "hours": 3 + number % 9,
        "years": 2 + number % 4,
        "money": 5 + (number * 29) % 95,
        "share": 40 + (number * 11) % 55,
        "share2": 10 + (number * 7) % 30,
        "year": 2012 + number % 12,
        "ordinal": 2 + number % 7,
        "city": city,
        "topic": topic[lang],
        "person": person[0] if lang < 2 else person[1],
        "A": ca[lang] if lang < 2 else ca[2],
        "B": cb[lang] if lang < 2 else cb[2],
    }
    if language == "ru":
        values.update(A_gen=ca[3], B_gen=cb[3], B_dat=_RU_CASES[b][0], A_ins=_RU_CASES[a][1])
        values.update(B_ins=_RU_CASES[b][1], A_pre=_RU_CASES[a][2])
        values["day_words"] = f"{day.day} {_MONTHS['ru'][day.month - 1]}"
        values["month"] = _RU_MONTHS_NOM[month_index]
    elif language == "de":
        values["day_words"] = f"{day.day}. {_MONTHS['de'][day.month - 1]}"
        values["month"] = _MONTHS["de"][month_index]
    else:
        values["day_words"] = f"{_MONTHS['en'][day.month - 1]} {day.day}"
        values["month"] = _MONTHS["en"][month_index]
    template = _TEMPLATES[language]
    slots: list[list[str]] = template["slots"]  # type: ignore[assignment]
    # The wording per paragraph from a hash of (article, slot): never periodic in the number.
    paragraphs = [
        variants[_mix(number * 8 + slot) % len(variants)].format(**values)
        for slot, variants in enumerate(slots)
    ]
    title = str(template["title"]).format(**{**values, "topic": topic[lang]})
    return VariedText(title=title, place=city.upper(), paragraphs=paragraphs)


def _mix(value: int) -> int:
    """A cheap integer hash (splitmix-style), stable across processes unlike `hash`."""
    value = (value * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    value ^= value >> 31
    return (value * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF ^ (value >> 29)
