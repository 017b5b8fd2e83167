"""Named initiatives, platforms and systems of one article ("Digitale Familienkarte",
«Цифровая карта семьи», "Astana Hub", "eGov mobile", «Тундук», "Work Without Borders"), with
their owner state and an English name built from the e-government glossary, so that one
project named in three languages gets one id.

Patterns: a quoted name after a project noun (Programm „…“, платформа «…», the "…" portal), a
short quoted name made of glossary words, a capitalised name before a project noun (the Tunduk
system, the Digital Civil Service program), a capitalised name headed by one (Single Portal of
Electronic Services, Единый портал …, Einheitliche Portal …), brand-like tokens (eGov.kz,
my.gov.uz, eGov mobile, Astana Hub), and the well-known platforms of nlp/data/projects.toml
(Diia, X-Road, Aadhaar, «Госуслуги»), which need no pattern and bring their owner state.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass

from coopwatch.records import Project
from nlp.countries import (
    country_code,
    domain_mentions,
    find_countries,
    is_country_word,
    names_union,
)
from nlp.countries import english_name as country_english_name
from nlp.gazetteer import Gazetteer
from nlp.glossary import (
    DATA,
    english_name,
    english_word,
    head_of,
    name_key,
    ru_is_genitive,
    ru_lemma,
    ru_pos,
    slug,
    translate_words,
)
from nlp.months import MONTHS
from nlp.names import morph, transliterate
from nlp.quotes import speech_verb_after
from nlp.roles import TOKEN

SUPPORTED = ("de", "en", "ru")
_PROJECT_NOUNS = {
    "en": re.compile(
        r"^(?:program|programme|platform|system|portal|app|application|initiative|project|pilot|"
        r"service|services|database|registry|register|network)s?$",
        re.IGNORECASE,
    ),
    "de": re.compile(
        r"(?:programm|plattform|system|portal|app|anwendung|initiative|projekt|dienst|"
        r"datenbank|register|netz|netzwerk)\w{0,3}$",
        re.IGNORECASE,
    ),
    "ru": re.compile(
        r"^(?:программ|платформ|систем|портал|приложени|инициатив|проект|сервис|баз|реестр|"
        r"сет)\w*$",
        re.IGNORECASE,
    ),
}
# Each kind of quotation mark pairs with its own closing mark, so that a name quoted inside a
# quotation («Платформа "Гостех" позволяет …») is found too.
_QUOTED = (
    re.compile(r"«([^«»\n]{2,80})»"),
    re.compile(r"„([^„“”\n]{2,80})[“”]"),
    re.compile(r"“([^„“”\n]{2,80})”"),
    re.compile(r"\"([^\"\n]{2,80})\""),
)
_DOMAIN = re.compile(
    r"(?<![\w.@/])((?:[a-z][\w-]*\.)+(?:kz|uz|by|ru|kg|az|tj|am|ge|md|ua|gov|org))(?!\w|\.\w)"
)
_CAMEL = re.compile(
    # "eGov mobile" is a product of its own; "the myGov app" is myGov ("al-Mansoori" is a name)
    r"(?<![\w.-])(?!(?:al|el|as|ad|ar|at|az|an)-)"
    r"([a-z]{1,2}-?[A-Z][A-Za-z]+(?:\s+(?:[Mm]obile|[Bb]usiness|ID))?)\b"
)
# Digital identity and e-service brands written as one word: HayID, TurkicID, UzPass
_ID_BRAND = re.compile(
    r"(?<![\w.-])([A-Z][a-z]{1,12}(?:ID|Pass|Sign)|[A-Z]{2,4}4[A-Z][a-z]+)\b"  # EU4Digital
)
_COMMON_E_WORD = re.compile(r"e-?(?:Mail|Book|Commerce|Shop)s?", re.IGNORECASE)
# Camel-case words that are products of no state or units: "the app for iOS and Android",
# the EU's eIDAS regulation
_NOT_BRAND = re.compile(
    r"i(?:OS|Phone|Pad|Mac|Pod|Cloud|Tunes|PadOS)|macOS|watchOS|eBay|eSIM|[kMGT]Wh|mAh|eIDAS"
)
# A state's national digital programme named after it: "Digital Egypt", "Digitales
# Kasachstan", «Цифровой Казахстан» (its capital D: "a digital Egypt" is no name).
_DIGITAL_STATE = {
    "en": re.compile(r"\bDigital\s+(?P<state>[A-Z][a-z]+)\b"),
    "de": re.compile(r"\bDigitale?s?\s+(?P<state>[A-ZÄÖÜ][a-zäöüß]+)\b"),
    "ru": re.compile(r"(?<![\w«])Цифров(?:ой|ого|ому|ым|ом)\s+(?P<state>[А-ЯЁ][а-яё]+)"),
}
_HUB = re.compile(r"\b([A-Z][\w-]+\s+Hub)\b")
_NOT_NAME = {"the", "a", "an", "this", "that", "its", "their", "our", "new", "joint"}


@dataclass(frozen=True, slots=True)
class KnownProject:
    canonical: str
    country: str | None
    # a name that describes rather than brands: the owner named with it belongs to the name
    # ("the Union State trust space", «пространство доверия Союзного государства»)
    descriptive: bool = False


@functools.cache
def known_projects() -> Gazetteer[KnownProject]:
    """The well-known platforms of nlp/data/projects.toml, matched as written."""
    data = tomllib.loads((DATA / "projects.toml").read_text(encoding="utf-8"))
    names = []
    for entry in data["project"]:
        known = KnownProject(
            entry["canonical"], entry.get("country") or None, entry.get("descriptive", False)
        )
        names.extend((name, known) for name in entry["names"])
    return Gazetteer(names, brands=True)


def _with_owner(text: str, start: int, end: int, lang: str) -> tuple[int, int, str | None]:
    """A descriptive name with its owner, a union or body named by a proper name: before it in
    English ("the Union State trust space"), as a genitive after it in German and Russian
    ("Vertrauensraum des Unionsstaates", «пространство доверия Союзного государства»).
    Returns the widened span and the owner in English (None where the glossary cannot say)."""
    if lang == "en":
        m = re.search(r"(?<![\w'’-])((?:[A-Z][\w-]+\s){1,3})$", text[max(0, start - 50) : start])
        words = m.group(1).split() if m else []
        if (
            not words
            or words[0].lower() in _NOT_NAME
            or any(is_country_word(w, lang) for w in words)
        ):
            return start, end, None
        return start - len(m.group(1)), end, " ".join(words)
    if lang == "de":
        m = re.match(r"\s(?:des|der)\s((?:[A-ZÄÖÜ][\w-]+)(?:\s[A-ZÄÖÜ][\w-]+){0,2})", text[end:])
        words = m.group(1).split() if m else []
    else:
        words = []
        for w in re.findall(r"\S+", text[end : end + 80])[:3]:
            w = w.rstrip(".,;:!?»)")
            genitive = re.fullmatch(r"[А-ЯЁ]{2,6}", w) or (w and ru_is_genitive(w))
            if not genitive or (not words and not w[:1].isupper()):
                break
            words.append(w)
        m = re.match(r"\s" + r"\s".join(map(re.escape, words)), text[end:]) if words else None
    if not m or not words or any(is_country_word(w, lang) for w in words):
        return start, end, None
    english = [w for w in translate_words(words, lang) if w != "of"]
    known = all(e != transliterate(w) and e != w for e, w in zip(english, words, strict=False))
    return start, end + m.end(), " ".join(english) if known else None


def _words(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]


def _is_project_noun(word: str, lang: str) -> bool:
    return bool(
        _PROJECT_NOUNS[lang].search(word) if lang == "de" else _PROJECT_NOUNS[lang].match(word)
    )


def _country_near(text: str, start: int, end: int, lang: str) -> str | None:
    before = text[max(0, start - 30) : start]
    mentions = find_countries(before, lang)
    if mentions:
        gap = before[mentions[-1].end :]
        # "kasachische eGov", or with the kind of project between: "der kasachischen App eGov"
        if len(gap) <= 3 or (
            re.fullmatch(r"\s\w+\s[„«“\"]?", gap) and _is_project_noun(gap.strip(' „«“"'), lang)
        ):
            return mentions[-1].code
    after = text[end : end + 25]
    mentions = find_countries(after, lang)
    if mentions and mentions[0].start <= 1 and mentions[0].kind == "name":
        return mentions[0].code
    return None


def _canonical(words: list[str], lang: str) -> str:
    if lang == "en":
        return " ".join(words)
    if len(words) == 1 and re.search(r"[А-Яа-яЁё]", words[0]):
        return transliterate(words[0])  # a one-word name is a brand: «Госуслуги» = Gosuslugi
    head = next((i for i, w in enumerate(words) if head_of(w, lang)), None)
    return english_name(words, head, lang)


def _quoted(text: str, lang: str, start_at: int) -> list[tuple[int, int, str, str]]:
    out = []
    quoted = sorted(
        (m for rx in _QUOTED for m in rx.finditer(text, start_at)), key=lambda m: m.start()
    )
    for m in quoted:
        inner = m.group(1).strip()
        words = inner.split()
        if not 1 <= len(words) <= 6 or re.search(r"[.!?,:;]", inner):
            continue
        if not (words[0][:1].isupper() or _CAMEL.match(words[0])):
            continue
        if speech_verb_after(text, m.end(), lang):
            continue  # „Das ist erst der Anfang“, sagte Alimow: speech, not a name
        # the words before, in the same sentence
        lead = re.split(r"[.!?…]\s", text[max(0, m.start() - 60) : m.start()])[-1]
        before = [w for _s, _e, w in _words(lead)][-4:]
        # the kind of project right after the name, or after its modifiers ("Digital Login"
        # single authentication system); within the clause
        tail = re.split(r"[,.;:!?()«»„“”\"]", text[m.end() : m.end() + 40])[0]
        after = [w for _s, _e, w in _words(tail)][:3]
        head = head_of(before[-1], lang) if before else None
        body_before = before and (head or before[-1] in {"ГП", "АО", "ТОО", "GmbH"})
        if body_before and (head is None or head.kind != "project"):
            continue  # ГП «Тундук», Госкорпорация «…»: a body's name
        noun_near = any(_is_project_noun(w, lang) for w in before) or any(
            _is_project_noun(w, lang) for w in after
        )
        known = sum(1 for w in words if english_word(w, lang) or head_of(w, lang))
        glossary_name = len(words) <= 5 and known >= max(1, len(words) - 1) and lang != "en"
        if noun_near or glossary_name:
            out.append((m.start(1), m.end(1), inner, _canonical(words, lang)))
    return out


# Lowercase words that describe a system between its name and its kind: "the MPass
# authentication service", "the Trembita and X-Road data exchange systems".
_EN_SYSTEM_MODIFIERS = {
    "data", "exchange", "authentication", "identity", "identification", "payment", "signature",
    "e-signature", "messaging", "information", "interagency", "inter-agency", "document",
    "interoperability", "management", "registration", "tracking", "mobile", "online",
    "electronic", "digital", "e-government", "biometric", "cloud", "login", "sign-on",
    "integration", "verification", "queue", "booking", "procurement", "e-services",
    "customs", "tax", "health", "land", "population", "licensing", "pension", "court",
}  # fmt: skip


def _capitalised_before_noun(text: str, start_at: int) -> list[tuple[int, int, str, str]]:
    """en: "the Tunduk system", "Kyrgyzstan's Tunduk system", "the Digital Civil Service
    program", "the MPass authentication service", "the Trembita and X-Road data exchange
    systems" (two projects)."""
    out = []
    words = _words(text)
    for i, (_s, _e, word) in enumerate(words):
        if _s < start_at or not _is_project_noun(word, "en") or not word[:1].islower():
            continue
        k = i
        while k - 1 >= 0 and i - k < 3 and words[k - 1][2].lower() in _EN_SYSTEM_MODIFIERS:
            if not words[k - 1][2][:1].islower():
                break
            k -= 1
        if k < i:  # described: the name must follow a determiner or possessive ("the MPass")
            found = _names_before(words, k) if word.lower() != "services" else []
            lead = words[found[0][0] - 1][2] if found else ""
            if found and (lead.lower() in {"the", "its", "their"} or lead.endswith(("'s", "’s"))):
                for a, b in found:
                    name = " ".join(w for _x, _y, w in words[a:b])
                    out.append((words[a][0], words[b - 1][1], name, name))
            continue
        j = i
        while (
            j - 1 >= 0
            and words[j - 1][2][:1].isupper()
            and words[j - 1][2].lower() not in _NOT_NAME
        ):
            w = words[j - 1][2]
            if is_country_word(_possessive_base(w), "en") or w.endswith(("'s", "’s", "'")):
                break
            j -= 1
        if j == i or (j > 0 and words[j - 1][2] in {"'s", "’s"} and j == i):
            continue
        # the name must not start the sentence or a quotation (Title words there are ordinary
        # words: "“Digital services are …")
        if j == 0 or words[j - 1][2] in _SENTENCE_OPENERS:
            continue
        name_words = [w for _a, _b, w in words[j:i]]
        if head_of(name_words[-1], "en") and head_of(name_words[-1], "en").kind == "organization":
            continue
        if names_union(" ".join(name_words)):
            continue  # "a Union State program", "the EAEU platform": the owner, not a name
        out.append((words[j][0], words[i - 1][1], " ".join(name_words), " ".join(name_words)))
    return out


