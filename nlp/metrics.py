"""Figures stated in de/ru/en reports — ranks, scores, percentages, money, counts, durations.

Values are normalised by each language's number conventions ("1.200" de = 1200, "1,2 Mrd. Tenge"
= 1.2e9 KZT, "1 300" ru = 1300, "$15 million" = 1.5e7 USD). Dates, years, clock times, score
lines, ranges and malformed numbers ("1.2.3 Mio.") give no metric; nothing here raises on text.
"""

from __future__ import annotations

import functools
import itertools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from coopwatch.records import Actor, Metric, Quote
from nlp.countries import CountryMention, domain_mentions, find_countries
from nlp.names import morph as _morph

SUPPORTED = ("de", "en", "ru")

# --- numbers ---------------------------------------------------------------------------------
_SP = "\u00a0\u202f\u2009"
# A numeric token: digit groups separated by blanks ("1 300"), or digits with . and , inside.
_NUM = re.compile(
    # not the tail of a grouped figure ("1 000"), but after a year: "im Jahr 2027 1,5 Mio."
    # (a currency's letters may be glued on: "SR75 million", "Dh145 million", "Rs.500",
    # "RM50 million", "PHP1.2 billion")
    r"(?:(?<![\w.,/:\-–])|(?<=\bSR)|(?<=\bDh)|(?<=\bRs)|(?<=\bRs\.)|(?<=\bRM)|(?<=\bRp)|(?<=\bTk)"
    + "".join(
        f"|(?<=\\b{code})"
        for code in ("RUB", "USD", "EUR", "KZT", "UZS", "AZN", "KGS", "PHP", "NGN", "MYR", "IDR")
    )
    + r")"
    rf"(?:(?<!\d[{_SP} ])|(?<=\d\d\d\d[{_SP} ]))"
    rf"(?:\d{{1,3}}(?:[ {_SP}'’]\d{{3}})+(?:[.,]\d+)?|\d(?:[\d.,]*\d)?)"  # Swiss 3'400
    r"(?!(?!(?:bn|mn|m|k|tn)\b)\w|[.,]\d|:\d|\s?[\-–]\s?\d)"
)
_YEAR_LIKE = re.compile(r"^(1[89]\d\d|20\d\d|2100)$")
# "Platz 131 von 193", "ranked 95th of 193", «на 28-м месте из 193»: what follows is how many
# the ranking has.
_RANKING_SIZE_BEFORE = re.compile(
    r"(?:(?:Platz|Rang|place|rank|ranked|position)\s+\d+\.?"  # Platz 131 von
    r"|\d+(?:st|nd|rd|th|-?[а-я]{1,3})(?:\s+(?:place|мест[еоа]|позици\w*))?)"  # 95th of
    r"\s+(?:von|of|out\s+of|из)\s$",  # «28-е место из»
    re.IGNORECASE,
)
# A change told as "from A to B": A is what was, B the figure.
_FROM_BEFORE = re.compile(r"(?:\bfrom|\bvon|(?<!\w)со?)\s(?:[$€£₸]\s?)?$", re.IGNORECASE)
# (a year after it is a deadline, not the new value: "ein Volumen von 85 Mio. Euro, bis 2028")
_TO_AFTER = re.compile(
    r"[^\d\n]{0,25}?\s(?:to|auf|bis|до)\s(?:[$€£₸]\s?)?(?!(?:19|20)\d\d(?![\d.,]\d))\d"
)
# The word before a count's new value: "rose from 120 to 300", "stieg von 120 auf 300",
# «выросло со 120 до 300», "reached 300".
_NEW_VALUE_BEFORE = re.compile(
    r"(?:\bto|\bauf|(?<!\w)до|\breached|\berreichte|(?<!\w)достигл\w*|\bexceeded|\bsurpassed"
    r"|\btopped|\bstands\sat|\bstood\sat|\btotal(?:s|ed|led)|\bamount(?:s|ed)\sto|\büberstieg"
    r"|\büberschritt|\bübertraf|\bbeträgt|\bbetrug|\bliegt\sbei|\blag\sbei|(?<!\w)превысил\w*"
    r"|(?<!\w)превышает|(?<!\w)составил\w*|(?<!\w)составляет|(?<=\s)[–—])\s$"
)

_SCALES = {
    "en": [
        (r"thousand|k", 1e3),
        (r"million|mln|mn|m", 1e6),
        (r"billion|bln|bn|b", 1e9),
        (r"trillion|tn", 1e12),
        (r"lakh\s+crores?", 1e12),  # Indian English: "₹27 lakh crore" = 2.7e13 rupees
        (r"lakh", 1e5),  # "Rs 1,200 crore" = 12 billion rupees
        (r"crores?", 1e7),
    ],
    "de": [
        (r"Tsd\.|Tausend", 1e3),
        (r"Mio\.?|Millionen|Million", 1e6),
        (r"Mrd\.?|Milliarden|Milliarde", 1e9),
        (r"Bio\.?|Billionen|Billion", 1e12),
    ],
    "ru": [
        (r"тыс\.?|тысяч[аиу]?", 1e3),
        (r"млн\.?|миллион(?:а|ов|ам|ами|ах|е|у|ом)?", 1e6),
        (r"млрд\.?|миллиард(?:а|ов|ам|ами|ах|е|у|ом)?", 1e9),
        (r"трлн\.?|триллион(?:а|ов|ам|ами|ах|е|у|ом)?", 1e12),
    ],
}

# Currency words after the number (optionally after an adjective), per language.
_CURRENCIES = [
    (
        "BYN",
        r"(?:белорусск\w+|belarussisch\w*|weißrussisch\w*|Belarusian|Belarus)\s+"
        r"(?:рубл\w*|Rubel|rubles?|roubles?)|BYN|бел\.\s?руб\.?",
    ),
    (
        "RUB",
        r"(?:российск\w+\s+|russisch\w*\s+|Russian\s+)?(?:рубл(?:ь|я|ей|ям|ями|ях|е)|руб\.|"
        r"Rubel|rubles?|roubles?)|RUB|₽",
    ),
    (
        "SGD",
        r"Singapore\s+dollars?|Singapur-Dollar|сингапурск\w+\s+доллар\w*|SGD",
    ),
    (
        "USD",
        r"(?:US-)?Dollar|(?:U\.?S\.?\s+)?dollars?|доллар(?:ов|а|ы|ам|ами|ах)?(?:\s+США)?|"
        r"долл\.|USD",
    ),
    ("EUR", r"Euro|euros?|евро|EUR|€"),
    ("KZT", r"Tenge|tenge|тенге|KZT|₸"),
    (
        "UZS",
        r"(?:узбекск\w+\s+)?сум(?:ов|а)?|usbekisch\w*\s+(?:Sum|Som)|Sum|"
        r"(?:Uzbek\s+)?(?:soums?|sums?)|UZS",
    ),
    # German "Som" is the Kyrgyz som, "Sum" the Uzbek sum
    ("KGS", r"(?:кыргызск\w+\s+)?сом(?:ов|а)?|(?:kirgisisch\w*\s+)?Som|(?:Kyrgyz\s+)?soms?|KGS"),
    ("TJS", r"сомони|Somoni|somoni|TJS"),
    ("TMT", r"туркменск\w+\s+манат\w*|turkmenische\w*\s+Manat|Turkmen\s+manats?|TMT"),
    ("AZN", r"манат(?:ов|а)?|Manat|manats?|AZN"),
    ("UAH", r"гривен|гривн[аыеу]?|Hrywnj?a|Hrywnjen|hryvnias?|hryvnyas?|UAH|₴"),
    (
        "KRW",  # "won" only after a scale word: "the team 5 won" is a verb
        r"(?:South\s+)?Korean\s+won|(?:südkoreanische\w*\s+)?Won|вон|"
        r"(?:(?<=lion )|(?<=lions )|(?<=bn )|(?<=sand ))won|KRW|₩",
    ),
    ("MNT", r"тугрик\w*|Tugrik|T[öo]gr[öo]g|tugriks?|t[öo]gr[öo]gs?|MNT|₮"),
    ("QAR", r"катарск\w+\s+риал\w*|katarische\w*\s+Riyal|Qatari\s+riyals?|QAR"),
    ("SAR", r"саудовск\w+\s+риал\w*|saudi-arabische\w*\s+Riyal|(?:Saudi\s+)?riyals?|SAR"),
    ("AED", r"дирхам\w*|Dirham|dirhams?|AED"),
    ("PLN", r"злот\w+|Z[łl]oty|z[łl]oty|PLN|zł"),
    ("BRL", r"бразильск\w+\s+реал\w*|реалов|brasilianische\w*\s+Real|reais|Brazilian\s+reals?|BRL"),
    ("AMD", r"драм(?:ов|а)?|Dram|drams?|AMD"),
    ("GEL", r"лари|Lari|lari|GEL"),
    ("CNY", r"юан(?:ей|я|ь)|Yuan|Renminbi|yuan|renminbi|CNY|RMB"),
    ("GBP", r"фунт(?:ов|а)?\s+стерлингов|Pfund\s+Sterling|pounds?\s+sterling|GBP|£"),
    ("JPY", r"иен|Yen|yen|JPY"),
    ("PKR", r"пакистанск\w+\s+рупи\w*|pakistanische\w*\s+Rupien|Pakistani\s+rupees?|PKR"),
    ("INR", r"(?:индийск\w+\s+)?рупи[йи]|(?:indische\w*\s+)?Rupien|(?:Indian\s+)?rupees?|INR"),
    ("TRY", r"турецк\w+\s+лир\w*|türkische\w*\s+Lira|Turkish\s+liras?|TRY"),
    ("CHF", r"швейцарск\w+\s+франк\w*|Franken|Swiss\s+francs?|CHF"),
    ("PHP", r"филиппинск\w+\s+песо|philippinische\w*\s+Pesos?|Philippine\s+pesos?"),
    ("COP", r"колумбийск\w+\s+песо|kolumbianische\w*\s+Pesos?|Colombian\s+pesos?"),
    ("ARS", r"аргентинск\w+\s+песо|argentinische\w*\s+Pesos?|Argentine\s+pesos?"),
    ("CLP", r"чилийск\w+\s+песо|chilenische\w*\s+Pesos?|Chilean\s+pesos?"),
    ("MXN", r"(?:мексиканск\w+\s+)?песо|(?:mexikanische\w*\s+)?Pesos?|(?:Mexican\s+)?pesos?"),
]
_CURRENCY_RX = re.compile(
    "(?:"
    + "|".join(f"(?P<{code}>{rx})" for code, rx in _CURRENCIES)
    + r"|(?P<ISO>[A-Z]{3}))(?![\w])"  # any other ISO 4217 code: "1.2 billion EGP"
)
_ISO_BEFORE = (
    *("RUB", "KZT", "UZS", "KGS", "TJS", "AZN", "AMD", "GEL", "CNY", "BYN", "CHF", "JPY"),
    *("TMT", "UAH", "KRW", "MNT", "QAR", "SAR", "AED", "PLN", "PKR", "INR", "TRY", "SGD", "BRL"),
)
_SYMBOL_BEFORE = re.compile(
    r"(?:(?P<USD>(?:US\$|\$)\s?|\bUSD\s?)|(?P<EUR>€|\bEUR\s?)|(?P<GBP>£|\bGBP\s?)|"
    r"(?P<RUB_>₽)|(?P<KZT_>₸)|(?P<UAH_>₴)|(?P<KRW_>₩)|(?P<SGD_>\bS\$)|(?P<INR_>₹\s?|\bRs\.?\s?)|"
    r"(?P<BRL_>\bR\$\s?)|(?P<SAR_>\bSR\s?)|(?P<AED_>\bDh\s?)|"
    # more signs glued or spaced before the figure: ₱1.2 billion, ₦90 billion, RM50 million,
    # Rp 130 billion, ₫, ৳, ₺, ₼, ₾, GH₵, KSh
    r"(?P<PHP_>₱\s?)|(?P<NGN_>₦\s?)|(?P<MYR_>\bRM\s?)|(?P<IDR_>\bRp\.?\s?)|(?P<VND_>₫\s?)|"
    r"(?P<BDT_>৳\s?)|(?P<TRY_>₺\s?)|(?P<AZN_>₼\s?)|(?P<GEL_>₾\s?)|(?P<GHS_>(?:GH)?₵\s?)|"
    r"(?P<KES_>\bKSh\.?\s?)|(?P<BDT__>\bTk\.?\s?)|"
    # dollars of other states: A$, J$, NZ$, C$, HK$, NT$, FJ$
    r"(?P<AUD_>\bA\$\s?)|(?P<JMD_>\bJ\$\s?)|(?P<NZD_>\bNZ\$\s?)|(?P<CAD_>\bC\$\s?)|"
    r"(?P<HKD_>\bHK\$\s?)|(?P<TWD_>\bNT\$\s?)|(?P<FJD_>\bFJ\$\s?)|"
    + "|".join(rf"(?P<{code}>\b{code}\s?)" for code in _ISO_BEFORE)
    + r"|(?P<ISO>\b[A-Z]{3}\s?))$"  # any other ISO 4217 code: "EGP 1.2 billion", "KES 3 bn"
)
# ISO 4217 codes that are also English words or fund units, never read as money
_NOT_MONEY_CODES = {"ALL", "ANG", "BOB", "CUP", "MOP", "SOS", "TOP", "BOV", "CHE", "CHW", "CLF",
                    "COU", "MXV", "USN", "UYI", "UYW"}  # fmt: skip


