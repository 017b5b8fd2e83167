"""One English key per person name across scripts: Cyrillic transliterated, German forms folded.

* Cyrillic: Russian case forms brought to the nominative (Турчиным -> Турчин, Шапкиной -> Шапкина)
  with pymorphy3 and suffix rules, then transliterated with iuliia's Wikipedia scheme (close to
  BGN/PCGN, as English news write Russian names), then a few usual English spellings of first
  names (Aleksandr -> Alexander).
* German renderings of Slavic/Turkic names (Duden transcription) folded to the English spelling:
  tsch -> ch, sch -> sh, ch -> kh, j -> y, w -> v, z -> ts, s -> z between voiced sounds
  (Turtschin -> Turchin, Tokajew -> Tokayev, Mirsijojew -> Mirziyoyev). German and English names
  without such marks are kept as written (Markus Hellwig stays Hellwig).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from nlp.chinese import palladius, pinyin
from nlp.korean import consonant_key, english_family_name, korean_parts

_CYRILLIC = re.compile(r"[а-яёіїєґўәғқңөұүһ]", re.IGNORECASE)

# Usual English spellings of first names where the scheme's output differs (lower case keys).
_FIRST_NAMES_EN = {
    "aleksandr": "Alexander",
    "aleksandra": "Alexandra",
    "aleksey": "Alexei",
    "aleksei": "Alexei",
    "alexej": "Alexei",
    "alexey": "Alexei",
    "andrey": "Andrei",
    "andrej": "Andrei",
    "sergey": "Sergei",
    "sergej": "Sergei",
    "dmitriy": "Dmitry",
    "dmitri": "Dmitry",
    "dmitrij": "Dmitry",
    "yury": "Yuri",
    "yuriy": "Yuri",
    "yuri": "Yuri",
    "juri": "Yuri",
    "yuliya": "Yulia",
    "julija": "Yulia",
    "maksim": "Maxim",
    "mariya": "Maria",
    "nataliya": "Natalia",
    "anastasiya": "Anastasia",
    "yevgeniy": "Yevgeny",
    "jewgeni": "Yevgeny",
    "jewgenij": "Yevgeny",
    "yevgeni": "Yevgeny",
    "evgeny": "Yevgeny",
    "mikhail": "Mikhail",
    "michail": "Mikhail",
    "nikolay": "Nikolai",
    "nikolaj": "Nikolai",
    "anatoliy": "Anatoly",
    "vitaliy": "Vitaly",
    "valeriy": "Valery",
    "georgiy": "Georgy",
    "grigoriy": "Grigory",
    "vasiliy": "Vasily",
    "arkadiy": "Arkady",
    "gennadiy": "Gennady",
    "yelena": "Yelena",
    "jelena": "Yelena",
    "ilja": "Ilya",
    "ilya": "Ilya",
    "pawel": "Pavel",
    "iwan": "Ivan",
    "wiktor": "Viktor",
    "wladimir": "Vladimir",
    "wladislaw": "Vladislav",
    "wassili": "Vasily",
    "wasilij": "Vasily",
    "waleri": "Valery",
    "walerij": "Valery",
    "geydar": "Heydar",  # Гейдар: Russian writes the Azerbaijani h as г
}
_SLAVIC_MARK = re.compile(
    r"(?:ow|ew|jew|owa|ewa|jewa|(?<!e)in|(?<!e)ina|yn|yna|itsch|owna|ewna|enko|ski|skij|skaja|zki|"
    r"uk|juk|jan|schwili|dse|ijew|ajew|ojew|ujew|ow[ae]?)$|tsch|[aeiou]j[aeiou]",
    re.IGNORECASE,
)
_GERMAN_FOLDS = [
    (re.compile(r"dsch"), "\x01"),  # Dschamschid = Jamshid: placeholder, no j -> y fold
    (re.compile(r"tsch"), "\x00"),  # placeholder: kept apart from the ch -> kh fold below
    (re.compile(r"sch"), "sh"),
    (re.compile(r"z"), "ts"),
    (re.compile(r"(?<=[aeiouylrnm])s(?=[aeiouy])|(?<=[aeiou])s(?=[bdg])"), "z"),
    (re.compile(r"ss"), "s"),
    (re.compile(r"(?<!^)ch|^ch"), "kh"),
    (re.compile(r"(?<=[aeiou])j(?=[aeiou])|^j(?=[aeiou])|(?<=[aeiou])j$"), "y"),
    # German j is English y after a consonant and before one too: Hajrapetjan -> Hayrapetyan
    (re.compile(r"(?<=[bdfghklmnprtvwz])j(?=[aeiou])|(?<=[aeou])j(?=[bdfgklmnprstvwz])"), "y"),
    (re.compile(r"ij(?=[aeiou])"), "iy"),
    (re.compile(r"ij$"), "iy"),
    (re.compile(r"w"), "v"),
    (re.compile(r"ä"), "a"),
    (re.compile(r"ö"), "o"),
    (re.compile(r"ü"), "yu"),
    (re.compile("\x00"), "ch"),
    (re.compile("\x01"), "j"),
    (re.compile(r"(?<=[st])ki$"), "ky"),  # Chodorkowski -> Khodorkovsky
    (re.compile(r"dse$"), "dze"),  # Georgian: Schewardnadse -> Shevardnadze
]


@functools.cache
def morph():
    """The process-wide pymorphy3 analyser (Russian), loaded on first use."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


