"""Roles of persons as the article states them ("stellvertretende Ministerin für Kommunikation
und Informatisierung von Belarus", "вице-министр", "Deputy Minister of …"), before the name
("Premierminister X", "заместитель министра … Юлия Шапкина") or in apposition after it
("X, Vizeminister für …"), and the state a role belongs to."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from nlp.countries import find_countries, is_country_word
from nlp.glossary import english_word, glossary, head_of, ru_pos

# Words that make a role (matched on the lower-cased word; de/ru also as part of a compound).
_ROLE_WORDS = {
    "en": re.compile(
        r"^(?:minister|premier|chairman|chairwoman|chairperson|chair|director|head|ambassador|"
        r"president|vice-president|rector|vice-rector|prorector|adviser|advisor|secretary|"
        r"spokesperson|spokesman|spokeswoman|ceo|governor|mayor|akim|commissioner|chief|"
        r"coordinator|manager|deputy|vice|vice-minister|first|prime|acting|executive|general|"
        r"senior|officer|official|envoy|representative|leader|founder|director-general|"
        r"chancellor|vice-chancellor|king|queen|emir|sultan|sheikh|sheikha|ombudsman|speaker|counterpart|"
        r"colleague|pope|counsellor|counselor|state-counsellor|attaché|consul|consul-general|"
        r"auditor|prosecutor|judge|inspector|administrator|superintendent|"
        r"coach|captain|defenseman|defender|forward|goalkeeper|goaltender|striker|midfielder|"
        r"winger)$"
    ),
    "de": re.compile(
        r"(?:minister|ministerin|staatssekretär|vorsitzend|direktor|leiter|botschafter|präsident|"
        r"rektor|berater|sprecher|chef|bürgermeister|gouverneur|koordinator|stellvertretend|"
        r"beauftragt|vertreter|gründer|akim|abteilungsleiter|referatsleiter|kanzler|könig|emir|"
        r"ombudsmann|premier|ministerpräsident|regierungschef|amtskolleg|kolleg|papst|scheich|"
        r"staatsrat|staatsberater|konsul|generalkonsul)\w*$"
    ),
    "ru": re.compile(
        r"^(?:министр\w*|замминистра|вице-\w+|премьер-министр\w*|заместител\w*|председател\w*|"
        r"директор\w*|руководител\w*|глав[аыуо]й?|начальник\w*|посол|посл(?:а|у|ом|ы|ов|ам|ами|ах)|"
        r"полпред\w*|коллег\w*|президент\w*|проректор\w*|"
        r"ректор\w*|советник\w*|помощник\w*|пресс-секретар\w*|аким\w*|губернатор\w*|мэр\w*|"
        r"представител\w*|первый|первого|первым|статс-секретар\w*|уполномоченн\w*|канцлер\w*|"
        r"корол\w*|эмир\w*|шейх\w*|спикер\w*|омбудсмен\w*|госсоветник\w*|консул\w*|генконсул\w*)$"
    ),
}
# Words that may stand inside a role phrase between its role word and the name.
_ROLE_GLUE = {
    "en": {"of", "for", "and", "the", "at", "in", "on", "under", "to", ",", "'s", "’s", "a"},
    "de": {
        "für",
        "und",
        "der",
        "des",
        "von",
        "im",
        "beim",
        "bei",
        "am",
        ",",
        "die",
        "den",
        "dem",
        "in",
        "republik",  # "beim Präsidenten der Republik Tadschikistan"
    },
    "ru": {"и", "по", "при", "в", ",", "с"},
}
_AND = {"and", "und", "и"}
_ARTICLES = {"a", "an", "the", "der", "die", "das", "ein", "eine", "einer", "des"}
TOKEN = re.compile(r"[\w’'-]+|[^\w\s]")


@dataclass(slots=True)
class Role:
    text: str
    country: str | None


def is_role_word(word: str, lang: str) -> bool:
    rx = _ROLE_WORDS.get(lang)
    low = word.lower()
    if lang == "de":
        return bool(rx.search(low)) if rx else False
    return bool(rx and rx.match(low))


def _role_ish(word: str, lang: str) -> bool:
    """May this word stand inside a role phrase?"""
    low = word.lower()
    if low in _ROLE_GLUE[lang] or is_role_word(word, lang):
        return True
    if is_country_word(word.rstrip("'’s") or word, lang) or is_country_word(word, lang):
        return True
    if head_of(word, lang) is not None:
        return True
    if lang == "ru":
        if word[:1].islower() or re.fullmatch(r"[А-ЯЁ][а-яё]+", word):
            return ru_pos(word) in {"NOUN", "ADJF", "PRTF", "CONJ"}
        # an acronym: руководитель программы в GIZ, министр по цифровым инициативам ЕЭК
        return bool(re.fullmatch(r"[A-ZА-ЯЁ]{2,6}", word))
    if lang == "de":
        return (
            english_word(word, lang) is not None
            or low in _de_phrase_words()
            or bool(re.fullmatch(r"[a-zäöüß]+(e|en|er|es|em)", word))
            or bool(re.fullmatch(r"[A-Z]{2,6}", word))
        )
    # en: capitalised words inside a role are names of bodies/areas ("of Digital Development")
    return word[:1].isupper() or low in _EN_LOWER_ROLE or low in _english_vocabulary()


# Portfolios of ministers, as English writes them before or in a title; never a first name
# ("Minister of Water Resources and Irrigation Nurzhan Nurzhigitov").
EN_PORTFOLIOS = {
    "economy", "finance", "foreign", "justice", "health", "education", "digital", "transport",
    "energy", "trade", "interior", "defence", "defense", "agriculture", "labour", "labor",
    "culture", "industry", "communications", "innovation", "science", "technology", "it",
    "irrigation", "water", "resources", "ecology", "environment", "emergency", "emergencies",
    "situations", "tourism", "sport", "sports", "youth", "family", "social", "protection",
    "employment", "migration", "housing", "construction", "infrastructure", "mining", "geology",
    "fisheries", "forestry", "natural", "information", "media", "telecommunications",
    "informatization", "development", "investment", "investments", "affairs", "security",
    "statistics", "planning", "regional", "integration", "aerospace", "artificial",
    "intelligence", "transformation", "modernization", "modernisation", "reforms", "public",
    "administration", "civil", "services", "technologies", "relations", "internal", "external",
}  # fmt: skip


def _en_portfolio(word: str) -> bool:
    """A capitalised portfolio set before an English title ("Economy Minister")."""
    low = word.lower()
    return (
        word[:1].isupper()
        and (low in EN_PORTFOLIOS or low in _english_vocabulary())
        and not is_country_word(word, "en")
    )


_EN_LOWER_ROLE = {"department", "division", "unit", "office", "board", "program", "programme"}


def _english_vocabulary() -> set[str]:
    vocab = _english_vocabulary_cache
    if not vocab:
        g = glossary()
        for english in [*g.de_words.values(), *g.ru_words.values(), *g.ru_phrases.values()]:
            vocab.update(w.lower() for w in re.split(r"[\s-]+", english))
        for lang_heads in g.heads.values():
            for head in lang_heads.values():
                vocab.update(w.lower() for w in head.english.split())
    return vocab


_english_vocabulary_cache: set[str] = set()


@functools.cache
def _de_phrase_words() -> frozenset[str]:
    """Inflected forms of the words of the glossary's German phrases (künstliche Intelligenz)."""
    stems = {w for phrase in glossary().de_phrases for w in phrase}
    return frozenset(s + e for s in stems for e in ("", "e", "en", "er", "es", "em", "n", "s"))