@functools.cache
def _iso_currencies() -> frozenset[str]:
    """ISO 4217 codes of the world's currencies (pycountry), for codes the table above lacks."""
    import pycountry

    codes = {c.alpha_3 for c in pycountry.currencies}
    gold_and_funds = {c for c in codes if c.startswith("X")} - {"XAF", "XOF", "XCD", "XPF"}
    return frozenset(codes - gold_and_funds - _NOT_MONEY_CODES)


def _currency_code(match: re.Match[str]) -> str | None:
    """The ISO code a currency match names (None: three capitals that are no currency)."""
    group = next(k for k, v in match.groupdict().items() if v)
    if group == "ISO":
        code = match.group("ISO").strip()
        return code if code in _iso_currencies() else None
    return group.rstrip("_")


_PERCENT = re.compile(
    r"\s?(?:%|Prozent\b|percent\b|per\s+cent\b|процент\w*|проц\.|п\.\s?п\.)", re.IGNORECASE
)
_POINTS = re.compile(
    r"\s?(?:Prozentpunkt\w*|percentage\s+points?|процентн\w+\s+пункт\w*|п\.\s?п\.)", re.IGNORECASE
)

_DURATIONS = [
    ("minutes", r"Minuten|minutes?|min\.|минут[аыу]?"),
    (
        "hours",
        r"(?:akademische[n]?\s+|academic\s+|академическ(?:их|ий)\s+)?(?:Stunden|hours?|час(?:а|ов)?)",
    ),
    (
        "days",
        r"(?:Werk|Arbeits)?[Tt]agen?|(?:working\s+|business\s+|calendar\s+)?days?"
        r"|(?:рабоч\w+\s+|календарн\w+\s+)?(?:дн(?:я|ей|ям)|день|суток)",
    ),
    ("weeks", r"Wochen|weeks?|недел[иьюяе]\w*"),
    ("months", r"Monaten?|months?|месяц(?:а|ев)?"),
    ("years", r"Jahren?|years?|лет|года?"),
]
_DURATION_UNITS = frozenset(u for u, _ in _DURATIONS)
_DURATION_RX = re.compile(
    r"\s?(?:" + "|".join(f"(?P<{u}>{rx})" for u, rx in _DURATIONS) + r")(?![\w])"
)
# "over the past 3 years", "in den nächsten fünf Jahren": a time window, not a stated figure.
_TIME_WINDOW = re.compile(
    r"\b(?:past|last|next|coming|recent|first|new|letzten|vergangenen|nächsten|kommenden|ersten|neuen|"
    r"последние|последних|ближайшие|ближайших|прошедшие|следующие|первые)\s$",
    re.IGNORECASE,
)
_STATES = re.compile(
    r"\b(?:countries|states|nations|member\s+states|Ländern?|Staaten|стран\w*|государств\w*)\b"
)
_AGE_BEFORE = re.compile(r"(?:старше|младше|aged|älter\s+als|jünger\s+als|ab)\s$", re.IGNORECASE)
_AGO = re.compile(r"^\s*(?:ago|назад|alt\b|old\b)", re.IGNORECASE)

# Physical units and other measures that are not in the spec's unit list: no metric.
_OTHER_UNITS = re.compile(
    r"\s?(?:km|kg|t|m|cm|mm|ha|MW|kW|GW|kWh|MWh|GB|TB|MB|Mbit|Gbit|Mbps|Gbps|°|Grad|Kilowatt\w*|"
    r"Megawatt\w*|Gigawatt\w*|Kilometer\w*|Tonnen|tons?|tonnes?|kilomet\w+|hectares?|Hektar|"
    r"Kubikmeter\w*|cubic\s+met\w+|bcm|Kilogramm\w*|kilograms?|км|кг|тонн\w*|кубометр\w*|"
    r"кубическ\w+\s+метр\w*|килограмм\w*|километр\w*|мегаватт\w*|гигаватт\w*|"
    r"га|МВт|кВт|ГБ|ТБ|Мбит|градус\w*|Uhr|o'clock|a\.m\.|p\.m\.|am|pm|ч\.|мин\.|раз[а]?|Mal|"
    r"times|fach|-fach)(?![\w])"
)

_MONTHS = {
    "en": r"January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec",
    "de": r"Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|"
    r"Dezember|Jan|Feb|Mär|Apr|Jun|Jul|Aug|Sep|Sept|Okt|Nov|Dez",
    "ru": r"январ[ьяюе]|феврал[ьяюе]|март[аеу]?|апрел[ьяюе]|ма[йяюе]|июн[ьяюе]|июл[ьяюе]|"
    r"август[аеу]?|сентябр[ьяюе]|октябр[ьяюе]|ноябр[ьяюе]|декабр[ьяюе]"
    # RIA Novosti's datelines abbreviate: «ТАШКЕНТ, 11 мар — РИА Новости»
    r"|янв|фев|мар|апр|июн|июл|авг|сен|сент|окт|ноя|дек",
}
_MONTH_AFTER = {
    lang: re.compile(rf"^\.?\s?(?:{rx})\b\.?", re.IGNORECASE) for lang, rx in _MONTHS.items()
}
_MONTH_BEFORE = {
    lang: re.compile(rf"\b(?:{rx})\.?\s?$", re.IGNORECASE) for lang, rx in _MONTHS.items()
}
_YEAR_WORD_AFTER = re.compile(r"^\s?(?:год\w*|гг?\.|Jahr\w*|years?\b)", re.IGNORECASE)
_REFERENCE_BEFORE = re.compile(
    r"(?:№|Nr\.|No\.|Art\.|Artikel|Article|Section|Kapitel|Chapter|§|статьи|статья|пункт\w*|"
    r"Paragraph|Absatz|Phase|Version|Level|Stufe|Web|Industry|Industrie|COVID|G|Covid)\s?$"
)
_RATE_AFTER = re.compile(
    r"^\s*(?:в\s+(?:секунду|минуту|час)|per\s+(?:second|minute|hour)|pro\s+(?:Sekunde|Minute|Stunde)|"
    r"je\s+(?:Sekunde|Minute|Stunde))",
    re.IGNORECASE,
)

# Qualifiers that belong to the stated figure ("more than 90 percent").
_QUALIFIER_BEFORE = re.compile(
    r"(?<!\w)(?:(?:mehr|weniger)\s+als|über|rund|etwa|knapp|fast|nahezu|bis\s+zu|insgesamt|"
    r"more\s+than|less\s+than|over|about|around|almost|nearly|some|up\s+to|roughly|"
    r"(?:не\s+)?более|(?:не\s+)?менее|свыше|около|почти|порядка|примерно|до|"
    r"at\s+least|mindestens|wenigstens)\s+$",
    re.IGNORECASE,
)