_morph = morph


@functools.cache
def _scheme():
    import iuliia

    return iuliia.WIKIPEDIA


def _cap(word: str) -> str:
    return "-".join(p[:1].upper() + p[1:] for p in word.split("-"))


# --- Russian case forms -> nominative --------------------------------------------------------
_PERSON_TAGS = {"Name", "Surn", "Patr"}
# Surname suffix rules for names the dictionary does not know: (ending, case, gender) -> base.
_SURNAME_RULES = [
    # (ending, gender, case, replacement): feminine -ова/-ева/-ина/-ына ...
    (r"(ов|ев|ёв|ин|ын)ой$", "femn", "gent", r"\1а"),
    (r"(ов|ев|ёв|ин|ын)у$", "femn", "accs", r"\1а"),
    # ... masculine -ов/-ев/-ин/-ын
    (r"(ов|ев|ёв|ин|ын)ым$", "masc", "ablt", r"\1"),
    (r"(ов|ев|ёв|ин|ын)ом$", "masc", "loct", r"\1"),
    (r"(ов|ев|ёв|ин|ын)а$", "masc", "gent", r"\1"),
    (r"(ов|ев|ёв|ин|ын)у$", "masc", "datv", r"\1"),
    (r"(ов|ев|ёв|ин|ын)е$", "masc", "loct", r"\1"),
    # -ский/-цкий, -ская/-цкая
    (r"(ск|цк)(ого|ому|им|ом)$", "masc", "gent", r"\1ий"),
    (r"(ск|цк)(ой|ую)$", "femn", "gent", r"\1ая"),
    # -ич (masc.) in oblique cases
    (r"(ич)(а|у|ем|е)$", "masc", "gent", r"\1"),
]
_MASC_OBLIQUE = {
    "gent": r"(?<=[бвгджзклмнпрстфхцчшщ])а$",
    "accs": r"(?<=[бвгджзклмнпрстфхцчшщ])а$",
    "datv": r"(?<=[бвгджзклмнпрстфхцчшщ])у$",
    "ablt": r"(?<=[бвгджзклмнпрстфхцчшщ])ом$",
    "loct": r"(?<=[бвгджзклмнпрстфхцчшщ])е$",
}
# Masculine first names the dictionary does not know, in oblique cases (Сардором -> Сардор).
_MASC_FIRST_OBLIQUE = re.compile(r"(?<=[бвгджзклмнпрстфхцчшщ])(ом|ем|а|у|е)$")


def _person_parses(token: str, tag: str | None = None) -> list:
    """Singular person-name readings whose lemma is no longer than the form: a nominative is never
    longer than its oblique forms, which rules out guesses such as Сардором <- "Сардорома"."""
    tags = {tag} if tag else _PERSON_TAGS
    return [
        p
        for p in _morph().parse(token)
        if tags & set(p.tag.grammemes)
        and p.tag.number != "plur"
        and len(p.normal_form) <= len(token)
        and p.normal_form[:3].replace("ё", "е") == token[:3].lower().replace("ё", "е")
    ]


