"""Facts of the event one article reports: its type, the day it happened, where, and who acted.

Pure functions over an article's title and paragraphs (de, ru, en), built from per-language
trigger vocabulary, date expressions and a city gazetteer (nlp/data/cities.toml); no models.

    facts = event_facts(title, paragraphs, "de", published=date(2026, 2, 18), dateline=dl)
    facts.event_type, facts.date, facts.date_source, facts.location, facts.location_country

Event types and PLOVER (https://github.com/openeventdata/PLOVER): the CONSULT family covers the
settings where states talk (``visit``, ``meeting``, ``forum``); AGREE covers ``agreement``
(a signed document: memorandum, agreement, roadmap); COOPERATE covers the material outcomes
(``project_launch``: a joint system or programme going live, ``exchange``: staff exchange,
internships, sharing experience); AID with aid-type "technical" covers ``training``.

Precedence, when one report carries several triggers (a delegation visit during which a
memorandum is signed): an *outcome* names the event better than the *setting* it happened in,
because the setting (visit, talks) is how cooperation is done and the outcome is what the report
is about. The exception is a forum, conference or exhibition that frames the report: it is a
public, scheduled event that gathers many reports (signings "on the sidelines of" it, panels,
launches), so reports of acts done at it are grouped under it. Hence, applied to evidence in the
lead (title and first two paragraphs) unless said otherwise:

    forum (framing the act)  >  agreement (a signing, also later in the text if not background)
    >  training  >  project_launch  (a launched training programme is training)
    >  exchange of people (exchange programme, internships; anywhere in the text)
    >  visit  >  meeting  >  exchange of experience ("Erfahrungsaustausch": every visit is one)
    >  the best position-weighted score over the whole text  >  other.

Sentences anchored at an earlier time ("erst im März hatte…", "In March, Tashkent signed") are
background and ignored; outcome triggers in clauses about plans ("the launch is planned for 2027")
count half; direct speech is weak evidence.

Date: the first date (explicit "13 марта", "am 4. November", "on Nov. 4"; or relative "gestern",
«во вторник», "on Tuesday" = the latest such weekday on or before publication) in the lead
sentences reporting the event, then in later sentences with the event's trigger, then in other
lead sentences; else the dateline's day (date_source "dateline"); else the publication date
(date_source "published": the record says the fallback was used). Regexes, not dateparser: the
expressions are few and a pass over an article stays well under 10 ms.

Location: a city after a locative preposition ("in Minsk", "в Минске", "im kasachischen Almaty")
in a sentence reporting the event, then a visit's destination ("визит в Минск"), then the
dateline's place, then any locative city of the lead, then a headline opening with a city.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from coopwatch.records import EVENT_TYPES, EventType
from nlp.months import MONTHS

if TYPE_CHECKING:  # only the type: nlp.dateline imports dateparser, which this module avoids
    from nlp.dateline import Dateline

DateSource = Literal["text", "dateline", "published"]
# PLOVER event category of each type (see the module docstring).
PLOVER: dict[str, str | None] = {
    "visit": "CONSULT",
    "meeting": "CONSULT",
    "forum": "CONSULT",
    "agreement": "AGREE",
    "project_launch": "COOPERATE",
    "exchange": "COOPERATE",
    "training": "AID",
    "other": None,
}
SUPPORTED_LANGUAGES = ("de", "ru", "en")


@dataclass(slots=True, frozen=True)
class EventFacts:
    """What one article says about the event it reports."""

    event_type: EventType
    date: date | None
    date_source: DateSource | None  # "published" = no date in text or dateline: the fallback
    location: str | None  # English city name
    location_country: str | None  # ISO 3166-1 alpha-2 of that city
    plover: str | None = None  # PLOVER category of event_type
    type_evidence: str | None = None  # the trigger text that decided the type (for review)


# ---------------------------------------------------------------------------------------------
# Sentences

_ABBREVIATIONS = {
    # en
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "mr", "mrs", "ms", "dr", "st", "prof", "gen", "gov", "no", "vs", "jr", "inc", "ltd", "co",
    # de
    "nr", "bzw", "ca", "mio", "mrd", "abs", "vgl", "dez", "okt", "febr", "str", "hr", "fr",
    # ru
    "г", "гг", "им", "ул", "млн", "млрд", "тыс", "руб", "долл", "т", "т.е", "напр", "проф", "см",
}  # fmt: skip
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[»“”\"']?\s+(?=[\"„“«(]?[A-ZÄÖÜА-ЯЁ0-9])")
_LAST_WORD = re.compile(r"(\w+)\.$")
_OPEN_QUOTES = '«„“"‘'
_QUOTE_PAIRS = {"«": "»", "„": "“", "“": "”", '"': '"', "‘": "’"}


@dataclass(slots=True)
class _Sentence:
    text: str
    para: int  # -1 = title
    quoted: bool  # direct speech: weak evidence


def _split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph; no break after abbreviations, initials or ordinals ("4.")."""
    parts: list[str] = []
    start = 0
    for match in _SENTENCE_BREAK.finditer(text):
        head = text[start : match.start()].rstrip("»“”\"'")
        word = _LAST_WORD.search(head)
        if word and (
            word.group(1).lower() in _ABBREVIATIONS
            or word.group(1).isdigit()
            or (len(word.group(1)) == 1 and word.group(1).isupper())
        ):
            continue
        parts.append(text[start : match.start()].strip())
        start = match.end()
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def _quoted_flags(text: str, sentences: list[str]) -> list[bool]:
    """Whether each sentence is direct speech: it opens with a quote or stands inside one."""
    flags = []
    open_quote: str | None = None
    for sentence in sentences:
        flags.append(open_quote is not None or sentence[:1] in _OPEN_QUOTES)
        for char in sentence:
            if open_quote is None and char in _QUOTE_PAIRS:
                open_quote = char
            elif open_quote is not None and char == _QUOTE_PAIRS[open_quote]:
                open_quote = None
    return flags


def _sentences(title: str | None, paragraphs: Sequence[str]) -> list[_Sentence]:
    out: list[_Sentence] = []
    if title:
        out.append(_Sentence(title.strip(), -1, False))
    for index, paragraph in enumerate(paragraphs):
        parts = _split_sentences(paragraph)
        for part, quoted in zip(parts, _quoted_flags(paragraph, parts), strict=True):
            out.append(_Sentence(part, index, quoted))
    return out


def _strip_dateline(paragraphs: Sequence[str], dateline: Dateline | None) -> list[str]:
    """Paragraphs without the dateline opening the first one, so its date is not read as text."""
    paragraphs = list(paragraphs)
    if dateline and paragraphs and paragraphs[0].startswith(dateline.text):
        rest = paragraphs[0][len(dateline.text) :].lstrip(" –—-")
        paragraphs[0] = rest
    return paragraphs


# ---------------------------------------------------------------------------------------------
# Event type triggers: (type, regex, weight). Weight >= STRONG is evidence on its own; weaker cues
# ("delegation", "agreed", "exchange of experience") add up within a sentence (capped at 1).
# Patterns are matched case-insensitively on stems: Russian by prefix stems (посетил-а/-и),
# German also inside compounds (Regierungsdelegation, Kooperationsabkommen) where the stem
# cannot be the tail of an unrelated word.

STRONG = 0.8
_Trigger = tuple[str, str, float]
_EN_DOCUMENT = (
    r"(memorand(um|a)|mou|agreements?|accords?|deals?|treaty|treaties|roadmaps?|road maps?"
    r"|declarations?|protocols?)\b"
)