# --- number words (counts only, four and more: "two countries" is no figure) -----------------
_WORDS = {
    "en": {
        "four": 4,
        "five": 5,
        "six": 6,
        "seven": 7,
        "eight": 8,
        "nine": 9,
        "ten": 10,
        "eleven": 11,
        "twelve": 12,
        "thirteen": 13,
        "fourteen": 14,
        "fifteen": 15,
        "sixteen": 16,
        "seventeen": 17,
        "eighteen": 18,
        "nineteen": 19,
        "twenty": 20,
        "thirty": 30,
        "forty": 40,
        "fifty": 50,
        "sixty": 60,
        "seventy": 70,
        "eighty": 80,
        "ninety": 90,
        "hundred": 100,
        "dozens": 0,
    },
    "de": {
        "vier": 4,
        "fünf": 5,
        "sechs": 6,
        "sieben": 7,
        "acht": 8,
        "neun": 9,
        "zehn": 10,
        "elf": 11,
        "zwölf": 12,
        "dreizehn": 13,
        "vierzehn": 14,
        "fünfzehn": 15,
        "zwanzig": 20,
        "dreißig": 30,
        "vierzig": 40,
        "fünfzig": 50,
        "hundert": 100,
    },
    "ru": {},
}
for _stem, _value in {
    "пят": 5,
    "шест": 6,
    "сем": 7,
    "восем": 8,
    "девят": 9,
    "десят": 10,
    "одиннадцат": 11,
    "двенадцат": 12,
    "пятнадцат": 15,
    "двадцат": 20,
    "тридцат": 30,
}.items():
    for _ending in ("ь", "и", "ью"):
        _WORDS["ru"][_stem + _ending] = _value
_WORDS["ru"].update(
    {
        "восьми": 8,
        "восьмью": 8,
        "четыре": 4,
        "четырех": 4,
        "четырёх": 4,
        "четырем": 4,
        "четырьмя": 4,
        "сорок": 40,
        "сорока": 40,
        "сто": 100,
    }
)
_WORDS["en"].pop("dozens")

_DE_CARDINALS = {
    "eins": 1,
    "zwei": 2,
    "drei": 3,
    "vier": 4,
    "fünf": 5,
    "sechs": 6,
    "sieben": 7,
    "acht": 8,
    "neun": 9,
    "zehn": 10,
}
_ORDINAL_WORDS = {
    "en": {
        "first": 1,
        "second": 2,
        "third": 3,
        "fourth": 4,
        "fifth": 5,
        "sixth": 6,
        "seventh": 7,
        "eighth": 8,
        "ninth": 9,
        "tenth": 10,
    },
    "de": {
        "erst": 1,
        "zweit": 2,
        "dritt": 3,
        "viert": 4,
        "fünft": 5,
        "sechst": 6,
        "siebt": 7,
        "acht": 8,
        "neunt": 9,
        "zehnt": 10,
    },
    "ru": {
        "перв": 1,
        "втор": 2,
        "трет": 3,
        "четверт": 4,
        "пят": 5,
        "шест": 6,
        "седьм": 7,
        "восьм": 8,
        "девят": 9,
        "десят": 10,
    },
}

# --- ranks ------------------------------------------------------------------------------------
_EN_ORD = r"(?P<n>\d{1,3})(?:st|nd|rd|th)"
_EN_ORDW = r"(?P<w>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)"
_RANK_RX = {
    "de": [
        re.compile(r"(?P<n>\d{1,3})\.\s?(?:Platz|Rang|Stelle|Position)\b"),
        re.compile(r"\b(?:Platz|Rang|Position)\s(?P<n>\d{1,3})\b(?!\.\d)"),
        re.compile(
            r"\b(?:Platz|Rang)\s(?P<c>eins|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn)\b"
        ),
        re.compile(
            r"\b(?P<w>erst|zweit|dritt|viert|fünft|sechst|siebt|acht|neunt|zehnt)"
            r"(?:e|en|er|em)\s(?:Platz|Rang|Stelle)\b",
            re.IGNORECASE,
        ),
    ],
    "ru": [
        # with an ordinal ending: "10-е место", "на 24-м месте", "5-ю позицию"
        re.compile(
            r"(?P<n>\d{1,3})\s?-?\s?(?:е|ое|м|ом|й|ой|ю|ую|го|ого)\s"
            r"(?:мест[оаеу]\w*|позици\w+|строчк\w+|строк\w+)"
        ),
        # a bare number only with "место/месте": "на 22 позиции", "на 5 мест" are moves
        re.compile(r"(?P<n>\d{1,3})\s(?:место|месте)\b"),
        re.compile(
            r"\b(?P<w>перв|втор|трет|четверт|пят|шест|седьм|восьм|девят|десят)"
            r"\w{1,3}\s(?:мест[оаеу]\w*|позици\w+|строчк\w+)",
            re.IGNORECASE,
        ),
    ],
    "en": [
        re.compile(_EN_ORD + r"\s(?:place|position|spot)\b"),
        re.compile(
            r"\b(?:rank(?:s|ed|ing)?|placed|place|came|finished|sits|stands)\s(?:No\.\s?)?"
            + _EN_ORD
            + r"\b"
        ),
        re.compile(_EN_ORD + r"\s(?:in\sthe\sworld|worldwide|globally|among\b|out\sof\b)"),
        # "is 24th in the UN e-government ranking": a bare ordinal only before a named ranking
        re.compile(
            r"\b(?:is|was|remains|remained|stands|stood)\s(?:now\s)?"
            + _EN_ORD
            + r"\s(?:in|on)\sthe\s(?:[\w-]+\s){0,5}?(?:ranking|index|rating|survey)\b",
            re.IGNORECASE,
        ),
        re.compile(r"\b(?:rank|place|position)\s(?:No\.\s?)?(?P<n>\d{1,3})\b(?!\.\d)"),
        re.compile(r"\b(?:to|is|was|ranked|ranks|placed)\sNo\.\s?(?P<n>\d{1,3})\b(?!\s[A-Z])"),
        re.compile(
            r"\b(?:rose|climbed|moved\sup|moved|fell|dropped|slipped|jumped|advanced|improved|"
            r"rising|climbing|up|down)\s(?:up\s)?"
            # the distance moved: "rose four places to 24th", "fell 3 spots to 30th"
            r"(?:(?:\w+|\d{1,3})\s(?:places?|positions?|spots?|ranks?|notches?)\s)?to\s"
            + _EN_ORD
            + r"\b"
        ),
        re.compile(r"\b" + _EN_ORDW + r"\s(?:place|position|spot)\b", re.IGNORECASE),
        re.compile(r"\b(?:rank(?:s|ed)?|placed|came|finished)\s" + _EN_ORDW + r"\b", re.IGNORECASE),
    ],
}
# "... ranks 10th in the world and first among CIS countries": a coordinated ordinal word.
_EN_COORD_RANK = re.compile(r"\band\s" + _EN_ORDW + r"\s(?:among|in)\b", re.IGNORECASE)
_EN_COORD_DIGIT_RANK = re.compile(r"\band\s(?P<n>\d{1,3})(?:st|nd|rd|th)\b")
_DE_COORD_RANK = re.compile(r"\bund\s(?:den\s|dem\s)?(?P<n>\d{1,3})\.\s(?:in|unter)\b")
# A second state's rank with the verb left out: "… занял 133-е место, Россия — 43-е",
# "Uzbekistan is 69th and Kyrgyzstan 81st".
_RU_ELLIPTIC_RANK = re.compile(
    r"[,;]\s*[А-ЯЁ][а-яё]+(?:\s[А-ЯЁ][а-яё]+)?\s*[—–-]\s*(?P<n>\d{1,3})-(?:е|й|м|ом|я|ю|ей)\b"
)
_EN_ELLIPTIC_RANK = re.compile(
    r"(?:,|\band)\s+[A-Z][a-z]+\s+(?:is\s+|was\s+)?(?P<n>\d{1,3})(?:st|nd|rd|th)\b"
    # "…, while Singapore was third": an ordinal word after a state's name and its verb
    r"|(?:,|\band|\bwhile|\bwhereas)\s+(?:[A-Z][a-z]+\s+){1,2}(?:is|was|came|stood|ranks)\s+"
    + _EN_ORDW
    + r"\b"
)

_SCORE_RX = [
    re.compile(r"\b(?:score|value|rating|index\svalue)\sof\s(?P<n>\d+[.,]\d+)\b", re.IGNORECASE),
    # "an EGDI of 0.8628", "a GTMI of 0.88": an index named by its acronym, read as its value
    re.compile(r"\b(?:EGDI|OSI|EPI|GTMI|HCI|TII)\sof\s(?P<n>0[.,]\d{2,4})\b"),
    re.compile(r"\bscored\s(?P<n>\d+[.,]\d+)\b", re.IGNORECASE),
    re.compile(r"\b(?:Wert|Indexwert|Punktzahl|Score)\s(?:von\s)?(?P<n>\d+[.,]\d+)\b"),
    re.compile(r"(?P<n>\d+[.,]\d+)\s(?:Punkte\w*|points|балл\w*)\b"),
    re.compile(
        r"(?:значени\w+|показател\w+|оценк\w+|балл\w*)\s(?:в\s)?(?P<n>\d+[.,]\d+)\b", re.IGNORECASE
    ),
    # an index value told by its verb: "Kazakhstan's EGDI score rose to 0.8974", "Der EGDI-Wert
    # stieg auf 0,8974", "Индекс … составил 0,8974" (index values lie between 0 and 1)
    re.compile(
        r"\b(?:score|index|value|EGDI|OSI|Wert|Index|индекс\w*|показател\w*|значени\w*)\b"
        r"[^.;:!?]{0,60}?\b(?P<t>(?:rose|increased|grew|reached|fell|dropped|stood\sat|was|is|"
        r"amounted\sto|stieg|sank|lag|liegt|betrug|beträgt|erreichte|составил\w*|достиг\w*|"
        r"вырос\w*|снизил\w*)\s(?:to\s|auf\s|bei\s|до\s)?(?P<n>0[.,]\d{2,4}))(?![\d.,]\d)"
        r"(?!\s?(?:%|per|проц|proz|mil|bil|млн|млрд|тыс|mio|mrd|tsd))",  # a share, a sum
        re.IGNORECASE,
    ),
]