def _surname_rule(token: str, gender: str | None) -> tuple[str, str, str] | None:
    """(nominative, gender, case) by suffix rules, or None."""
    low = token.lower()
    for rx, g, case, repl in _SURNAME_RULES:
        if gender and g != gender:
            continue
        if re.search(rx, low):
            return _cap(re.sub(rx, repl, low)), g, case
    return None


_CONSONANT_STEM_CASE = [
    (r"(?<=[бвгджзклмнпрстфхцчшщ])ом$", "ablt", ""),
    (r"(?<=[бвгджзклмнпрстфхцчшщ])у$", "datv", ""),
    (r"(?<=[бвгджзклмнпрстфхцчшщ])а$", "gent", ""),
    # a soft stem takes -ем (Чуньлинем -> Чуньлинь; Игорем is in the dictionary)
    (r"(?<=[бвдзлмнпрстф])ем$", "ablt", "ь"),
]


def _consonant_stem_case(token: str) -> tuple[str, str, str] | None:
    """(nominative, "masc", case) of a surname the dictionary lacks, by a masculine consonant
    stem's oblique ending (Нечаса -> Нечас, gent); None if the ending says nothing."""
    low = token.lower()
    if re.search(r"(?:зода|заде|зада)$", low):
        return None  # Tajik and Azerbaijani -zoda/-zade surnames do not decline: Хамрализода
    for rx, case, stem_end in _CONSONANT_STEM_CASE:
        if re.search(rx, low):
            return _cap(re.sub(rx, stem_end, low)), "masc", case
    return None


def _nominative_token(token: str, gender: str | None, case: str | None) -> str:
    """One surname/patronymic token in the nominative, agreeing with gender and case."""
    parses = _person_parses(token)
    if gender:
        parses = [p for p in parses if p.tag.gender in {gender, None}]
    if case:
        parses = [p for p in parses if p.tag.case == case]
    if parses:
        p = parses[0]
        if p.tag.case == "nomn":
            return token
        wanted = {"nomn", "sing"}
        if gender in {"masc", "femn"}:
            wanted.add(gender)
        inflected = p.inflect(wanted) or p.inflect({"nomn"})
        if inflected:
            return _cap(inflected.word) if token[:1].isupper() else inflected.word
    if case == "nomn":
        return token
    rule = _surname_rule(token, gender)
    if rule:
        return rule[0]
    if gender == "masc" and case in _MASC_OBLIQUE:  # consonant-stem surname: Новака -> Новак
        soft = _consonant_stem_case(token)  # or a soft stem: Чуньлинем -> Чуньлинь
        if soft and soft[2] == case and soft[0].endswith("ь"):
            return soft[0] if token[:1].isupper() else soft[0].lower()
        return re.sub(_MASC_OBLIQUE[case], "", token)
    return token


def nominative_ru(name: str) -> str:
    """A Russian person name in the nominative: "Александра Турчина" -> "Александр Турчин".

    Ambiguous forms are read the likelier way: a first name's reading is chosen by pymorphy3's
    frequency among those the surname agrees with ("Александра Турчина" is more often the
    genitive of Alexander Turchin than the female name)."""
    tokens = name.split()
    if not tokens or not _CYRILLIC.search(name):
        return name
    if len(tokens) == 1:
        return _nominative_token(tokens[0], None, None)
    if _surname_first(tokens):  # official order: «Сейтжанова Гульнара Ериковна»
        *given, surname = nominative_ru(" ".join([*tokens[1:], tokens[0]])).split()
        if _PATRONYMIC.search(given[-1]):  # read right when the patronymic came out nominative
            return " ".join([surname, *given])
    first, rest = tokens[0], tokens[1:]
    first_parses = _person_parses(first, "Name")
    surname_parses = _person_parses(tokens[-1], "Surn")
    # A surname the dictionary does not know still shows its case by its ending: surely so for
    # Ибрагимовича (a rule), likely for a consonant stem's Нечаса / Ляпуантом (masculine: a
    # feminine surname would end in -ова/-ина/-ая or not change at all).
    rule = _surname_rule(tokens[-1], None)
    likely = None if surname_parses or rule else _consonant_stem_case(tokens[-1])
    if first_parses and not surname_parses and (rule or likely):
        gender_case = (rule or likely)[1:]
        fitting = [p for p in first_parses if (p.tag.gender, p.tag.case) == gender_case]
        if fitting:
            first_parses = fitting  # Петра Нечаса: Пётр in the genitive, not the name Петра
        elif rule and rule[1] == "masc":
            first_parses = []  # Златана Ибрагимовича: a first name the dictionary lacks
    if first_parses:
        agreeing = [
            p
            for p in first_parses
            if not surname_parses
            or any(
                s.tag.case == p.tag.case and s.tag.gender in {p.tag.gender, None}
                for s in surname_parses
            )
        ]
        best = max(agreeing or first_parses, key=lambda p: p.score)
        gender, case = best.tag.gender, best.tag.case
        if "Fixd" in best.tag:  # indeclinable first name (Айгерим): the surname decides the case
            rule = _surname_rule(tokens[-1], gender)
            case = rule[2] if rule else None
            first_out = first
        else:
            inflected = best.inflect({"nomn"})
            first_out = _cap(inflected.word) if inflected else first
        if case == "nomn":
            return name
        return " ".join([first_out, *(_nominative_token(t, gender, case) for t in rest)])
    rule = rule or likely
    if rule is None:
        return name  # nothing says this is not the nominative
    gender, case = rule[1], rule[2]
    first_out = first
    if gender == "masc":
        first_out = _MASC_FIRST_OBLIQUE.sub("", first)
    return " ".join([first_out, *(_nominative_token(t, gender, case) for t in rest)])


