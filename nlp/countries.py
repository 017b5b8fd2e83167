"""States named in de/ru/en text — by name, short name, adjective or inflected form — as ISO codes.

Names come from pycountry (English) and CLDR via babel (de/ru/en territory names); adjectives,
demonyms and aliases from nlp/data/country_adjectives.toml. Inflected forms are generated:
German adjective endings and genitive -s, Russian case/gender/number forms with pymorphy3,
English possessives. The matcher is built once per process, lazily, on first use.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from nlp.names import morph as _morph

# Tokens: letter runs (hyphens and apostrophes split tokens, so "deutsch-kasachische" gives two
# candidates and "Kazakhstan's" gives "Kazakhstan"); dotted abbreviations such as "U.S." whole.
_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W\d_]+", re.UNICODE)
_MAX_TOKENS = 5
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_DE_ADJ_ENDINGS = ("", "e", "en", "er", "es", "em")
# Territories that are not states, or codes CLDR uses for groupings.
_SKIP_CODES = {"AQ", "BV", "HM", "UM", "TF", "IO", "EU", "EZ", "UN", "QO", "ZZ"}
_RU_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")


@dataclass(slots=True, frozen=True)
class CountryMention:
    """One country mention: character offsets into the text, the code and the text as written."""

    start: int
    end: int
    code: str
    surface: str
    kind: str  # "name", "adjective" or "domain" (metrics only: my.gov.uz)


@dataclass(slots=True)
class _Entry:
    code: str
    kind: str
    case_sensitive: bool  # proper names must be capitalised in the text ("Turkey", not "turkey")
    langs: set[str]  # languages that write it so: German "Island" is Iceland, English is not


def _fold(token: str) -> str:
    return unicodedata.normalize("NFC", token).casefold().replace("ё", "е")


def _tokens(text: str) -> list[str]:
    return [m.group(0) for m in _TOKEN.finditer(text)]


def _ru_noun_forms(name: str) -> set[str]:
    """Case forms of a Russian country name; multi-word names inflect every inflectable word."""
    words = name.split()
    morph = _morph()
    forms = {name}
    parses = [morph.parse(w)[0] for w in words]
    for case in _RU_CASES:
        out = []
        head_done = False  # after the first noun, words are appositions: Республики Казахстан
        for word, parse in zip(words, parses, strict=True):
            pos = parse.tag.POS
            if not head_done and pos in {"NOUN", "ADJF", "PRTF"}:
                inflected = parse.inflect({case})
                form = inflected.word if inflected else word.lower()
                out.append(form[:1].upper() + form[1:] if word[0].isupper() else form)
                head_done = pos == "NOUN"
            else:
                out.append(word)
        forms.add(" ".join(out))
    return forms


def _ru_adjective_forms(lemma: str) -> set[str]:
    parses = [p for p in _morph().parse(lemma) if p.tag.POS == "ADJF"]
    forms = {lemma}
    if parses:
        forms.update(f.word for f in parses[0].lexeme if f.tag.POS == "ADJF")
    if lemma.endswith(("ий", "ый")):
        forms.add(lemma[:-2] + "о")  # compound first part: казахстанско-германский
    return forms


def _de_noun_forms(noun: str) -> set[str]:
    """German demonyms: Kasache/Kasachen/Kasachin/Kasachinnen, Armenier/Armeniern/Armenierin."""
    stem = noun[:-1] if noun.endswith("e") else noun
    forms = {noun, stem + "in", stem + "innen"}
    forms.add(noun + "n")
    return forms


def _ru_noun_lexeme(lemma: str) -> set[str]:
    """Every case and number of a Russian demonym (казах -> казахи, казахов, казахам ...)."""
    parses = [p for p in _morph().parse(lemma) if p.tag.POS == "NOUN"]
    forms = {lemma}
    if parses:
        forms.update(f.word for f in parses[0].lexeme)
    return forms


def _de_forms(name: str) -> set[str]:
    forms = {name}
    words = name.split()
    if (
        len(words) > 1
    ):  # dative/genitive of adjective + noun names: den Vereinigten Arabischen Emiraten
        head = [
            w + "n" if w.endswith("e") else w[:-1] + "n" if w.endswith("es") else w
            for w in words[:-1]
        ]
        last = words[-1]
        forms.update(
            {" ".join([*head, last]), " ".join([*head, last + "n"]), " ".join([*head, last + "s"])}
        )
    if not name.endswith(("s", "x", "z", "ß")):
        forms.add(name + "s")  # genitive: Kasachstans, Deutschlands
    return forms


def _en_forms(name: str) -> set[str]:
    return {name, name + "'s", name + "’s"}


def _data() -> dict:
    path = Path(__file__).parent / "data" / "country_adjectives.toml"
    return tomllib.loads(path.read_text("utf-8"))


class CountryMatcher:
    """Finds country mentions by looking up token n-grams in one table built for all languages."""

    def __init__(self) -> None:
        self.table: dict[tuple[str, ...], _Entry] = {}
        self.english_names: dict[str, str] = {}
        self.abbreviations: set[str] = set()  # matched in capitals only: "US", not "Us and them"
        self._build()
        self.longest: dict[str, int] = {}  # first word -> most words of a name starting with it
        for key in self.table:
            self.longest[key[0]] = max(self.longest.get(key[0], 0), len(key))

    def _add(
        self, surface: str, code: str, kind: str, case_sensitive: bool, langs: set[str]
    ) -> None:
        key = tuple(_fold(t) for t in _tokens(surface))
        if not key or len(key) > _MAX_TOKENS:
            return
        old = self.table.get(key)
        if old is not None:
            if old.code == code:
                old.langs |= langs
                if kind == "name":
                    old.kind, old.case_sensitive = kind, case_sensitive
                return
            if old.kind == "name" and kind != "name":
                return  # a name wins over an adjective with the same spelling
        self.table[key] = _Entry(code, kind, case_sensitive, set(langs))

    def _add_name(self, name: str, code: str, langs: set[str]) -> None:
        name = re.sub(r"\s*\(.*?\)\s*", " ", name).strip()
        if not name or "," in name:
            return
        if _CYRILLIC.search(name):
            for form in _ru_noun_forms(name):
                self._add(form, code, "name", True, {"ru"})
            return
        if "de" in langs:
            for form in _de_forms(name):
                self._add(form, code, "name", True, {"de"})
        if "en" in langs:
            for form in _en_forms(name):
                self._add(form, code, "name", True, {"en"})

    def _build(self) -> None:
        import pycountry
        from babel import Locale

        codes: set[str] = set()
        for country in pycountry.countries:
            code = country.alpha_2
            codes.add(code)
            self.english_names[code] = getattr(country, "common_name", None) or country.name
            for attr in ("name", "common_name", "official_name"):
                value = getattr(country, attr, None)
                if value:
                    self._add_name(value, code, {"en"})
        for lang in ("en", "de", "ru"):
            territories = Locale.parse(lang).territories
            for code in codes:
                if code in _SKIP_CODES or code not in territories:
                    continue
                self._add_name(territories[code], code, {lang})
        en = Locale.parse("en").territories
        for code in codes:
            if code in en:
                self.english_names[code] = re.sub(r"\s*\(.*?\)", "", en[code]).strip()
        self.english_names.setdefault("XK", "Kosovo")
        for code, entry in _data().items():
            for name in entry.get("names", []):
                script = {"ru"} if _CYRILLIC.search(name) else {"de", "en"}
                if len(name) <= 4 and name.replace(".", "").isupper():
                    self._add(name, code, "name", True, script)  # abbreviations: USA, РФ, ОАЭ
                    self.abbreviations.add(_fold(name))
                else:
                    self._add_name(name, code, script)
            for adjective in entry.get("en", []):
                for form in _en_forms(adjective):
                    self._add(form, code, "adjective", True, {"en"})
            for stem in entry.get("de", []):
                for ending in _DE_ADJ_ENDINGS:
                    self._add(stem + ending, code, "adjective", False, {"de"})
            for lemma in entry.get("ru", []):
                for form in _ru_adjective_forms(lemma):
                    self._add(form, code, "adjective", False, {"ru"})
            for noun in entry.get("de_nouns", []):
                for form in _de_noun_forms(noun):
                    self._add(form, code, "demonym", True, {"de"})
            for noun in entry.get("ru_nouns", []):
                for form in _ru_noun_lexeme(noun):
                    self._add(form, code, "demonym", False, {"ru"})

    def find(self, text: str, language: str | None = None) -> list[CountryMention]:
        """Every country mention in text, longest match first, left to right, no overlaps.

        With a language, only that language's names and adjectives count (German "Island" is
        Iceland, in English it is an island); without, all three."""
        spans = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]
        folded = [_fold(s[2]) for s in spans]
        found: list[CountryMention] = []
        i = 0
        while i < len(spans):
            hit = None
            longest = self.longest.get(folded[i], 0)  # no name starts with most words
            for n in range(min(longest, len(spans) - i), 0, -1):
                key = tuple(folded[i : i + n])
                if key not in self.table or (n > 1 and not _adjacent(text, spans, i, n)):
                    continue
                entry = self.table[key]
                first = spans[i][2]
                if entry.case_sensitive and not first[0].isupper():
                    continue
                if n == 1 and key[0] in self.abbreviations and not first.isupper():
                    continue
                if language is not None and not _usable(entry, key, language):
                    continue
                if n == 1 and i > 0 and spans[i - 1][2] == "New" and entry.kind == "name":
                    continue  # New Jersey, New Mexico, New Guinea: not the state
                hit = (n, entry)
                break
            if hit is None:
                i += 1
                continue
            n, entry = hit
            start, end = spans[i][0], spans[i + n - 1][1]
            # English possessive belongs to the mention: "Uzbekistan's".
            tail = re.match(r"['’]s\b|(?<=s)['’](?!\w)", text[end:])
            if tail and entry.kind == "name" and not _CYRILLIC.search(spans[i][2]):
                end += len(tail.group(0))
            if entry.kind == "adjective" and (
                _is_language_name(text, start, end)
                or _COMPANY_AFTER.match(text, end)
                or _HOSTILE_AFTER.match(text, end)
            ):
                i += n
                continue
            found.append(CountryMention(start, end, entry.code, text[start:end], entry.kind))
            i += n
        return found

    def english_name(self, code: str) -> str:
        return self.english_names.get(code, code)


# An adjective opening a company's name is no mention of its state: "Deutsche Telekom",
# "Deutsche Bank", "Turkish Airlines" take part in a report without their state.
_COMPANY_AFTER = re.compile(
    r"\s+(?:Telekom|Telecom|Bank|Bahn|Post|Welle|Börse|Presse-Agentur|Lufthansa|Airlines|"
    r"Airways|Railways)\b"
)

# A state's armed hostility is no part it takes in the story: "areas liberated from Russian
# occupation", "nach russischen Angriffen", «после российских ударов».
_HOSTILE_AFTER = re.compile(
    r"\s+(?:occupation|invasion|aggression|attacks?|strikes?|shelling|missiles?|drones?|troops|"
    r"Besatzung|Angriff\w*|Invasion|Aggression|Truppen|Beschuss|оккупаци\w*|агресси\w*|"
    r"вторжени\w*|удар\w*|обстрел\w*|войск\w*|атак\w*)\b"
)

_LANGUAGE_AFTER = re.compile(
    r"[\s\-]*(?:язык\w*|Sprache\w*|language\w*|speaking|sprachig\w*|speakers?|"
    r"translation|Übersetzung|перевод\w*)\b",
    re.IGNORECASE,
)


def _is_language_name(text: str, start: int, end: int) -> bool:
    """ "auf Russisch", "на русском языке", "Kazakh-language", "in Uzbek." name a language."""
    if _LANGUAGE_AFTER.match(text, end):
        return True
    before = text[max(0, start - 8) : start]
    if re.search(r"\bauf\s$", before):
        return True
    following = text[end : end + 3].lstrip(" ")
    return bool(re.search(r"\b(?:in|into|from)\s$", before)) and not following[:1].isalpha()


# German and English names are used across the two (a German report may say "Kazakhstan"), except
# where the other language's name is an ordinary word of this one.
_FALSE_FRIENDS = {
    "en": {"island", "islands", "guineas", "chiles", "jerseys", "malis", "perus"},
    "de": {"jordan", "chad", "georgia", "jersey"},
}


def _usable(entry: _Entry, key: tuple[str, ...], language: str) -> bool:
    if language in entry.langs:
        return True
    if language == "ru" or ("ru" in entry.langs and len(entry.langs) == 1):
        return False
    return not (len(key) == 1 and key[0] in _FALSE_FRIENDS.get(language, set()))


def _adjacent(text: str, spans: list[tuple[int, int, str]], i: int, n: int) -> bool:
    """Tokens of a multi-word name are separated by blanks, hyphens or apostrophes only."""
    for k in range(i, i + n - 1):
        gap = text[spans[k][1] : spans[k + 1][0]]
        if not re.fullmatch(r"[\s\-'’]{1,3}", gap) or "\n" in gap:
            return False
    return True


@functools.cache
def matcher() -> CountryMatcher:
    """The process-wide matcher, built on first use (about a second), never at import."""
    return CountryMatcher()


def is_country_word(word: str, language: str | None = None) -> bool:
    """True when a single word names a state or is its adjective ("Kazakh", "Казахстана")."""
    entry = matcher().table.get((_fold(word),))
    if entry is None:
        return False
    return language is None or _usable(entry, (_fold(word),), language)


def find_countries(text: str, language: str | None = None) -> list[CountryMention]:
    """Country mentions in text as (start, end, code, surface), in the given language's words
    (de, ru or en), or in any of them when language is None."""
    return matcher().find(text, language if language in {"de", "en", "ru"} else None)


# A web address under a national top-level domain names its state: a portal (my.gov.uz, egov.kz)
# tells whose services a figure counts.
NATIONAL_DOMAIN = re.compile(
    r"(?<![\w.@/])((?:[a-z][\w-]*\.)+(kz|uz|by|ru|kg|az|tj|am|ge|md|ua))(?!\w|\.\w)"
)


def domain_mentions(text: str) -> list[CountryMention]:
    """Web addresses under a national domain, as mentions of their state (kind "domain")."""
    return [
        CountryMention(m.start(1), m.end(1), m.group(2).upper(), m.group(1), "domain")
        for m in NATIONAL_DOMAIN.finditer(text)
    ]


def country_code(name: str) -> str | None:
    """The ISO code of a single name or adjective ("kasachisch", "Казахстаном"), else None."""
    mentions = matcher().find(name)
    if len(mentions) == 1 and mentions[0].surface.strip() == name.strip():
        return mentions[0].code
    return mentions[0].code if len(mentions) == 1 and len(_tokens(name)) == 1 else None


def curated_codes() -> set[str]:
    """Codes whose adjectives are curated for all of de, ru and en."""
    return {
        code for code, entry in _data().items() if all(entry.get(k) for k in ("de", "ru", "en"))
    }


def english_name(code: str) -> str:
    """English short name of a state ("Kazakhstan" for KZ)."""
    return matcher().english_name(code)


# What may stand between the states of an enumeration ("Армения, Беларусь, Казахстан и Россия").
_LIST_GAP = re.compile(r"\s*(?:,|,?\s*(?:и|а также|and|as well as|und|sowie))\s*", re.IGNORECASE)
MIN_ENUMERATED = 3


# Unions of states whose decisions are taken by their members together (EAEU, CIS, SCO, the
# Organization of Turkic States, the Union State, CSTO): a report about one lists its parties.
_UNION = re.compile(
    r"\b(?:ЕАЭС|ЕЭК|EAEU|EAWU|EEC|СНГ|CIS|GUS|ШОС|SCO|ОТГ|OTS|ОДКБ|CSTO|"
    r"Евразийск\w+\s+экономическ\w+|Eurasian\s+Economic|Eurasische\w*\s+Wirtschafts\w*|"
    r"Содружеств\w+\s+Независимых|Commonwealth\s+of\s+Independent|Gemeinschaft\s+Unabhängiger|"
    r"Шанхайск\w+\s+организаци\w+|Shanghai\s+Cooperation|Schanghaier|"
    r"Организаци\w+\s+тюркских|Organi[sz]ation\s+(?:of|der)\s+Turk\w+|"
    r"Союзн\w+\s+государств\w*|Union\s+State|Unionsstaat\w*)\b",
)


def names_union(text: str) -> bool:
    """Does the text name a union of states (EAEU, CIS, SCO, …)?"""
    return _UNION.search(text) is not None


def enumerated_states(paragraph: str, mentions: list[CountryMention]) -> set[str]:
    """States named in an enumeration of at least MIN_ENUMERATED: in a report about a union of
    states (`names_union`), the parties of its decision, however late they are listed."""
    listed: set[str] = set()
    run: list[CountryMention] = []
    for m in mentions:
        if run and _LIST_GAP.fullmatch(paragraph[run[-1].end : m.start]):
            run.append(m)
            continue
        if len({r.code for r in run}) >= MIN_ENUMERATED:
            listed |= {r.code for r in run}
        run = [m]
    if len({r.code for r in run}) >= MIN_ENUMERATED:
        listed |= {r.code for r in run}
    return listed