# --- indices: a small de/ru/en glossary of international rankings ------------------------------
_INDICES = [
    (
        "Online Services Index",
        r"online[- ]?services?[- ]index|online[- ]?dienste[- ]?index|OSI\b|"
        r"индекс\w*\s+онлайн[- ]услуг|индекс\w*\s+онлайн[- ]сервисов",
    ),
    (
        "E-Government Development Index",
        r"e-?government[- ](?:development[- ])?(?:index|ranking|survey)|"
        r"e-?government-?entwicklungsindex|"
        r"E-Government-(?:Index|Ranking|Rangliste)|EGDI\b|"
        r"(?:индекс|рейтинг)\w*\s+(?:ООН\s+)?(?:(?:по\s+)?развити\w+\s+)?электронного\s+"
        r"правительства",
    ),
    (
        "E-Participation Index",
        r"e-?participation[- ]index|E-Partizipations-?Index|индекс\w*\s+электронного\s+участия",
    ),
    (
        "GovTech Maturity Index",
        r"govtech[- ]maturity[- ]index|GTMI\b|GovTech-Reife\w*|индекс\w*\s+зрелости\s+GovTech",
    ),
    (
        "Global Innovation Index",
        r"global(?:en)?[- ]innovation(?:s)?[- ]?index|Innovationsindex|"
        r"глобальн\w+\s+инновационн\w+\s+индекс\w*|индекс\w*\s+инноваций",
    ),
    (
        "ICT Development Index",
        r"ICT[- ]development[- ]index|IKT-Entwicklungsindex|индекс\w*\s+развития\s+ИКТ",
    ),
    (
        "Global Cybersecurity Index",
        r"global[- ]cyber-?security[- ]index|Cybersicherheitsindex|"
        r"глобальн\w+\s+индекс\w*\s+кибербезопасности|индекс\w*\s+кибербезопасности",
    ),
    ("Network Readiness Index", r"network[- ]readiness[- ]index|индекс\w*\s+сетевой\s+готовности"),
    (
        "Government AI Readiness Index",
        r"(?:government\s)?AI[- ]readiness[- ]index|KI-Bereitschaftsindex|"
        r"индекс\w*\s+готовности\s+\w*\s*к\s+(?:ИИ|искусственному\s+интеллекту)",
    ),
    ("Human Capital Index", r"human[- ]capital[- ]index|индекс\w*\s+человеческого\s+капитала"),
    (
        "Digital Quality of Life Index",
        r"digital\squality\sof\slife|индекс\w*\s+качества\s+цифровой",
    ),
    (
        "World Competitiveness Ranking",
        r"world\scompetitiveness|Wettbewerbsfähigkeits\w*|"
        r"рейтинг\w*\s+(?:мировой\s+)?конкурентоспособности",
    ),
]
_INDEX_RX = [(name, re.compile(rx, re.IGNORECASE)) for name, rx in _INDICES]
_UN_RX = re.compile(r"\bUN\b|\bUNO\b|\bООН\b|United Nations|Vereinten Nationen", re.IGNORECASE)
_REGION_AFTER = re.compile(
    r"^\s(?:in\sder\s|among\s|in\sthe\s|в\s)(?P<r>GUS|CIS|СНГ|EAEU|EAWU|ЕАЭС|"
    r"Central\sAsia|Zentralasien|Центральной\sАзии|Europe|Europa|Европе|Asia|Asien|Азии|region|"
    r"Region|регионе)\b"
)

_SENT_END = re.compile(r"(?<=[^\d\s][.!?…])[\"»“”]?\s+(?=[\"„«“(]?[A-ZÄÖÜА-ЯЁ])")
_ABBREV_END = re.compile(
    r"(?:\b[A-ZА-Я]|Mio|Mrd|Tsd|Nr|Dr|Prof|St|bzw|vgl|ca|Jan|Feb|Aug|Sept?|Okt|Oct|Nov|Dez|Dec|"
    r"тыс|млн|млрд|трлн|руб|г|гг|ул|им|т|д|No|Mr|Mrs|Ms|Inc|Ltd|Co|U\.S|z\.B|u\.a)\.$"
)


@dataclass(slots=True)
class _Hit:
    start: int
    end: int
    value: float
    unit: str
    indicator: str | None = None
    noun_start: int | None = None  # where the counted noun phrase starts (count metrics)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence boundaries by punctuation, not splitting after abbreviations or initials."""
    spans, start = [], 0
    for m in _SENT_END.finditer(text):
        before = text[max(start, m.start() - 8) : m.start()].rstrip('"»“”')
        if _ABBREV_END.search(before):
            continue
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def parse_number(raw: str, language: str) -> float | None:
    """A numeric token read by the language's conventions, or None when it is malformed."""
    s = raw
    for ch in _SP + "'’":  # blanks and Swiss apostrophes group thousands
        s = s.replace(ch, " ")
    thousands, decimal = (",", ".") if language == "en" else (".", ",")
    if " " in s:
        head, _, frac = s.partition("," if language != "en" else ".")
        if language != "en" and "." in head and "," not in s:
            head, _, frac = s.partition(".")
        groups = head.split(" ")
        if not (1 <= len(groups[0]) <= 3) or any(len(g) != 3 for g in groups[1:]):
            return None
        if not all(g.isdigit() for g in groups) or (frac and not frac.isdigit()):
            return None
        return float("".join(groups) + ("." + frac if frac else ""))
    has_t, has_d = thousands in s, decimal in s
    if has_t and has_d:
        head, _, frac = s.rpartition(decimal)
        groups = head.split(thousands)
        if not frac.isdigit() or thousands in frac:
            return None
        if not (1 <= len(groups[0]) <= 3) or any(len(g) != 3 for g in groups[1:]):
            return None
        return float("".join(groups) + "." + frac)
    if has_t:
        groups = s.split(thousands)
        if 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]):
            return float("".join(groups))
        if len(groups) == 2 and groups[0] and groups[1]:
            return float(groups[0] + "." + groups[1])  # "2.4" in a German text: a decimal
        return None
    if has_d:
        parts = s.split(decimal)
        if len(parts) != 2 or not parts[0] or not parts[1]:
            return None
        return float(parts[0] + "." + parts[1])
    return float(s) if s.isdigit() else None


@functools.cache
def _scale_rx(language: str) -> re.Pattern[str]:
    alts = "|".join(f"(?:{rx})" for rx, _ in _SCALES[language])
    hyphen = "-" if language == "en" else ""  # "US$68-million", as Caribbean papers write it
    return re.compile(
        rf"^[ {_SP}{hyphen}]?(?P<scale>{alts})(?![\w])", re.IGNORECASE if language != "de" else 0
    )


def _scale_value(word: str, language: str) -> float:
    for rx, factor in _SCALES[language]:
        if re.fullmatch(rx, word, re.IGNORECASE if language != "de" else 0):
            return factor
    return 1.0


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_WORD = re.compile(r"[^\W\d_][\w\-]*", re.UNICODE)
_EN_STOP = _wordset(
    """
    a an the of in on at to by for from with and or but as is are was were be been has have had
    will would can could may might that which who this these those it its their his her our
    percent per cent times more less than over under about after before since until into out up
    down off ago later earlier each every year years month months day days week weeks
    hour hours minute minutes times p.m a.m am pm o'clock billion million thousand trillion bn
    mln k m last next this per while whereas
    """
)
_DE_STOP_CAP = _wordset(
    """
    Prozent Uhr Jahr Jahre Jahren Jahres Monat Monate Monaten Tag Tage Tagen Woche Wochen Stunde
    Stunden Minute Minuten Mal Prozentpunkte Platz Rang Stelle Mio Mrd Millionen Milliarden
    Tausend Euro Dollar Rubel Tenge
    """
)
_RU_STOP = _wordset(
    """
    в во на до по из с со к ко и а но от за о об при для над под у же ли бы не ни что как году
    года годах годы лет год г гг раз раза процентов процента процент тыс млн млрд
    """
)
_COUNT_EXCLUDE = re.compile(
    r"^(?:sides|parties|Seiten|Parteien|сторон\w*|goals?\s+to|times|"
    # moves in a ranking ("up 5 places", "на 22 позиции") are not ranks, nor counts
    r"позици\w*|мест|места|пункт\w*|Plätze|Positionen|places|positions|spots|notches)$"
)


_DE_DEMONSTRATIVE = re.compile(r"(?:solch|dies|jen|derartig)(?:e|er|en|es|em)$")


_COORDINATION = re.compile(r"\s(?:und|and|и)\s")
# "300 Bürger und der Minister": a phrase with its own article is no second counted noun
_ARTICLES = {
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "the",
    "a", "an", "its", "their", "his", "her",
}  # fmt: skip