_TRIGGERS: dict[str, list[_Trigger]] = {
    "en": [
        ("agreement", r"\b(signed|signing|inked)\b", 1.0),
        (
            "agreement",
            rf"\bconclu(ded|des?)\b(?=\W+(\w+\W+){{0,3}}{_EN_DOCUMENT})",
            1.0,
        ),
        # headline present tense: "Belarus, Russia Sign Agreement" (not "sign employment contracts")
        ("agreement", rf"\bsigns?\b(?=\W+(\w+\W+){{0,3}}{_EN_DOCUMENT})", 1.0),
        ("agreement", rf"\b{_EN_DOCUMENT}", 0.6),
        ("agreement", r"\b(agreed|agree(s|ment reached)?)\b", 0.3),
        ("visit", r"\bvisit(ed|s|ing)?\b|\b(arrived|arrives) in\b", 1.0),
        ("visit", r"\bdelegations?\b", 0.6),
        ("visit", r"\b(toured|tour of|hosted)\b", 0.4),
        (
            "meeting",
            r"\b(talks|meeting|met|meets?|negotiations|consultations|summit)\b",
            1.0,
        ),
        (
            "meeting",
            r"\b(video ?conference|videoconference|intergovernmental commission)\b",
            1.0,
        ),
        ("meeting", r"\b(session|discussed|working group)\b", 0.4),
        (
            "forum",
            r"\b(forum|conference|congress|exhibition|expo|hackathon|trade fair)s?\b",
            1.0,
        ),
        ("forum", r"\bsidelines\b|\bmargins of\b", 0.6),
        (
            "project_launch",
            r"\b(launch(ed|es|ing)?|went live|go(es)? live|inaugurat\w*)\b",
            1.0,
        ),
        (
            "project_launch",
            r"\b(put into (operation|service)|commissioned|rolled out|unveil\w*|switched on)\b",
            1.0,
        ),
        ("project_launch", r"\b(opened|started|kicked off|pilot(ed)?)\b", 0.5),
        ("project_launch", r"\b(connect(ed|s)?|link(ed|s)?)\b", 0.3),
        (
            "exchange",
            r"\b(internships?|secondments?|exchange programm?e?s?|staff exchanges?)\b",
            1.0,
        ),
        (
            "exchange",
            r"\b(study (tour|visit)s?|exchange of (specialists|experts|staff))\b",
            1.0,
        ),
        (
            "exchange",
            r"\bexchang\w* (of )?(experience|best practices|expertise|know-how)\b",
            0.5,
        ),
        (
            "exchange",
            r"\b(shar\w*|learn\w* from) (\w+ ){0,2}(experience|best practices)\b",
            0.5,
        ),
        ("exchange", r"\bexperience exchange\b", 0.5),
        (
            "training",
            r"\b(train(s|ed|ing)?|retrain\w*|upskill\w*|capacity[- ]building)\b",
            1.0,
        ),
        (
            "training",
            r"\b(courses?|seminars?|workshops?|master ?class(es)?|curriculum)\b",
            0.8,
        ),
    ],
    "de": [
        (
            "agreement",
            r"unterzeichn\w*|unterschrieben|unterschreib\w*|unterschrift",
            1.0,
        ),
        (
            "agreement",
            r"(abkommen|vereinbarung|memorandum|vertrag)\w*\b.{0,60}\b(ab)?geschlossen\b"
            r"|\b(schlossen|schließen)\b.{0,60}(abkommen|vereinbarung|memorandum|vertrag)",
            1.0,
        ),
        (
            "agreement",
            r"abkommen|memorandum|absichtserklärung|\bvereinbarung(en)?\b",
            0.6,
        ),
        ("agreement", r"\b(vertrag|verträge|vertrages|roadmap|fahrplan)\b", 0.6),
        ("agreement", r"\bvereinbart\w*|\bvereinbarten\b|\bverständigt\w*", 0.3),
        (
            "visit",
            r"besuch(t|te|ten|s|e|en)?\b|\bvisite\b|reiste\w* nach|\bweilte|\bkam(en)? nach\b"
            r"|\bhielt(en)? sich\b.{0,80}\bauf\b|\baufenthalt",
            1.0,
        ),
        ("visit", r"delegation", 0.6),
        ("visit", r"\bempf(ing|angen)\b|\bbesichtig\w*|\brundgang\b", 0.4),
        (
            "meeting",
            r"\b(treffen|trafen|traf|getroffen)\b|gespräch\w*|verhandlung",
            1.0,
        ),
        (
            "meeting",
            r"sitzung\b|konsultation|gipfel|videokonferenz|regierungskommission",
            1.0,
        ),
        ("meeting", r"\bberatung(en)?\b|arbeitsgruppe|\berörtert\w*|\bbesprochen", 0.4),
        (
            "forum",
            r"forums?\b|\bforen\b|(?<!video)konferenz|kongress|ausstellung|\bmesse\b",
            1.0,
        ),
        ("forum", r"hackathon|\bexpo\b", 1.0),
        ("forum", r"\bam rande\b", 0.6),
        (
            "project_launch",
            r"gestartet|\bstartet(e|en)?\b|\blanciert|in betrieb genommen",
            1.0,
        ),
        (
            "project_launch",
            r"inbetriebnahme|freigeschaltet|\beröffne\w*|\beingeweiht|startschuss"
            r"|\bschaltet(?:e|en)?\b[^.;]{0,60}\bfrei\b",  # "schalteten … frei"
            1.0,
        ),
        (
            "project_launch",
            r"\bstart\b|\beingeführt|\beinführung|pilotprojekt|\bin betrieb\b",
            0.5,
        ),
        (
            "project_launch",
            r"\bverknüpf\w*|angeschlossen|\banschließen|\bverbunden",
            0.3,
        ),
        (
            "exchange",
            r"austauschprogramm|praktik(a|um|anten)\b|hospitation|studienreise",
            1.0,
        ),
        ("exchange", r"(experten|personal|fachkräfte|mitarbeiter)austausch", 1.0),
        ("exchange", r"fachaustausch", 0.5),  # "ein regelmäßiger Fachaustausch": a dialogue
        ("exchange", r"erfahrungsaustausch|\btausch\w*\b.{0,80}\berfahrung", 0.5),
        ("exchange", r"erfahrung\w*.{0,80}\baus(zu)?(ge)?tausch", 0.5),
        (
            "training",
            r"schulung|geschult|\bschulen\b|weiterbildung|fortbildung|\bausbildung",
            1.0,
        ),
        (
            "training",  # not "qualifizierte elektronische Signaturen"
            r"\btraining|trainiert|qualifizier\w*\b(?!\s+elektronisch)|lehrgang|lehrplan",
            1.0,
        ),
        ("training", r"seminar|workshop|\bkurse?\b", 0.8),
    ],
    "ru": [
        ("agreement", r"подпис(ал|ан|ыва|ать|ав)\w*|подписи под|скрепил\w*", 1.0),
        (
            "agreement",
            r"\bзаключ(ил|ен|ён|ат|ай)\w*\b.{0,40}(соглашени|договор|меморандум|контракт)"
            r"|(соглашени|договор|меморандум)\w*\b.{0,40}\bзаключ(ен|ён|ил)\w*",
            1.0,
        ),
        ("agreement", r"меморандум\w*|соглашени\w*|\bдоговор(а|у|ом|е|ы|ов)?\b", 0.6),
        ("agreement", r"дорожн\w* карт\w*|протокол\w*|деклараци\w*", 0.6),
        (
            "agreement",
            r"договорил\w*|договоренност\w*|договорённост\w*|условил\w*",
            0.3,
        ),
        (
            "visit",
            r"\bпосет(ил|ит|ят|ив)\w*|\bвизит\w*|\bприбыл\w*|\bпосещени\w*|\bприехал\w* в\b",
            1.0,
        ),
        ("visit", r"делегаци\w*", 0.6),
        (
            "visit",
            r"\bпобывал\w*|\bприня(л|ла|ли) (\w+ )?делегаци\w*|\bознакомил\w*",
            0.4,
        ),
        (
            "meeting",
            r"переговор\w*|\bвстреч\w*|\bвстрети\w*|заседани\w*|совещани\w*",
            1.0,
        ),
        (
            "meeting",
            r"консультаци\w*|саммит\w*|видеоконференц\w*|межправкомисси\w*"
            r"|совместн\w* коллеги\w*",  # a joint board session of two ministries
            1.0,
        ),
        ("meeting", r"\bобсудил\w*|\bобсуждени\w*|рабоч\w* групп\w*", 0.4),
        (
            "forum",
            r"форум\w*|(?<!видео)конференци\w*|выстав(к|ок)\w*|конгресс\w*|хакатон\w*",
            1.0,
        ),
        ("forum", r"\bна полях\b", 0.6),
        (
            "project_launch",
            r"\bзапуст(ил|ят|ит|и)\w*|\bзапуск\w*|\bстартова(л|ла|ли|ло)\b",
            1.0,
        ),
        (
            "project_launch",
            r"в эксплуатацию|\bоткрыл\w*|\bзаработал\w*|\bдал\w* старт",
            1.0,
        ),
        (
            "project_launch",
            r"\bоткрыт(ие|ия|ы|а|о)?\b|\bпрезентова\w*|\bвнедрен\w*|\bпилотн\w*",
            0.5,
        ),
        ("project_launch", r"\bподключ\w*|\bинтеграци\w*", 0.3),
        (
            "exchange",
            r"стажиров\w*|программ\w* обмен\w*|обмен\w* (специалист|кадр|студент)",
            1.0,
        ),
        (
            "exchange",
            r"учебн\w* (визит|поездк|поездок)\w*|ознакомительн\w* (визит|поезд)\w*",
            1.0,
        ),
        (
            "exchange",
            r"обмен\w* опыт\w*|обменива\w* (\w+ )?опыт\w*|опыт\w* (\w+ )?обмен\w*",
            0.5,
        ),
        ("exchange", r"\bизуч\w* (\w+ ){0,2}опыт\w*|\bперенима\w* опыт\w*", 0.5),
        (
            "training",
            r"обучени\w*|\bобуч(а|и)\w*|повышени\w* квалификаци\w*|тренинг\w*",
            1.0,
        ),
        ("training", r"переподготовк\w*|подготовк\w* (кадр|специалист|служащ)\w*", 1.0),
        (
            "training",
            r"семинар\w*|мастер-класс\w*|\bкурс(ы|ов)\b|учебн\w* программ\w*",
            0.8,
        ),
    ],
}

