"""Korean names: the family name comes first (Han Seung-woo, Хан Сын У), and Russian writes
the syllables by the Kontsevich system (Park Ji-hoon = Пак Чжи Хун, Choi Eun-young = Чхве Ын
Ён), so the spellings share no usable letters beyond their consonants.

A name is read as Korean only when it surely is: a common Korean family name first, then a
given name of two syllables, hyphenated ("Seung-woo") or written apart ("Seung Woo", "Сын У").
"Kim Jones" and "Lee Harvey Oswald" stay Western names.
"""

from __future__ import annotations

import re

# Common family names: the English spelling most used, then the other spellings (Latin and
# Russian) that are the same name.
_FAMILY_NAMES = {
    "Kim": ("kim", "gim", "ким"),
    "Lee": ("lee", "yi", "rhee", "li", "ли"),
    "Park": ("park", "pak", "bak", "пак"),
    "Choi": ("choi", "choe", "чхве", "цой"),
    "Jung": ("jung", "jeong", "chung", "jeon", "chun", "чон"),
    "Kang": ("kang", "gang", "кан"),
    "Cho": ("cho", "jo", "чо"),
    "Yoon": ("yoon", "yun", "юн"),
    "Jang": ("jang", "chang", "чан"),
    "Lim": ("lim", "im", "лим", "им"),
    "Han": ("han", "хан"),
    "Seo": ("seo", "suh", "со"),
    "Shin": ("shin", "sin", "син"),
    "Kwon": ("kwon", "gwon", "квон"),
    "Hwang": ("hwang", "хван"),
    "Ahn": ("ahn", "ан"),
    "Song": ("song", "сон"),
    "Yoo": ("yoo", "yu", "ryu", "ю", "рю"),
    "Hong": ("hong", "хон"),
    "Ko": ("ko", "koh", "go", "ко"),
    "Moon": ("moon", "mun", "мун"),
    "Yang": ("yang", "ян"),
    "Bae": ("bae", "pae", "пэ"),
    "Baek": ("baek", "paek", "пэк"),
    "Nam": ("nam", "нам"),
    "Noh": ("noh", "roh", "но", "ро"),
    "Ha": ("ha", "ха"),
    "Min": ("min", "мин"),
    "Oh": ("oh", "о"),
}
_ENGLISH = {
    spelling: english for english, spellings in _FAMILY_NAMES.items() for spelling in spellings
}
# Russian declines only the last syllable of a Korean name: "с Пак Чжи Хуном", "Ким Дон Хёна"
_RU_CASE_ENDING = re.compile(r"(?<=[бвгджзклмнпрстфхцчшщ])(?:ом|ем|ым|ой|а|у|е)$")
_SYLLABLE = re.compile(r"^[A-Za-zА-Яа-яЁё]{1,6}$")
# A romanised syllable: a consonant or two, one to three vowels, a final consonant ("Seung",
# "Hyun", "Yeol"); "Harvey" and "Oswald" are none.
_LATIN_SYLLABLE = re.compile(r"^[bcdghjklmnprstvwyz]{0,4}[aeiouy]{1,3}(?:ng|n|m|k|l|p|t)?$", re.I)
# Folds that make Korean romanisation and Kontsevich Cyrillic (transliterated) meet: the
# consonants alone, voiced and voiceless alike (Dong = Дон, Ji = Чжи, hoon = Хун).
_FOLDS = (
    ("chzh", "j"),
    ("tch", "j"),
    ("ch", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("ng", "n"),
    ("g", "k"),
    ("d", "t"),
    ("b", "p"),
    ("r", "l"),
    ("sh", "s"),
)


def _given_syllables(words: list[str], cyrillic: bool) -> list[str] | None:
    if len(words) == 1 and words[0].count("-") == 1:
        parts = words[0].split("-")
    elif len(words) == 2:
        parts = list(words)
    else:
        return None
    if cyrillic:
        parts[-1] = _RU_CASE_ENDING.sub("", parts[-1]) if len(parts[-1]) > 3 else parts[-1]
    if not all(_SYLLABLE.match(p) for p in parts) or not all(p[:1].isupper() for p in words):
        return None
    if cyrillic and max(len(p) for p in parts) > 4:
        return None  # "Ким Андрей": a Russian given name after a Korean family name
    if not cyrillic and not all(_LATIN_SYLLABLE.match(p) for p in parts):
        return None
    return parts


def korean_parts(name: str) -> tuple[str, list[str]] | None:
    """(family name as written, given-name syllables in the nominative) of a Korean name, or
    None when the name is not surely Korean."""
    words = name.split()
    if len(words) < 2 or words[0].lower() not in _ENGLISH:
        return None
    cyrillic = bool(re.search(r"[А-Яа-яЁё]", name))
    given = _given_syllables(words[1:], cyrillic)
    return (words[0], given) if given else None


def english_family_name(family: str) -> str:
    return _ENGLISH.get(family.lower(), family)


def consonant_key(syllables: list[str], transliterate) -> str:
    """The given name's consonants after the folds: "Seung-woo", "Сын У" -> "sn"."""
    text = "".join(transliterate(s) if re.search(r"[А-Яа-яЁё]", s) else s for s in syllables)
    text = re.sub(r"[^a-z]", "", text.lower())
    for a, b in _FOLDS:
        text = text.replace(a, b)
    return re.sub(r"[aeiouyw]", "", text)