def _noun_phrase(text: str, pos: int, language: str) -> tuple[int, int] | None:
    """Span of the counted noun phrase right after pos ("usbekische Fachleute"), or None."""
    m = re.match(r"[ \u00a0\u202f]", text[pos:])
    if not m:
        return None
    words: list[re.Match[str]] = []
    cursor = pos + 1
    for _ in range(4):
        w = _WORD.match(text, cursor)
        if not w:
            break
        words.append(w)
        gap = re.match(r"[ \u00a0]", text[w.end() :])
        if not gap:
            break
        cursor = w.end() + 1
    if not words:
        return None
    if language == "en":
        # "20 of the most requested services": the count is of what follows
        partitive = re.match(
            r"[ \u00a0]of (?:the (?:most |least )?|(?:(?:more than|over|about|some|nearly|almost)"
            r" )?[\d.,]*\d )",
            text[pos:],
        )  # (and "120 of more than 700 services")
        if partitive:
            return _noun_phrase(text, pos + partitive.end() - 1, language)
        taken = []
        capitals = 0
        for k, w in enumerate(words[:4]):
            tok = w.group(0)
            acronym = tok.isupper() and len(tok) > 1  # "IT", "AI": not the pronoun "it"
            if k == 0 and tok.lower() in _EN_MORE and len(words) > 1:
                taken.append(w)  # "Six more services", "120 additional centres"
                continue
            # "120 Diia Centers": a brand before a plural noun
            brand = tok[0].isupper() and k + 1 < len(words) and _plural_capitalised(words[k + 1])
            capitals += tok[0].isupper()
            if (tok.lower() in _EN_STOP and not acronym) or (
                taken and tok[0].isupper() and not (capitals <= 2 and _plural_capitalised(w))
            ):
                break
            if brand and not taken:
                taken.append(w)
                continue
            taken.append(w)
            if text[w.end() : w.end() + 1] not in {" ", "\u00a0"}:
                break  # punctuation closes the phrase
        if not taken or (taken[0].group(0)[0].isupper() and len(taken) == 1):
            return None
        if taken[-1].group(0).lower() in _EN_MORE:
            return None
        last = taken[-1]
        # "types of electronic documents": a partitive keeps its complement.
        tail = re.match(r"\s(of\s(?:[a-z\-]+\s){0,2}[a-z\-]+)", text[last.end() :])
        if tail and last.group(0).lower() in {"types", "kinds", "sorts", "forms", "units"}:
            return taken[0].start(), last.end() + tail.end()
        return taken[0].start(), last.end()
    if language == "de":
        taken = []
        for w in words:
            tok = w.group(0)
            if tok[0].isupper():
                if tok in _DE_STOP_CAP:
                    return None
                taken.append(w)
                # a noun ends the phrase unless a coordinated noun follows ("... und elektronische
                # Dienste" is taken by the caller's span extension)
                break
            if _DE_DEMONSTRATIVE.match(tok):
                continue  # "zehn solcher Zentren": the indicator is the noun, not "solcher"
            if re.search(r"(?:e|en|er|es|em)$", tok) and tok not in {"bis", "in", "und"}:
                taken.append(w)
                continue
            if tok in {"und", "oder"} and taken:
                continue  # "400 staatliche und kommunale Informationssysteme"
            return None
        if not taken or not taken[-1].group(0)[0].isupper():
            return None
        return taken[0].start(), taken[-1].end()
    if language == "ru":
        morph = _morph()
        taken = []
        for w in words:
            tok = w.group(0)
            low = tok.lower()
            if low in _RU_DEGREE and not taken:
                continue  # «25 наиболее востребованных услуг»: the services are counted
            if low in _RU_STOP or (tok[0].isupper() and not taken):
                break
            parse = morph.parse(low)[0]
            pos_tag = parse.tag.POS
            if pos_tag in {"ADJF", "PRTF"}:
                taken.append(w)
                continue
            if pos_tag == "NOUN":
                taken.append(w)
                if parse.normal_form in _RU_PARTITIVE:
                    continue  # «700 видов услуг»: the kind keeps what it is a kind of
                break
            break
        if not taken:
            return None
        return taken[0].start(), taken[-1].end()
    return None


_RU_PARTITIVE = {"вид", "тип", "разновидность", "категория"}
_EN_MORE = {"more", "additional", "further", "new", "extra"}
_RU_DEGREE = {"наиболее", "наименее", "самых", "более"}


def _plural_capitalised(word: re.Match[str]) -> bool:
    """A capitalised plural noun ("Centers", "Hubs") that a brand before it may count."""
    tok = word.group(0)
    return tok[0].isupper() and tok.endswith("s") and not tok.isupper() and len(tok) > 3


_UN_INDICES = {"Online Services Index", "E-Government Development Index", "E-Participation Index"}
_CLAUSE_BREAK = re.compile(
    r",\s(?:а|но|while|whereas|während|wobei|but)\s|;\s|,\s(?=[а-яa-zäöü]+\s)"
)


def _index_for(sentence: str, hit: _Hit, language: str) -> str | None:
    """The index a rank or score belongs to: the one in its clause, else the nearest one after
    it (en/ru: "ranks 10th in the ... Index") or before it (de: "im ...-Index den 10. Platz")."""
    found = []
    for name, rx in _INDEX_RX:
        for m in rx.finditer(sentence):
            near = sentence[max(0, m.start() - 25) : m.end() + 30]
            full = f"UN {name}" if name in _UN_INDICES and _UN_RX.search(near) else name
            found.append((m.start(), m.end(), full))
    if not found:
        name, _ = _index_name(sentence)
        return name
    lo, hi = _clause_bounds(sentence, hit)
    inside = [f for f in found if lo <= f[0] < hi]
    if len(inside) == 1:
        return inside[0][2]
    found = inside or found
    after = [f for f in found if f[0] >= hit.end]
    before = [f for f in found if f[1] <= hit.start]
    order = (after[:1] + before[-1:]) if language != "de" else (before[-1:] + after[:1])
    return order[0][2] if order else found[0][2]


def _index_name(sentence: str) -> tuple[str | None, int]:
    """(A generic index or ranking named in the sentence, its position)."""
    m = re.search(r"(?:[A-Z][\w\-]*\s){1,5}(?:Index|Ranking|Rating)\b", sentence)
    if m:
        return m.group(0).strip(), m.start()
    m = re.search(r"\b[\w\-]*(?:[Ii]ndex|Ranking|Rating|индекс\w*|рейтинг\w*)\b", sentence)
    if m:
        return m.group(0), m.start()
    return None, -1


def _ranks(sentence: str, language: str) -> list[_Hit]:
    hits: list[_Hit] = []
    for rx in _RANK_RX.get(language, []):
        for m in rx.finditer(sentence):
            value = _ordinal_value(m, language)
            if value is not None and 1 <= value <= 500:
                hits.append(_Hit(m.start(), m.end(), value, "rank"))
    if language == "en" and hits:
        for m in _EN_COORD_RANK.finditer(sentence):
            if m.start() > min(h.start for h in hits):
                hits.append(_Hit(m.start("w"), m.end(), _ordinal_value(m, "en") or 0, "rank"))
        # "24th in the … Index and 8th in its Online Services Index", "69th and 83rd"
        for m in _EN_COORD_DIGIT_RANK.finditer(sentence):
            if m.start() > min(h.start for h in hits) and 1 <= int(m.group("n")) <= 500:
                hits.append(_Hit(m.start("n"), m.end("n") + 2, float(m.group("n")), "rank"))
    if language == "de" and hits:
        for m in _DE_COORD_RANK.finditer(sentence):
            hits.append(_Hit(m.start("n"), m.end(), float(m.group("n")), "rank"))
    elliptic = {"ru": _RU_ELLIPTIC_RANK, "en": _EN_ELLIPTIC_RANK}.get(language)
    if elliptic and hits:
        first = min(h.start for h in hits)
        for m in elliptic.finditer(sentence):
            value = _ordinal_value(m, language)
            if m.start() > first and value is not None and 1 <= value <= 500:
                at = m.start("n") if m.groupdict().get("n") else m.start("w")
                hits.append(_Hit(at, m.end(), value, "rank"))
    return _dedupe(hits)


def _ordinal_value(m: re.Match[str], language: str) -> float | None:
    groups = m.groupdict()
    if groups.get("n"):
        return float(groups["n"])
    if groups.get("c"):
        return float(_DE_CARDINALS[groups["c"].lower()])
    word = (groups.get("w") or "").lower()
    table = _ORDINAL_WORDS[language]
    return float(table[word]) if word in table else None


def _dedupe(hits: list[_Hit]) -> list[_Hit]:
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[_Hit] = []
    for h in hits:
        if kept and h.start < kept[-1].end:
            continue
        kept.append(h)
    return kept


# "Forty-five participants": English tens and units joined by a hyphen
_EN_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_WORDS["en"].update(
    {
        f"{ten}-{unit}": _WORDS["en"][ten] + k
        for ten in ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
        for k, unit in enumerate(_EN_UNITS, start=1)
    }
)


def _number_words(language: str) -> re.Pattern[str] | None:
    words = _WORDS.get(language)
    if not words:
        return None
    alts = "|".join(sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w\-])(?:{alts})(?![\w\-])", re.IGNORECASE)


_NUMBER_WORD_RX = {lang: _number_words(lang) for lang in SUPPORTED}
_SMALL_WORDS = {
    "en": {"one": 1.0, "two": 2.0, "three": 3.0, "half a": 0.5, "a": 1.0},
    "de": {
        "eine": 1.0,
        "einer": 1.0,
        "zwei": 2.0,
        "drei": 3.0,
        "anderthalb": 1.5,
        "eineinhalb": 1.5,
    },
    "ru": {
        "один": 1.0,
        "одного": 1.0,
        "два": 2.0,
        "двух": 2.0,
        "три": 3.0,
        "трех": 3.0,
        "трёх": 3.0,
        "полтора": 1.5,
        "полторы": 1.5,
        "полутора": 1.5,
    },
}
_SMALL_WORD_RX = {
    lang: re.compile(
        r"(?<![\w\-])(?:" + "|".join(sorted(words, key=len, reverse=True)) + r")(?=\s)",
        re.IGNORECASE,
    )
    for lang, words in _SMALL_WORDS.items()
}
# A quick test that a sentence may state a figure at all: digits, number or ordinal words.
_MAY_HOLD_FIGURE = {
    lang: re.compile(
        r"\d|"
        + "|".join(
            sorted(
                set(_WORDS[lang])
                | set(_ORDINAL_WORDS[lang])
                | set(_DE_CARDINALS)
                | {w for w in _SMALL_WORDS[lang] if len(w) > 2}  # "three years", «два года»
            )
        )
        + "|"
        + "|".join(rx for rx, _ in _SCALES[lang]),
        re.IGNORECASE,
    )
    for lang in SUPPORTED
}


def _figures(sentence: str, language: str, taken: list[tuple[int, int]]) -> list[_Hit]:
    """Money, percentages, durations and counts in one sentence."""
    hits: list[_Hit] = []
    candidates: list[tuple[int, int, float, bool]] = []  # start, end, value, is_word
    for m in _NUM.finditer(sentence):
        value = parse_number(m.group(0), language)
        if value is None:
            continue
        candidates.append((m.start(), m.end(), value, False))
    word_rx = _NUMBER_WORD_RX.get(language)
    if word_rx:
        for m in word_rx.finditer(sentence):
            candidates.append(
                (m.start(), m.end(), float(_WORDS[language][m.group(0).lower()]), True)
            )
    # small number words count only with a scale word: "two million users", "полтора млрд"
    for m in _SMALL_WORD_RX[language].finditer(sentence):
        value = _SMALL_WORDS[language][m.group(0).lower()]
        following = sentence[m.end() : m.end() + 20]
        # "two million users"; "three years", «на два года» (not "a day", "ein Monat")
        if _scale_rx(language).match(following) or (value >= 2 and _DURATION_RX.match(following)):
            candidates.append((m.start(), m.end(), value, True))
    for start, end, value, is_word in candidates:
        if any(s <= start < e for s, e in taken):
            continue
        hit = _read_figure(sentence, start, end, value, is_word, language)
        if hit is not None:
            hits.append(hit)
    return hits