# A forum frames the reported act: the act is done "at"/"during"/"on the sidelines of" it.
_FRAME = {
    "en": r"\b(at|during|on the sidelines of|on the margins of|within|as part of|ahead of)\b",
    "de": r"\b(am rande|im rahmen|auf de[mr]|beim|bei de[mr]|während)\b",
    "ru": r"\b(в рамках|на полях|в ходе|на\s+\w*\s*(форуме|конференции|выставке))\b",
}
# A sentence anchored at an earlier time is background ("erst im März hatte Taschkent eine Roadmap
# unterzeichnet", "In March, Tashkent signed"): its triggers do not describe the reported event.
_MONTHS_EN = "January|February|March|April|May|June|July|August|September|October|November|December"
_MONTHS_DE = (
    "Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"
)
_BACKGROUND = {
    "en": re.compile(
        rf"\b(?i:in|since|last|earlier in|back in|in (?:early|mid|late)|(?:early|mid|late)) "
        rf"({_MONTHS_EN})\b"
        r"|(?i:\b(last|previous) year\b|\bhad (been )?(signed|agreed|launched|visited|held)\b"
        r"|\bearlier\b|\bpreviously\b|\bin (19|20)\d\d\b(?!\s*[-–]))"
    ),
    "de": re.compile(
        rf"\b(im|seit|vergangenen|letzten|anfang|mitte|ende) ({_MONTHS_DE})\b"
        r"|\b(vergangenen|letzten|vorigen) jahr"
        r"|\bhatten? \b.{0,80}\b(unterzeichnet|vereinbart|gestartet|besucht)\b|\bbereits im\b"
        r"|\bw(ar|aren) \b.{0,80}\b(unterzeichnet|vereinbart|gestartet|beschlossen) worden\b"
        r"|\bzuvor\b|\bim jahr (19|20)\d\d\b",
        re.IGNORECASE,
    ),
    "ru": re.compile(
        r"\b(в|с) (январе|феврале|марте|апреле|мае|июне|июле|августе|сентябре|октябре|ноябре"
        r"|декабре)\b|\bв прошлом году\b|\bранее\b|\bпрежде\b|\bв (19|20)\d\d году\b"
        r"|\bв (начале|середине|конце) (января|февраля|марта|апреля|мая|июня|июля|августа"
        r"|сентября|октября|ноября|декабря)\b",
        re.IGNORECASE,
    ),
}


@dataclass(slots=True)
class _TypeHit:
    kind: str
    weight: float
    text: str
    start: int = 0  # offset in the sentence


@functools.cache
def _compiled_triggers(language: str) -> list[tuple[str, re.Pattern[str], float]]:
    # Matched on the lower-cased sentence: case-insensitive matching is several times slower.
    return [(kind, re.compile(p), w) for kind, p, w in _TRIGGERS[language]]


def _sentence_hits(sentence: str, language: str, title: bool = False) -> dict[str, _TypeHit]:
    """Per type, the summed (capped) trigger weight in one sentence and the first trigger text.
    An outcome trigger in a clause about plans counts half (see _FUTURE)."""
    hits: dict[str, _TypeHit] = {}
    lowered = sentence.lower()
    if len(lowered) != len(sentence):  # rare letters that change length (İ): keep offsets
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in sentence)
    for kind, pattern, weight in _compiled_triggers(language):
        match = pattern.search(lowered)
        if not match:
            continue
        if kind == "agreement" and _MINUTES.get(language, _NEVER).search(lowered):
            weight = min(weight, 0.3)  # the minutes of the meeting: the meeting is the event
        if kind == "agreement" and _E_SIGNING.search(
            lowered, max(0, match.start() - 30), match.end() + 30
        ):
            continue  # signing documents electronically is what the service does, no treaty
        if kind in _OUTCOMES and (
            _is_future(_clause(sentence, match.start()), language, title)
            or _discussed_topic(lowered, match.start(), language)
            or (kind in _PLANNABLE and _planned(lowered, match.start(), language))
        ):
            weight *= 0.5
        hit = hits.get(kind)
        if hit is None:
            hits[kind] = _TypeHit(
                kind, weight, sentence[match.start() : match.end()], match.start()
            )
        elif weight >= STRONG or hit.weight >= STRONG:
            if weight > hit.weight:
                hits[kind] = _TypeHit(
                    kind, weight, sentence[match.start() : match.end()], match.start()
                )
        else:  # weak cues add up, but never to strong evidence ("pilot" + "integration")
            hit.weight = min(STRONG - 0.1, hit.weight + weight)
    launch = hits.get("project_launch")
    if launch is not None:
        courses = list(_COURSE.get(language, _NEVER).finditer(lowered, 0, launch.start))
        between = lowered[courses[-1].end() : launch.start] if courses else ""
        if courses and not _LAUNCHABLE.get(language, _NEVER).search(between):
            # "Курс … стартовал", "the training programme was launched": a course began
            del hits["project_launch"]
            if launch.weight > hits.get("training", _TypeHit("training", 0.0, "")).weight:
                hits["training"] = _TypeHit("training", launch.weight, launch.text, launch.start)
    return hits


# A course, seminar or training programme as what starts: its start is the training.
_COURSE = {
    "en": re.compile(r"\b(courses?|training( programm?e| course)?s?|seminars?|workshops?)\b"),
    "de": re.compile(r"\b(kurs|lehrgang|schulung|seminar|workshop|fortbildung|weiterbildung)\w*"),
    "ru": re.compile(r"(?<!\w)(курс\w*|обучени\w*|семинар\w*|тренинг\w*)"),
}
# What else launches: a course before "the platform … was launched" is not what started.
_LAUNCHABLE = {
    "en": re.compile(r"\b(platform|system|portal|app|service|centre|center|hub|project)s?\b"),
    "de": re.compile(r"(plattform|system|portal|app|dienst|zentrum|hub|projekt)\w*"),
    "ru": re.compile(r"(?<!\w)(платформ|систем|портал|приложени|сервис|центр|проект)\w*"),
}


# What talks were about: an outcome named after it is a topic of the talks, not their outcome
# ("The meeting discussed cooperation in e-government and the training of IT specialists").
_DISCUSSED = {
    "en": re.compile(
        r"\b(discuss\w*|talked about|prospects for|in the fields? of|areas of|focus(ed)? on"
        r"|topics?)\b"
    ),
    "de": re.compile(
        r"\b(erörtert\w*|besprochen|diskutiert\w*|bereichen|perspektiven|ging es( \w+)? um"
        r"|themen?)\b"
    ),
    "ru": re.compile(
        r"(обсудил\w*|обсуждени\w*|перспектив\w*|в сфер\w+|направлени\w+|речь шла о"
        r"|\bтем(ы|ами|ах)\b)"
    ),
}


def _discussed_topic(lowered: str, position: int, language: str) -> bool:
    cue = _DISCUSSED.get(language)
    found = cue.search(lowered, 0, position) if cue else None
    return found is not None


# Signing the minutes of a meeting closes the meeting; it concludes no agreement
# («По итогам заседания стороны подписали протокол», "signed the minutes of the meeting"; but
# «подписан протокол о намерениях» is a document of its own).
_MINUTES = {
    "en": re.compile(r"\b(minutes|protocol) of the (meeting|session|talks)\b"),
    "de": re.compile(
        r"\bprotokoll (der|des) (sitzung|treffens|beratung|gespräch)\w*|sitzungsprotokoll"
    ),
    "ru": re.compile(
        r"по итогам (заседани|встреч|совещани|переговор)\w*.{0,30}подписа\w* протокол\b(?! об?\b)"
        r"|протокол\w* (заседани|встреч|совещани|переговор)\w*"
    ),
}


# Signing with an electronic signature ("Dokumente elektronisch unterschreiben", "digitally
# signed", «подписывать электронной подписью») is the service a report is about, no agreement.
_E_SIGNING = re.compile(
    r"elektronisch\w* (?:zu )?(?:unterschreib|unterzeichn|signier)\w*"
    r"|(?:unterschreib|unterzeichn|signier)\w* (?:\w+ )?elektronisch"
    r"|(?:electronically|digitally) sign\w*|sign\w* (?:\w+ ){0,2}(?:electronically|digitally)"
    r"|подпис\w* (?:\w+ ){0,2}электронн\w* (?:цифров\w* )?подписью"
)