_QUOTED_COMPANY = re.compile(r"(?<![\w-])(?:АО|ТОО|ГП|ООО|ПАО|ЗАО|НАО|РГП|ГУ)\s*«[^«»]{1,60}»")
_COURTESY_END = re.compile(
    r"(?:\s*\b(?:(?:Dr|Prof|Mr|Mrs|Ms|Hr|S\.E|H\.E|Hon)\.|Shri|Smt\.?|Shrimati|Hon'ble|Ratu"
    r"|Datuk|Dato'?|Datin|Tan Sri|Puan Sri|Seri|Sri|Tun|Haji))+\s*$"
)


def without_courtesy(window: str) -> str:
    """The text before a name without the courtesy titles that close it ("minister Hon.")."""
    return _COURTESY_END.sub("", window)


def _readable(window: str) -> str:
    def blank_quotes(m: re.Match) -> str:
        return re.sub(r"[«»]", " ", m.group())

    window = _QUOTED_COMPANY.sub(blank_quotes, window)
    courtesy = _COURTESY_END.search(window)
    if courtesy:
        window = window[: courtesy.start()] + " " * len(courtesy.group())
    return window


def role_before(text: str, start: int, lang: str, floor: int = 0) -> tuple[str, int] | None:
    """The role phrase ending right before `start` (a name), and where it begins; it never
    reaches back over `floor` (the end of the name before: "X und Y" do not share a role)."""
    window_start = max(0, start - 240, floor)
    # What is read, with the same offsets: a company's quoted name inside a title is words of
    # the title ("Председатель Правления АО «НИТ»"), and a courtesy title before the name is
    # left out ("Botschafter Dr. Nurlan Onschanow"). An initial's dot ends no sentence either.
    scan = _readable(text[window_start:start])
    cut = max(scan.rfind(c) for c in '.;:!?\n«»„“”"()')
    if cut >= 0 and not re.search(r"\b\w\.$", scan[: cut + 1]):
        window_start += cut + 1
        scan = scan[cut + 1 :]
    tokens = [(m.start() + window_start, m.group()) for m in TOKEN.finditer(scan)]
    if tokens and tokens[-1][1].lower() in {"and", "und", "и", "or", "oder", "или"}:
        return None  # "X, Deputy Chair of the agency, and Y": that role is X's
    first_role = None
    i = len(tokens) - 1
    while i >= 0:
        _pos, word = tokens[i]
        dash_between_titles = word in {"–", "—"} and i > 0 and is_role_word(tokens[i - 1][1], lang)
        # "Ministerin für Hochtechnologie-Industrie": any noun names the portfolio after "für"
        portfolio = (
            lang in {"de", "en"}
            and word[:1].isupper()
            and i > 0
            and tokens[i - 1][1].lower() in {"für", "for"}
        )
        if not (_role_ish(word, lang) or dash_between_titles or portfolio):
            break  # (the dash: "Вице-премьер – министр …")
        if word.lower() in _AND and i > 0 and tokens[i - 1][1] == ",":
            break  # "X, Director of …, and Kyrgyzstan's Minister … Y": Y's role starts here
        if word == "," and first_role is not None:
            break  # "Minister … Kay McConney, Chief Education Officer Y": Y's role is after it
        if is_role_word(word, lang) and word.lower() not in {"first", "general", "official"}:
            first_role = i
        i -= 1
    if first_role is None:
        return None
    # modifiers in front of the role word belong to it (stellvertretende, Deputy, заместитель)
    j = first_role
    while j - 1 > i and (
        is_role_word(tokens[j - 1][1], lang)
        # "Georgian Economy Minister", "Uzbek Foreign Minister": the portfolio before the title
        or (lang == "en" and _en_portfolio(tokens[j - 1][1]) and first_role - j < 3)
    ):
        j -= 1
    begin = tokens[j][0]
    phrase = _HONORIFIC_END.sub("", text[begin:start].strip(" ,")).strip(" ,")
    return (phrase, begin) if phrase else None