# A patronymic in any case: Нурланович, Ериковна, Нурлановича, Ериковной
_PATRONYMIC_ANY_CASE = re.compile(r"(?:ович|евич|ьич|овн|евн|ичн)\w{0,3}$", re.IGNORECASE)


def _surname_first(tokens: list[str]) -> bool:
    """Is a Russian name written surname first, as official documents list people: surname,
    first name, patronymic (Жакупов Максут Нурланович)? Told by the patronymic closing it."""
    return (
        len(tokens) == 3
        and _PATRONYMIC_ANY_CASE.search(tokens[2]) is not None
        and _PATRONYMIC_ANY_CASE.search(tokens[1]) is None
        and _PATRONYMIC_ANY_CASE.search(tokens[0]) is None
    )


# --- transliteration and folding --------------------------------------------------------------
# Letters of Ukrainian, Belarusian and Kazakh that the Russian scheme does not know, as the
# Russian letter closest in sound (Дія -> Diya, Тоқаев -> Tokayev, Ўсход -> Uskhod).
_NON_RUSSIAN_CYRILLIC = str.maketrans(
    {
        "і": "и", "І": "И", "ї": "йи", "Ї": "Йи", "є": "е", "Є": "Е", "ґ": "г", "Ґ": "Г",
        "ў": "у", "Ў": "У", "ә": "а", "Ә": "А", "ғ": "г", "Ғ": "Г", "қ": "к", "Қ": "К",
        "ң": "н", "Ң": "Н", "ө": "о", "Ө": "О", "ұ": "у", "Ұ": "У", "ү": "у", "Ү": "У",
        "һ": "х", "Һ": "Х",
    }
)  # fmt: skip


def transliterate(name: str) -> str:
    """Cyrillic to Latin by iuliia's Wikipedia scheme (Жаксылыков -> Zhaksylykov)."""
    latin = _scheme().translate(name.translate(_NON_RUSSIAN_CYRILLIC))
    latin = re.sub(r"(?<=[Yy]o)e", "ye", latin)  # Мирзиёев -> Mirziyoyev
    # name particles as English writes them: Урсула фон дер Ляйен, Мохаммед бен Рашид
    return re.sub(r"(?<!\S)(fon|ben)(?!\S)", lambda m: _LATIN_PARTICLES[m.group(1)], latin)


_LATIN_PARTICLES = {"fon": "von", "ben": "bin"}

# Lower-case words inside a person's name (nlp.actors and nlp.quotes read names over them).
# Arabic "bin"/"ibn" join a name's parts wherever they stand (Mohammed bin Rashid Al Maktoum);
# the European ones only inside what is otherwise known to be one name ("von der" is also
# German "of the").
ARABIC_PARTICLES = frozenset({"bin", "bint", "ibn", "бин", "бинт", "ибн", "бен"})
NAME_PARTICLES = ARABIC_PARTICLES | {
    "von", "van", "der", "den", "de", "da", "di", "du", "la", "le", "del", "dos", "zu", "ter",
    "al", "el", "фон", "ван", "дер", "де", "ди", "да", "ла", "ле", "аль", "эль",
}  # fmt: skip
# Turkic patronymic words closing a name: Kyrgyz "Nurbek Sadyr uulu", "Aigerim Asanbek kyzy",
# Azerbaijani "Heydar oglu".
TRAILING_PARTICLES = frozenset(
    {"uulu", "kyzy", "ogly", "oglu", "oğlu", "qizi", "kizi", "уулу", "кызы", "оглы", "гызы"}
)