# What was agreed or planned: a launch or training named after such a cue in its clause is to
# come ("agreed on Thursday to launch TurkicID", «договорились о запуске», "a roadmap for
# launching"). Signings are not covered: "agreed on cooperation and signed a memorandum".
_PLAN_CUES = {
    "en": re.compile(
        r"\b(agree[ds]?|decided?|resolved|road ?maps?|plans?|planning|intends?|intention"
        r"|aims?|proposals?|proposed|ready|prepar\w+)\b"
    ),
    "de": re.compile(
        r"\b(vereinbar\w*|beschl(ossen|ießen|ussen)|verständig\w*|geeinigt|einigten"
        r"|fahrplan\w*|roadmap|pläne?n?|plan(t|en|ung)|vorbereit\w*|bereit)\b"
    ),
    "ru": re.compile(
        r"(договорил\w*|договоренност\w*|договорённост\w*|\bрешили\b|\bрешени\w* о\b"
        r"|дорожн\w* карт\w*|\bплан\w*|намерен\w*|\bготов\w*|подготовк\w*)"
    ),
}
_PLANNABLE = {"project_launch", "training"}


def _planned(lowered: str, position: int, language: str) -> bool:
    cue = _PLAN_CUES.get(language)
    if cue is None:
        return False
    clause_start = 0
    for match in _CLAUSE_BREAK.finditer(lowered, 0, position):
        clause_start = match.end()
    return cue.search(lowered, clause_start, position) is not None


# A sentence about plans ("The launch is planned for 2027", "запуск запланирован") names outcomes
# to come, not what the report is about: its outcome triggers count half. Settings keep their
# weight ("X will join…, officials agreed at a meeting": the meeting is where the plan was made),
# and so does an agreed exchange programme, which is about the future by nature.
_FUTURE = {
    "en": re.compile(
        r"\b(will|shall|planned|plans? to|scheduled|expected to|is to|are to|would|next"
        r"|to be|upcoming|forthcoming)\b",
        re.I,
    ),
    "de": re.compile(
        r"\b(soll|sollen|wird|werden|geplant|plant|planen|künftig|vorgesehen|wollen|will"
        r"|nächste[nmrs]?|bevorstehend\w*)\b",
        re.I,
    ),
    "ru": re.compile(
        r"\b(запланирован\w*|планиру\w*|будет|будут|станет|станут|предстоит|намерен[аоы]?\b"
        r"|смогут|сможет|планах|следующ\w+|предстоящ\w+)\b",
        re.I,
    ),
}


_OUTCOMES = {"agreement", "project_launch", "training"}


# English headlines announce with "to": "Kazakhstan, Uzbekistan to Sign Roadmap" (but "Program to
# Train 3,500 Civil Servants" is a purpose, so only verbs of the event itself are listed).
_HEADLINE_FUTURE = re.compile(
    r"\bto (sign|hold|host|visit|meet|open|set up|establish|create|pilot|link|connect|join)\b",
    re.IGNORECASE,
)


def _is_future(sentence: str, language: str, title: bool = False) -> bool:
    pattern = _FUTURE.get(language)
    if title and language == "en" and _HEADLINE_FUTURE.search(sentence):
        return True
    if language == "ru" and any(_ru_future_verb(w) for w in re.findall(r"[а-яё]+", sentence)):
        return True  # a perfective verb in the future: «запустят», «подпишут», «откроется»
    return bool(pattern and pattern.search(sentence))


@functools.lru_cache(maxsize=20000)
def _ru_future_verb(word: str) -> bool:
    from nlp.names import morph

    parse = morph().parse(word)[0]
    return parse.tag.POS == "VERB" and parse.tag.tense == "futr"


def _is_background(sentence: str, language: str) -> bool:
    pattern = _BACKGROUND.get(language)
    return bool(pattern and pattern.search(sentence))


def _background_at_trigger(item: _Analysed, kind: str, language: str) -> bool:
    """Is the trigger of `kind` itself anchored at an earlier time? Not when the earlier time
    belongs to another clause: "The platform, built under an agreement signed last year, was
    switched on at a ceremony in Kathmandu"."""
    pattern = _BACKGROUND.get(language)
    trigger = item.hits.get(kind)
    if not item.background or pattern is None or trigger is None:
        return False
    text = item.sentence.text
    return any(_same_clause(text, m.start(), trigger.start) for m in pattern.finditer(text))


def _position_weight(para: int) -> float:
    """Title and lead say what the report is about; later paragraphs add context."""
    return {-1: 3.0, 0: 2.0, 1: 1.5}.get(para, 1.0)


@dataclass(slots=True)
class _Analysed:
    sentence: _Sentence
    hits: dict[str, _TypeHit]
    background: bool  # anchored at an earlier time
    future: bool = False  # about plans

    @property
    def lead(self) -> bool:
        return self.sentence.para <= 1

    def strong(self, kind: str) -> _TypeHit | None:
        hit = self.hits.get(kind)
        if hit is None or self.sentence.quoted:
            return None
        return hit if hit.weight >= STRONG else None


def _decide_type(analysed: list[_Analysed], language: str) -> tuple[str, str | None]:
    """The event type by the precedence in the module docstring, and the deciding trigger."""
    lead = [a for a in analysed if a.lead and not a.background]
    body = [a for a in analysed if not a.background]
    frame = re.compile(_FRAME[language], re.IGNORECASE)

    def first_strong(items: Iterable[_Analysed], kind: str) -> _TypeHit | None:
        for item in items:
            hit = item.strong(kind)
            if hit is not None:
                return hit
        return None

    # 1. A forum framing the report: named in the title or first paragraph, or framing an act.
    for item in lead:
        hit = item.strong("forum")
        if hit and item.future and _is_future(_clause(item.sentence.text, hit.start), language):
            continue  # "ahead of next week's forum"
        if hit and (item.sentence.para <= 0 or frame.search(item.sentence.text)):
            return "forum", hit.text
    # 2. A launch the headline reports as done ("Ghana and Nigeria Launch First Cross-Border
    # ID Pilot") names the event even when a protocol for it was signed the same day, unless
    # the first paragraph tells a signing ("signed a memorandum … launching the third phase").
    opening = [a for a in lead if a.sentence.para == 0]
    if not any(a.strong("agreement") for a in opening):
        for item in (a for a in lead if a.sentence.para == -1 and not a.future):
            launch = item.strong("project_launch")
            if launch and not item.strong("agreement") and not item.strong("training"):
                return "project_launch", launch.text
    # 3. A signing: in the lead, or a signing verb later on that is not background.
    hit = first_strong(lead, "agreement")
    if hit is None:
        for item in body:
            strong = item.strong("agreement")
            if (
                strong
                # "a memorandum to be signed during the upcoming visit"; but "signed a
                # memorandum on a centre, which will train …" was signed
                and not (
                    item.future and _is_future(_clause(item.sentence.text, strong.start), language)
                )
                and _SIGNED.get(language, _NEVER).search(item.sentence.text)
            ):
                hit = strong
                break
    if hit:
        return "agreement", hit.text
    # 3-4. Outcomes named in the lead.
    for kind in ("training", "project_launch"):
        hit = first_strong(lead, kind)
        if hit:
            return kind, hit.text
    # 5. An exchange of people agreed near the top (internships, exchange programme); one
    # offered further down is a detail of a visit or a meeting.
    for item in (a for a in body if a.sentence.para <= 2):
        hit = item.hits.get("exchange")
        if hit and hit.weight >= 1.0 and not item.sentence.quoted:
            return "exchange", hit.text
    # 6-7. Settings named in the lead.
    for kind in ("visit", "meeting"):
        hit = first_strong(lead, kind)
        if hit:
            return kind, hit.text
    # 8. Anything else: the best position-weighted score over the text.
    scores: Counter[str] = Counter()
    evidence: dict[str, str] = {}
    for item in body:
        factor = _position_weight(item.sentence.para) * (0.5 if item.sentence.quoted else 1.0)
        for kind, hit in item.hits.items():
            scores[kind] += hit.weight * factor
            evidence.setdefault(kind, hit.text)
    if scores:
        kind, score = max(scores.items(), key=lambda kv: (kv[1], -EVENT_TYPES.index(kv[0])))
        if score >= 0.5:
            return kind, evidence[kind]
    return "other", None