_SENTENCE_OPENERS = {".", "!", "?", ":", "“", "„", "«", "»", '"', "‘", "(", "–", "—"}


# en: a programme named in title case, its kind capitalised too: "the UAE Government
# Experience Exchange Programme", "the Digital Skills for Public Service Initiative"
_TITLED_PROGRAMME = re.compile(
    r"\b((?:[A-Z][\w-]+\s+(?:(?:for|of|and)\s+)?){1,6}"
    r"(?:Programme|Program|Platform|Initiative|Project|Portal|Network))\b"
)


def _titled_programmes(text: str, start_at: int) -> list[tuple[int, int, str, str]]:
    out = []
    for m in _TITLED_PROGRAMME.finditer(text, start_at):
        words = m.group(1).split()
        while words and (
            words[0] in {"The", "A", "An"}
            or words[0].endswith(("'s", "’s"))  # the owner: "Singapore's"
            or words[0].lower() in _NOT_NAME
        ):
            words = words[1:]
        if len(words) < 3:  # "Digital Platform" is a kind, not a name
            continue
        name = " ".join(words)
        start = m.end(1) - len(name)
        out.append((start, m.end(1), name, name))
    return out


def _names_before(words: list[tuple[int, int, str]], k: int) -> list[tuple[int, int]]:
    """Capitalised names ending right before word k, coordinated ones too ("Trembita and
    X-Road"): [(first, end)] word indices, in text order; [] if none or one starts a sentence."""
    found: list[tuple[int, int]] = []
    end = k
    while True:
        j = end
        while j - 1 >= 0 and words[j - 1][2][:1].isupper() and j - end > -4:
            w = words[j - 1][2]
            if w.lower() in _NOT_NAME or is_country_word(_possessive_base(w), "en"):
                break
            j -= 1
        if j == end or j == 0 or words[j - 1][2] in _SENTENCE_OPENERS:
            return []
        found.insert(0, (j, end))
        if words[j - 1][2] in {"and", ","} and j - 2 >= 0 and words[j - 2][2][:1].isupper():
            end = j - 1
            continue
        return found