def _read_figure(
    sentence: str, start: int, end: int, value: float, is_word: bool, language: str
) -> _Hit | None:
    raw = sentence[start:end]
    # bounded context: anchored look-behind searches stay linear in long sentences
    before, after = sentence[max(0, start - 60) : start], sentence[end : end + 200]
    if re.search(r"[\-/]$", before) or (
        # "Phase 2", "Article 5"; not "in der ersten Phase 32 Milliarden Pesos"
        _REFERENCE_BEFORE.search(before) and not _scale_rx(language).match(after)
    ):
        return None
    if _RANKING_SIZE_BEFORE.search(before):
        return None  # "auf Platz 131 von 193 Staaten": the ranking's size, not a figure
    if _FROM_BEFORE.search(before) and _TO_AFTER.match(after):
        return None  # the old value: "from 60% to 85%", «с 60% до 85%», "von 70 auf 85 Prozent"
    if _MONTH_AFTER[language].match(after) or _MONTH_BEFORE[language].search(before):
        return None  # a date: "4. November", "Nov. 4", "13 марта"
    german_ordinal = language == "de" and not is_word and "." not in raw
    if (
        german_ordinal
        and re.match(r"^\.\s?[A-ZÄÖÜ]", after)
        and not _scale_rx("de").match(after[1:])
    ):
        return None  # German ordinal "10. Platz" (handled as rank) or sentence-final year
    scale_letter = re.match(r"(?:bn|mn|m|k|tn)\b", after)
    hyphen_scale = after.startswith("-") and _scale_rx(language).match(after)
    if not is_word and re.match(r"^-?[A-Za-zА-Яа-я]", after) and not (scale_letter or hyphen_scale):
        return None  # "10-е", "5G", "24-м" handled elsewhere
    # scale word
    cursor = end
    scale = 1.0
    sm = _scale_rx(language).match(after)
    short = sm and language == "en" and len(sm.group("scale")) <= 2
    symbol = _SYMBOL_BEFORE.search(before)
    symbol_code = _currency_code(symbol) if symbol else None
    if short and not symbol_code:
        rest_after = after[sm.end() :]
        money_after = _CURRENCY_RX.match(rest_after, 1 if rest_after[:1] == " " else 0)
        if not (money_after and _currency_code(money_after)):
            return None  # "5 m" is metres, "5k" a run: a letter scale only with money
    if scale_letter and not sm:
        return None
    if sm:
        scale = _scale_value(sm.group("scale"), language)
        cursor = end + sm.end()
    rest = sentence[cursor:]
    # money
    if symbol and symbol_code and not is_word:
        return _Hit(start - len(before) + symbol.start(), cursor, value * scale, symbol_code)
    cm = re.match(r"[ \u00a0\u202f]?", rest)
    cm_len = cm.end() if cm else 0
    currency = _CURRENCY_RX.match(sentence, cursor + cm_len)  # whole sentence: look-behinds
    currency_code = _currency_code(currency) if currency else None
    if currency and currency_code:
        return _Hit(start, currency.end(), value * scale, currency_code)
    # percent
    if _POINTS.match(rest):
        return None
    pm = _PERCENT.match(rest)
    if pm:
        if is_word:
            return None
        return _Hit(start, cursor + pm.end(), value * scale, "percent")
    if _YEAR_LIKE.match(raw) and scale == 1.0:
        return None
    times = re.match(
        r"\s(?:times|Mal|раз[а]?)\b(?!\s+(?:more|less|as|higher|lower|faster|mehr|больше))", rest
    )
    # "downloaded 3 million times", "160,000 times": a count of events ("3 times faster" is none)
    if times and (scale > 1.0 or value >= 1000):
        return _Hit(start, cursor + times.end(), value * scale, "count", times.group(0).strip())
    if _RATE_AFTER.search(rest) or _OTHER_UNITS.match(rest):
        return None
    # duration
    dm = _DURATION_RX.match(rest)
    if dm:
        if (
            (is_word and (value < 2 or re.search(r"\b(?:in|im)\s$", before)))
            or scale != 1.0
            or _AGO.match(rest[dm.end() :])
            or re.search(r"\bvor\s$", before)
            or _TIME_WINDOW.search(before)
        ):
            return None
        unit = next(k for k, v in dm.groupdict().items() if v)
        if unit == "years" and _YEAR_WORD_AFTER.match(rest) and language == "ru" and value > 100:
            return None
        if unit == "years" and (
            _AGE_BEFORE.search(before) or re.match(r"\s+(?:old|alt)\b", rest[dm.end() :])
        ):
            return None  # an age: «граждан старше 15 лет», "citizens aged 15", "15 Jahre alt"
        return _Hit(start, cursor + dm.end(), value * scale, unit)
    if _YEAR_WORD_AFTER.match(rest):
        return None
    # count: a noun phrase follows, or a scaled/grouped figure stands alone
    phrase = _noun_phrase(sentence, cursor, language)
    if phrase is not None:
        # "300 Verwaltungsverfahren und elektronische Dienste": the count is of both
        coordinated = _COORDINATION.match(sentence, phrase[1])
        second = _noun_phrase(sentence, coordinated.end() - 1, language) if coordinated else None
        if second is not None and sentence[second[0] :].split()[0].lower() not in _ARTICLES:
            phrase = (phrase[0], second[1])
        noun = sentence[phrase[0] : phrase[1]]
        last = noun.split()[-1]
        if _COUNT_EXCLUDE.match(last) or _RATE_AFTER.search(sentence[phrase[1] :]):
            return None
        if is_word and _STATES.search(noun) and not _QUALIFIER_BEFORE.search(before):
            return None  # "our five countries" are the partners; "more than twelve" a figure
        if value * scale < 4 and scale == 1.0:
            return None
        if not value.is_integer() and scale == 1.0:
            return None
        return _Hit(start, phrase[1], value * scale, "count", noun, phrase[0])
    # "the number of e-services rose from 120 to 300": the new value of a named count
    lead = sentence[max(0, start - 150) : start]
    if (
        not is_word
        and _NEW_VALUE_BEFORE.search(lead)
        and _NUMBER_OF[language].search(lead)
        and not _YEAR_LIKE.match(raw)
    ):
        return _Hit(start, cursor, value * scale, "count")
    if is_word and scale == 1.0:
        return None
    if scale > 1.0 or (value >= 1000 and re.search(r"[.,\s\u00a0\u202f]", raw)):
        if re.match(r"^\s?(?:[\-–]|bis|до|to)\s?\d", rest):
            return None
        return _Hit(start, cursor, value * scale, "count")
    return None


def _scores(sentence: str) -> list[_Hit]:
    hits = []
    for rx in _SCORE_RX:
        for m in rx.finditer(sentence):
            value = float(m.group("n").replace(",", "."))
            start = m.start("t") if "t" in rx.groupindex else m.start()  # the figure as told
            hits.append(_Hit(start, m.end(), value, "score"))
    return _dedupe(hits)


def _extend_text(sentence: str, hit: _Hit) -> tuple[int, int]:
    """The figure as stated: with its qualifier before and a place phrase after ranks."""
    start, end = hit.start, hit.end
    window = max(0, start - 30)
    q = _QUALIFIER_BEFORE.search(sentence, window, start)
    if q:
        start = q.start()
    if hit.unit == "rank":
        tail = re.match(
            r"\s(?:weltweit|in\sder\s\w+|in\sthe\sworld|в\sмире|в\s[А-ЯA-Z]\w+)", sentence[end:]
        )
        if tail:
            end += tail.end()
    return start, end


def _country_for(
    hit: _Hit, sentence: str, offset: int, mentions: list[CountryMention], fallback: str | None
) -> str | None:
    """The state a figure is about: an adjective on the counted noun, else the nearest mention
    before it in the sentence, else after it, else the last one named earlier."""
    s_start, s_end = offset, offset + len(sentence)
    pos = offset + hit.start
    inside = [
        m
        for m in mentions
        if offset + (hit.noun_start or hit.end) <= m.start and m.end <= offset + hit.end
    ]
    if inside:
        return inside[0].code
    before = [m for m in mentions if s_start <= m.start and m.end <= pos]
    if before:
        return before[-1].code
    after = [m for m in mentions if pos <= m.start < s_end]
    if after:
        return after[0].code
    return fallback


