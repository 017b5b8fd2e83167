"""Persons and organisations of one article, with roles and countries, from the statistical NER
mentions of its Doc plus rules (names after role phrases, government-body phrases that NER
misses, well-known bodies of nlp/data/organizations.toml).

Persons: every full name mention (two or more name words) is a person; later surname-only
mentions and initials ("Ш. Чориев", "A. Turchin") join the full name with the same surname;
Russian case forms are read in the nominative (nlp.names). A lone first name, or a surname no
full name in the article explains, is no actor. Organisations: phrases headed by a body noun of
the glossary (Ministry, Zentrum, агентство, …) with their complement, acronyms the text
introduces in parentheses, and the known bodies. The registry (coopwatch.actors) gives ids
that hold across articles; the ids here are proposals from the English form.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field

from coopwatch.records import Actor, Project, Quote
from nlp.chinese import pinyin
from nlp.countries import find_countries, is_country_word
from nlp.event_facts import find_city
from nlp.gazetteer import Found, Gazetteer
from nlp.glossary import (
    DATA,
    de_compound_head,
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
from nlp.korean import korean_parts
from nlp.letters import LOWER, UPPER
from nlp.names import (
    ARABIC_PARTICLES,
    NAME_PARTICLES,
    TRAILING_PARTICLES,
    canonical_name,
    identity_key,
    nominative_ru,
    transliterate,
)
from nlp.roles import (
    EN_PORTFOLIOS,
    TOKEN,
    _de_phrase_words,
    federal_german,
    is_role_word,
    nominative_role,
    role_after,
    role_before,
    role_country,
    without_courtesy,
)

SUPPORTED = ("de", "en", "ru")
_CYR = re.compile(r"[А-Яа-яЁё]")
# Any Latin or Cyrillic letters, not only German and Russian ones (Erdoğan, Nečas, Šefčovič).
# An inner capital after a short prefix is still one name: McConney, MacDonald, O'Brien, DiCaprio.
_NAME_WORD = re.compile(
    rf"^[{UPPER}](?:[{LOWER}]{{0,2}}[’']?[{UPPER}])?[{LOWER}’'-]+(?:-[{UPPER}][{LOWER}]+)?$"
)
_INITIAL = re.compile(rf"^(?:[{UPPER}][{LOWER}]?)\.$")
# Capitalised words that are never part of a person's name.
_NOT_NAME = {
    "the", "a", "an", "mr", "mrs", "ms", "dr", "prof", "herr", "frau", "der", "die", "das", "im",
    "shri", "sri", "smt", "shrimati",  # Indian courtesy titles (Shri Ashwini Vaishnaw)
    "datuk", "dato", "dato'", "datin", "tan", "puan", "seri", "tun", "haji", "hajah",  # Malay
    "am", "in", "on", "at", "by", "nach", "laut", "according", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december",
    "januar", "februar", "märz", "juni", "juli", "oktober", "dezember", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "montag", "dienstag", "mittwoch",
    "donnerstag", "freitag", "samstag", "sonntag", "по", "в", "во", "на", "как", "это",
    "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
    "октября", "ноября", "декабря", "господин", "госпожа", "his", "her", "she", "he", "they",
    "we", "it", "this", "that", "our", "their", "его", "ее", "её", "мы", "они", "он", "она",
    "wir", "er", "sie", "es", "heute", "today", "sagte", "said", "also", "auch", "und", "and",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    # German nouns that take the speaker in the genitive: "nach Angaben Nabijews"
    "angaben", "worten", "ansicht", "meinung", "einschätzung", "auffassung", "aussage",
    "aussagen", "informationen", "darstellung", "überzeugung",
    # function words that open sentences ("Is Ancelotti …", "With Bitcoin …", "Ist …", "Zu …")
    "is", "are", "was", "were", "be", "with", "if", "even", "but", "so", "when", "while",
    "after", "before", "as", "for", "from", "to", "of", "or", "not", "no", "there", "here",
    "then", "what", "who", "why", "how", "where", "which", "all", "some", "any", "each", "both",
    "many", "most", "more", "only", "just", "still", "now", "since", "until", "during", "under",
    "over", "into", "about", "between", "without", "via", "because", "although", "however",
    "ist", "sind", "war", "waren", "zu", "mit", "wenn", "aber", "doch", "als", "bei",
    "für", "zum", "zur", "über", "unter", "vor", "seit", "bis", "durch", "gegen",
    "ohne", "um", "wie", "wo", "wer", "nur", "noch", "schon", "jetzt", "dann", "dort",
    "hier", "kein", "keine", "nicht", "ein", "eine", "einer", "eines", "einem", "einen", "dem",
    "den", "des", "и", "но", "а", "с", "из", "за", "от", "до", "для", "при", "о", "об", "у",
    "к", "не", "же", "уже", "ещё", "еще", "также", "тоже", "если", "когда", "что", "кто", "где",
    # German verbs that open questions and inverted sentences ("Kann Paxlovid …", "Wird Kaeser …")
    "kann", "können", "wird", "werden", "wurde", "wurden", "hat", "haben", "hatte", "hatten",
    "muss", "müssen", "soll", "sollen", "sollte", "darf", "dürfen", "wollen", "gibt",
    "geht", "bleibt", "kommt", "steht", "zeigt", "macht", "sieht", "gilt", "liegt",
    # German conjunctions and pronouns opening a clause ("Dass Bernal …", "Ob Merz …"), and
    # the honorific in its other cases ("Herrn Müller")
    "dass", "daß", "ob", "weil", "denn", "falls", "obwohl", "damit", "sodass", "während",
    "nachdem", "bevor", "sobald", "solange", "sowie", "sondern", "dabei", "danach",
    "dafür", "darum", "deshalb", "trotzdem", "zudem", "außerdem", "jedoch", "allerdings",
    "auf", "aus", "von", "vom", "ins", "beim", "dieser", "diese", "dieses",
    "jeder", "jede", "alle", "man", "ich", "ihr", "herrn", "frauen",
}  # fmt: skip


# --- mentions -----------------------------------------------------------------------------------
@dataclass(slots=True)
class Span:
    """A labelled stretch of the article text (NER or rules): character offsets, end exclusive."""

    start: int
    end: int
    label: str

    def text(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(slots=True)
class _Person:
    name: str
    canonical: str
    key: str
    surname_key: str
    first_initial: str
    role: str | None = None
    country: str | None = None
    forms: list[str] = field(default_factory=list)


_RU_NOT_NAME_POS = {"ADVB", "CONJ", "PRCL", "PREP", "INTJ", "PRED", "NPRO", "COMP"}


@functools.lru_cache(maxsize=50000)
def _is_name_word(word: str, lang: str) -> bool:
    if not _NAME_WORD.match(word) or word.lower() in _NOT_NAME:
        return False
    if is_role_word(word, lang) or is_country_word(word, lang):
        return False
    if head_of(word, lang) is not None or find_city(word) is not None:
        return False  # "Barys Astana" is a team, "Taschkent" a city
    if lang == "de" and head_of(word, "en") is not None:
        return False  # an English body's head in a German report: "Digital Governance Agency"
    if lang == "en":
        return word.lower() not in _english_words() and word.lower() not in EN_PORTFOLIOS
    if lang == "de":
        # "Hochtechnologie-Industrie": a compound with a known noun is no name (Hans-Peter is)
        parts = word.split("-") if "-" in word.strip("-") else [word]
        return all(
            english_word(part, lang) is None and part.lower() not in _de_phrase_words()
            for part in parts
        )
    if lang == "ru":
        if ru_pos(word) in _RU_NOT_NAME_POS and not _ru_is_name(word) and _ru_known(word):
            return False  # "Кстати Астон-Мартин": an adverb opening the sentence (a guess for
            # an unknown word is no adverb: "Мактум")
        return english_word(word, lang) is None or (ru_pos(word) == "NOUN" and _ru_is_name(word))
    return True


@functools.lru_cache(maxsize=20000)
def _ru_known(word: str) -> bool:
    from nlp.names import morph

    return morph().word_is_known(word.lower())


@functools.lru_cache(maxsize=20000)
def _ru_is_name(word: str) -> bool:
    from nlp.names import morph

    return any({"Name", "Surn", "Patr"} & set(p.tag.grammemes) for p in morph().parse(word))


@functools.cache
def _english_words() -> frozenset[str]:
    from nlp.roles import _english_vocabulary

    return frozenset(_english_vocabulary())


# An Arabic article glued to a surname: al-Sudani, el-Sisi, аль-Мактум.
_ARABIC_ARTICLE = re.compile(
    rf"^(?:al|el|ad|as|ash|at|az|ar|an|аль|эль|ас|аш|ат|аз|ар|ад|ан)-[{UPPER}]"
)
_ARABIC_ARTICLE_WORDS = {"Al", "El", "Аль", "Эль"}  # Rashid Al Maktoum
# Titles that are also given names inside an Arabic name: Omar Sultan Al Olama.
_NAME_TITLES = {"sultan", "султан"}
_WORD = re.compile(r"[\w’'-]+\.?|[^\w\s]")


def _particle(word: str) -> bool:
    """A word of a name that names no one: von, der, bin, and the Arabic article Al."""
    return word.islower() or word in _ARABIC_ARTICLE_WORDS


def _arabic_name(words: list[str]) -> bool:
    return any(
        w in ARABIC_PARTICLES or w.lower() in _NAME_TITLES or _ARABIC_ARTICLE.match(w)
        for w in words
    ) or any(w in _ARABIC_ARTICLE_WORDS for w in words[1:-1])


def _initial_here(text: str, m: re.Match, lang: str) -> bool:
    """Is this "X." an initial? Not a function word ("A." ending a sentence) unless a name or
    another initial follows: "Б.А. Саидов", "A. B. Smith"."""
    if m.group()[:-1].lower() not in _NOT_NAME:
        return True
    following = _next_word(text, m.end())
    return len(m.group()) == 2 and (
        bool(_INITIAL.match(following + ".")) or _is_name_word(following, lang)
    )


def _next_word(text: str, end: int) -> str:
    m = _WORD.search(text, end)
    return m.group().rstrip(".") if m else ""


def _runs(text: str, lang: str, per: Sequence[Span] = ()) -> list[tuple[int, int, list[str]]]:
    """Maximal runs of name words (and initials) in `text`: (start, end, words); name
    particles inside (see above) belong to the run."""
    runs: list[tuple[int, int, list[str]]] = []
    current: list[re.Match] = []
    particles: list[re.Match] = []  # read after a name word, kept if a name word follows

    def flush() -> None:
        if current:
            runs.append((current[0].start(), current[-1].end(), [m.group() for m in current]))
        current.clear()
        particles.clear()

    def inside_one_name(m: re.Match) -> bool:
        return any(s.start < m.start() and m.end() < s.end for s in per)

    for m in _WORD.finditer(text):
        word = m.group()
        initials_only = all(_INITIAL.match(c.group()) for c in current)  # "Р.Б. Ахметов"
        if _INITIAL.match(word) and initials_only and _initial_here(text, m, lang):
            current.append(m)
            continue
        # a middle initial: "Arvind K. Menon", "Liza M. Castañeda" (not a Korean syllable
        # ending a Russian sentence: «Чхве Ын Ён. Стороны …»)
        middle = lang != "ru" and re.fullmatch(rf"[{UPPER}]\.", word)
        if current and middle and _is_name_word(_next_word(text, m.end()), lang):
            current.append(m)
            continue
        # European particles only inside one NER name ("Weber von der Firma" is two things)
        if current and (
            word in ARABIC_PARTICLES
            or (word.lower() in NAME_PARTICLES and word.islower() and inside_one_name(m))
        ):
            particles.append(m)
            continue
        if current and word in TRAILING_PARTICLES:  # "Nurbek Sadyr uulu": the name ends here
            current.append(m)
            flush()
            continue
        title_in_name = word.lower() in _NAME_TITLES
        if current and title_in_name and _is_name_word(_next_word(text, m.end()), lang):
            current.extend(particles)  # "Hamdan bin Sultan Al Suwaidi": in the order written
            particles.clear()
            current.append(m)
            continue
        bare = word.rstrip(".")
        owner = re.search(r"['’]s?$", bare) if lang == "en" else None
        if owner:  # "Didier Deschamps's", "Jimmy Carter's": the name ends before the 's
            bare = bare[: owner.start()]
        capitalised_surname = (
            current
            and _capitalised_surname(bare, lang)
            and not re.match(r"\s+[A-ZА-ЯЁ]{2,}\b", text[m.end() :])  # "IMBP RAN": acronyms
        )
        # "Minister Park Ji-hoon", "Song Min-ho", «Ван Линь»: a Korean or Chinese family name
        # that is also a common word
        east_asian = False
        if not current and len(bare) <= 6:  # family names are short: Park, Чжан, Hwang
            following = _next_word(text, m.end())
            pair = f"{bare} {following}"
            # «Чо Хён У»: a Korean given name of two syllables, the second one letter
            triple = f"{pair} {_next_word(text, text.index(following, m.end()) + len(following))}"
            east_asian = bool(
                korean_parts(pair) or korean_parts(triple) or (lang == "ru" and pinyin(pair))
            )
        elif current and len(bare) == 1 and bare.isupper():
            east_asian = bool(korean_parts(" ".join([c.group() for c in current] + [bare])))
        if (
            _is_name_word(bare, lang)
            or capitalised_surname
            or east_asian
            or (current and _ARABIC_ARTICLE.match(bare))
        ):
            european = any(p.group() not in ARABIC_PARTICLES for p in particles)
            if european and _is_name_word(_next_word(text, m.end()), lang):
                flush()  # one surname ends a name after "von der": not "Ha von Zico Import"
            current.extend(particles)
            particles.clear()
            if bare != word:  # a sentence end or a possessive after the name: end the run
                current.append(_Trimmed(m, len(word) - len(bare)))
                flush()
                continue
            current.append(m)
        else:
            flush()
    flush()
    trimmed = [_without_leading_state(text, run, lang) for run in runs]
    return _join_syllable_names(text, [run for run in trimmed if run is not None])


def _without_leading_state(
    text: str, run: tuple[int, int, list[str]], lang: str
) -> tuple[int, int, list[str]] | None:
    """A run opening with (the rest of) a state's name of several words is the name after it:
    "High Commissioner to Sri Lanka Vikram Rao" names Vikram Rao; a run inside such a name
    names no one («Китайской Народной Республики»)."""
    start, end, words = run
    if len(words) < 2:
        return run
    window = max(0, start - 25)
    for mention in find_countries(text[window : end + 40], lang):
        mention_start, mention_end = window + mention.start, window + mention.end
        if mention_start <= start < mention_end and " " in text[mention_start:mention_end]:
            if end <= mention_end:
                return None
            if len(words) < 3:
                return run
            rest = text[mention_end:end]
            new_start = mention_end + len(rest) - len(rest.lstrip())
            return new_start, end, text[new_start:end].split()
    return run


def _capitalised_surname(word: str, lang: str) -> bool:
    """A surname in capitals after a first name, as official portals write it ("Багдат
    МУСИН"); acronyms of bodies (NIT, KOICA) are not."""
    return (
        len(word) >= 4
        and word.isupper()
        and word.isalpha()
        and not _known_by_acronym(word)
        and _is_name_word(word.title(), lang)
    )


def _join_syllable_names(
    text: str, runs: list[tuple[int, int, list[str]]]
) -> list[tuple[int, int, list[str]]]:
    """Korean and Chinese names are syllables, some too short or too common to look like name
    words alone: "Ким Хи Сан", "Пак Мин Су" are one name, not "Ким" and "Сан"."""
    out: list[tuple[int, int, list[str]]] = []
    for run in runs:
        if out:
            gap = text[out[-1][1] : run[0]]
            if re.fullmatch(rf" [{UPPER}][{LOWER}]{{1,2}} ", gap):
                prev = out.pop()
                run = (prev[0], run[1], [*prev[2], gap.strip(), *run[2]])
        out.append(run)
    return out


class _Trimmed:
    """A regex match without its last `cut` characters (a full stop, a possessive 's)."""

    def __init__(self, m: re.Match, cut: int = 1):
        self._m = m
        self._cut = cut

    def start(self) -> int:
        return self._m.start()

    def end(self) -> int:
        return self._m.end() - self._cut

    def group(self) -> str:
        return self._m.group()[: -self._cut]


def _nominative(name: str, lang: str) -> str:
    return nominative_ru(name) if lang == "ru" and _CYR.search(name) else name


def _surname_key(name: str, lang: str) -> str:
    korean = korean_parts(name)
    if korean:  # Han Seung-woo, Хан Сын У: the family name comes first
        return identity_key(korean[0], lang)
    words = _nominative(name, lang).split()
    if len(words) >= 2 and words[-1] in TRAILING_PARTICLES:  # "Sadyr uulu": two words
        return identity_key(" ".join(words[-2:]), lang)
    return identity_key(words[-1], lang)


def find_persons(text: str, spans: Sequence[Span], lang: str, skip_before: int = 0) -> list[Actor]:
    """Person actors of `text` (the article body): NER PER spans and name runs after roles."""
    if lang not in SUPPORTED:
        return []
    per = [s for s in spans if s.label == "PER" and s.start >= skip_before]
    full: list[tuple[int, int, list[str]]] = []
    short: list[tuple[int, int, list[str]]] = []
    floors: dict[int, int] = {}
    single_names: set[int] = set()  # one-word names with a role: "Wahyudi, head of …"
    previous_end = skip_before
    for start, end, words in _runs(text, lang, per):
        floor = previous_end
        if len(words) >= 2:  # a name before this one bounds its role ("X und Y")
            previous_end = end
        if start < skip_before:
            continue
        inner = [s for s in per if start < s.start < end and s.end == end]
        # "Geschäftsführer Thomas Reinhardt": NER knows better; not inside an Arabic name,
        # which it often cuts ("Omar Sultan [Al Olama]", "Mohammed bin [Rashid Al Maktoum]")
        dropped = text[start : inner[0].start].split() if inner else []
        # (nor where the model starts at a middle initial: "Liza [M. Castañeda]")
        at_initial = bool(inner) and bool(_INITIAL.match(text[inner[0].start :].split()[0]))
        if (
            len(words) >= 3
            and inner
            and not _arabic_name(words)
            and not _foreign(dropped)
            and not at_initial
        ):
            start = inner[0].start
            words = text[start:end].split()
        # "Bashar Assads Truppen": German nouns are capitalised too, and the NER ends the name
        # (a first name alone is no such evidence: it often misses the surname, "Stas Michailow")
        head = [
            s
            for s in per
            if s.start == start
            and s.end < end
            and (" " in s.text(text) or _genitive_of_named(text, s.text(text)))
        ]
        if lang == "de" and head and words[-1] not in TRAILING_PARTICLES:
            end = head[0].end
            words = text[start:end].split()
        floors[start] = floor
        if re.search(r"\d\s?$", text[max(0, start - 3) : start]):
            continue  # "2,3 Millionen Lari", "500 Tenge": a quantity, whatever the NER says
        if _names_no_person(text, end, words, lang):
            continue
        if re.search(r"\(\s*[\w.-]{1,12}\s*/\s*$", text[max(0, start - 16) : start]):
            continue  # an author's credit: "(BS/Sven Rudolph)", "(WAM/Ahmed Saleh)"
        ner_hit = any(s.start < end and start < s.end for s in per)
        if (
            lang == "de"
            and not ner_hit
            and re.search(r"\b(?:der|des|dem|den|die|das)\s+$", text[max(0, start - 5) : start])
        ):
            continue  # "Leiter der Sektion Politische Rechte": what is led, not who
        if (
            not ner_hit
            and any(s.start == start and s.end == end for s in spans if s.label in {"ORG", "LOC"})
            and not _titled_name(text, start, end, words, lang)
        ):
            continue  # the statistical model reads exactly this run as a body or a place
        initials = [w for w in words if _INITIAL.match(w + ".") or _INITIAL.match(w)]
        names = [w for w in words if w not in initials and not _particle(w)]
        if not names:
            continue
        if len(names) >= 2 and len(names) <= 4:
            has_role = role_before(text, start, lang, floors[start]) or role_after(text, end, lang)
            if ner_hit or has_role or _speech_cue(text, start, end, lang):
                # a role word glued in front ("Defenseman Timur …") is left to the role
                full.append((start, end, words))
                continue
        if len(names) == 1 and (
            ner_hit or initials or role_before(text, start, lang, floors[start])
        ):
            short.append((start, end, words))
            exact_ner = any(s.start == start and s.end == end for s in per)
            if not initials and exact_ner and _role_at(text, start, end, lang, floors[start]):
                single_names.add(start)
    people: list[_Person] = []
    by_key: dict[str, _Person] = {}
    for start, end, words in full:
        surface = " ".join(words)
        if any(_INITIAL.match(w + ".") or _INITIAL.match(w) for w in words[:1]):
            short.append((start, end, words))
            continue
        canonical = _person_canonical(text, surface, start, end, lang)
        key = identity_key(canonical, "en")
        if not key:  # a script the identity key cannot spell (Greek): no id to give it
            continue
        person = by_key.get(key) or _same_person(people, canonical, surface, lang)
        if person is None:
            person = _Person(
                name=surface,
                canonical=canonical,
                key=key,
                surname_key=_surname_key(surface, lang),
                first_initial=canonical[:1].lower(),
            )
            people.append(person)
            by_key[key] = person
        person.forms.append(surface)
        if person.role is None:
            _add_role(person, text, start, end, lang, floors.get(start, 0))
    for start, end, words in short:
        surname = words[-1]
        initial = words[0][:1] if len(words) > 1 else None
        key = _surname_key(surname, lang)
        matches = [p for p in people if p.surname_key == key]
        if not matches and lang == "de" and surname.endswith("s"):  # genitive: "Nabijews"
            key = _surname_key(surname[:-1], lang)
            matches = [p for p in people if p.surname_key == key]
        if not matches and lang == "ru" and initial:  # «Д. Воронцова» after Денис Воронцов
            base = re.sub(r"(?:ым|ом|а|у|е)$", "", surname)
            matches = [p for p in people if p.surname_key == _surname_key(base, lang)]
            matches = [
                p for p in matches if p.first_initial == canonical_name(initial, lang)[:1].lower()
            ]
        if not matches and not initial:
            matches = _later_mention_of(people, surname, lang)
        if initial and len(matches) > 1:
            latin = canonical_name(initial, lang)[:1].lower()
            matches = [p for p in matches if p.first_initial == latin] or matches
        if len(matches) == 1:
            matches[0].forms.append(" ".join(words))
            if matches[0].role is None:
                _add_role(matches[0], text, start, end, lang, floors.get(start, 0))
        elif not matches and start in single_names:  # a person known by one name
            canonical = canonical_name(_nominative(surname, lang), lang)
            person = _Person(surname, canonical, identity_key(canonical, "en"), key, "")
            _add_role(person, text, start, end, lang, floors.get(start, 0))
            people.append(person)
        elif not matches and initial:  # "Ш. Чориев" with no full name: the person as written
            surface = " ".join(text[start:end].split())
            written = surface
            if lang == "ru" and _CYR.search(surname):  # «Б. Мусину»: the surname's nominative
                written = surface[: surface.rindex(surname)] + nominative_ru(surname)
            canonical = canonical_name(written, lang)
            person = _Person(surface, canonical, identity_key(canonical, "en"), key, "")
            _add_role(person, text, start, end, lang, floors.get(start, 0))
            people.append(person)
    return [
        Actor(
            id="person:" + slug(p.canonical),
            kind="person",
            name=p.name,
            canonical=p.canonical,
            country=p.country,
            role=p.role,
        )
        for p in people
    ]


# Russian case endings, longest first: «послом Мехрой» is Мехра, «с Абдуллой» is Абдулла.
_RU_CASE_ENDING = re.compile(r"(?:ого|ому|ыми|ами|ой|ей|ою|ым|им|ом|ем|ы|и|е|у|ю|а|я)$")


def _ru_stem(word: str) -> str:
    return _RU_CASE_ENDING.sub("", word.lower())


def _later_mention_of(people: list[_Person], word: str, lang: str) -> list[_Person]:
    """The one person a single name word stands for when its surname key found no one: a
    Russian surname in a case the rules do not undo («послом Мехрой» after Раджив Мехра), or
    the given name by which Arabic names are repeated ("Sheikh Mohammed" after Mohammed bin
    Rashid Al Maktoum)."""
    found: list[_Person] = []
    if lang == "ru" and _CYR.search(word) and len(_ru_stem(word)) >= 3:
        found = [
            p
            for p in people
            if _CYR.search(p.name) and _ru_stem(p.name.split()[-1]) == _ru_stem(word)
        ]
    if not found:
        key = identity_key(canonical_name(_nominative(word, lang), lang), "en")
        found = [
            p
            for p in people
            if _arabic_name(p.canonical.split())
            and identity_key(p.canonical.split()[0], "en") == key
        ]
    return found if len(found) == 1 else []


# A letter that German, English and Russian words are not written in: a foreign name's.
_FOREIGN_LETTER = re.compile(r"[^\W\d_A-Za-zÄÖÜäöüßА-яЁё]")


def _foreign(words: list[str]) -> bool:
    """Is any of these words written with letters no German noun has ("Nguyễn", "Łukasz")?"""
    return any(_FOREIGN_LETTER.search(w) for w in words)


# What follows a name of a body or a place, not of a person: "Al Rayah Development", "the
# Mohammed bin Rashid School of Government", "Marsa Zayed Bay", "an Abu Dhabi-based developer".
_BODY_AFTER_NAME = {
    "development", "developments", "group", "holding", "holdings", "company", "companies",
    "corporation", "school", "college", "foundation", "fund", "properties", "capital",
    "investments", "partners", "consulting", "solutions", "systems", "technologies",
    "stiftung", "gruppe", "фонд", "групп",
}  # fmt: skip
_PLACE_LAST_WORD = {
    "bay", "island", "islands", "lake", "river", "valley", "city", "tower", "towers", "resort",
    "bridge", "mall", "airport", "square", "street", "avenue", "road", "beach", "marina",
}  # fmt: skip
_ADJECTIVE_SUFFIX = re.compile(r"-(?:based|born|led|owned|run|funded|backed|made)$", re.I)


def _names_no_person(text: str, end: int, words: list[str], lang: str) -> bool:
    """Does this run of name words name a body or a place rather than a person?"""
    following = _next_word(text, end).lower()
    if following in _BODY_AFTER_NAME or _is_body_head(following.title(), lang):
        return True
    # "Al Rayah Chairman Hamdan …": the employer before a title and its holder's name
    title_at = text.find(_next_word(text, end), end)
    if is_role_word(following, lang) and title_at - end <= 1:
        holder = _next_word(text, title_at + len(following))
        if holder[:1].isupper() and _is_name_word(holder, lang) and not is_role_word(holder, lang):
            return True
    if words[-1].lower() in _PLACE_LAST_WORD or _ADJECTIVE_SUFFIX.search(words[-1]):
        return True
    return find_city(" ".join(words)) is not None


def _role_at(text: str, start: int, end: int, lang: str, floor: int) -> bool:
    """Does a role stand right at this name: "agency head Wahyudi", "Wahyudi, head of …"?"""
    before = role_before(text, start, lang, floor)
    return bool(role_after(text, end, lang)) or (
        before is not None and not text[before[1] : start].rstrip().endswith(",")
    )


# A body otherwise only cited (the World Bank's index, "according to the UN") takes part when
# it pays or supports: "with World Bank support", «при поддержке Всемирного банка».
_FUNDING = re.compile(
    r"\b(?:fund\w*|financ\w*|loans?|grants?|credit|support\w*|finanzier\w*|Finanzierung"
    r"|Kredit\w*|Darlehen|Zuschuss|Unterstützung|unterstützt\w*|gefördert|fördert)\b"
    r"|(?<!\w)(?:финансир\w*|кредит\w*|грант\w*|займ\w*|заём|поддержк\w*|поддерж\w*)",
    re.IGNORECASE,
)


def _sentence_of(text: str, start: int, end: int) -> str:
    opening = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
    closing = text.find(". ", end)
    return text[opening : closing if closing >= 0 else len(text)]


def _genitive_of_named(text: str, word: str) -> bool:
    """Is `word` the German genitive of a name the text also writes without it ("Bernals
    Unfall" after "Egan Bernal"; not "Stas" of "Stas Michailow")?"""
    return (
        word.endswith("s")
        and re.search(rf"(?<![\w-]){re.escape(word[:-1])}(?![\w-])", text) is not None
    )


def _titled_name(text: str, start: int, end: int, words: list[str], lang: str) -> bool:
    """Is a 2-4 word run that names no body or country titled as a person? By a title in
    apposition after it ("Farid Osmanov, Chairman of the Board …": the model's LOC reading
    loses to the title), or by a title right before it or before a comma ("der kasachische
    Vizeminister für … Entwicklung, Nurlan Schaksylykow"). A weaker role word, or a title
    ending in a preposition, is no such evidence: «первый в Центральной Азии»."""
    if not 2 <= len(words) <= 4:
        return False
    if any(_is_body_head(w, lang) or is_country_word(w, lang) for w in words):
        return False
    if role_after(text, end, lang) is not None:
        return True
    before = role_before(text, start, lang)
    if before is None:
        return False
    last = TOKEN.findall(without_courtesy(text[before[1] : start]))[-1]
    titled = any(
        is_role_word(w, lang) and w.lower() not in _WEAK_TITLES for w in TOKEN.findall(before[0])
    )
    # "председатель правления Асель Баймуханова": a title with its genitive complement
    complement = lang == "ru" and ru_pos(last) == "NOUN" and not _ru_is_name(last)
    # "Minister for Trade, Co-operatives, MSMEs and Communications Hon. Ratu Josefa …"
    portfolio = last[:1].isupper() and _PORTFOLIO_OPENER.get(lang, _NEVER).search(before[0])
    return titled and (last == "," or is_role_word(last, lang) or complement or bool(portfolio))


# The word that opens a title's portfolio: "Minister for …", "Minister of …", "Ministerin für …"
_PORTFOLIO_OPENER = {"en": re.compile(r"\b(?:for|of)\b"), "de": re.compile(r"\bfür\b")}
_NEVER = re.compile(r"(?!)")


# Role words that are no title alone: "the first in Central Asia", «первый в Центральной Азии».
_WEAK_TITLES = {
    "first", "general", "official", "acting", "senior", "executive", "deputy", "vice",
    "первый", "первого", "первым", "stellvertretende", "stellvertretender",
}  # fmt: skip


_CUE_BEFORE = {
    "en": re.compile(r"(?:according to|said|says|told|by)\s+$", re.IGNORECASE),
    "de": re.compile(r"(?:laut|Angaben von|sagte|erklärte|betonte|so)\s+$"),
    "ru": re.compile(r"(?:по словам|сказал\w?|отметил\w?|заявил\w?|сообщил\w?)\s+$"),
}
_CUE_AFTER = {
    "en": re.compile(r"^(?:,\s+who\b|\s+(?:said|says|told|added|noted|stressed)\b)"),
    "de": re.compile(r"^(?:,\s+(?:die|der)\s+\w+|\s+(?:sagte|erklärte|betonte|fügte))\b"),
    "ru": re.compile(r"^(?:,\s+(?:который|которая)\b|\s+(?:сказал|отметил|заявил|сообщил|"
                     r"подчеркнул|рассказал)\w?\b)"),
}  # fmt: skip


def _speech_cue(text: str, start: int, end: int, lang: str) -> bool:
    """Is a two-word name run said to speak or described as someone ("according to X",
    "X, who leads …", "X sagte")? Such a run is a person even where the model missed it."""
    return bool(
        _CUE_BEFORE[lang].search(text[max(0, start - 30) : start])
        or _CUE_AFTER[lang].match(text[end : end + 30])
    )


def _same_person(people: list[_Person], canonical: str, surface: str, lang: str):
    """A person already seen whose name this one extends or shortens (with/without patronymic),
    names in part ("Переса Вальдеса" of "Эрнесто Перес Вальдес") or declines."""
    tokens = [t.removesuffix("a") for t in identity_key(canonical, "en").split()]
    for p in people:
        other = [t.removesuffix("a") for t in p.key.split()]
        # with/without patronymic; Russian "Александра Турчина" read as a woman's name
        if tokens and other and tokens[-1] == other[-1] and tokens[0] == other[0]:
            return p
    words = surface.split()
    for p in people:
        for form in p.forms:
            seen = form.split()
            # «Чан Минь Туаном», «Переса Вальдеса», «Максут Нурланович» after the full name:
            # the same words, the foreign ones declined by an ending the dictionary lacks;
            # "Ahmad Faizal" after "Ahmad Faizal Abdul Rahman" (a Malay name has no surname)
            if lang != "ru" and len(seen) < 3:
                continue
            if 2 <= len(words) <= len(seen) and any(
                _declined_run(words, seen[i : i + len(words)], lang)
                for i in range(len(seen) - len(words) + 1)
            ):
                return p
    return None


_RU_CASE_ENDING = re.compile(r"(?:ом|ем|ым|им|ой|ей|а|я|у|ю|е)$")


def _declined_run(words: list[str], seen: list[str], lang: str) -> bool:
    """Are `words` the words `seen`, each as written or (Russian) with a case ending added?"""
    return all(
        word == form
        or (
            lang == "ru"
            and word.startswith(form)
            and _RU_CASE_ENDING.fullmatch(word[len(form) :]) is not None
        )
        for word, form in zip(words, seen, strict=True)
    )


def _person_canonical(text: str, surface: str, start: int, end: int, lang: str) -> str:
    """English form of a full name, a Russian one read in the case its context shows."""
    if korean_parts(surface):  # Russian declines its last syllable only: canonical_name knows
        return canonical_name(surface, lang)
    if lang == "ru" and _CYR.search(surface):
        nominative = _russian_nominative_by_context(text, surface, start, end)
        if nominative:
            return canonical_name(transliterate(nominative), "en")
    if (
        lang == "de"
        and _GERMAN_GENITIVE.search(surface)
        and _genitive_of_named(text, surface.split()[-1])
    ):
        surface = surface[:-1]  # "Jimmy Carters Präsidentschaft … Carter": the genitive
    return canonical_name(surface, lang)


def _russian_nominative_by_context(text: str, surface: str, start: int, end: int) -> str | None:
    """The nominative of a Russian name where its context shows the case, else None.

    A name is in the nominative as the subject of a past-tense verb right after it ("Нодира
    Юлдашева отметила") or after a title in the nominative ("министр … Эстонии Лийса Пакоста":
    not the genitive of "Лийс Пакост"). After a title in an oblique case, names the dictionary
    and the surname rules do not know take that case: "визит министра Тийта Рийсало" (a man's
    foreign surname often does not decline), "с министром Лийсой Пакостой"."""
    after = [w for w in TOKEN.findall(text[end : end + 40]) if w not in {",", "—", "–"}][:1]
    role = role_before(text, start, "ru")
    cases = _ru_title_cases(role[0]) if role else set()
    subject = (
        after
        and _ru_past_verb(after[0])
        and (not cases or "nomn" in cases)
        and _ru_can_be_nominative(surface.split()[-1])
    )
    if subject or ("nomn" in cases and not cases & {"gent", "datv", "ablt", "loct"}):
        return surface
    words = surface.split()
    case = min(cases - {"accs"}) if len(cases - {"accs"}) == 1 else None
    if len(words) < 2 or case not in _RU_OBLIQUE_ENDINGS:
        return None
    masc, femn = _RU_OBLIQUE_ENDINGS[case]
    if all(re.search(femn, w) for w in words):
        return " ".join(re.sub(femn, "а", w) for w in words)
    if nominative_ru(surface) == surface:
        return " ".join([re.sub(masc, "", words[0]), *words[1:]])
    return None


# A German genitive -s after a consonant (Carters, Assads, Nabijews), not a name ending in a
# vowel and s (Thomas, Ramos) or in ss/x/z; taken for one only when the text also names the
# person without it (Williams stays Williams).
_GERMAN_GENITIVE = re.compile(r"(?<=[bcdfghklmnprtvw])s$")


@functools.lru_cache(maxsize=5000)
def _ru_can_be_nominative(word: str) -> bool:
    from nlp.names import morph

    parses = morph().parse(word)
    return any(p.tag.case == "nomn" for p in parses) or not parses


# Endings of a name in the case of the title before it: a man's first name (Тийта, Тийту,
# Тийтом; his foreign surname often does not decline) and a woman's name (Лийсы/Лийсой Пакосты/-ой).
_CONSONANT = "[бвгджзклмнпрстфхцчшщ]"
_RU_OBLIQUE_ENDINGS = {
    "gent": (rf"(?<={_CONSONANT})а$", rf"(?<={_CONSONANT})ы$"),
    "datv": (rf"(?<={_CONSONANT})у$", r"(?!)"),  # a woman's dative -е is also a locative
    "ablt": (rf"(?<={_CONSONANT})(?:ом|ем)$", rf"(?<={_CONSONANT})ой$"),
}


def _ru_title_cases(role: str) -> set[str]:
    """The cases the head noun of a Russian title may be in (министр: nomn; министра: gent,
    accs; министром: ablt). A name in apposition to a title takes its case."""
    from nlp.names import morph

    for word in TOKEN.findall(role):
        cases = {p.tag.case for p in morph().parse(word.lower()) if p.tag.POS == "NOUN"}
        if cases:
            return cases
    return set()


@functools.lru_cache(maxsize=5000)
def _ru_past_verb(word: str) -> bool:
    from nlp.names import morph

    return any(p.tag.POS == "VERB" and p.tag.tense == "past" for p in morph().parse(word.lower()))


def _add_role(person: _Person, text: str, start: int, end: int, lang: str, floor: int = 0) -> None:
    before = role_before(text, start, lang, floor)
    role, context = None, ""
    if before:
        role, begin = before
        context = text[max(0, begin - 60) : begin]
    else:
        role = role_after(text, end, lang)
    if role:
        person.role = nominative_role(role, lang)
        person.country = role_country(role, context, lang)
        if person.country is None:  # "Abteilungsleiter im Bundesministerium für Digitales …"
            bodies = [o for o in find_organizations(role, [], lang) if o.country]
            person.country = bodies[0].country if bodies else None
    if person.country is None:
        person.country = _state_acted_for(text, begin if before else start, lang)


# Who leads a delegation: "a delegation from Uzbekistan led by …", "eine Delegation des
# kirgisischen Ministeriums … unter Leitung von …", «делегация Узбекистана во главе с …».
_LED_BY = {
    "en": re.compile(r"\b[Dd]elegations?\b(?P<between>[^.;]{0,150}?)\b(?:led|headed) by\s+$"),
    "de": re.compile(
        r"\bDelegation\b(?P<between>[^.;]{0,150}?)\b(?:unter (?:der )?Leitung (?:von|des|der)"
        r"|angeführt von|geleitet von)\s+$"
    ),
    "ru": re.compile(
        r"\b[Дд]елегаци\w*(?P<between>[^.;]{0,150}?)(?:во главе с|под руководством|"
        r"возглавляем\w*)\s+$"
    ),
}


# Whose side a person signs or speaks for: «Со стороны Беларуси документ подписал …», «с
# таджикской стороны — директор …», "On the Uzbek side, …", "Von kasachischer Seite …".
_SIDE = {
    "en": re.compile(r"\b[OoFf](?:n|rom) the (\w+) side\b"),
    "de": re.compile(
        r"\b(?:[Vv]on|[Aa]uf) (\w+) Seite\b|\b(?:[Ss]eitens|[Vv]onseiten) (?:der |des )?(\w+)"
    ),
    "ru": re.compile(r"(?<!\w)(?:[Сс]о стороны (\w+)|[Сс] (\w+) стороны)(?!\w)"),
}


def _state_acted_for(text: str, pos: int, lang: str) -> str | None:
    """The state a person named at `pos` stands for: the delegation they lead, named just
    before the word delegation ("Uzbek delegation") or between it and "led by" ("from
    Uzbekistan", "des kirgisischen Ministeriums", «Узбекистана»); or the side they act for
    ("Со стороны Беларуси … подписал министр"), within the sentence; when that is one state."""
    if lang not in _LED_BY:
        return None
    window_start = max(0, pos - 220)
    window = text[window_start:pos]
    m = _LED_BY[lang].search(window)
    if m is not None:
        scope = text[max(0, window_start + m.start() - 25) : window_start + m.end("between")]
    else:
        sentence = re.split(r"[.!?;]\s", window)[-1]
        sides = list(_SIDE[lang].finditer(sentence))
        if not sides or len(sentence) - sides[-1].end() > 80:
            return None
        scope = sides[-1].group(0)
    codes = {mention.code for mention in find_countries(scope, lang)}
    return codes.pop() if len(codes) == 1 else None


# --- organisations ------------------------------------------------------------------------------
@dataclass(slots=True)
class _Org:
    name: str
    canonical: str
    key: str
    country: str | None
    id: str | None = None
    aliases: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class KnownOrg:
    id: str
    canonical: str
    country: str | None
    names: tuple[str, ...]
    mention_only: bool


@functools.cache
def known_orgs() -> tuple[KnownOrg, ...]:
    data = tomllib.loads((DATA / "organizations.toml").read_text(encoding="utf-8"))
    return tuple(
        KnownOrg(
            o["id"],
            o["canonical"],
            o.get("country") or None,
            tuple(o["names"]),
            o.get("mention_only", False),
        )
        for o in data["org"]
    )


@functools.cache
def _known_bodies() -> Gazetteer[KnownOrg]:
    return Gazetteer((name, org) for org in known_orgs() for name in org.names)


def _known_matches(text: str, start_at: int) -> list[Found[KnownOrg]]:
    return _known_bodies().find(text, start_at)


# "(ASAN)" right after a body's name or after the name of its state: the acronym it goes by
_ACRONYM_AFTER = re.compile(r"(?P<mid>[^()\n.;]{0,40}?)\s*\(([A-ZА-ЯЁ]{2,8})\)")


def _known_by_acronym(acronym: str) -> KnownOrg | None:
    """The known body whose name is exactly this acronym (not a mention-only name)."""
    for found in _known_matches(acronym, 0):
        if found.start == 0 and found.end == len(acronym) and not found.entry.mention_only:
            return found.entry
    return None


_EN_CONNECT = {"of", "for", "and", "under", "the"}
_DE_CONNECT = {"für", "und", "der", "des", "beim", "bei", "von", "zur", "zum"}
_RU_CONNECT = {"и", "по", "при"}
_STATE_BODY = {
    "en": re.compile(
        r"\b(state (?:enterprise|corporation|company|agency))\s+((?:[A-Z][\w-]+\s?){1,3})"
    ),
    "de": re.compile(r"\b(Staats(?:unternehmen|betrieb|korporation))\s+((?:[A-Z][\w-]+\s?){1,3})"),
    "ru": re.compile(
        r"(?<![\w-])(ГП|Госкорпораци[яиюей]|госкорпораци[яиюей]|государственно[емуго]{0,3} "
        r"предприяти[еяюи]|АО|ОАО|НАО|ПАО|ЗАО|РУП|ГУ|ГУП|ФГУП|РГП|ГКП)\s*«([^»]{2,60})»"
    ),
}


def _words_with_pos(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]


_DE_ARTICLES = {"der", "die", "das", "dem", "den", "des"}
# Time words that follow a body's name but never belong to it ("Anfang Juli", "Ende März")
_DE_TIME_WORDS = {
    "anfang", "ende", "mitte", "januar", "februar", "märz", "april", "mai", "juni", "juli",
    "august", "september", "oktober", "november", "dezember", "montag", "dienstag", "mittwoch",
    "donnerstag", "freitag", "samstag", "sonntag", "jahr", "jahres", "woche", "tag",
}  # fmt: skip
_RU_AFTER_PRI = {
    "Президенте", "Правительстве", "Президента", "Правительства", "Кабинете", "Кабинета",
}  # fmt: skip


def _left_ok(tokens: list[tuple[int, int, str]], k: int, lang: str) -> bool:
    """May token k stand in front of a body's head noun as part of its name?"""
    w = tokens[k][2]
    if is_role_word(w, lang):
        return False
    if is_country_word(w, lang):
        # a state's name inside a body's name: "Digital India Corporation" (not "the Kazakh")
        before = tokens[k - 1][2] if k > 0 else ""
        return (
            lang == "en"
            and before[:1].isupper()
            and before.lower() not in _NOT_NAME
            and not is_country_word(before, lang)
            and not is_role_word(before, lang)
            and not w.endswith(("'s", "’s"))
        )
    if lang == "en":
        if w in {"for", "of", "and"}:
            return k >= 1 and tokens[k - 1][2][:1].isupper()
        return w[:1].isupper() and w.lower() not in _NOT_NAME and not w.endswith(("'s", "’s"))
    if lang == "de":
        return english_word(w, lang) is not None and w.lower() not in _DE_ARTICLES
    return ru_pos(w) in {"ADJF", "PRTF"} and (english_word(w, lang) is not None or w[:1].isupper())


def _is_body_head(word: str, lang: str) -> bool:
    head = head_of(word, lang)
    return head is not None and head.kind == "organization"


def _right_step(tokens: list[tuple[int, int, str]], j: int, lang: str) -> str:
    """How the complement of a body's name goes on at token j: "word" (part of the name),
    "glue" (a connector that needs a word after it) or "stop"."""
    w = tokens[j][2]
    low = w.lower()
    nxt = tokens[j + 1][2] if j + 1 < len(tokens) else ""
    if nxt and _is_body_head(nxt, lang) and low in {"under", "of", "при", "beim", "bei", "des"}:
        return "stop"  # "… Center under the Ministry of …": the ministry is a body of its own
    if re.fullmatch(r"President|Präsident\w*|Government|Regierung", w) and any(
        t[2] in {"under", "beim", "bei"} for t in tokens[max(0, j - 2) : j]
    ):
        return "word"  # "… under the President of …", "… beim Präsidenten der …"
    if lang == "en":
        if w == "," and (_person_follows(tokens, j + 1) or (nxt.isupper() and len(nxt) > 1)):
            return "stop"  # "… Zone Authority, Gary Scott", "… Technologies, KOICA will …"
        if low in _EN_CONNECT or (w == "," and nxt[:1].isupper()):
            return "glue"
        if w.endswith(("'", "’", "'s", "’s")):
            return "stop"  # "the Academy of Sciences' FAST committee": the possessor ends it
        if j > 0 and tokens[j - 1][2][:1].isupper() and _person_follows(tokens, j):
            return "stop"  # "Secretary to the Ministry of Energy Nalin Wickramasinghe"
        if w[:1].isupper() and not is_role_word(w, lang) and low not in _NOT_NAME:
            return "stop" if is_country_word(w, lang) or _is_body_head(w, lang) else "word"
        return "stop"
    if lang == "de":
        if low in _DE_CONNECT or (w == "," and english_word(nxt, lang)):
            return "glue"
        if low in {"die", "das", "den"} and j > 0 and tokens[j - 1][2] == "für":
            return "glue"  # "Agentur für die Entwicklung öffentlicher Dienstleistungen"
        if is_country_word(w, lang) or w == "Republik" or is_role_word(w, lang):
            return "stop"
        if low in _DE_TIME_WORDS:
            return "stop"  # "die Regierungskommission Anfang Juli"
        if w[:1].isupper():
            return "word"
        before = tokens[j - 1][2] if j > 0 else ""
        genitive = low.endswith("er") and nxt[:1].isupper()  # "Entwicklung öffentlicher Dienste"
        if not (before.lower() in _DE_CONNECT or before[:1].islower() or genitive):
            return "stop"  # a lowercase word right after a noun: "Ministerium eigene Server"
        if english_word(w, lang) and (nxt[:1].isupper() or nxt.lower() in _DE_CONNECT):
            return "word"  # "für digitale Entwicklung"; not "seiner Agentur online verfügbar"
        if (
            re.fullmatch(r"[a-zäöüß]{2,}(?:e|en|er|es|em)", w)
            and low not in _DE_ARTICLES | {"einen", "einem", "einer", "eines", "keine", "seine"}
            and nxt[:1].isupper()
        ):
            return "word"  # an adjective before the next noun: "für künstliche Intelligenz"
        return "stop"
    # ru: a genitive chain (по + dative, при + noun), lists with commas and и
    if low in _RU_CONNECT or w == ",":
        if nxt[:1].islower() and ru_pos(nxt) in {"NOUN", "ADJF", "PRTF"}:
            return "glue"
        return "glue" if low == "при" and nxt in _RU_AFTER_PRI else "stop"
    if is_country_word(w, lang) or w in {"Республики", "Республика"}:
        return "stop"
    if w in _RU_AFTER_PRI:
        return "word"
    if w == "Министров" and tokens[j - 1][2] in {"Кабинете", "Кабинета"}:
        return "word"  # «при Кабинете Министров»
    if w[:1].islower() and ru_pos(w) in {"NOUN", "ADJF", "PRTF"}:
        if ru_lemma(w) in {"страна", "республика", "город", "область", "регион", "мир"}:
            return "stop"  # "… услуг страны": the state, not part of the name
        before = tokens[j - 1][2]
        if (
            ru_is_genitive(w)
            or english_word(w, lang) is not None
            or before.lower() in {"по", "при"}
            or ru_pos(before) in {"ADJF", "PRTF"}
        ):
            return "word"
    return "stop"


def _person_follows(tokens: list[tuple[int, int, str]], k: int) -> bool:
    """Do tokens k and k+1 read as an English first name and surname (name words, which no
    glossary knows), rather than the next words of a body's name?"""
    pair = [t[2] for t in tokens[k : k + 2]]
    return len(pair) == 2 and all(_is_name_word(w, "en") for w in pair)


@functools.lru_cache(maxsize=5000)
def _ru_plural(word: str) -> bool:
    from nlp.names import morph

    parses = [p for p in morph().parse(word.lower()) if p.tag.POS == "NOUN"]
    return bool(parses) and all(p.tag.number == "plur" for p in parses)


# German body nouns in a plural form only (Behörden, Ministerien, Zentren, Universitäten).
_DE_PLURAL_HEAD = re.compile(
    r"(?:behörden|agenturen|ministerien|zentren|universitäten|hochschulen|gesellschaften|"
    r"akademien|kommissionen|ämter|institute|instituten)$",
    re.IGNORECASE,
)
_MODELLED_ON = re.compile(r"-(?:style|type|like|based|artige[nmrs]?|образн\w+|типа)$", re.I)


def _org_phrases(
    text: str, lang: str, person_starts: frozenset[int] = frozenset()
) -> list[tuple[int, int, list[str], int]]:
    """(start, end, words, head index) of government-body phrases headed by a glossary noun,
    written as names (capitalised first word) and with at least one word besides the head.
    A name never runs into a person's name ("im Bundesministerium für … Entwicklung Niels
    Annen")."""
    tokens = _words_with_pos(text)
    out = []
    for i, (_s, _e, word) in enumerate(tokens):
        # a body a German report names in English: "die georgische Digital Governance Agency"
        english = lang == "de" and not _is_body_head(word, lang) and _is_body_head(word, "en")
        if not (_is_body_head(word, lang) or english) or (lang == "ru" and word.lower() == "гп"):
            continue
        plang = "en" if english else lang
        left = i
        while left - 1 >= 0 and _left_ok(tokens, left - 1, plang):
            left -= 1
        # «Корейского агентства …», "Koreanische Agentur …": a capitalised state adjective
        # opens the name; the name is kept without it and the adjective gives the state
        state_first = (
            plang != "en"
            and left > 0
            and tokens[left - 1][2][:1].isupper()
            and is_country_word(tokens[left - 1][2], lang)
        )
        if not (tokens[left][2][:1].isupper() or state_first):
            continue
        right = j = i + 1
        while j < len(tokens) and j - i < 14 and tokens[j][0] not in person_starts:
            if "\n" in text[tokens[j - 1][1] : tokens[j][0]]:
                break  # a name never runs over a line or paragraph break
            if j == i + 1 and tokens[j][2].lower() in {"and", "und", "и", "or", "oder", "или"}:
                break  # "Behörden und Förster": the head ends the name, a list goes on
            step = _right_step(tokens, j, plang)
            if step == "stop":
                break
            j += 1
            if step == "word":
                right = j
        words = [t[2] for t in tokens[left:right]]
        if len(words) < 2 and not _named_compound(text, tokens, left, lang):
            continue  # a bare "Ministry"/"Akademie" is a later reference, not a name
        capitalised = [w for w in words if w[:1].isupper()]
        if (
            lang == "de"
            and len(capitalised) >= 2
            and all(_is_body_head(w, lang) for w in capitalised)
        ):
            continue  # "ein Servicezentrum der Staatskorporation": bodies, but no name
        if (lang == "ru" and _ru_plural(word)) or (lang == "de" and _DE_PLURAL_HEAD.search(word)):
            continue  # "Передвижные центры", "UN-Behörden": a kind of body, not one body's name
        if any(_MODELLED_ON.search(w) for w in words):
            continue  # "the first ASAN-style centre": a body built after a model, not named
        out.append((tokens[left][0], tokens[right - 1][1], words, i - left))
    # "National Information Society Agency": the phrase of "Society" lies inside the one of
    # "Agency", whose name it is part of
    return [
        p
        for p in out
        if not any(q[0] <= p[0] and p[1] <= q[1] and (q[0], q[1]) != (p[0], p[1]) for q in out)
    ]


def _named_compound(text: str, tokens: list[tuple[int, int, str]], k: int, lang: str) -> bool:
    """A German compound body named by its state: "das kasachische Digitalministerium",
    "das Innenministerium Usbekistans" (a bare "das Digitalministerium" refers back)."""
    if lang != "de" or not de_compound_head(tokens[k][2]):
        return False
    before = k > 0 and is_country_word(tokens[k - 1][2], lang)
    return before or _state_after(text, tokens[k][1], lang, slack=0) is not None


def _state_after(text: str, end: int, lang: str, slack: int = 2) -> str | None:
    """The state named right after a body's name: of X, von X, Республики X."""
    after = text[end : end + 40]
    m = re.match(r"\s*(?:of|von|der|des)?\s*(?:Republik|Republic of|the)?\s*", after)
    for mention in find_countries(after, lang):
        if mention.start <= (m.end() if m else 0) + slack:
            return mention.code
        break
    return None


def _state_right_before(text: str, start: int, lang: str) -> str | None:
    """The state whose name or adjective stands right before a body's name ("the Albanian
    National Agency", "der albanischen Nationalen Agentur", «албанского Национального …»)."""
    before = text[max(0, start - 30) : start]
    mentions = find_countries(before, lang)
    if mentions and not before[mentions[-1].end :].strip():
        return mentions[-1].code
    return None


def _org_country(text: str, start: int, end: int, lang: str) -> str | None:
    """The state of a body: named right after it (of X, von X, Республики X) or right before
    it (Kazakhstan's, kasachische, казахстанский)."""
    after = _state_after(text, end, lang)
    if after:
        return after
    before = text[max(0, start - 40) : start]
    mentions = find_countries(before, lang)
    if mentions and len(before) - mentions[-1].end <= 12:
        return mentions[-1].code
    inside = find_countries(text[start:end], lang)
    if inside:
        return inside[0].code
    # "the Digital Government Support Center in Astana", «Центр … в Астане»: the city's state
    m = _CITY_AFTER.match(text, end)
    city = find_city(m.group(1)) if m else None
    return city.country if city else None


_CITY_AFTER = re.compile(r"\s+(?:in|aus|from|в|во|из)\s+([A-ZА-ЯЁÄÖÜ][\w-]+)")


# The outlet reporting the story is its source, not an actor ("Kazinform News Agency
# correspondent reports", "Nachrichtenagentur Kabar", "информационное агентство").
_NEWS_OUTLET = re.compile(
    r"\b(?:News|Nachrichten\w*|Presseagentur|[Ии]нформационн\w+\s+агентств\w*)\b"
)


# An English "Service" is every e-service too; a capitalised one introducing its acronym is a
# body: "Korea's Public Procurement Service (PPS)", "the State Customs Service (SCS)".
_EN_SERVICE = re.compile(
    r"(?P<name>(?:(?!(?:The|A|An|This|Its)\s)[A-Z][\w&-]*\s+){1,5}Service)"
    r"\s+\((?P<acronym>[A-Z][A-Za-z]{1,7})\)"
)
# ... and a body of the state, not a product ("the Mobile ID Service (MID)"), by its words
_STATE_SERVICE_WORD = re.compile(
    r"\b(?:State|Public|National|Federal|Government|Civil|Customs|Tax|Revenue|Procurement"
    r"|Migration|Immigration|Border|Statistical|Employment|Security|Registration|Postal)\b"
)


# A company named right after the word for it: "the Chinese company Tianshan Digital
# Technology", «компания «Тяньшань Диджитал»», "das Unternehmen Cybernetica".
_LATIN_WORD = r"[A-Z][\w&’'-]*(?:\.[\w-]+)*"  # a full stop only inside: "Cloud.kz"
_NOT_A_NAME = r"(?!(?:In|On|At|The|This|That|It|Its|As|For|And|But|Im|Am|Der|Die|Das|Mit|Und)\b)"
_LATIN_NAME = rf"{_NOT_A_NAME}{_LATIN_WORD}(?:\s(?:&\s)?{_LATIN_WORD}){{0,4}}"
_QUOTED_NAME = r"«[^«»]{2,60}»|„[^„“”]{2,60}[“”]|\"[^\"]{2,60}\"|“[^“”]{2,60}”"
_NAMED_COMPANY = {
    "en": re.compile(
        rf"\b(?:company|firm|operator|vendor|contractor)\s+(?P<name>{_LATIN_NAME}|{_QUOTED_NAME})"
    ),
    # German nouns are capitalised too: only after a singular article ("verlagern Unternehmen
    # Teile ihrer Produktion" names no company)
    "de": re.compile(
        r"\b(?:(?:das|dem|des)\s+(?:[a-zäöüß]+\s+)?(?:IT-)?Unternehmen"
        r"|(?:die|der)\s+(?:[a-zäöüß]+\s+)?Firma"
        r"|(?:der|dem|des)\s+(?:[a-zäöüß]+\s+)?(?:Konzern|Softwarehersteller|Dienstleister)s?)"
        rf"\s+(?P<name>{_LATIN_NAME}|{_QUOTED_NAME})"
    ),
    "ru": re.compile(
        r"(?<!\w)(?:компани[яиейю]|фирм[аыейу]|корпораци[яиейю]|разработчик\w*)"
        rf"\s+(?P<name>{_LATIN_NAME}|{_QUOTED_NAME})"
    ),
}


_CORPORATE_HEAD = re.compile(
    r"(?:corporation|company|agency|authority|foundation|korporation|gesellschaft|agentur"
    r"|корпорация|корпорации|компания|компании|агентство|агентства)$"
)


def find_organizations(
    text: str,
    spans: Sequence[Span],
    lang: str,
    skip_before: int = 0,
    project_names: Sequence[str] = (),
) -> list[Actor]:
    """Organisation actors of `text`: body phrases, state enterprises, known bodies, acronyms.

    A body phrase that only describes a named project ("internationalen Technologiepark
    Astana Hub") is left to the project: one thing, one record."""
    projects = [fold_text(n) for n in project_names if n]
    if lang not in SUPPORTED:
        return []
    found: list[tuple[int, _Org]] = []
    taken: list[tuple[int, int]] = []

    def overlaps(start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in taken)

    # a known body's name inside a longer project name is the project's ("ASAN İmza")
    project_spans = [
        (m.start(), m.end()) for name in project_names for m in re.finditer(re.escape(name), text)
    ]
    for match in _known_matches(text, skip_before):
        start, end, surface, known = match.start, match.end, match.surface, match.entry
        if overlaps(start, end) or any(
            s <= start and end <= e and e - s > end - start for s, e in project_spans
        ):
            continue
        state = _state_after(text, end, lang, slack=0) or _state_right_before(text, start, lang)
        if known.country and state and state != known.country:
            # «Минцифры Украины» is not Russia's Минцифры, and "der albanischen Nationalen
            # Agentur für Informationsgesellschaft" is not Korea's NIA
            continue
        taken.append((start, end))
        if not known.mention_only or _FUNDING.search(_sentence_of(text, start, end)):
            org = _Org(surface, known.canonical, name_key(known.canonical), known.country, known.id)
            found.append((start, org))
    state_body = _STATE_BODY[lang]
    for m in state_body.finditer(text, skip_before):
        if overlaps(m.start(), m.end()):
            continue
        taken.append((m.start(), m.end()))
        kind_word, proper = m.group(1).lower(), m.group(2).strip()
        name = m.group(0).strip()
        proper_en = _tidy_words(translate_words(proper.split(), lang)) if lang != "en" else proper
        if "корпорац" in kind_word or "corporation" in kind_word or "korporation" in kind_word:
            canonical = f"{proper_en} State Corporation"
        else:
            canonical = f"State Enterprise {proper_en}"
        found.append(
            (
                m.start(),
                _Org(
                    name,
                    canonical,
                    name_key(canonical),
                    _org_country(text, m.start(), m.end(), lang),
                ),
            )
        )
    for m in _EN_SERVICE.finditer(text, skip_before) if lang == "en" else ():
        start, end = m.span("name")
        if overlaps(start, end) or not _STATE_SERVICE_WORD.search(m.group("name")):
            continue
        taken.append((start, end))
        name = m.group("name")
        org = _Org(name, name, name_key(name), _org_country(text, start, end, lang))
        org.aliases.append(m.group("acronym"))
        found.append((start, org))
    for m in _NAMED_COMPANY[lang].finditer(text, skip_before):
        start, end = m.span("name")
        name = m.group("name").strip('«»„“”"')
        if overlaps(start, end) or any(fold_text(name) in p for p in projects):
            continue
        taken.append((start, end))
        canonical = transliterate(name) if _CYR.search(name) else name
        org = _Org(name, canonical, name_key(canonical), _org_country(text, m.start(), end, lang))
        found.append((start, org))
    person_starts = frozenset(span.start for span in spans if span.label == "PER")
    for start, end, words, head_index in _org_phrases(text, lang, person_starts):
        if start < skip_before or overlaps(start, end):
            continue
        taken.append((start, end))
        surface = text[start:end]
        folded = fold_text(surface)
        # one thing, one record: a body phrase around a project's name, or inside it ("a
        # joint GovTech center" is the project), is the project
        # (a company or agency named after a programme is a body: "Digital India Corporation";
        # a centre named after one is its facility: "Diia Center")
        named_after = _CORPORATE_HEAD.search(folded) and any(
            folded.startswith(p + " ") for p in projects
        )
        if not named_after and (
            any(p in folded or folded in p for p in projects) or _NEWS_OUTLET.search(surface)
        ):
            continue
        if lang == "ru":
            words = _ru_nominative_phrase(words, head_index)
        canonical = english_name(words, head_index, lang)
        country = _org_country(text, start, end, lang) or federal_german(surface, lang)
        org = _Org(surface, canonical, name_key(canonical), country)
        m = _ACRONYM_AFTER.match(text, end, end + 60)
        if (
            m
            and m.group("mid").strip()
            and not (len(m.group("mid").split()) <= 3 and find_countries(m.group("mid"), lang))
        ):
            m = None  # only the body's state may stand between it and its acronym
        if m:
            org.aliases.append(m.group(2))
            known = _known_by_acronym(m.group(2))
            if known is not None:  # "Агентство … при Президенте Азербайджана (ASAN)" is ASAN
                org.canonical, org.id = known.canonical, known.id
                org.country = known.country or org.country
        found.append((start, org))
    # acronyms the text introduced in parentheses, used alone later
    acronyms = {alias: org for _s, org in found for alias in org.aliases}
    for span in spans:
        if span.label != "ORG" or span.start < skip_before:
            continue
        surface = span.text(text).strip()
        if surface in acronyms and not overlaps(span.start, span.end):
            taken.append((span.start, span.end))
    found.sort(key=lambda item: item[0])
    by_key: dict[str, _Org] = {}
    out: list[_Org] = []
    for _start, org in found:
        key = org.id or org.key
        if not key:
            continue
        same = by_key.get(key)
        if same is None:
            by_key[key] = org
            out.append(org)
        elif same.country is None:
            same.country = org.country
    return [
        Actor(
            id=o.id or org_id(o.canonical, o.country),
            kind="organization",
            name=o.name,
            canonical=o.canonical,
            country=o.country,
        )
        for o in out
    ]


def _tidy_words(words: list[str]) -> str:
    return " ".join(w[:1].upper() + w[1:] if w not in {"for", "of", "and"} else w for w in words)


def org_id(canonical: str, country: str | None) -> str:
    """Proposed id of a body: its state and the content words of its English name."""
    words = [w for w in slug(canonical).split("-") if w not in {"of", "for", "the", "and", "under"}]
    return "org:" + "-".join(filter(None, [(country or "").lower(), *words]))


def _ru_nominative_phrase(words: list[str], head_index: int) -> list[str]:
    """Keep the words; the English form is built from lemmas, so case does not matter."""
    return words


# --- quotes -------------------------------------------------------------------------------------
def attribute_quotes(
    quotes: list[Quote], persons: list[Actor], lang: str | None, text: str = ""
) -> None:
    """Set `speaker_id` of each quote whose speaker names one of the article's persons
    (full name, surname in any case form, initial and surname, or a title and first name:
    "Sheikh Hamad"). A speaker that names none of them (the quote finder took a place or a
    phrase for a name: "worum es Taschkent geht: „…“") is the person named next to the quote
    in `text`, the article body (see _person_near)."""
    if not persons:
        return
    keyed = [(identity_key(p.canonical, "en"), p) for p in persons]
    mentions: list[tuple[int, Actor]] | None = None  # where persons are named: found once
    for quote in quotes:
        if quote.speaker_id:
            continue
        if quote.speaker:
            _attribute(quote, persons, keyed, lang)
        if quote.speaker_id is None and text:
            if mentions is None:
                mentions = _person_mentions(text, persons, lang)
            # with no speaker read at all, only a person named right after the quotation in
            # its sentence speaks it («— …, — рассказала «Известиям» замминистра Елена Рыжова»)
            near = _person_near(quote, text, mentions, after_only=not quote.speaker)
            if near is not None:
                quote.speaker, quote.speaker_id = near.name, near.id


def _attribute(
    quote: Quote, persons: list[Actor], keyed: list[tuple[str, Actor]], lang: str | None
) -> None:
    """The speaker as the quote finder read it, matched to one of the persons."""
    speaker = quote.speaker.strip()
    canonical = canonical_name(speaker, lang)
    key = identity_key(canonical, "en")
    match = [p for k, p in keyed if k == key]
    if not match:
        last = key.split()[-1] if key else ""
        match = [p for k, p in keyed if k.split() and k.split()[-1] == last]
    if not match and lang == "ru" and last:
        # a bare surname's case is a guess: "Шапкина ответила" read as genitive Шапкин
        match = [p for k, p in keyed if k.split() and k.split()[-1] in {last + "a", last[:-1]}]
    if not match and " " not in speaker:  # "сказал Пак" after "Пак Чжи Хун"
        own = _surname_key(speaker, lang) if lang else ""
        match = [p for p in persons if korean_parts(p.name) and _surname_key(p.name, lang) == own]
    words = [w for w in speaker.split() if w.lower().rstrip(".") not in _SPEAKER_TITLES]
    if not match and len(words) == 1:  # "Sheikh Hamad" after "Hamad bin Saif Al Qasimi"
        match = [p for p in persons if p.name.split()[0] == words[0]]
    if len(match) == 1:
        quote.speaker_id = match[0].id


_ABBREVIATION = re.compile(r"\b(?:Dr|Prof|Mr|Mrs|Ms|Hr|Fr|St|Jr|H\.E|S\.E|[A-ZА-ЯЁ])\.")
_SPEAKER_TITLES = {"sheikh", "sheikha", "dr", "prof", "mr", "mrs", "ms", "шейх", "herr", "frau"}


def _person_near(
    quote: Quote, text: str, mentions: list[tuple[int, Actor]], after_only: bool = False
):
    """The person named right after the quotation in its sentence ("…," said Commissioner Dr.
    Sana Fatima), else the last one named before it in its paragraph or the one before."""
    opening = quote.text.split(" … ")[0][:60]
    at = text.find(opening) if opening else -1
    if at < 0:
        return None
    end = at + len(quote.text.split(" … ")[0])
    paragraph_end = text.find("\n\n", end)
    paragraph_end = len(text) if paragraph_end < 0 else paragraph_end
    for start, person in mentions:
        if end <= start < min(paragraph_end, end + 150):
            between = _ABBREVIATION.sub("", text[end + 2 : start])  # "…“, sagte Dr. Lindemann"
            if not re.search(r"[.!?][\s»“”\"]*\s[A-ZА-ЯЁ]", between):
                return person
            break
    if after_only:
        return None
    paragraph_start = max(0, text.rfind("\n\n", 0, at))
    window_start = max(0, text.rfind("\n\n", 0, paragraph_start))  # and the one before
    before = [(s, p) for s, p in mentions if window_start <= s < at]
    return before[-1][1] if before else None


def _person_mentions(text: str, persons: list[Actor], lang: str | None) -> list[tuple[int, Actor]]:
    """Where each person's surname stands in `text` (any case form: its stem)."""
    out = []
    for person in persons:
        korean = korean_parts(person.name)
        surname = korean[0] if korean else person.name.split()[-1]
        stem = surname if lang == "en" or len(surname) < 5 else surname[: len(surname) - 2]
        out += [(m.start(), person) for m in re.finditer(rf"(?<!\w){re.escape(stem)}", text)]
    return sorted(out, key=lambda item: item[0])


def find_actors(
    text: str, spans: Sequence[Span], lang: str | None, skip_before: int = 0
) -> list[Actor]:
    """Persons, then organisations, of one article text (see the module docstring)."""
    if lang not in SUPPORTED:
        return []
    persons = find_persons(text, spans, lang, skip_before)
    orgs = find_organizations(text, spans, lang, skip_before)
    states_from_bodies(persons, orgs)
    return [*persons, *orgs]


def _stems(text: str) -> set[str]:
    """Word beginnings of a phrase's content words: Minister/Ministry, министр/Министерства."""
    return {w.lower()[:5] for w in re.findall(r"[^\W\d_]{4,}", text)}


def states_from_bodies(persons: list[Actor], orgs: list[Actor]) -> None:
    """A person whose title names one of the article's bodies gets that body's state: "the
    Minister of Digital Development and Innovative Technologies Nurbek Alimov", after "the
    Ministry of Digital Development and Innovative Technologies of Kyrgyzstan"."""
    bodies = [(org.country, _stems(org.name)) for org in orgs if org.country]
    for person in persons:
        if person.country or not person.role:
            continue
        role = _stems(person.role)
        states = {state for state, stems in bodies if len(stems) >= 2 and stems <= role}
        if len(states) == 1:
            person.country = states.pop()


def analyse_actors(
    title: str | None,
    paragraphs: list[str],
    lang: str | None,
    settings,
    quotes: list[Quote] | None = None,
) -> tuple[list[Actor], list[Project]]:
    """Persons, organisations and projects of one article: one NER Doc for the whole text
    (the title is left out of the names: headline capitals mislead the rules and the model),
    quotes' `speaker_id` set from the persons found."""
    from nlp.ner import entities
    from nlp.pipelines import analyse, load_nlp
    from nlp.projects import find_projects

    if lang not in SUPPORTED or not paragraphs:
        return [], []
    text = "\n\n".join(paragraphs)
    # One Doc per article (long ones in parts), with only what the entities need.
    nlp = load_nlp(lang, settings, entities_only=True)
    doc = analyse(nlp, text, settings.nlp.ner.max_chunk_chars)
    spans = [Span(m.start_char, m.end_char, m.label) for m in entities(doc)]
    persons = find_persons(text, spans, lang)
    projects = find_projects(text, lang)
    orgs = find_organizations(text, spans, lang, project_names=[p.name for p in projects])
    projects = _without_known_bodies(projects, orgs)
    states_from_bodies(persons, orgs)
    if quotes:
        attribute_quotes(quotes, persons, lang, text)
    return [*persons, *orgs], projects


def _without_known_bodies(projects: list[Project], orgs: list[Actor]) -> list[Project]:
    """Projects that are not the opening words of a known body's name as written: "the ASAN
    service centre" names the body ASAN, not a project."""
    known_ids = {k.id for k in known_orgs()}
    bodies = [fold_text(o.name).split() for o in orgs if o.id in known_ids]

    aliases = {fold_text(n) for k in known_orgs() for n in k.names}
    # the quoted name of a company: ГУП «Таджиктелеком» is a body, «Таджиктелеком» no project
    # (unless a known platform: ГП «Тундук» runs the system «Тундук»)
    companies = {fold_text(q) for o in orgs for q in re.findall(r"«([^«»]+)»", o.name)}
    platforms = {p.canonical for p in projects if _is_known_project(p)}

    def opens_a_body(project: Project) -> bool:
        words = fold_text(project.name).split()
        # "through GIZ projects": a known body's name is the body, not a project's
        return (
            any(body[: len(words)] == words for body in bodies)
            or " ".join(words) in aliases
            or (" ".join(words) in companies and project.canonical not in platforms)
        )

    return [p for p in projects if not opens_a_body(p)]


def _is_known_project(project: Project) -> bool:
    from nlp.projects import known_projects  # imported on use, as find_projects

    return any(
        found.start == 0 and found.end == len(project.name)
        for found in known_projects().find(project.name, 0)
    )


def fold_text(text: str) -> str:
    return re.sub(r"\s+", " ", text.casefold()).strip()