def _quotation_goes_on(text: str, head: int, words: list[tuple[int, int, str]]) -> bool:
    """Does the quotation opening before the name run on past the name's head noun with
    more words (speech), rather than close after it (a quoted name: «Электронное
    правительство»)?"""
    rest = text[words[head][1] : words[head][1] + 40]
    return not re.match(r"[^»“”\"]{0,25}[»“”\"]", rest)


_ACRONYM_NEXT = re.compile(r"\s*\(([A-ZА-ЯЁ]{2,8})\)")


def _headed(text: str, lang: str, start_at: int) -> list[tuple[int, int, str, str]]:
    """Names headed by a project noun of the glossary: Single Portal of Electronic Services,
    Единым порталом интерактивных государственных услуг, Einheitliche Portal für …"""
    out = []
    words = _words(text)
    for i, (s, _e, word) in enumerate(words):
        head = head_of(word, lang)
        if s < start_at or head is None or head.kind != "project":
            continue
        left = i
        while left - 1 >= 0:
            w = words[left - 1][2]
            if lang == "ru":
                ok = ru_pos(w) in {"ADJF", "PRTF"} and not is_country_word(w, lang)
            elif lang == "de":
                ok = english_word(w, lang) is not None and not is_country_word(w, lang)
            else:
                ok = (
                    (
                        w[:1].isupper()
                        and w.lower() not in _NOT_NAME
                        and not is_country_word(_possessive_base(w), lang)
                        and not w.endswith(("'s", "’s", "'"))
                    )
                    or (  # "Unified Identification and Authentication System"
                        w == "and" and left - 2 >= 0 and words[left - 2][2][:1].isupper()
                    )
                )
            if not ok:
                break
            left -= 1
        if lang == "en" and words[left][2] == "and":
            left += 1
        first = words[left][2]
        sentence_start = (
            left == 0
            or words[left - 1][2] in {".", "!", "?"}
            or "\n" in text[words[left - 1][1] : words[left][0]]
            # a quotation opens with a capital too: «Наши системы технически готовы …»
            or (words[left - 1][2] in {"«", "„", "“", '"'} and _quotation_goes_on(text, i, words))
        )
        right = i + 1
        j = i + 1
        while j < len(words) and j - i < 8:
            w = words[j][2]
            if lang == "en":
                if w in {"of", "for"} and j + 1 < len(words) and words[j + 1][2][:1].isupper():
                    j += 1
                    continue
                if w[:1].isupper() and not is_country_word(w, lang):
                    j += 1
                    right = j
                    continue
            elif lang == "de":
                if w in {"für"} or (english_word(w, lang) and not is_country_word(w, lang)):
                    j += 1
                    if w != "für":
                        right = j
                    continue
            elif (
                w[:1].islower()
                and ru_pos(w) in {"ADJF", "NOUN", "PRTF"}
                and ru_is_genitive(w)
                and ru_lemma(w) not in _RU_PLACE_NOUNS
            ):
                j += 1
                right = j
                continue
            elif (  # «системы идентификации и аутентификации»
                w == "и"
                and j + 1 < len(words)
                and ru_pos(words[j + 1][2]) == "NOUN"
                and ru_is_genitive(words[j + 1][2])
                and words[j + 1][2][:1].islower()
            ):
                j += 1
                continue
            break
        # a description with its acronym is a name however it is written: «общегосударственной
        # автоматизированной информационной системы (ОАИС)»
        acronym = _ACRONYM_NEXT.match(text, words[right - 1][1])
        if lang == "en":
            if not acronym and (not word[:1].isupper() or left == i):
                continue
        elif not acronym and (
            not first[:1].isupper() or sentence_start or (left == i and lang == "ru")
        ):
            continue
        if acronym and left == i:
            continue  # a bare head noun with an acronym ("system (ERP)") names nothing
        if acronym and _ends_body_name(words, left, lang):
            continue  # "Agentur für das öffentliche Register (NAPR)": the body's acronym
        name_words = [w for _a, _b, w in words[left:right]]
        if len(name_words) < 2 or " ".join(ru_lemma(w) for w in name_words[:2]) in _DOCUMENTS:
            continue
        canonical = (
            english_name([w for _a, _b, w in words[left:right]], i - left, lang)
            if lang != "en"
            else " ".join(name_words)
        )
        out.append(
            (
                words[left][0],
                words[right - 1][1],
                text[words[left][0] : words[right - 1][1]],
                canonical,
            )
        )
    return out


