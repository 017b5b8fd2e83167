"""Chinese names in Pinyin (English, German) and in Palladius Cyrillic (Russian): Xi Jinping =
Си Цзиньпин, Li Qiang = Ли Цян, Zhang Yunming = Чжан Юньмин.

Russian writes Chinese names by the Palladius system, syllable by syllable, so a Pinyin name
can be spelt the Russian way and both then meet on the identity key (`nlp.names`). Only names
that surely are Chinese are converted: a common Chinese surname first, then a given name of
one or two syllables; "Anna Maria" (an, na, ma, ri, a are syllables too) is left alone.
"""

from __future__ import annotations

import functools
import re

_INITIALS = {
    "b": "б", "p": "п", "m": "м", "f": "ф", "d": "д", "t": "т", "n": "н", "l": "л", "g": "г",
    "k": "к", "h": "х", "j": "цз", "q": "ц", "x": "с", "zh": "чж", "ch": "ч", "sh": "ш",
    "r": "ж", "z": "цз", "c": "ц", "s": "с",
}  # fmt: skip
_FINALS = {
    "a": "а", "o": "о", "e": "э", "ai": "ай", "ei": "эй", "ao": "ао", "ou": "оу", "an": "ань",
    "en": "энь", "ang": "ан", "eng": "эн", "ong": "ун", "i": "и", "ia": "я", "ie": "е",
    "iao": "яо", "iu": "ю", "ian": "янь", "in": "инь", "iang": "ян", "ing": "ин", "iong": "юн",
    "u": "у", "ua": "уа", "uo": "о", "uai": "уай", "ui": "уй", "uan": "уань", "un": "унь",
    "uang": "уан", "ü": "юй", "v": "юй", "üe": "юэ", "ue": "юэ",
}  # fmt: skip
_ZERO_INITIAL = {
    "a": "а", "ai": "ай", "an": "ань", "ang": "ан", "ao": "ао", "e": "э", "ei": "эй",
    "en": "энь", "eng": "эн", "er": "эр", "o": "о", "ou": "оу", "yi": "и", "ya": "я", "ye": "е",
    "yao": "яо", "you": "ю", "yan": "янь", "yin": "инь", "yang": "ян", "ying": "ин",
    "yong": "юн", "wu": "у", "wa": "ва", "wo": "во", "wai": "вай", "wei": "вэй", "wan": "вань",
    "wen": "вэнь", "wang": "ван", "weng": "вэн", "yu": "юй", "yue": "юэ", "yuan": "юань",
    "yun": "юнь",
}  # fmt: skip
# The hundred most common Chinese surnames, in Pinyin.
_SURNAME_TEXT = """
wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo zheng liang
xie song tang han feng deng cao peng zeng xiao tian dong pan yuan cai jiang yu du ye cheng wei
su lü lv ding ren lu yao shen zhong cui tan fan liao shi jin jia xia fu fang zou xiong bai meng
qin qiu hou yin xue yan duan lei long tao mao hao gu gong shao wan qian dai mo kong xiang chang
wen kang niu qi hong zhan shang ai bao xi
"""
_SURNAMES = frozenset(_SURNAME_TEXT.split())


@functools.cache
def _syllables() -> dict[str, str]:
    """Pinyin syllable -> Palladius."""
    table = dict(_ZERO_INITIAL)
    for ini, cyr_ini in _INITIALS.items():
        for fin, cyr_fin in _FINALS.items():
            if ini in {"j", "q", "x"}:
                if fin[0] not in "iuüv" or fin in {"ui", "uo", "ua", "uai", "uang"}:
                    continue  # j/q/x stand only before i and ü (written u)
                cyr_fin = {"u": "юй", "ue": "юэ", "uan": "юань", "un": "юнь"}.get(fin, cyr_fin)
            elif fin in {"ü", "v", "üe"} and ini not in {"n", "l"}:
                continue
            elif fin == "i" and ini in {"zh", "ch", "sh", "r", "z", "c", "s"}:
                cyr_fin = "ы" if ini in {"z", "c", "s"} else "и"
            elif fin == "e" and ini in {"zh", "ch", "sh", "r", "z", "c", "s", "l", "g", "k", "h",
                                         "d", "t", "n", "m"}:  # fmt: skip
                cyr_fin = "э"
            if fin == "ui" and ini in {"h", "k", "g"}:
                cyr_fin = "уэй" if ini == "h" else "уй"
            if fin == "uo" and ini in {"g", "k", "h", "zh", "ch", "sh", "r"}:
                cyr_fin = "о"
            table[ini + fin] = cyr_ini + cyr_fin
    return table