_MONEY_TOPICS = {
    "en": r"budget|investment|funding|financing|trade|turnover|exports?|imports?|contracts?|"
    r"grants?|loans?|costs?|revenues?|deals?|salar(?:y|ies)|prices?",
    "de": r"Budget|Haushalt|Investition\w*|Förderung|Finanzierung|Handel\w*|Umsatz|Export\w*|"
    r"Import\w*|Vertr(?:a|ä)g\w*|Kosten|Kredit\w*|Zuschuss\w*|Einnahmen|Mittel|Preis\w*",
    "ru": r"бюджет\w*|инвестици\w*|финансировани\w*|товарооборот\w*|торговл\w*|экспорт\w*|"
    r"импорт\w*|контракт\w*|договор\w*|стоимост\w*|кредит\w*|грант\w*|доход\w*|выручк\w*",
}
_MONEY_TOPIC_RX = {
    lang: re.compile(rf"\b(?:{rx})\b", re.IGNORECASE) for lang, rx in _MONEY_TOPICS.items()
}
# Money without a topic noun: the verb says what it is (checked in this order).
_MONEY_VERBS = {
    "en": [
        ("investment", re.compile(r"\binvest\w*", re.IGNORECASE)),
        (
            "funding",
            re.compile(
                r"\b(?:contribut|co-?financ|financ|allocat|provid)\w*|\bfund(?:s|ed|ing)?\b", re.I
            ),
        ),
        ("cost", re.compile(r"\b(?:cost\w*|worth|priced)\b", re.IGNORECASE)),
    ],
    "de": [
        ("investment", re.compile(r"\binvestier\w*", re.IGNORECASE)),
        (
            "funding",
            re.compile(
                r"\b(?:bereit\w*|finanzier\w*|förder\w*|beteilig\w*|zur\sVerfügung)\b",
                re.IGNORECASE,
            ),
        ),
        ("cost", re.compile(r"\bkost(?:et|en|ete|eten)\b", re.IGNORECASE)),
    ],
    "ru": [
        ("investment", re.compile(r"\bинвестир\w*|\bвлож\w*", re.IGNORECASE)),
        (
            "funding",
            re.compile(r"\b(?:выдел\w*|направ\w*|финансир\w*|профинансир\w*|предостав\w*)", re.I),
        ),
        ("cost", re.compile(r"\b(?:стоит|стоил\w*|обойд[её]тся|обошл\w*)", re.IGNORECASE)),
    ],
}
_NUMBER_OF = {
    "en": re.compile(r"\b(?:number|total)\sof\s(?P<noun>(?:[a-z\-]+\s){0,3}[a-z\-]+s)\b"),
    "de": re.compile(
        r"\b(?:Zahl|Anzahl)\s(?:der|an)\s(?P<noun>(?:[a-zäöüß\-]+\s){0,2}[A-ZÄÖÜ][\w\-]+)"
    ),
    "ru": re.compile(
        r"\b(?:[Чч]исл\w*|[Кк]оличеств\w*)\s(?:\w+\s)?(?P<noun>(?:[а-яё\-]+(?:ых|их)\s)?"
        r"[а-яё\-]+(?:ей|ов|ев|ий|ок|ек|ц|н|т|к|р|л|в|д|г|м))\b"
    ),
}
# What a duration measures, named before it in its clause: "the average time to obtain a
# certificate has been cut to 15 minutes", "die Bearbeitungszeit … auf zwei Tage",
# "срок регистрации бизнеса сократился до 15 минут".
_DURATION_OF = {
    "en": re.compile(
        r"\b(?P<noun>(?i:(?:average|waiting|processing|approval|response)\s)?(?i:time|wait)"
        r"(?:\s(?:to|for|of|at|in|needed\sto|required\sto)(?:\s(?!(?:has|have|is|was|will)\b)"
        r"[a-z\-]+){1,7})?)(?:\s(?:in|at)\s[A-Z][\w\-]+)?"
        r"\s(?:has|have|is|was|were|will|had|fell|dropped|takes|took|now)\b"
    ),
    "de": re.compile(r"\b(?P<noun>[A-ZÄÖÜ][a-zäöüß\-]*(?:zeit|dauer|frist))\b"),
    "ru": re.compile(
        r"(?P<noun>(?<!\w)(?:[Сс]рок|[Вв]ремя|[Пп]родолжительность)(?:\s[а-яё\-]+(?:ия|ки|ы|а|и"
        r"|ов|ей|ого|ых))?(?:\s[а-яё\-]+(?:ия|ки|ы|а|и|ов|ей|ого|ых))?)(?!\w)"
    ),
}
_SHARE_OF = {
    "en": re.compile(
        r"\b(?:share|proportion|percentage)\sof\s(?:the\s)?(?P<noun>(?:[a-z\-]+\s){0,3}?[a-z\-]+s)\b"
    ),
    "de": re.compile(
        r"\b(?:Anteil|Quote)\s(?:der|des|an)\s(?P<noun>(?:[a-zäöüß\-]+\s){0,2}[A-ZÄÖÜ][\w\-]+)"
    ),
    "ru": re.compile(r"\b[Дд]ол[яиейю]\s(?P<noun>(?:[а-яё\-]+(?:ых|их)\s)?[а-яё\-]+)"),
}
_GENERIC_COUNTED = re.compile(r"(?:человек|people|persons|Menschen|Personen)$", re.IGNORECASE)
_PHRASE_STOP = re.compile(
    r"\s+(?:in|of|the|at|on|for|are|is|was|were|des|der|im|in|sind|ist|seien|в|на|доступны|"
    r"были|это)$",
    re.IGNORECASE,
)


@functools.cache
def _glossary() -> dict[str, dict[str, str]]:
    path = Path(__file__).parent / "data" / "indicator_glossary.toml"
    return tomllib.loads(path.read_text("utf-8"))


@functools.cache
def _german_table() -> dict[str, str]:
    return {_fold_umlauts(k): v for k, v in _glossary().get("de", {}).items()}


def _fold_umlauts(word: str) -> str:
    return word.replace("ä", "a").replace("ö", "o").replace("ü", "u")


def _german_key(word: str, table: dict[str, str]) -> str | None:
    low = _fold_umlauts(word.lower())
    stems = [low] + [
        low[: -len(e)]
        for e in ("innen", "en", "er", "es", "em", "e", "n", "s", "ern")
        if low.endswith(e) and len(low) - len(e) >= 3
    ]
    if low.endswith("en"):  # Zentren -> Zentrum, Rechenzentren -> Rechenzentrum
        stems.append(low[:-2] + "um")
    for stem in stems:
        if stem in table:
            return table[stem]
    for stem in stems:  # compounds: Verwaltungsleistungen -> ...leistung
        for key in sorted(table, key=len, reverse=True):
            if len(key) >= 5 and stem.endswith(key):
                return table[key]
    return None


def to_english(phrase: str | None, language: str) -> str | None:
    """An indicator phrase in English by the e-government glossary; as written if none known."""
    if not phrase or language == "en":
        return phrase
    table = _german_table() if language == "de" else _glossary().get(language, {})
    out: list[str] = []
    english = None

    def lookup(word: str) -> str | None:
        if language == "ru":
            return table.get(_morph().parse(word.lower())[0].normal_form)
        return _german_key(word, table)

    for word in re.findall(r"[^\W\d_][\w\-]*", phrase):
        english = lookup(word)
        # a hyphenated word the glossary lacks is read by its parts: "Online-Dienste"
        if not english and "-" in word:
            parts = [lookup(part) for part in word.split("-")]
        else:
            parts = [english]
        for part in parts:
            if part and (not out or out[-1] != part):
                out.append(part)
        english = parts[-1]
    if len(out) > 1 and out[0] == "types":
        out[0] = "types of"  # «видов услуг»: English joins a kind to its complement with "of"
    # the last word is the head noun: when it is unknown, an English name would mislead
    return " ".join(out) if out and english else phrase


def _indicator(hit: _Hit, sentence: str, language: str) -> str | None:
    if hit.unit in {"rank", "score"}:
        name = _index_for(sentence, hit, language)
        if name and hit.unit == "rank":
            region = _REGION_AFTER.match(sentence[hit.end :])
            if region and region.group("r") not in {"region", "Region", "регионе"}:
                name = f"{name} ({region.group('r')})"
        return name
    if hit.unit == "count":
        named = _named_before(sentence[: hit.start], _NUMBER_OF, language)
        if named and (hit.indicator is None or _GENERIC_COUNTED.match(hit.indicator)):
            # "число пользователей превысило 14 млн человек": users, not people
            return to_english(named, language)
        if hit.indicator and _COORDINATION.search(hit.indicator):
            parts = _COORDINATION.split(hit.indicator)
            return " and ".join(to_english(part.strip(), language) or part for part in parts)
        return to_english(hit.indicator, language)
    if hit.unit == "percent":
        share = _named_before(sentence[: hit.start], _SHARE_OF, language)
        if share:  # "Доля онлайн-услуг достигла 93,5%", "the share of online services is 60%"
            return to_english(share, language)
        lead = re.match(r"\s(?:der\s|des\s|of\sthe\s|of\s|от\s)?", sentence[hit.end :])
        pos = hit.end + (lead.end() - 1 if lead and lead.end() > 1 else 0)
        owner = re.match(r"\s(?:[\w-]+\s)?[\w-]+['’]s(?=\s)", sentence[pos:])
        if owner and language == "en":  # "60% of the country's public services"
            pos += owner.end()
        phrase = _noun_phrase(sentence, pos, language)
        if phrase is None:
            return None
        return to_english(sentence[phrase[0] : phrase[1]], language)
    if hit.unit in _DURATION_UNITS:
        return to_english(_named_before(sentence[: hit.start], _DURATION_OF, language), language)
    if hit.unit.isupper():  # money: the topic named nearest to the figure
        topics = list(_MONEY_TOPIC_RX[language].finditer(sentence))
        if topics:
            nearest = min(topics, key=lambda m: abs(m.start() - hit.start))
            topic = nearest.group(0)
            return "funding" if topic.lower() == "financing" else to_english(topic, language)
        # else what the clause does with the money: "stellt 2,4 Mio. Euro bereit" = funding
        # (else the sentence's: "Казахстан направит 1,2 млрд тенге, немецкая сторона – 2,4 млн")
        lo, hi = _clause_bounds(sentence, hit)
        for text in (sentence[lo:hi], sentence):
            for english, rx in _MONEY_VERBS[language]:
                if rx.search(text):
                    return english
    return None


def _clause_bounds(sentence: str, hit: _Hit) -> tuple[int, int]:
    """Start and end of the clause of `sentence` that holds the figure."""
    bounds = [0] + [m.end() for m in _CLAUSE_BREAK.finditer(sentence)] + [len(sentence) + 1]
    for lo, hi in itertools.pairwise(bounds):
        if lo <= hit.start < hi:
            return lo, hi
    return 0, len(sentence) + 1


def _named_before(before: str, patterns: dict[str, re.Pattern[str]], language: str) -> str | None:
    """The `noun` group of the last match of `patterns` in the clause before a figure: what a
    count, share or duration measures ("число пользователей …", "the share of online
    services …", "die Bearbeitungszeit …"); None if the clause names nothing of the kind."""
    clause = re.split(r"[,;:]\s|\s[–—-]\s", before)[-1]
    found = list(patterns[language].finditer(clause))
    if not found:
        return None
    noun = found[-1].group("noun")
    if language == "ru" and "NOUN" not in {p.tag.POS for p in _morph().parse(noun.split()[-1])}:
        return None  # «Доля выросла до 85%»: the share of nothing named
    return noun


def find_metrics(
    text: str,
    language: str | None,
    mentions: list[CountryMention] | None = None,
    fallback_country: str | None = None,
) -> list[Metric]:
    """Metrics stated in one paragraph of a de/ru/en report; [] for other languages."""
    if language not in SUPPORTED or not text:
        return []
    _glossary()  # data errors must surface, not be taken for an odd figure below
    try:
        return _find(text, language, mentions, fallback_country)
    except (ValueError, IndexError, OverflowError):  # never let one odd figure sink an article
        return []