_BODY_NAME_GLUE = {"für", "das", "die", "den", "der", "of", "the", "for", "по", "для"}


def _ends_body_name(words: list[tuple[int, int, str]], left: int, lang: str) -> bool:
    """Does the phrase starting at `left` complete a body's name before it ("der Nationalen
    Agentur für das öffentliche Register")?"""
    k = left - 1
    while k >= 0 and left - k <= 3 and words[k][2].lower() in _BODY_NAME_GLUE:
        k -= 1
    if k < 0 or k == left - 1:
        return False
    head = head_of(words[k][2], lang)
    return head is not None and head.kind == "organization"


# A name right after the kind of project, in apposition: "die App Diia", "das System Tunduk",
# "die Datenaustauschsysteme Trembita und X-Road", «систему Тундук», "платформа X-Road". German
# capitalises every noun, so the name must not look like one ("das Portal Ende 2025").
_DE_DETERMINERS = {
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines",
    "ihre", "ihrer", "ihren", "seine", "seiner", "seinen", "unsere", "unserer",
    "dessen", "deren", "ihr", "ihrem", "ihres", "sein", "seinem", "seines", "unser",
}  # fmt: skip
_DE_NOUN_ENDING = re.compile(
    r"(?:ung|ungen|heit|keit|schaft|tion|tionen|tät|nis|ismus|ern|ers|eit|ik|e|en|-)$"
)
_DE_TIME_NOUNS = {"Ende", "Anfang", "Mitte", "Beginn", "Jahr", "Jahres", "Monat", "Monats"}
_COORDINATION = {"de": {"und", "sowie", "oder"}, "ru": {"и", "или"}}