def _split(word: str) -> list[str] | None:
    """A word as Pinyin syllables (longest first, with backtracking), or None."""
    table = _syllables()

    @functools.cache
    def from_(i: int) -> tuple[str, ...] | None:
        if i == len(word):
            return ()
        for j in range(min(len(word), i + 6), i, -1):
            if word[i:j] in table:
                rest = from_(j)
                if rest is not None:
                    return (word[i:j], *rest)
        return None

    found = from_(0)
    return list(found) if found is not None else None


def palladius(name: str) -> str | None:
    """The Russian (Palladius) spelling of a Chinese name in Pinyin, or None if the name is not
    surely Chinese: "Xi Jinping" -> "Си Цзиньпин"."""
    words = [w for w in re.split(r"[\s-]+", name.strip()) if w]
    if not 2 <= len(words) <= 3 or words[0].lower() not in _SURNAMES:
        return None
    out = []
    for k, word in enumerate(words):
        parts = _split(word.lower().replace("'", ""))
        if parts is None or not 1 <= len(parts) <= (1 if k == 0 else 2):
            return None
        cyrillic = "".join(_syllables()[p] for p in parts)
        out.append(cyrillic[:1].upper() + cyrillic[1:])
    if len(words) == 3:  # "Xi Jin Ping" style: one given name written apart
        out = [out[0], out[1] + out[2].lower()]
    return " ".join(out)


def _pinyin_preference(syllable: str) -> int:
    """Among Pinyin syllables that Palladius writes alike, the one that exists ranks first:
    jia not zia, bo not buo, guo not go, lü not lv, jue not jüe."""
    if re.match(r"[zcs]h?[iü]", syllable) and not re.fullmatch(r"[zcs]h?i", syllable):
        return 3  # z/c/s never stand before the i or ü medial
    if re.fullmatch(r"[bpmf]uo|[^bpmfw]o|[dtnlgkhzcsr]h?o", syllable):
        return 2  # o after b/p/m/f only, uo after the others
    if "v" in syllable or re.match(r"[jqx]ü", syllable) or re.match(r"[nl]ue", syllable):
        return 1
    return 0


@functools.cache
def _palladius_syllables() -> dict[str, str]:
    """Palladius syllable -> the Pinyin syllable it stands for."""
    reverse: dict[str, str] = {}
    for syllable, cyrillic in _syllables().items():
        known = reverse.get(cyrillic)
        if known is None or _pinyin_preference(syllable) < _pinyin_preference(known):
            reverse[cyrillic] = syllable
    return reverse


def pinyin(name: str) -> str | None:
    """The Pinyin spelling of a Chinese name Russian writes by Palladius, or None if the name is
    not surely Chinese: "Си Цзиньпин" -> "Xi Jinping"."""
    table = _palladius_syllables()
    words = name.split()
    if not 2 <= len(words) <= 3:
        return None
    out = []
    for k, word in enumerate(words):
        low = word.lower().replace("ё", "е")
        parts: list[str] = []
        i = 0
        while i < len(low):
            j = next((j for j in range(min(len(low), i + 5), i, -1) if low[i:j] in table), None)
            if j is None:
                return None
            parts.append(table[low[i:j]])
            i = j
        if not 1 <= len(parts) <= (1 if k == 0 else 2):
            return None
        if k == 0 and parts[0] not in _SURNAMES:
            return None
        out.append("".join(parts).capitalize())
    if len(out) == 3:
        out = [out[0], out[1] + out[2].lower()]
    return " ".join(out)