def role_after(text: str, end: int, lang: str) -> str | None:
    """An apposition after a name: "X, Vizeminister für … von Kasachstan, merkte an"."""
    rest = text[end : end + 300]
    m = re.match(r"\s*,\s*", rest)
    if not m:
        return None
    body = rest[m.end() :]
    words = list(TOKEN.finditer(body))
    k = 0
    while k < len(words) and words[k].group().lower() in _ARTICLES:
        k += 1
    # "Kasachstans Vizeminister", "Kazakhstan's Vice Minister", "a department head"
    look = [w.group() for w in words[k : k + 3]]
    if not any(is_role_word(w, lang) for w in look[:3]):
        return None
    stop = len(body)
    for idx in range(k, len(words)):
        w = words[idx].group()
        if w in {".", ";", ":", "!", "?", "«", "»", "„", "“", "”", '"', "(", ")", "—", "–"}:
            stop = words[idx].start()
            break
        if w == "," and idx + 1 < len(words):
            nxt = words[idx + 1].group()
            if not (_role_ish(nxt, lang) and nxt[:1].isupper()) or lang == "ru":
                stop = words[idx].start()
                break
        if idx - k > 18:
            stop = words[idx].start()
            break
    phrase = body[words[k].start() if k < len(words) else 0 : stop].strip(" ,")
    return phrase or None


# A courtesy title closing a role phrase belongs to the name ("Chief Officer Dr Ramona …").
_HONORIFIC_END = re.compile(
    r"(?:\s+(?:Dr|Prof|Mr|Mrs|Ms|Sir|Dame|Herr|Frau|Shri|Smt|Datuk|Dato'?|Datin|Seri|Tun|Hon"
    r"|Ratu)\.?)+$"
)