def _name_like(word: str, lang: str) -> bool:
    if not word[:1].isupper() or is_country_word(word, lang) or word.lower() in MONTHS:
        return False
    if lang == "de":
        if re.search(r"[a-z][A-Z]", word):
            return True  # a brand's inner capital: ZamPortal, eGovPH (no German compound)
        return not (
            word in _DE_TIME_NOUNS
            or _DE_NOUN_ENDING.search(word)
            or english_word(word, lang)
            or head_of(word, lang)
        )
    if re.fullmatch(r"[A-Za-z][\w-]*", word):
        return True  # a Latin name in Russian text: платформа X-Road
    parses = morph().parse(word)
    return not (
        word.startswith(("Мин", "Гос"))  # Минцифры, Госкомитет: bodies
        or morph().word_is_known(word)
        or any({"Name", "Surn", "Geox", "Orgn"} & p.tag.grammemes for p in parses)
    )


def _named_after_noun(text: str, lang: str, start_at: int) -> list[tuple[int, int, str, str]]:
    out: list[tuple[int, int, str, str]] = []
    if lang not in _COORDINATION:
        return out
    words = _words(text)
    for i, (s, _e, word) in enumerate(words[:-1]):
        if s < start_at or not _is_project_noun(word, lang) or (i == 0 and lang == "de"):
            continue
        # "das Serviceportal Amt24", "das sächsische Serviceportal Amt24"
        lead = i - 1
        adjective = re.fullmatch(r"[a-zäöüß]+(?:e|en|er|es|em)", words[lead][2])
        if lang == "de" and lead > 0 and adjective and words[lead][2] not in _DE_DETERMINERS:
            lead -= 1
        if lang == "de" and (
            not word[:1].isupper()
            or words[lead][2].lower() not in _DE_DETERMINERS
            or words[lead][2].lower() in {"des", "eines"}  # des Finanzsystems Luft: genitive
        ):
            continue
        # «социальной сети Facebook», «сервисов Google», «на базе HTML5»: the owner's name
        opens_sentence = i == 0 or words[i - 1][2] in {".", "!", "?"}
        if lang == "ru" and (
            not (word[:1].islower() or opens_sentence)
            or re.match(r"(?:сет|сервис|баз)", word, re.IGNORECASE)
        ):
            continue
        j = i + 1
        names: list[int] = []
        while j < len(words) and _name_like(words[j][2], lang):
            names.append(j)
            after = words[j + 1][2] if j + 1 < len(words) else "."
            if (after in _COORDINATION[lang] or after == ",") and j + 2 < len(words):
                j += 2
                continue
            break
        if not names:
            continue
        last = names[-1]
        follow = words[last + 1][2] if last + 1 < len(words) else "."
        if follow[:1].isupper():
            continue  # a longer capitalised phrase: not a one-word name in apposition
        for k in names:
            name = words[k][2]
            canonical = transliterate(name) if re.search(r"[А-Яа-яЁё]", name) else name
            out.append((words[k][0], words[k][1], name, canonical))
    return out


