"""English names for organisations and projects named in de/ru: an e-government glossary
(nlp/data/egov_glossary.toml) applied word by word, and a word-order-free key under which the
names of one body in three languages meet ("Zentrum für digitale Regierungsunterstützung",
"Центр поддержки цифрового правительства", "Digital Government Support Center")."""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from nlp.names import morph, transliterate

DATA = Path(__file__).resolve().parent / "data"

# German endings a glossary stem may carry (nouns and adjectives), longest first.
_DE_ENDINGS = ("", "e", "en", "er", "es", "em", "n", "s", "ns", "nen")
_DE_LINKS = ("", "s", "n", "en", "es")  # Fugenelemente inside compounds
_KEY_STOP = {
    "of", "for", "the", "and", "under", "on", "in", "at", "to", "by", "with", "a", "an",
}  # fmt: skip
_PUBLIC_SERVICES = re.compile(r"\b(?:state|government)\s+services\b", re.IGNORECASE)
_KEY_SPELLING = [
    (re.compile(r"centre"), "center"),
    (re.compile(r"isation"), "ization"),
    (re.compile(r"ise$"), "ize"),
    (re.compile(r"ies$"), "y"),
    (re.compile(r"(?<=[a-z]{3})s$"), ""),
    (re.compile(r"(?<=[aeiou])y(?=[aeiou])"), "i"),  # Diya (from Дія) is Diia
]


@dataclass(frozen=True, slots=True)
class Head:
    english: str
    kind: str  # organization | project
    style: str  # "of" | "adjunct"


@dataclass(slots=True)
class _Glossary:
    de_words: dict[str, str]  # stem -> English (single German words)
    de_phrases: dict[tuple[str, ...], str]  # stems of several words -> English
    ru_words: dict[str, str]  # lemma -> English
    ru_phrases: dict[tuple[str, ...], str]
    heads: dict[str, dict[str, Head]]  # lang -> form -> head


@functools.cache
def glossary() -> _Glossary:
    data = tomllib.loads((DATA / "egov_glossary.toml").read_text(encoding="utf-8"))
    g = _Glossary({}, {}, {}, {}, {"de": {}, "ru": {}, "en": {}})
    for english, forms in data["words"].items():
        for stem in forms.get("de", []):
            parts = tuple(stem.split())
            if len(parts) == 1:
                g.de_words.setdefault(parts[0], english)
            else:
                g.de_phrases[parts] = english
        for lemma in forms.get("ru", []):
            parts = tuple(lemma.split())
            if len(parts) == 1:
                g.ru_words.setdefault(parts[0], english)
            else:
                g.ru_phrases[parts] = english
    for english, spec in data["heads"].items():
        head = Head(english, spec["kind"], spec["style"])
        for lang in ("de", "ru", "en"):
            for form in spec.get(lang, []):
                g.heads[lang][form] = head
    return g


# --- word level -------------------------------------------------------------------------------
@functools.lru_cache(maxsize=20000)
def ru_lemma(word: str) -> str:
    """The dictionary form of a Russian word (nouns and adjectives preferred)."""
    low = word.lower().replace("ё", "е")
    parses = morph().parse(low)
    for p in parses:
        if p.tag.POS in {"NOUN", "ADJF", "PRTF"}:
            return p.normal_form.replace("ё", "е")
    return parses[0].normal_form.replace("ё", "е") if parses else low


@functools.lru_cache(maxsize=20000)
def ru_pos(word: str) -> str | None:
    parses = morph().parse(word.lower())
    return parses[0].tag.POS if parses else None


@functools.lru_cache(maxsize=20000)
def ru_is_genitive(word: str) -> bool:
    return any(p.tag.case == "gent" for p in morph().parse(word.lower()))


def de_stem_match(word: str, stems: dict[str, str]) -> str | None:
    """The glossary stem that `word` is an inflected form of, or None."""
    low = word.lower()
    for ending in _DE_ENDINGS:
        if ending and not low.endswith(ending):
            continue
        stem = low[: len(low) - len(ending)] if ending else low
        if stem in stems:
            return stem
    return None


@functools.lru_cache(maxsize=20000)
def de_decompound(word: str) -> tuple[str, ...] | None:
    """A German compound as glossary stems (Regierungsunterstützung -> regierung, unterstützung),
    or None when it does not split into known stems."""
    low = word.lower()
    stems = glossary().de_words
    if de_stem_match(low, stems):
        return (de_stem_match(low, stems),)
    for cut in range(len(low) - 3, 2, -1):
        first = low[:cut]
        if first not in stems:
            continue
        rest = low[cut:]
        for link in _DE_LINKS:
            if rest.startswith(link) and len(rest) - len(link) >= 3:
                tail = de_decompound(rest[len(link) :])
                if tail:
                    return (first, *tail)
    return None