# A signing told as done (not "will sign"): decides "agreement" even outside the lead.
_SIGNED = {
    "en": re.compile(r"\b(signed|inked|concluded)\b", re.IGNORECASE),
    "de": re.compile(r"\b(unterzeichnet(e|en)?|unterschrieben|(ab)?geschlossen)\b", re.I),
    "ru": re.compile(r"\bподписа(л|ла|ли|н|на|но|ны)\b|подписи под|\bзаключ(ил|ен|ён)\w*", re.I),
}
_NEVER = re.compile(r"(?!)")


# ---------------------------------------------------------------------------------------------
# Dates

_EN_MONTH_RE = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
)
_DAY_RANGE = r"(?:\s*(?:[-–—]|to|and|through)\s*\d{1,2}(?:st|nd|rd|th)?)?"  # the first day
_EXPLICIT = {
    "en": [
        re.compile(
            rf"\b(?P<m>{_EN_MONTH_RE})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?{_DAY_RANGE}\b"
            r"(?:,?\s+(?P<y>(?:19|20)\d\d))?"
        ),
        re.compile(
            rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?{_DAY_RANGE}\s+(?:of\s+)?(?P<m>{_EN_MONTH_RE})"
            r"(?:,?\s+(?P<y>(?:19|20)\d\d))?"
        ),
    ],
    "de": [
        re.compile(
            r"\b(?P<d>\d{1,2})\.(?:\s*(?:[-–—]|bis|und)\s*\d{1,2}\.)?\s*(?P<m>Januar|Jänner"
            r"|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"
            r"|Jan\.|Febr?\.|Apr\.|Aug\.|Sept?\.|Okt\.|Nov\.|Dez\.)(?:\s+(?P<y>(?:19|20)\d\d))?"
        )
    ],
    "ru": [
        re.compile(
            r"(?<!\w)(?P<d>\d{1,2})(?:\s*(?:[-–—]|по|и)\s*\d{1,2})?\s+(?P<m>января|февраля|марта|апреля"
            r"|мая|июня|июля|августа|сентября|октября|ноября|декабря"
            # agency abbreviations: "5 ноя", "12 сент."
            r"|янв|фев|февр|мар|апр|июн|июл|авг|сен|сент|окт|ноя|нояб|дек)\b\.?"
            r"(?:\s+(?P<y>(?:19|20)\d\d))?",
            re.IGNORECASE,
        )
    ],
}
_NUMERIC_DATE = re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>(?:19|20)\d\d)\b")