# What two states build together and name by description: "a joint service design
# laboratory", «совместной лаборатории сервисного дизайна», "ein gemeinsames Kompetenzzentrum".
# A joint working group, commission or statement is how they cooperate, not a project.
_JOINT_HEADS = {
    "en": r"laboratory|lab|cent(?:re|er)|platform|portal|system|hub|academy|programme"
    r"|program|app|database|registry",
    "ru": {
        "лаборатория", "центр", "платформа", "портал", "система", "хаб", "академия", "программа",
        "приложение", "реестр",
    },
    "de": r"labor|zentrum|plattform|portal|system|hub|akademie|programm|register|app",
}  # fmt: skip
_JOINT_EN = re.compile(
    rf"\b[Jj]oint\s+(?:(?!(?:and|or|of|the|to|for|in|on)\s)[A-Za-z][\w-]*\s+){{1,4}}?"
    rf"(?:{_JOINT_HEADS['en']})\b(?!-)"
)
_JOINT_DE = re.compile(
    rf"\b[Gg]emeinsam(?:e|en|er|es|em)\s+(?:[a-zäöüß][\w-]*(?:e|en|er|es|em)\s+)?"
    rf"[A-ZÄÖÜ][\w-]*(?:{_JOINT_HEADS['de']})(?:s|es)?\b"
)
_JOINT_RU = re.compile(r"[Сс]овместн(?:ый|ая|ое|ого|ой|ому|ым|ом|ую)")


# A facility named after the two states that run it: "Korea-Uzbekistan e-Government
# Cooperation Center", "Koreanisch-Usbekisches Zentrum für digitale Verwaltung",
# «Узбекско-корейского центра сотрудничества». Its English name puts the states' names first.
_STATE_PAIR = re.compile(
    r"\b([A-ZÄÖÜА-ЯЁ][a-zäöüа-яё]+)[-–]([A-ZÄÖÜА-ЯЁa-zäöüа-яё][a-zäöüа-яё]+)\b"
)
_PAIR_NAME_TAIL = {
    "en": re.compile(rf"\s+(?:[\w-]+\s+){{0,4}}?(?i:{_JOINT_HEADS['en']})\b"),
    "de": re.compile(
        rf"\s+(?:[\w-]+\s+){{0,2}}?[\w-]*(?i:{_JOINT_HEADS['de']})(?:s|es)?\b"
        r"(?:\s+für\s+(?:die\s+)?(?:[a-zäöüß][\w-]*\s+){0,3}?[A-ZÄÖÜ][\w-]+)?"
    ),
}