def de_compound_head(word: str) -> bool:
    """Is `word` a German compound of known words and a head noun ("Digitalministerium",
    "Innenministeriums"), not the bare head ("Ministerium")?"""
    return head_of(word, "de") is not None and bool(_de_modifiers(word))


def _de_modifiers(compound: str) -> tuple[str, ...]:
    """The glossary stems before the head noun of a German compound ("Kompetenzzentrum" ->
    ("kompetenz",)); () when the compound does not split that way."""
    low = compound.lower()
    for form in sorted(glossary().heads["de"], key=len, reverse=True):  # the longest head
        for ending in _DE_ENDINGS:
            if not low.endswith(form + ending):
                continue
            if len(low) <= len(form) + len(ending) + 2:
                return ()  # the word is the head itself (Technologiepark)
            prefix = low[: len(low) - len(form) - len(ending)]
            for link in _DE_LINKS:
                if link and not prefix.endswith(link):
                    continue
                parts = de_decompound(prefix[: len(prefix) - len(link)] if link else prefix)
                if parts:
                    return parts
    return ()


@functools.lru_cache(maxsize=50000)
def english_word(word: str, lang: str) -> str | None:
    """The glossary's English for one word, or None."""
    g = glossary()
    if lang == "ru":
        return g.ru_words.get(ru_lemma(word))
    if lang == "de":
        parts = de_decompound(word)
        if parts:
            return " ".join(g.de_words[p] for p in parts)
    return None


def translate_words(words: list[str], lang: str) -> list[str]:
    """English for a run of words (glossary phrases first); unknown words kept (Cyrillic ones
    transliterated), function words of the language turned into English ones."""
    g = glossary()
    out: list[str] = []
    i = 0
    keys = [ru_lemma(w) if lang == "ru" else w.lower() for w in words]
    phrases = g.ru_phrases if lang == "ru" else g.de_phrases
    while i < len(words):
        for n in (3, 2):
            if i + n <= len(words):
                if lang == "ru":
                    key = tuple(keys[i : i + n])
                else:
                    key = tuple(
                        de_stem_match(k, {s: "" for p in phrases for s in p}) or k
                        for k in keys[i : i + n]
                    )
                if key in phrases:
                    out.append(phrases[key])
                    i += n
                    break
        else:
            word = words[i]
            function = _FUNCTION_WORDS.get(lang, {}).get(word.lower())
            if function is not None:
                if function:
                    out.append(function)
            else:
                english = english_word(word, lang)
                if english:
                    out.append(english)
                elif re.search(r"[А-Яа-яЁё]", word):
                    out.append(transliterate(word))
                else:
                    out.append(word)
            i += 1
    return out


_FUNCTION_WORDS = {
    "de": {
        "für": "for", "und": "and", "der": "of", "des": "of", "von": "of", "beim": "under",
        "bei": "under", "dem": "", "den": "", "die": "", "das": "", "im": "in", "zur": "for",
        "zum": "for", "ohne": "Without",
    },
    "ru": {
        "и": "and", "по": "for", "при": "under", "для": "for", "без": "Without", "в": "in",
    },
}  # fmt: skip


def english_name(words: list[str], head_index: int | None, lang: str) -> str:
    """English name of a phrase whose head noun stands at `head_index` (None: word order kept).

    ru: adjectives before the head, genitive chain after it ("Центр поддержки цифрового
    правительства" -> "Digital Government Support Center", "Министерство цифрового развития"
    -> "Ministry of Digital Development"); de: compound heads split (Wirtschaftskommission ->
    Economic Commission), complements kept in order.
    """
    if lang == "en":
        return _tidy(words)
    if head_index is None:
        return _tidy(translate_words(words, lang))
    head = head_of(words[head_index], lang)
    before = translate_words(words[:head_index], lang)
    after_words = words[head_index + 1 :]
    head_en = head.english if head else translate_words([words[head_index]], lang)[0]
    if lang == "de" and head:
        # Kompetenzzentrum, Digitalisierungsministerium: known words before the head's own stem
        # (Technologiepark is the head "Technologiepark" itself, not Technologie + Park)
        modifiers = [glossary().de_words[p] for p in _de_modifiers(words[head_index])]
        # an adjective stays in front: Digitalministerium -> Digital Ministry (not "of Digital")
        if modifiers and head.style == "of" and not _ADJECTIVE.search(modifiers[-1]):
            head_en = " ".join([head_en, "of", *modifiers])
        else:
            before = before + modifiers
    if not after_words:
        return _tidy([*before, head_en])
    after = translate_words(after_words, lang)
    if lang == "ru" and head and head.style == "adjunct" and "and" not in after:
        chain = [" ".join(group) for group in reversed(_ru_units(after_words))]
        return _tidy([*before, *chain, head_en])
    if after and after[0] in {"for", "of", "under", "in"}:
        return _tidy([*before, head_en, *after])
    # a German complement without a preposition: a proper name ("Universität Erfurt" ->
    # University of Erfurt) or a genitive the glossary reads as "for"
    proper = after_words[0][:1].isupper() and english_word(after_words[0], lang) is None
    connector = "for" if lang == "de" and not proper else "of"
    return _tidy([*before, head_en, connector, *after])