# A German title in the genitive, as "unter Leitung des Vizeministers X" gives it: the masculine
# -s of the head noun (Präsident and Kollege take -en); the portfolio after it stays.
_DE_GENITIVE_HEAD = re.compile(
    r"^(?P<stem>\w*(?:minister|direktor|botschafter|leiter|berater|sprecher|kanzler|sekretär|"
    r"gouverneur|koordinator|bürgermeister|vertreter|gründer|rektor|chef))(?:e?s)$"
    r"|^(?P<weak>\w*(?:präsident|kolleg))en$",
    re.IGNORECASE,
)


def nominative_role(role: str, lang: str = "ru") -> str:
    """A role in the nominative, as a title reads: "первым заместителем министра цифрового
    развития" -> "первый заместитель министра цифрового развития", "stellvertretenden
    Vizeministers für Digitales" -> "stellvertretender Vizeminister für Digitales". Only the
    head noun and the adjectives before it change; the phrase after it stays."""
    if lang == "de":
        return _nominative_role_de(role)
    if lang != "ru":
        return role
    from nlp.names import morph

    words = role.split(" ")
    # the head noun's gender, for the adjectives before it: "первого вице-министра" is
    # "первый вице-министр", not the neuter "первое" pymorphy would guess for "первого"
    head = next((p for w in words for p in morph().parse(w)[:1] if p.tag.POS == "NOUN"), None)
    gender = head.tag.gender if head is not None and head.tag.gender else None
    out = []
    for k, word in enumerate(words):
        parse = morph().parse(word)[0]
        pos = parse.tag.POS
        if pos not in {"NOUN", "ADJF", "PRTF"} or parse.tag.case == "nomn":
            return " ".join(out + words[k:])
        wanted = {"nomn", "sing", gender} if gender and pos != "NOUN" else {"nomn", "sing"}
        form = parse.inflect(wanted) or parse.inflect({"nomn", "sing"}) or parse.inflect({"nomn"})
        new = form.word if form else word
        out.append(new[:1].upper() + new[1:] if word[:1].isupper() else new)
        if pos == "NOUN":  # the head: what follows depends on it
            return " ".join(out + words[k + 1 :])
    return " ".join(out)


def _nominative_role_de(role: str) -> str:
    words = role.split(" ")
    for k, word in enumerate(words):
        if not word[:1].isupper():
            continue  # an adjective before the head: stellvertretenden
        if re.search(r"[a-zäöü]in$", word):  # a woman's title: der stellvertretenden Ministerin
            return " ".join([*(re.sub(r"en$", "e", w) for w in words[:k]), *words[k:]])
        m = _DE_GENITIVE_HEAD.match(word)
        if m is None:
            return role  # the head is no masculine genitive: the role stands as written
        head = m.group("stem") or (m.group("weak") + ("e" if m.group("weak").endswith("g") else ""))
        # a masculine title without article takes the strong ending: stellvertretender Minister
        adjectives = [re.sub(r"en$", "er", w) for w in words[:k]]
        return " ".join([*adjectives, head, *words[k + 1 :]])
    return role


# An envoy belongs to the state that sends it: the state after "to"/"в"/"in" is the host
# ("Uzbekistan's ambassador to Kazakhstan", "Посол Узбекистана в Казахстане").
_ENVOY = re.compile(r"ambassador|envoy|посол|посл[аоуы]|полпред|представител|botschafter|gesandt",
                    re.IGNORECASE)  # fmt: skip
_HOST_BEFORE = re.compile(r"\b(?:to|in|at|в|во|при|bei|in)\s+(?:the\s+)?$", re.IGNORECASE)


def role_country(role: str, context: str, lang: str) -> str | None:
    """The state a role belongs to: named in the role, else just before it."""
    mentions = find_countries(role, lang)
    if _ENVOY.search(role):
        mentions = [m for m in mentions if not _HOST_BEFORE.search(role[: m.start])]
    if mentions:
        return mentions[0].code
    context = context[-40:]
    mentions = find_countries(context, lang)
    if mentions and len(context) - mentions[-1].end <= 3:  # Kazakhstan's / belarussischen
        return mentions[-1].code
    return federal_german(role, lang)


def federal_german(name: str, lang: str) -> str | None:
    """German "Bundes-" titles and bodies are the German federation's (Bundesdigitalminister,
    Bundesamt für …): Austria's and Switzerland's are named as theirs in this news."""
    return "DE" if lang == "de" and re.match(r"(?:\w+\s)?Bundes[a-zäöü]", name) else None