def _state_pair_facilities(text: str, lang: str, start_at: int) -> list[tuple[int, int, str, str]]:
    out = []
    for m in _STATE_PAIR.finditer(text, start_at):
        codes = [country_code(m.group(k)) for k in (1, 2)]
        if not all(codes):
            continue
        states = "-".join(country_english_name(code) for code in codes)
        if lang in _PAIR_NAME_TAIL:
            tail = _PAIR_NAME_TAIL[lang].match(text, m.end())
            if not tail:
                continue
            stop, rest = tail.end(), tail.group(0).split()
        else:  # ru: adjectives, the head noun, its genitives
            words = _words(text[m.end() : m.end() + 120])
            k = 0
            while k < len(words) and ru_pos(words[k][2]) in {"ADJF", "PRTF"} and k < 3:
                k += 1
            if k >= len(words) or ru_lemma(words[k][2]) not in _JOINT_HEADS["ru"]:
                continue
            end = k + 1
            while (
                end < len(words)
                and end - k <= 3
                and ru_pos(words[end][2]) in {"NOUN", "ADJF"}
                and ru_is_genitive(words[end][2])
            ):
                end += 1
            stop, rest = m.end() + words[end - 1][1], [w for _s, _e, w in words[:end]]
        if lang == "en":
            described = " ".join(rest)
        else:
            head = next(k for k, w in enumerate(rest) if _joint_head(w, lang) or k == len(rest) - 1)
            described = english_name(rest, head, lang)
        out.append((m.start(), stop, text[m.start() : stop], f"{states} {described}"))
    return out


def _joint_head(word: str, lang: str) -> bool:
    if lang == "ru":
        return ru_lemma(word) in _JOINT_HEADS["ru"]
    return re.search(rf"(?:{_JOINT_HEADS[lang]})(?:s|es)?$", word, re.IGNORECASE) is not None


def _joint(text: str, lang: str, start_at: int) -> list[tuple[int, int, str, str]]:
    """Joint facilities and systems of the cooperating states, described rather than named."""
    out = []
    if lang == "en":
        for m in _JOINT_EN.finditer(text, start_at):
            out.append((m.start(), m.end(), m.group(0), m.group(0)))
    elif lang == "de":
        for m in _JOINT_DE.finditer(text, start_at):
            words = m.group(0).split()
            out.append((m.start(), m.end(), m.group(0), english_name(words, len(words) - 1, lang)))
    else:
        words = _words(text)
        for i, (s, _e, word) in enumerate(words):
            if s < start_at or not _JOINT_RU.fullmatch(word):
                continue
            j = i + 1
            while j < len(words) and ru_pos(words[j][2]) in {"ADJF", "PRTF"} and j - i <= 3:
                j += 1
            if j >= len(words) or ru_lemma(words[j][2]) not in _JOINT_HEADS["ru"]:
                continue
            head, end = j, j + 1
            while (
                end < len(words)
                and end - head <= 3
                and words[end][2][:1].islower()
                and ru_pos(words[end][2]) in {"ADJF", "NOUN"}
                and ru_is_genitive(words[end][2])
            ):
                end += 1
            if head == i + 1 and end == head + 1:
                continue  # «совместный центр» alone describes nothing in particular
            name_words = [w for _s, _e, w in words[i:end]]
            start, stop = words[i][0], words[end - 1][1]
            out.append((start, stop, text[start:stop], english_name(name_words, head - i, lang)))
    return out


_NAMED_NEARBY = 150  # characters
_DOCUMENTS = {"дорожный карта"}
_RU_PLACE_NOUNS = {
    "страна",
    "республика",
    "город",
    "область",
    "регион",
    "мир",
}  # a roadmap is a document, not a project
_APPOSITION = re.compile(
    r"\b((?:[A-Z][\w-]+\s+)(?:(?:[A-Z][\w-]+|of|for|without|Without)\s+)*[A-Z][\w-]+),\s+"
    # the kind's own modifiers, not a phrase of its own: "X, the development of the platform"
    r"(?:the|a|an)\s+(?:(?!(?:of|for|to|in|on|with|the|a|an)\s)[\w'’-]+\s+){0,4}?"
    r"(?:system|platform|portal|program|programme|app|initiative|project|service)\b"
)


def _possessive_base(word: str) -> str:
    return re.sub(r"(?:['’]s|['’])$", "", word)