_ADJECTIVE = re.compile(r"(?:al|ic|ive|ed|ous|ian|ish)$")


def _ru_units(words: list[str]) -> list[list[str]]:
    """English noun groups of a Russian genitive chain, in Russian order: glossary phrases are
    one unit, adjectives go with the noun after them ([Digital Government], [Support])."""
    g = glossary()
    lemmas = [ru_lemma(w) for w in words]
    groups: list[list[str]] = []
    pending: list[str] = []
    i = 0
    while i < len(words):
        for n in (3, 2):
            key = tuple(lemmas[i : i + n])
            if len(key) == n and key in g.ru_phrases:
                groups.append([*pending, g.ru_phrases[key]])
                pending = []
                i += n
                break
        else:
            english = translate_words([words[i]], "ru")
            pending.extend(english)
            if ru_pos(words[i]) not in {"ADJF", "PRTF"}:
                groups.append(pending)
                pending = []
            i += 1
    if pending:
        groups.append(pending)
    return groups


def _tidy(words: list[str]) -> str:
    text = " ".join(w for w in words if w)
    text = re.sub(r"\s+([,)])", r"\1", text)
    text = re.sub(r"\b(of|for) (of|for)\b", r"\1", text)
    return re.sub(r"\s+", " ", text).strip(" ,")


@functools.lru_cache(maxsize=50000)
def head_of(word: str, lang: str) -> Head | None:
    """The head noun entry `word` is a form of (de: also a compound ending in it)."""
    heads = glossary().heads[lang]
    if lang == "ru":
        return heads.get(ru_lemma(word)) or heads.get(word.lower())
    if lang == "de":
        stem = de_stem_match(word, heads)
        if stem:
            return heads[stem]
        low = word.lower()
        for form, head in heads.items():
            for ending in _DE_ENDINGS:
                if low.endswith(form + ending) and len(low) > len(form) + len(ending) + 2:
                    prefix = low[: len(low) - len(form) - len(ending)]
                    if len(form) <= 5 and not _de_compound_prefix(prefix):
                        continue  # Präparat, Apparat, Vorrat: no council; Stadtpark no body
                    return head
        return None
    return heads.get(word.lower())


# First parts of German administrative compounds with a short head (Bundesamt, Stadtrat,
# Beirat, Landratsamt); other short-headed words end in "rat"/"amt" by chance (Präparat).
_DE_ADMIN_PREFIXES = (
    "bundes", "landes", "staats", "stadt", "kreis", "bezirks", "gemeinde", "regierungs", "bei",
    "aufsichts", "sicherheits", "gesundheits", "finanz", "zoll", "patent", "arbeits", "ordnungs",
    "standes", "melde", "jugend", "sozial", "bürger", "landrats", "auswärtige", "haupt", "fach",
    "europa", "welt", "statistik", "wirtschafts", "verwaltungs", "experten", "sachverständigen",
)  # fmt: skip


def _de_compound_prefix(prefix: str) -> bool:
    """Is `prefix` the first part of an administrative compound (known word or prefix)?"""
    stripped = [prefix] + [
        prefix[: -len(link)] for link in _DE_LINKS if link and prefix.endswith(link)
    ]
    return any(p.startswith(_DE_ADMIN_PREFIXES) or de_decompound(p) for p in stripped if p)


# --- keys ---------------------------------------------------------------------------------------
def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def name_key(english: str) -> str:
    """Word-order-free key of an English name: content words, spelling folded, sorted
    ("National Center for Electronic Services" == "National Electronic Services Centre")."""
    # "… under the President of …" says whom a body reports to, not which body it is
    english = re.split(r"\s+under\s+", english, maxsplit=1)[0]
    # English says "state services" and "government services" where the glossary (from
    # staatliche Dienstleistungen, государственные услуги) says "public services"
    english = _PUBLIC_SERVICES.sub("public services", english)
    words = re.split(r"[^a-z0-9]+", _ascii(english))
    out = set()
    for word in words:
        if not word or word in _KEY_STOP:
            continue
        for rx, repl in _KEY_SPELLING:
            word = rx.sub(repl, word)
        out.add(word)
    return " ".join(sorted(out))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _ascii(text)).strip("-")