# "the third major attack this year", «третья крупная атака с начала года»: an ordinal with a
# period counts what it orders (3 attacks so far this year); without the period it is a rank
# or a plain word ("the second meeting").
_ORDINAL_COUNT = {
    "en": re.compile(
        r"\b(?P<o>second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s"
        r"(?P<noun>(?:[a-z-]+\s){0,2}?[a-z-]+)\b(?=[^.;]*?\b(?:this\syear|so\sfar\sthis\syear"
        r"|since\sthe\s(?:beginning|start)\sof\s(?:the|this)\syear))"
    ),
    "de": re.compile(
        r"\b(?P<o>zweit|dritt|viert|fünft|sechst|siebt|acht|neunt|zehnt)(?:e|en|er|es)\s"
        r"(?P<noun>(?:[a-zäöüß-]+\s){0,2}[A-ZÄÖÜ][\w-]+)(?=[^.;]*?\b(?:in\sdiesem\sJahr"
        r"|seit\sJahresbeginn|seit\sAnfang\sdes\sJahres|dieses\sJahres))"
    ),
    "ru": re.compile(
        r"(?<!\w)(?P<o>втор|трет|четверт|пят|шест|седьм|восьм|девят|десят)\w*\s"
        r"(?P<noun>(?:[а-яё-]+\s){0,2}?[а-яё-]+)(?=[^.;]*?(?:с\sначала\s(?:этого\s)?года"
        r"|в\sэтом\sгоду|в\sтекущем\sгоду))"
    ),
}


# A duration told as an adjective: "a two-year project", "einen dreijährigen Aufenthalt",
# «трехлетнего проекта», "a 12-month pilot".
_COMPOUND_DURATION = {
    "en": re.compile(
        r"(?<![\w-])(?P<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
        r"-(?P<u>year|month|week|day|hour|minute)(?![\w-])",
        re.IGNORECASE,
    ),
    "de": re.compile(
        r"(?<![\w-])(?P<n>\d{1,2}-|ein|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf)"
        r"(?P<u>jährig|monatig|wöchig|tägig|stündig)\w*",
        re.IGNORECASE,
    ),
    "ru": re.compile(
        r"(?<![\w-])(?P<n>\d{1,2}-|одно|двух|трех|трёх|четырех|четырёх|пяти|шести|семи|восьми|девяти"
        r"|десяти|двенадцати)(?P<u>летн|месячн|недельн|дневн|часов)\w*",
        re.IGNORECASE,
    ),
}
_COMPOUND_NUMBERS = {
    "one": 1, "ein": 1, "одно": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "zwei": 2,
    "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10,
    "elf": 11, "zwölf": 12, "двух": 2, "трех": 3, "трёх": 3, "четырех": 4, "четырёх": 4,
    "пяти": 5, "шести": 6, "семи": 7, "восьми": 8, "девяти": 9, "десяти": 10, "двенадцати": 12,
}  # fmt: skip
_COMPOUND_UNITS = {
    "year": "years", "month": "months", "week": "weeks", "day": "days", "hour": "hours",
    "minute": "minutes", "jährig": "years", "monatig": "months", "wöchig": "weeks",
    "tägig": "days", "stündig": "hours", "летн": "years", "месячн": "months",
    "недельн": "weeks", "дневн": "days", "часов": "hours",
}  # fmt: skip


def _compound_durations(sentence: str, language: str) -> list[_Hit]:
    hits = []
    for m in _COMPOUND_DURATION[language].finditer(sentence):
        number = m.group("n").rstrip("-").lower()
        value = int(number) if number.isdigit() else _COMPOUND_NUMBERS[number]
        unit = _COMPOUND_UNITS[m.group("u").lower()]
        hits.append(_Hit(m.start(), m.end(), value, unit))
    return hits


def _ordinal_counts(sentence: str, language: str) -> list[_Hit]:
    stems = _ORDINAL_WORDS[language]
    hits = []
    for m in _ORDINAL_COUNT[language].finditer(sentence):
        value = stems.get(m.group("o"))
        phrase = _noun_phrase(sentence, m.start("noun") - 1, language)
        if value is not None and phrase is not None:
            noun = sentence[phrase[0] : phrase[1]]
            hits.append(_Hit(m.start(), phrase[1], value, "count", noun, phrase[0]))
    return hits


# A figure told of something named before: "raise it to", "diese Zahl", «этот показатель».
_BACK_REFERENCE = {
    "en": re.compile(r"\b(?:it|this\sfigure|that\sfigure|this\snumber)\b", re.IGNORECASE),
    "de": re.compile(r"\b(?:es|ihn|diese\sZahl|dieser\sWert|diesen\sWert)\b"),
    "ru": re.compile(
        r"(?<!\w)(?:его|её|ее|этот\sпоказатель|эту\sцифру|этот\sобъем|этот\sобъём)(?!\w)"
    ),
}


def _find(
    text: str, language: str, mentions: list[CountryMention] | None, fallback_country: str | None
) -> list[Metric]:
    if mentions is None:
        mentions = find_countries(text, language)
    mentions = sorted([*mentions, *domain_mentions(text)], key=lambda m: m.start)
    metrics: list[Metric] = []
    last_country = fallback_country
    for s_start, s_end in sentence_spans(text):
        sentence = text[s_start:s_end]
        if not _MAY_HOLD_FIGURE[language].search(sentence):
            ms = [m for m in mentions if s_start <= m.start < s_end]
            if ms:
                last_country = ms[-1].code
            continue
        hits = _ranks(sentence, language)
        hits += [h for h in _scores(sentence) if not _overlaps(h, hits)]
        taken = [(h.start, h.end) for h in hits]
        hits += [h for h in _figures(sentence, language, taken) if not _overlaps(h, hits)]
        hits += [h for h in _ordinal_counts(sentence, language) if not _overlaps(h, hits)]
        hits += [h for h in _compound_durations(sentence, language) if not _overlaps(h, hits)]
        # the state in a currency's name ("долларов США", "US-Dollar") is not what it is about
        in_money = [(s_start + h.start, s_start + h.end) for h in hits if h.unit.isupper()]
        about = [m for m in mentions if not any(a <= m.start and m.end <= b for a, b in in_money)]
        for hit in sorted(hits, key=lambda h: h.start):
            start, end = _extend_text(sentence, hit)
            indicator = _indicator(hit, sentence, language)
            if indicator is None and _BACK_REFERENCE[language].search(sentence):
                # "Trade reached $400 million. The sides aim to raise it to $600 million."
                indicator = next(
                    (m.indicator for m in reversed(metrics) if m.unit == hit.unit), None
                )
            country = _country_for(hit, sentence, s_start, about, last_country)
            stated = sentence[start:end].strip()
            metrics.append(
                Metric(
                    indicator=indicator,
                    value=int(hit.value) if float(hit.value).is_integer() else hit.value,
                    unit=_local_currency(hit.unit, country, stated, language),
                    country=country,
                    text=stated,
                )
            )
        ms = [m for m in mentions if s_start <= m.start < s_end]
        if ms:
            last_country = ms[-1].code
    return metrics


# Currency names several states share: a bare "manat" in a figure about Turkmenistan is the
# Turkmen manat, a bare "rupee" about Sri Lanka the Sri Lankan rupee, a bare "peso" about
# Colombia the Colombian peso. (default, state) -> code
_SHARED_CURRENCY_NAMES = {
    ("AZN", "TM"): "TMT",
    ("INR", "PK"): "PKR", ("INR", "LK"): "LKR", ("INR", "NP"): "NPR", ("INR", "MU"): "MUR",
    ("SAR", "QA"): "QAR", ("SAR", "OM"): "OMR", ("SAR", "YE"): "YER", ("SAR", "IR"): "IRR",
    ("AED", "MA"): "MAD",
    ("MXN", "CO"): "COP", ("MXN", "AR"): "ARS", ("MXN", "CL"): "CLP", ("MXN", "PH"): "PHP",
    ("MXN", "UY"): "UYU", ("MXN", "DO"): "DOP", ("MXN", "CU"): "CUP",
}  # fmt: skip
_SHARED_CURRENCY_OWNER = {"AZN": "AZ", "INR": "IN", "SAR": "SA", "AED": "AE", "MXN": "MX"}


def _local_currency(unit: str, country: str | None, text: str, language: str) -> str:
    """The currency a bare shared name means for the figure's state; a name with its code
    or state written out ("azerbaijanischen Manat", "AZN") stays as written."""
    local = _SHARED_CURRENCY_NAMES.get((unit, country or ""))
    if local is None or unit in text or find_countries(text, language):
        return unit
    return local


def local_currencies(metrics: list[Metric], states: set[str], language: str) -> None:
    """A shared currency name in a figure told of no state, or of one that does not use it
    ("The government has allocated Rs 4.2 billion"), is the currency of the one state of the
    report that uses that name, unless the report is also about the name's own state (Nepal's
    rupee, not India's)."""
    for metric in metrics:
        owner = _SHARED_CURRENCY_OWNER.get(metric.unit)
        if owner is None or metric.country == owner:
            continue
        if (metric.unit, metric.country or "") in _SHARED_CURRENCY_NAMES:
            continue  # read for its own state already
        users = {state for state in states if (metric.unit, state) in _SHARED_CURRENCY_NAMES}
        if len(users) == 1 and owner not in states:
            metric.unit = _local_currency(metric.unit, users.pop(), metric.text or "", language)


def states_from_speakers(
    metrics: list[Metric], quotes: list[Quote], persons: list[Actor], language: str | None
) -> None:
    """A figure quoted from a person is about the speaker's state when the quotation names no
    state ("«Уже 14,5 тыс. услуг оказываются проактивно», — сказал Мадиев": Kazakhstan's, not
    that of the state named last before the quotation)."""
    states = {p.id: p.country for p in persons if p.kind == "person" and p.country}
    for metric in metrics:
        for quote in quotes:
            state = states.get(quote.speaker_id or "")
            if state and metric.text and metric.text in quote.text:
                if not find_countries(quote.text, language):
                    metric.country = state
                break


def _overlaps(hit: _Hit, others: list[_Hit]) -> bool:
    return any(hit.start < o.end and o.start < hit.end for o in others)