def _looks_slavic(tokens: list[str]) -> bool:
    """A German rendering of a Slavic/Turkic name: judged by the surname (the last token)."""
    return bool(tokens) and bool(_SLAVIC_MARK.search(tokens[-1]))


def fold_german(name: str) -> str:
    """German press spelling of a Slavic/Turkic name -> English spelling (Turtschin -> Turchin)."""
    out = []
    for token in name.split():
        low = token.lower()
        for rx, repl in _GERMAN_FOLDS:
            low = rx.sub(repl, low)
        out.append(_cap(low))
    return " ".join(out)


def _english_first_names(tokens: list[str]) -> list[str]:
    if not tokens:
        return tokens
    key = tokens[0].lower()
    if key in _FIRST_NAMES_EN:
        tokens = [_FIRST_NAMES_EN[key], *tokens[1:]]
    return tokens


def _strip(name: str) -> str:
    name = unicodedata.normalize("NFC", name).strip(" \t\n,.;:«»„“”\"'")
    return re.sub(r"\s+", " ", name)


# A patronymic between first name and surname (Шерзод Асадуллаевич Шерматов) and the Turkic
# "son/daughter of" (Ильхам Гейдар оглы Алиев): English names the person without them.
_PATRONYMIC = re.compile(
    r"(?:ович|евич|ьич|ич|овна|евна|ична|инична|ovich|evich|ovna|evna|ichna|owitsch|ewitsch"
    r"|owna|ewna)$",
    re.IGNORECASE,
)
_TURKIC_CHILD_OF = re.compile(
    r"^(?:оглы|оглу|улы|уулу|кызы|кизи|oglu|ogly|oğlu|uly|uulu|kyzy|qizi)$", re.I
)


def _without_patronymic(tokens: list[str]) -> list[str]:
    if len(tokens) >= 4 and _TURKIC_CHILD_OF.match(tokens[2]):
        return [tokens[0], *tokens[3:]]
    if len(tokens) == 3 and _PATRONYMIC.search(tokens[2]) and not _PATRONYMIC.search(tokens[1]):
        return [tokens[1], tokens[0]]  # official order: Мусин Багдат Батырбекович
    if len(tokens) == 3 and _PATRONYMIC.search(tokens[1]) and not _PATRONYMIC.search(tokens[2]):
        return [tokens[0], tokens[2]]
    return tokens


def canonical_name(name: str, language: str | None = None) -> str:
    """The English form of a person name written in de, ru or en (without a patronymic)."""
    name = _strip(name)
    if not name:
        return name
    # a surname in capitals, as official portals write it: Багдат МУСИН, Bagdat MUSSIN
    tokens = [t.title() if t.isupper() and len(t) >= 4 else t for t in name.split()]
    name = " ".join(tokens)
    chinese = pinyin(name)
    korean = korean_parts(name) if not chinese else None
    if korean:  # Пак Чжи Хуном -> Park Chzhi-khun: the family name first, as Koreans write
        family, given = korean
        syllables = [transliterate(g) if _CYRILLIC.search(g) else g for g in given]
        return f"{english_family_name(family)} {'-'.join(syllables).capitalize()}"
    if _CYRILLIC.search(name):
        nominative = " ".join(_without_patronymic(nominative_ru(name).split()))
        chinese = chinese or pinyin(nominative) or _chinese_in_case(name)
        if chinese:  # Palladius back to Pinyin: Си Цзиньпин -> Xi Jinping
            return chinese
        return " ".join(_english_first_names(transliterate(nominative).split()))
    tokens = _without_patronymic(tokens)
    name = " ".join(tokens)
    if language in {"de", None} and _looks_slavic(tokens):
        first = tokens[0].lower()
        if first in _FIRST_NAMES_EN:
            rest = fold_german(" ".join(tokens[1:])).split() if len(tokens) > 1 else []
            return " ".join([_FIRST_NAMES_EN[first], *rest])
        return " ".join(_english_first_names(fold_german(name).split()))
    return " ".join(_english_first_names(tokens))