def find_projects(text: str, lang: str | None, start_at: int = 0) -> list[Project]:
    """Projects of one article text (title excluded from `start_at`), in text order."""
    if lang not in SUPPORTED:
        return []
    known_country = {}
    brands: list[tuple[int, int, str, str]] = []
    for match in known_projects().find(text, start_at):
        known = match.entry
        start, end, canonical = match.start, match.end, known.canonical
        if known.descriptive:
            start, end, owner = _with_owner(text, start, end, lang)
            canonical = f"{owner} {canonical}" if owner else canonical
        brands.append((start, end, text[start:end], canonical))
        known_country[name_key(canonical)] = known.country
    for m in _DOMAIN.finditer(text, start_at):
        brands.append((m.start(1), m.end(1), m.group(1), m.group(1)))
    for m in _DIGITAL_STATE[lang].finditer(text, start_at):
        code = country_code(m.group("state"))
        following = (text[m.end() : m.end() + 30].split() or [""])[0]
        if re.fullmatch(r"(?:19|20)\d\d\W*", following):
            continue  # "Digitales Usbekistan 2030": a strategy
        head = head_of(following, lang)
        if head is not None and head.kind == "organization":
            continue  # "Digital India Corporation": a body named after the programme
        if code and m.group("state")[:1].isupper():  # "Digital Egypt", «Цифровой Казахстан»
            name = text[m.start() : m.end()]
            canonical = f"Digital {country_english_name(code)}"
            brands.append((m.start(), m.end(), name, canonical))
            known_country[name_key(canonical)] = code
    for rx in (_CAMEL, _HUB, _ID_BRAND):
        for m in rx.finditer(text, start_at):
            if not (_COMMON_E_WORD.fullmatch(m.group(1)) or _NOT_BRAND.fullmatch(m.group(1))):
                brands.append((m.start(1), m.end(1), m.group(1), m.group(1)))
    found = list(brands)
    described = _quoted(text, lang, start_at)
    if lang == "en":
        described += _capitalised_before_noun(text, start_at)
        described += _titled_programmes(text, start_at)
        for m in _APPOSITION.finditer(text, start_at):
            described.append((m.start(1), m.end(1), m.group(1), m.group(1)))
    described += _headed(text, lang, start_at)
    described += _named_after_noun(text, lang, start_at)
    # a joint facility named right before or after its description is that project
    joint = [
        j
        for j in _joint(text, lang, start_at)
        if not any(max(d[0] - j[1], j[0] - d[1]) < _NAMED_NEARBY for d in [*brands, *described])
    ]
    joint += _state_pair_facilities(text, lang, start_at)  # named, not described
    described += joint
    for start, end, name, canonical in described:
        # "Единым порталом интерактивных государственных услуг my.gov.uz": the description and
        # the brand right after it are one project, known by its brand
        brand = next((b for b in brands if 0 <= b[0] - end <= 2 and b[0] > start), None)
        # "die Analyseplattform Smart Data Ukimet": a description that runs into a brand ends
        # with it (the description took the brand's first word for a name)
        cut = next((b for b in brands if start < b[0] < end < b[1] and b in found), None)
        if cut is not None:
            found.remove(cut)
            found.append((start, cut[1], text[start : cut[1]], cut[3]))
        elif brand is not None and not text[end : brand[0]].strip():
            found.remove(brand)
            found.append((start, brand[1], name, brand[3]))
        else:
            found.append((start, end, name, canonical))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    # "eGov" in a report that gives the address eGov.kz is that portal (one address per name)
    by_label: dict[str, list[str]] = {}
    for _s, _e, _n, canonical in found:
        if domain_mentions(canonical):
            by_label.setdefault(name_key(canonical.split(".")[0]), []).append(canonical)
    taken: list[tuple[int, int]] = []
    by_key: dict[str, Project] = {}
    out: list[Project] = []
    for start, end, name, canonical in found:
        if any(s < end and start < e for s, e in taken):
            continue
        addresses = set(by_label.get(name_key(canonical), ()))
        if len(addresses) == 1 and "." not in canonical:
            canonical = addresses.pop()
        key = name_key(canonical)
        if not key or len(name) < 3:
            continue
        taken.append((start, end))
        country = None
        domain = domain_mentions(canonical)
        if domain:
            country = domain[0].code
        if not any(j[0] == start for j in joint):  # a joint project belongs to no one state
            country = country or _country_near(text, start, end, lang)
        country = country or known_country.get(key)
        if key in by_key:
            by_key[key].country = by_key[key].country or country
            continue
        project = Project(
            id="project:" + slug(canonical), name=name, canonical=canonical, country=country
        )
        by_key[key] = project
        out.append(project)
    return out


__all__ = ["find_projects", "ru_lemma"]