_WEEKDAYS = {
    "en": [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ],
    "de": [
        "montag",
        "dienstag",
        "mittwoch",
        "donnerstag",
        "freitag",
        "samstag",
        "sonntag",
    ],
    "ru": [
        "понедельник",
        "вторник",
        "среду",
        "четверг",
        "пятницу",
        "субботу",
        "воскресенье",
    ],
}
_WEEKDAY_RE = {
    "en": re.compile(
        r"\b(?:(?P<next>next|coming)\s+|(?:last|this past|on)\s+)?"
        r"(?P<w>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    ),
    "de": re.compile(
        r"\b(?:(?P<next>kommenden|nächsten|folgenden)\s+|(?:am|vergangenen|letzten|vorigen)\s+)?"
        r"(?P<w>Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag|Sonnabend)"
        r"(?:abend|morgen|nachmittag|vormittag|mittag)?\b",
        re.IGNORECASE,
    ),
    "ru": re.compile(
        r"(?<!\w)(?:в|во)\s+(?:(?P<next>следующ\w+|предстоящ\w+|ближайш\w+)\s+|(?:минувш\w+|"
        r"прошл\w+|эт\w+)\s+)?(?P<w>понедельник|вторник|среду|четверг|пятницу|субботу"
        r"|воскресенье)\b",
        re.IGNORECASE,
    ),
}
# Relative day words -> offset from the publication date. "today" is weak (also "nowadays").
_RELATIVE_RE = {
    "en": re.compile(r"\b(?P<w>the day before yesterday|yesterday|today)\b", re.IGNORECASE),
    "de": re.compile(r"(?<!bis )\b(?P<w>vorgestern|gestern|gestrigen|heute|heutigen)\b", re.I),
    "ru": re.compile(r"(?<!на )\b(?P<w>позавчера|вчера|вчерашн\w+|сегодня)\b", re.IGNORECASE),
}
_RELATIVE_OFFSET = {
    "the day before yesterday": -2, "yesterday": -1, "today": 0,
    "vorgestern": -2, "gestern": -1, "gestrigen": -1, "heute": 0, "heutigen": 0,
    "позавчера": -2, "вчера": -1, "сегодня": 0,
}  # fmt: skip


def _month_number(name: str, language: str) -> int | None:
    key = name.lower().rstrip(".")
    return MONTHS.get(key) or (MONTHS.get(key[:3]) if language == "en" else None)


def _nearest_year(month: int, day: int, anchor: date) -> date | None:
    """The (month, day) closest to the anchor: "30 December" read on 2 January is last year's."""
    best: date | None = None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if best is None or abs((candidate - anchor).days) < abs((best - anchor).days):
            best = candidate
    return best


@dataclass(slots=True)
class _DateHit:
    day: date
    kind: str  # explicit | weekday | relative | today
    start: int = 0  # offset in the sentence


def _dates_in(sentence: str, language: str, anchor: date | None) -> list[_DateHit]:
    """Dates a sentence names, in order: explicit days, weekdays and relative days."""
    found: list[tuple[int, _DateHit]] = []
    for pattern in _EXPLICIT.get(language, []):
        for match in pattern.finditer(sentence):
            month = _month_number(match.group("m"), language)
            day = int(match.group("d"))
            if month is None or not 1 <= day <= 31:
                continue
            year = match.group("y")
            if year:
                try:
                    value: date | None = date(int(year), month, day)
                except ValueError:
                    value = None
            else:
                value = _nearest_year(month, day, anchor) if anchor else None
            if value:
                found.append((match.start(), _DateHit(value, "explicit")))
    for match in _NUMERIC_DATE.finditer(sentence):
        try:
            value = date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
        except ValueError:
            continue
        found.append((match.start(), _DateHit(value, "explicit")))
    if anchor is not None and language in _WEEKDAY_RE:
        for match in _WEEKDAY_RE[language].finditer(sentence):
            name = match.group("w").lower()
            name = "samstag" if name == "sonnabend" else name
            weekday = _WEEKDAYS[language].index(name)
            if match.group("next"):
                delta = (weekday - anchor.weekday()) % 7 or 7
            else:  # the most recent such weekday on or before publication
                delta = -((anchor.weekday() - weekday) % 7)
            found.append((match.start(), _DateHit(anchor + timedelta(days=delta), "weekday")))
        for match in _RELATIVE_RE[language].finditer(sentence):
            word = match.group("w").lower()
            word = "вчера" if word.startswith("вчерашн") else word
            offset = _RELATIVE_OFFSET[word]
            kind = "today" if offset == 0 else "relative"
            found.append((match.start(), _DateHit(anchor + timedelta(days=offset), kind)))
    for start, hit in found:
        hit.start = start
    return [hit for _, hit in sorted(found, key=lambda pair: pair[0])]


_CLAUSE_BREAK = re.compile(r"[,;:—–]\s|\s[-–—]\s|\s(?:that|which|who)\s")


def _clause(sentence: str, position: int) -> str:
    """The clause around a position: between the nearest commas, semicolons or dashes."""
    start = 0
    for match in _CLAUSE_BREAK.finditer(sentence):
        if match.end() <= position:
            start = match.end()
        else:
            return sentence[start : match.start()]
    return sentence[start:]


def _same_clause(sentence: str, first: int, second: int) -> bool:
    """Whether no clause break stands between two positions of a sentence."""
    start, end = sorted((first, second))
    return _CLAUSE_BREAK.search(sentence, start, end) is None


def _future_at(item: _Analysed, position: int, language: str, announced: str | None) -> bool:
    """Whether the clause at `position` is about plans ("the next meeting will be held in Minsk").
    When the report announces its event (`announced` = its type, no past-tense trigger of it in
    the lead), a future clause reporting that event is the event ("will sign on 20 May")."""
    clause = _clause(item.sentence.text, position)
    if not item.future or not _is_future(clause, language, title=item.sentence.para == -1):
        return False
    return not (announced is not None and announced in item.hits)


def _announced(analysed: list[_Analysed], event_type: str) -> str | None:
    """The event type when the report only announces the event (all its lead triggers future)."""
    told = any(a.lead and not a.future and a.strong(event_type) for a in analysed)
    return None if told else event_type


def _decide_date(
    analysed: list[_Analysed],
    event_type: str,
    language: str,
    published: date | None,
    dateline: Dateline | None,
) -> tuple[date | None, DateSource | None]:
    """Text date from the sentences reporting the event, then the dateline, then publication."""
    anchor = published or (dateline.day if dateline else None)
    announced = _announced(analysed, event_type)
    if language in SUPPORTED_LANGUAGES:

        def reports_event(item: _Analysed) -> bool:
            return event_type in item.hits or any(h.weight >= STRONG for h in item.hits.values())

        candidates = [a for a in analysed if not a.sentence.quoted and not a.background]
        ordered = (
            [a for a in candidates if a.lead and reports_event(a)]
            + [a for a in candidates if not a.lead and event_type in a.hits]
            + [a for a in candidates if a.lead and not reports_event(a)]
        )
        for item in ordered:
            for hit in _dates_in(item.sentence.text, language, anchor):
                # "today" says when only in a sentence that reports the event ("Today, 90 % of
                # services are online" does not).
                if hit.kind == "today" and not reports_event(item):
                    continue
                if _future_at(item, hit.start, language, announced):
                    continue  # "The next meeting will be held on 12 May"
                return hit.day, "text"
    else:
        for item in analysed:
            for match in _NUMERIC_DATE.finditer(item.sentence.text):
                try:
                    day = date(
                        int(match.group("y")),
                        int(match.group("m")),
                        int(match.group("d")),
                    )
                except ValueError:
                    continue
                return day, "text"
    if dateline is not None and dateline.day is not None:
        return dateline.day, "dateline"
    if dateline is not None and language in SUPPORTED_LANGUAGES:
        # a dateline day nlp.dateline could not read: agency abbreviations ("БАКУ, 5 ноя /Trend/")
        for hit in _dates_in(dateline.text, language, anchor):
            if hit.kind == "explicit":
                return hit.day, "dateline"
    if published is not None:
        return published, "published"
    return None, None


# ---------------------------------------------------------------------------------------------
# City gazetteer


@dataclass(slots=True, frozen=True)
class City:
    name: str  # English
    country: str  # ISO 3166-1 alpha-2


_RU_VOWEL_END = tuple("оеёиуюыэ")
_RU_SIBILANT = tuple("жшщчц")
_RU_VELAR_SIB = tuple("гкхжшщч")


def ru_case_forms(name: str, gender: str | None = None) -> tuple[set[str], set[str]]:
    """Russian case forms of a city name by rule: (locative forms, all forms incl. nominative).

    Hyphenated names inflect their last part (Санкт-Петербурге, Нур-Султане, Алма-Ате); names
    ending in a vowel other than -а/-я are indeclinable (Баку, Алматы, Тбилиси, Душанбе).
    """
    head, sep, word = name.rpartition("-")
    prefix = head + sep
    if " " in word:
        return {name}, {name}  # multi-word names come with explicit forms
    lower = word.lower()
    if lower.endswith(_RU_VOWEL_END):
        return {name}, {name}
    if lower.endswith("ия"):
        stem = word[:-1]
        loc, other = {stem + "и"}, {stem + "ей", stem + "ю"}
    elif lower.endswith("а"):
        stem = word[:-1]
        gen = stem + ("и" if stem.lower().endswith(_RU_VELAR_SIB) else "ы")
        instr = {stem + "ой", stem + "ей"} if stem.lower().endswith(_RU_SIBILANT) else {stem + "ой"}
        loc, other = {stem + "е"}, {gen, stem + "у", *instr}
    elif lower.endswith("я"):
        stem = word[:-1]
        loc, other = {stem + "е"}, {stem + "и", stem + "ю", stem + "ей"}
    elif lower.endswith("й"):
        stem = word[:-1]
        loc, other = {stem + "е"}, {stem + "я", stem + "ю", stem + "ем"}
    elif lower.endswith("ь"):
        stem = word[:-1]
        if gender == "m":
            loc, other = {stem + "е"}, {stem + "я", stem + "ю", stem + "ем"}
        else:
            loc, other = {stem + "и"}, {stem + "ью"}
    else:
        instr = word + ("ем" if lower.endswith(_RU_SIBILANT) else "ом")
        loc, other = {word + "е"}, {word + "а", word + "у", instr}
    loc = {prefix + f for f in loc}
    every = loc | {prefix + f for f in other} | {name}
    return loc, every


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFC", text).casefold().replace("ё", "е").replace("’", "'")
    return text


_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*\.?")


def _tokens(text: str) -> list[tuple[int, int, str]]:
    """Word tokens with offsets; a final dot is kept only on short abbreviations (St., г.)."""
    out = []
    for match in _TOKEN.finditer(text):
        word = match.group(0)
        end = match.end()
        if word.endswith(".") and len(word) > 3:
            word, end = word[:-1], end - 1
        out.append((match.start(), end, word))
    return out


_LOCATIVE_PREPOSITIONS = {"in", "im", "в", "во", "at"}
# Words that may stand between the preposition and the city: "в городе Ташкенте",
# "in der kasachischen Hauptstadt Astana", "in the Kazakh capital, Astana".
_CITY_FILLERS = {
    "der", "dem", "the", "of", "city", "capital", "stadt", "hauptstadt", "metropole",
    "г", "г.", "городе", "город", "столице", "столица",
}  # fmt: skip
_NOMINATIVE_AFTER = {
    "г",
    "г.",
    "городе",
    "город",
    "столице",
}  # "в городе Ташкент" is fine too
# Where someone goes: the place of a visit ("visit to Minsk", "Reise nach Minsk", "визит в Минск").
_DIRECTION_PREPOSITIONS = {"nach", "to", "into"}
_ONWARD = re.compile(r"\b(weiter\w*|on to|onwards?|далее|затем|после)\b", re.IGNORECASE)
# Other prepositions end the look-back: "aus Minsk", "from Minsk", "из Минска" are not locations.
_OTHER_PREPOSITIONS = {
    "aus", "von", "bis", "from", "towards", "из", "до", "к", "ко", "от",
    "для", "через", "посетить", "посетил", "посетила", "посетили",
}  # fmt: skip


class Gazetteer:
    """City names of the gazetteer in de/ru/en and their Russian and German case forms."""

    MAX_TOKENS = 4

    def __init__(self, data: dict) -> None:
        self.cities: dict[str, City] = {}
        self._any: dict[tuple[str, ...], City] = {}  # every form: headlines, datelines, subjects
        self._locative: dict[tuple[str, ...], City] = {}  # forms that can follow "in"/"в"
        for name, entry in data.items():
            city = City(name, entry["country"])
            self.cities[name] = city
            latin = {name, *entry.get("en", []), *entry.get("de", [])}
            for form in latin:
                self._add(form, city, locative=True)
                if not form.endswith(("s", "x", "z", "ß")):
                    self._add(form + "s", city, locative=False)  # German genitive: Minsks
            gender = entry.get("ru_gender")
            for ru in entry.get("ru", []):
                locative, every = ru_case_forms(ru, gender)
                for form in every:
                    self._add(form, city, locative=form in locative)
            for form in entry.get("ru_forms", []):
                self._add(form, city, locative=True)

    def _add(self, form: str, city: City, locative: bool) -> None:
        key = tuple(_fold(t[2]) for t in _tokens(form))
        if not key or len(key) > self.MAX_TOKENS:
            return
        self._any.setdefault(key, city)
        if locative:
            self._locative.setdefault(key, city)

    def lookup(self, name: str) -> City | None:
        """The city a name (any language, any listed case form, any letter case) denotes."""
        key = tuple(_fold(t[2]) for t in _tokens(name))
        return self._any.get(key)

    def find(self, text: str) -> list[tuple[City, str, int]]:
        """Cities named in text: (city, role, char offset). Role "locative": where something
        happens ("in Minsk", "в Минске"); "destination": where someone goes ("в Минск",
        "nach Minsk", "to Minsk"); "other": any other mention ("Dinamo Minsk", "посетить Минск")."""
        tokens = _tokens(text)
        folded = [_fold(t[2]) for t in tokens]
        found: list[tuple[City, str, int]] = []
        i = 0
        while i < len(tokens):
            if not tokens[i][2][:1].isupper():
                i += 1
                continue
            for n in range(min(self.MAX_TOKENS, len(tokens) - i), 0, -1):
                key = tuple(folded[i : i + n])
                city = self._any.get(key)
                if city is None:
                    continue
                preposition, filler = self._preposition_before(text, tokens, folded, i)
                if preposition in _LOCATIVE_PREPOSITIONS and (
                    key in self._locative or filler in _NOMINATIVE_AFTER
                ):
                    role = "locative"
                elif preposition in _DIRECTION_PREPOSITIONS or (
                    preposition in {"в", "во"} and filler is None
                ):
                    role = "destination"  # "в Минск" (accusative), "nach Minsk"
                else:
                    role = "other"
                found.append((city, role, tokens[i][0]))
                i += n - 1
                break
            i += 1
        return found

    def _preposition_before(
        self, text: str, tokens: list[tuple[int, int, str]], folded: list[str], i: int
    ) -> tuple[str | None, str | None]:
        """The preposition governing token i ("in", "в", "nach") and the filler word standing
        between, if any ("в городе Ташкент" allows the nominative)."""
        filler: str | None = None
        for j in range(i - 1, max(-1, i - 5), -1):
            gap = text[tokens[j][1] : tokens[j + 1][0]]
            if re.search(r"[;:()\[\]—–.!?]", gap):
                return None, None
            word = folded[j]
            if word in _LOCATIVE_PREPOSITIONS or word in _DIRECTION_PREPOSITIONS:
                return word, filler
            if word in _OTHER_PREPOSITIONS:
                return None, None
            if word in _CITY_FILLERS:
                filler = filler or word
                continue
            # adjectives between: "im kasachischen Astana", "in the Kazakh capital"
            if "," in gap:
                return None, None
        return None, None


@functools.cache
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer, loaded on first use (not at import): the curated cities
    (nlp/data/cities.toml, which win) and the world's other time-zone cities from CLDR."""
    path = Path(__file__).parent / "data" / "cities.toml"
    curated = tomllib.loads(path.read_text("utf-8"))
    return Gazetteer(curated | _cldr_cities(curated))


# CLDR time-zone cities that are no place of state meetings: small towns, regions and islands
# named after their zone, and English words ("Resolute", "Phoenix").
_CLDR_SKIP = {
    "Adak", "Antigua", "Araguaína", "Atikokan", "Bahia", "Bahía de Banderas", "Blanc-Sablon",
    "Boa Vista", "Broken Hill", "Büsingen", "Cambridge Bay", "Campo Grande", "Canaries", "Cayman",
    "Ceuta", "Chihuahua", "Coyhaique", "Creston", "Cuiabá", "Danmarkshavn", "Darwin", "Dawson",
    "Dawson Creek", "Eirunepé", "Eucla", "Fernando de Noronha", "Fort Nelson", "Glace Bay",
    "Goose Bay", "Grand Turk", "Inuvik", "Ittoqqortoormiit", "Kamchatka", "Khandyga", "Kralendijk",
    "Lindeman", "Lord Howe Island", "Lower Prince’s Quarter", "Marigot", "Menominee", "Metlakatla",
    "Nome", "Ojinaga", "Phoenix", "Rankin Inlet", "Regina", "Resolute", "Saint-Pierre", "Sakhalin",
    "Santarém", "Sitka", "Srednekolymsk", "St. Barthélemy", "St. Kitts", "St. Lucia", "St. Thomas",
    "St. Vincent", "Swift Current", "Thule", "Tortola", "Ust-Nera", "Whitehorse", "Yakutat",
}  # fmt: skip
_CLDR_REGIONS = ("Africa/", "America/", "Asia/", "Australia/", "Europe/")
_CLDR_OTHER_CITIES = {
    "America/Argentina/Buenos_Aires", "Indian/Antananarivo", "Pacific/Apia", "Pacific/Auckland",
    "Pacific/Honolulu", "Pacific/Noumea", "Pacific/Port_Moresby",
}  # fmt: skip


def _strip_accents(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _cldr_cities(curated: dict) -> dict:
    """Gazetteer entries for the CLDR (Babel) exemplar cities of the time zones the curated
    file lacks, with their English, German and Russian names: the capitals and large cities
    of Africa, the Americas and Oceania, where delegations meet too. Forms that also name a
    state ("Kuwait", «Алжир» = Algeria and Algiers) are left out: the state wins."""
    from babel import Locale
    from babel.core import get_global

    from nlp.countries import country_code

    known = {
        _fold(form) for name, entry in curated.items() for form in (name, *entry.get("en", []))
    }
    locales = {lang: Locale(lang) for lang in ("en", "de", "ru")}
    entries: dict[str, dict] = {}
    for zone, territory in sorted(get_global("zone_territories").items()):
        if zone not in _CLDR_OTHER_CITIES and (
            zone.count("/") != 1 or not zone.startswith(_CLDR_REGIONS)
        ):
            continue
        names = {
            lang: locale.time_zones.get(zone, {}).get("city") for lang, locale in locales.items()
        }
        english = names["en"] or zone.rsplit("/", 1)[1].replace("_", " ")
        if english in _CLDR_SKIP or _fold(english) in known or country_code(english):
            continue
        german = names["de"] or english
        # the same names without accents, as many reports write them: "Bogota", "Sao Paulo"
        latin = {english, german} | {_strip_accents(n) for n in (english, german)}
        entry: dict = {"country": territory, "en": sorted(latin)}
        russian = names["ru"]
        if russian and not russian.startswith("о-") and not country_code(russian):
            entry["ru"] = [russian]
        entries[english] = entry
        known.add(_fold(english))
    return entries


def find_city(name: str) -> City | None:
    """The gazetteer city for a name in de/ru/en (any case form), e.g. "Ташкенте" -> Tashkent."""
    return gazetteer().lookup(name)


# A visited city as the verb's object, and a city hosting the event.
_VISITED = {
    "en": re.compile(r"\b(?:visit(?:ed|s|ing)?|toured|tours)\s+(?:the\s+city\s+of\s+)?$"),
    "de": re.compile(r"\b(?:besucht(?:e|en)?|bereist(?:e|en)?)\s+$"),
    "ru": re.compile(r"(?<!\w)посети(?:л|ла|ли|т|ят)?\s+$"),
}
_HOSTS = {
    "en": re.compile(r"\w+(?:[\s-]\w+)?\s+(?:will\s+host|hosts|hosted|is\s+hosting)\b"),
    "de": re.compile(r"\w+\s+(?:ist|war|wird)\s+Gastgeber\b|\w+\s+richtet\b"),
    "ru": re.compile(r"\w+(?:-\w+)?\s+(?:прим(?:ет|ут)|принял|принимает|станет\s+площадкой)\b"),
}


def _decide_location(
    analysed: list[_Analysed], event_type: str, language: str, dateline: Dateline | None
) -> City | None:
    """City of the sentence that reports the event, else the dateline's, else one in the lead."""
    gaz = gazetteer()
    usable = [a for a in analysed if not a.background and not a.sentence.quoted]
    announced = _announced(analysed, event_type)
    # a visiting delegation's home is not where it visits: "Eine Delegation aus Usbekistan …
    # Direktor des Zentrums … in Taschkent" happened in Mannheim
    guests = _guest_states(analysed, language)
    if len(guests) > 1:  # delegations of both sides: no way to tell guest from host
        guests = set()

    def locative_in(items: Iterable[_Analysed], with_trigger: bool = False) -> City | None:
        """The first city after "in"/"в"; `with_trigger`: only one in the clause of the
        event's trigger ("Köhler, die das Projekt in Taschkent leitet, lobte die Studienreise"
        does not place the study tour in Tashkent)."""
        for item in items:
            trigger = item.hits.get(event_type)
            for city, role, offset in gaz.find(item.sentence.text):
                if role != "locative" or _future_at(item, offset, language, announced):
                    continue
                if city.country in guests:
                    continue
                if with_trigger and (
                    trigger is None or not _same_clause(item.sentence.text, offset, trigger.start)
                ):
                    continue
                return city
        return None

    def visit_destination(items: Iterable[_Analysed]) -> City | None:
        """Where a visit goes is where it happens: "визит в Минск", "reiste nach Minsk" (but
        not an onward trip: "reiste nach dem Besuch nach Minsk weiter")."""
        for item in items:
            if item.strong("visit") is None:
                continue
            text = item.sentence.text
            for city, role, offset in gaz.find(text):
                visited = role == "other" and _VISITED.get(language, _NEVER).search(
                    text[max(0, offset - 25) : offset]
                )  # "visited Tallinn", "besuchte Berlin", «посетил Ташкент»
                if role != "destination" and not visited:
                    continue
                if _future_at(item, offset, language, announced):
                    continue
                if not _ONWARD.search(_clause(text, offset)):
                    return city
        return None

    def host_city(items: Iterable[_Analysed]) -> City | None:
        """A city that hosts the event: "Tashkent will host the forum", «Ташкент примет»."""
        for item in items:
            text = item.sentence.text
            for city, _role, offset in gaz.find(text):
                after = text[offset : offset + 40]
                if _HOSTS.get(language, _NEVER).match(after):
                    return city
        return None

    def reports_event(item: _Analysed) -> bool:
        return event_type in item.hits or any(h.weight >= STRONG for h in item.hits.values())

    city = locative_in(a for a in usable if a.lead and reports_event(a))
    city = city or locative_in(
        (
            a
            for a in analysed
            if not a.lead
            and not a.sentence.quoted
            and event_type in a.hits
            and not _background_at_trigger(a, event_type, language)
        ),
        with_trigger=True,
    )
    city = city or visit_destination(a for a in usable if a.lead)
    city = city or host_city(a for a in usable if a.lead and reports_event(a))
    if city:
        return city
    if dateline is not None:
        city = gaz.lookup(dateline.place)
        if city:
            return city
    city = locative_in(a for a in usable if a.lead)
    if city:
        return city
    # Last resort: a headline opening with a city that reports the event, as in "Tashkent hosts
    # regional forum" / "Ташкент принял форум" (the subject: not "Delegation reist nach Minsk").
    for item in usable:
        if item.sentence.para == -1 and reports_event(item) and not item.future:
            for city, role, offset in gaz.find(item.sentence.text):
                if offset == 0 and role == "other":
                    return city
    # No city at all, but a delegation of one state met the other: in the host's capital
    # («… провел встречу с армянской делегацией» in a report on Kazakhstan and Armenia).
    if guests:
        from nlp.countries import find_countries  # imported on use

        lead = " ".join(a.sentence.text for a in analysed if a.lead)
        hosts = {c.code for c in find_countries(lead, language)} - guests
        if len(hosts) == 1:
            capital = _capitals().get(hosts.pop())
            return gaz.lookup(capital) if capital else None
    return None


@functools.cache
def _capitals() -> dict[str, str]:
    """State -> capital (nlp/data/capitals.toml)."""
    path = Path(__file__).parent / "data" / "capitals.toml"
    return tomllib.loads(path.read_text("utf-8"))


# ---------------------------------------------------------------------------------------------
# The API


def event_facts(
    title: str | None,
    paragraphs: list[str],
    language: str | None,
    published: date | None,
    dateline: Dateline | None,
) -> EventFacts:
    """Type, date (with its source), and location of the event an article reports.

    `paragraphs` is the article body in order (the dateline, if any, still opening the first);
    `dateline` is nlp.dateline.parse_dateline's result for it. Unsupported languages get type
    "other" and a date from numeric dates, the dateline or the publication date.
    """
    language = (language or "").lower()
    body = _strip_dateline(paragraphs, dateline)
    sentences = _sentences(title, body)
    if language in SUPPORTED_LANGUAGES:
        analysed = []
        for s in sentences:
            future = _is_future(s.text, language, title=s.para == -1)
            hits = _sentence_hits(s.text, language, title=s.para == -1)
            analysed.append(_Analysed(s, hits, _is_background(s.text, language), future))
        event_type, evidence = _decide_type(analysed, language)
    else:
        analysed = [_Analysed(s, {}, False) for s in sentences]
        event_type, evidence = "other", None
    day, source = _decide_date(analysed, event_type, language, published, dateline)
    city = _decide_location(analysed, event_type, language, dateline)
    return EventFacts(
        event_type=event_type,
        date=day,
        date_source=source,
        location=city.name if city else None,
        location_country=city.country if city else None,
        plover=PLOVER[event_type],
        type_evidence=evidence,
    )


# ---------------------------------------------------------------------------------------------
# Acting countries

Mention = tuple[int, int, str]  # (paragraph index, -1 = title; char offset; ISO code)


def acting_countries(
    country_mentions: Iterable[Mention], title: str | None, paragraphs: Sequence[str]
) -> list[str]:
    """The states that act in the reported event, sorted: not every state named in passing.

    The subjects of a cooperation report stand in its headline and lead sentence ("Belarus und
    Kasachstan tauschen…", "A Belarusian delegation visited Kazakhstan's…"). When the headline
    names two or more states, they are the actors (a state first named in the first paragraph is
    added only if it is named twice there). Otherwise the states of the headline and the lead
    sentence are, leaving out those named only in a relative clause ("…, which was built with
    Estonian help"); when fewer than two are found, the rest of the first paragraph, then the
    states named most often (then earliest) further on complete the pair (cooperation needs two).
    `country_mentions` holds (paragraph, offset, code), e.g. from nlp.countries.find_countries per
    paragraph (paragraph -1 = the title).
    """
    from nlp.countries import enumerated_states, find_countries, names_union

    mentions = sorted(country_mentions)
    title_codes = list(dict.fromkeys(code for para, _, code in mentions if para == -1))
    first = [(offset, code) for para, offset, code in mentions if para == 0]
    if len(title_codes) >= 2:
        counts = Counter(code for _, code in first)
        return sorted(set(title_codes) | {c for c, n in counts.items() if n >= 2})
    acting = list(title_codes)

    def add(codes: Iterable[str]) -> None:
        for code in codes:
            if code not in acting:
                acting.append(code)

    lead = paragraphs[0] if paragraphs else ""
    sentence = _lead_sentence_span(lead, [offset for offset, _ in first])
    in_sentence = [(o, c) for o, c in first if sentence[0] <= o < sentence[1]]
    add(c for o, c in in_sentence if not _in_relative_clause(lead, o))
    if len(acting) < 2:
        add(c for _, c in in_sentence)
    if len(acting) < 2:
        add(c for _, c in first)
    if len(acting) < 2 and any(names_union(p) for p in [title or "", *paragraphs]):
        # a union's decision: its parties, listed further on
        for paragraph in paragraphs[1:]:
            listed = enumerated_states(paragraph, find_countries(paragraph))
            if listed:
                add(sorted(listed))
                break
    if len(acting) < 2:
        add(sorted(host_states(title, paragraphs)))  # "delegation visited … in Astana"
    if len(acting) < 2:
        rest = Counter(code for para, _, code in mentions if para >= 1)
        first_seen: dict[str, tuple[int, int]] = {}
        for para, offset, code in mentions:
            if para >= 1:
                first_seen.setdefault(code, (para, offset))
        for code in sorted(rest, key=lambda c: (-rest[c], first_seen[c])):
            add([code])
            if len(acting) >= 2:
                break
    return sorted(acting)


def _lead_sentence_span(paragraph: str, offsets: list[int]) -> tuple[int, int]:
    """Character span of the first sentence of the paragraph that names a state."""
    position = 0
    for sentence in _split_sentences(paragraph):
        start = paragraph.find(sentence, position)
        end = start + len(sentence)
        position = end
        if any(start <= offset < end for offset in offsets):
            return start, end
    return 0, 0


_RELATIVE = re.compile(
    r"^\s*(which|who|whose|where|that|der|die|das|dem|den|deren|dessen|wo"
    r"|котор\w+|где|чей|чья|чьи)\b",
    re.IGNORECASE,
)


def _in_relative_clause(paragraph: str, offset: int) -> bool:
    """Whether the clause holding `offset` opens with a relative pronoun ("…, which…")."""
    return bool(_RELATIVE.match(_clause(paragraph, offset)))


_DELEGATION = re.compile(r"\b(?:[Dd]elegation|[Дд]елегаци\w*)\b")
_FROM_STATE = re.compile(r"\s+(?:aus|from|of|из|der|des)\s+(?:\w+\s+){0,2}?(?=\w)")


def _guest_states(analysed: list[_Analysed], language: str) -> set[str]:
    """States a delegation comes from: "Delegation aus Usbekistan", "the Uzbek delegation",
    «делегация из Узбекистана», «узбекская делегация»."""
    from nlp.countries import find_countries  # imported on use, as in find_acting_countries

    states: set[str] = set()
    for item in analysed:
        text = item.sentence.text
        for m in _DELEGATION.finditer(text):
            before = text[max(0, m.start() - 30) : m.start()]
            states |= {c.code for c in find_countries(before, language) if c.end >= len(before) - 1}
            after = _FROM_STATE.match(text, m.end())
            if after:
                following = text[after.end() : after.end() + 40]
                states |= {c.code for c in find_countries(following, language) if c.start == 0}
    return states


def host_states(title: str | None, paragraphs: Sequence[str]) -> set[str]:
    """States of the cities where the headline or the first paragraph places the report ("in
    Astana", "nach Minsk", "в Ташкенте"): the host of a visit takes part in it even when the
    report names only the guests' state. A dateline city is no such place."""
    found: set[str] = set()
    for text in [title or "", *paragraphs[:1]]:
        for city, role, _offset in gazetteer().find(text):
            if role in {"locative", "destination"}:
                found.add(city.country)
    return found


def find_acting_countries(title: str | None, paragraphs: Sequence[str]) -> list[str]:
    """acting_countries() with mentions found by nlp.countries (imported on use)."""
    from nlp.countries import find_countries

    mentions: list[Mention] = []
    for index, text in enumerate([title or "", *paragraphs]):
        for mention in find_countries(text):
            mentions.append((index - 1, mention.start, mention.code))
    return acting_countries(mentions, title, paragraphs)