def _chinese_in_case(name: str) -> str | None:
    """Russian declines the last syllable of a Chinese name: «Чжан Вэя» is Чжан Вэй (Zhang
    Wei), «Си Цзиньпина» Си Цзиньпин; the Pinyin of the nominative, or None."""
    *first, last = name.split() or [""]
    for ending, nominative in (("я", "й"), ("ю", "й"), ("ем", "й"), ("ей", "й"), ("а", ""),
                               ("у", ""), ("ом", ""), ("е", "")):  # fmt: skip
        if first and last.endswith(ending) and len(last) > len(ending) + 1:
            found = pinyin(" ".join([*first, last[: -len(ending)] + nominative]))
            if found:
                return found
    return None


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def canonical_person(
    name: str, language: str | None = None, known: Iterable[str] | None = None
) -> tuple[str, str]:
    """(canonical English form, id): "Турчиным" -> ("Turchin", "person:turchin").

    With `known` (canonical names already in a registry), a spelling that meets one of them on
    the identity key takes that name and id: German "Schaksylykow" joins "Zhaksylykov", and a
    lone surname joins the one known full name that ends with it."""
    canonical = canonical_name(name, language)
    if known:
        canonical = _match_known(canonical, list(known)) or canonical
    return canonical, "person:" + slug(canonical)


def _match_known(canonical: str, known: list[str]) -> str | None:
    key = identity_key(canonical, "en")
    for other in known:
        if identity_key(other, "en") == key:
            return other
    if " " not in key:
        endings = {other for other in known if identity_key(other, "en").split()[-1] == key}
        if len(endings) == 1:
            return endings.pop()
    return None


# Ukrainian and Belarusian first names as English and German write them for their bearers,
# where Russian writes the Russian form (Mykhailo Fedorov = Михаил Федоров): one key form each.
# Only the identity key uses them; the canonical name keeps the bearer's own spelling.
_EAST_SLAVIC_FIRST_NAMES = {
    "mikhail": ("mykhailo", "mykhaylo", "mychajlo", "michailo", "mikhailo"),
    "vladimir": ("volodymyr", "wolodymyr", "uladzimir"),
    "alexander": ("oleksandr", "oleksander", "aliaksandr", "alyaksandr", "aljaksandr"),
    "alexandra": ("oleksandra", "aliaksandra", "alyaksandra"),
    "alexei": ("oleksiy", "oleksii", "oleksij", "aliaksei", "alyaksey"),
    "sergei": ("serhiy", "serhii", "serhij", "siarhei", "siarhej", "syarhey"),
    "dmitry": ("dmytro", "dzmitry", "dsmitryj"),
    "andrei": ("andriy", "andrii", "andrij"),
    "yelena": ("olena",),
    "yuri": ("yuriy", "yurii", "jurij", "yury"),
    "nikolai": ("mykola", "mikalai", "mikalaj"),
    "igor": ("ihor", "ihar"),
    "gennady": ("hennadiy", "hennadii"),
    "georgy": ("heorhiy", "heorhii"),
    "grigory": ("hryhoriy", "hryhorii"),
    "vasily": ("vasyl", "wassyl"),
    "pavel": ("pavlo", "pawlo"),
    "pyotr": ("petro",),
    "yevgeny": ("yevhen", "yevhenii", "jewhen", "yauhen", "jauhen"),
    "yekaterina": ("kateryna", "katsiaryna"),
    "irina": ("iryna",),
    "tatiana": ("tetiana", "tetyana", "tatsiana"),
    "natalia": ("nataliia", "natalija", "natallia"),
    "lyudmila": ("liudmyla", "ludmyla"),
    "galina": ("halyna",),
    "olga": ("volha",),
    "svetlana": ("sviatlana", "svyatlana"),
    "konstantin": ("kostiantyn", "kostyantyn", "kanstantsin"),
    "valentin": ("valentyn",),
    "denis": ("denys",),
    "maxim": ("maksym", "maksim"),
    "bogdan": ("bohdan",),
    "vadim": ("vadym",),
    "viktor": ("viktar",),
    "roman": ("raman",),
    "anatoly": ("anatolii", "anatoliy"),
    "vitaly": ("vitalii", "vitaliy"),
    "valery": ("valerii", "valeriy"),
}
_FIRST_NAME_KEY_FORM = {
    variant: form for form, variants in _EAST_SLAVIC_FIRST_NAMES.items() for variant in variants
}

_TURKIC_LATIN = str.maketrans(
    {"ş": "sh", "Ş": "Sh", "ç": "ch", "Ç": "Ch", "ə": "a", "Ə": "A", "ı": "i", "ğ": "g", "Ğ": "G"}
)


_ARABIC_MARKERS = {"bin", "ibn", "bint", "al", "el", "as", "ash", "ad", "ar", "at", "az", "an"}


def identity_key(name: str, language: str | None = None) -> str:
    """A coarse key under which spellings of one name meet when English spelling cannot be
    decided from German alone (Schaksylykow/Zhaksylykov: German "sch" is both ш and ж; German
    "s" is both с and з, Kusnezow/Kuznetsov, Selenskyj/Zelensky)."""
    canonical = canonical_name(name, language)
    korean = korean_parts(canonical)
    if korean:  # Park Ji-hoon = Пак Чжи Хун: the given name's consonants, then the family name
        family, given = korean
        return f"{consonant_key(given, transliterate)} {identity_key(english_family_name(family))}"
    # a Chinese name in Pinyin spelt as Russian writes it (Xi Jinping = Си Цзиньпин = Si Tszinpin)
    russian = palladius(canonical)
    if russian:
        canonical = transliterate(russian)
    # Turkic Latin letters as English writes them (Şirali -> Shirali, Əliyev -> Aliyev)
    key = slug(canonical.translate(_TURKIC_LATIN)).replace("-", " ")
    words = key.split(" ")
    if len(words) > 1 and words[0] in _FIRST_NAME_KEY_FORM:
        key = " ".join([slug(_FIRST_NAME_KEY_FORM[words[0]]), *words[1:]])
    # Джамшид = Jamshid = Djamshid; Макрон = Macron
    key = re.sub(r"c(?![eiyh])", "k", key.replace("dzh", "j").replace("dj", "j"))
    # a first ж/ш/дж: Uzbek Jahongir is Russian Жахонгир (Zhakhongir), German Dschachongir
    key = re.sub(r"\b(?:sch|sh|zh)", "j", key)
    for a, b in (
        ("sch", "sh"),  # German names in Cyrillic: Шольц is Scholz, Шмидт Schmidt
        ("zh", "sh"),
        ("kh", "h"),
        ("ts", "z"),
        ("z", "s"),
        ("ou", "u"),  # Arabic names in French-style English: Maktoum = Мактум
        ("yo", "e"),
        ("je", "e"),  # German Jermak is Yermak, Ермак
        ("ye", "e"),
        ("iy", "i"),
        ("x", "ks"),
        ("w", "v"),
        ("tch", "ch"),  # Mkrtchyan = German Mkrtschjan
        ("j", "y"),
        ("y", "i"),
    ):
        key = key.replace(a, b)
    key = re.sub(r"(.)\1+", r"\1", key)
    if _ARABIC_MARKERS & set(key.split()[:-1]):
        # Arabic names have no one Latin spelling: Mohammad/Mohammed, Abdullah/Abdulla, and
        # the article before a sun letter is written as heard or not (al-Sudani, ас-Судани)
        key = re.sub(r"(?<=[aeiou])h\b", "", key.replace("e", "a"))
        key = re.sub(r"\b(?:as|ash|ad|ar|at|az|an|al|el)(?= )", "al", key)
    # a Ukrainian or Polish woman's -ska is -ская in Russian (Zelenska = Зеленская)
    key = re.sub(r"skaia\b", "ska", key)
    # German names as Russian writes them: Hallstein = Хальштайн, Friederike = Фридерике
    for a, b in (("sht", "st"), ("ai", "ei"), ("ie", "i")):
        key = key.replace(a, b)
    # Russian writes no Armenian initial H and a Г for the Azerbaijani one: Айрапетян is
    # Hayrapetyan, Гасанов Hasanov; so a word-initial g or h before a vowel is left out
    # Г also stands for a medial h (Ибрагимов = Ibrahimov), and g/h never tell two names apart
    key = re.sub(r"\b[gh](?=[aeiou])", "", key)
    return key.replace("g", "h")
