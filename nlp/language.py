"""Offline language identification (lingua), restricted to a known set of languages.

Besides the languages coopwatch analyses, the detector knows a few it does not, so that a
French or Kazakh page is marked as such instead of being forced into de/ru/en. Lingua has no
Uzbek, a language of many of the portals coopwatch reads: its letters tell it (oʻ/gʻ in Latin
script, ў with қ/ғ/ҳ in Cyrillic), before lingua would call it Azerbaijani or Russian.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

# Languages often met on the sites coopwatch reads, recognised but not analysed (Uzbek by
# its letters, below: lingua does not know it).
RECOGNISED_ONLY = ("fr", "es", "it", "pl", "uk", "kk", "tr", "zh", "pt", "nl", "az", "be")

# Uzbek Latin: oʻ/gʻ (written with ʻ ‘ ’ or ') before a letter, and no Azerbaijani ə; lingua
# then reads it as Azerbaijani or Turkish, never as a language coopwatch analyses. Uzbek
# Cyrillic: ў among many words with қ/ғ/ҳ, and no Belarusian/Kazakh і.
_UZ_LATIN_WORD = re.compile(r"\b\w*[OoGg][ʻ‘’'][a-z]\w*")
_UZ_CYRILLIC_WORD = re.compile(r"\b\w*[ЎўҚқҒғҲҳ]\w*")
_NOT_UZ = re.compile(r"[Əəİıі]")
_WORD = re.compile(r"\w+")


def _uzbek_script(sample: str) -> str | None:
    """ "latin" or "cyrillic" when `sample` shows Uzbek letters, else None."""
    if _NOT_UZ.search(sample):
        return None
    words = len(_WORD.findall(sample)) or 1
    if "ў" in sample.lower() and len(_UZ_CYRILLIC_WORD.findall(sample)) / words >= 0.05:
        return "cyrillic"
    if _UZ_LATIN_WORD.search(sample):  # decides only against lingua's Azerbaijani/Turkish
        return "latin"
    return None


@lru_cache(maxsize=8)
def _detector(languages: tuple[str, ...]) -> LanguageDetector:
    codes = {
        Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))
        for code in (*languages, *RECOGNISED_ONLY)
        if hasattr(IsoCode639_1, code.upper())
    }
    return LanguageDetectorBuilder.from_languages(*codes).build()


def detect_language(text: str, languages: tuple[str, ...]) -> str | None:
    """ISO 639-1 code of `text`; one of `languages` or a recognised other language.

    None when there is no text to judge.
    """
    sample = text[:4000].strip()
    if not sample:
        return None
    script = _uzbek_script(sample)
    if script == "cyrillic":
        return "uz"
    found = _detector(tuple(sorted(languages))).detect_language_of(sample)
    code = found.iso_code_639_1.name.lower() if found else None
    if script == "latin" and code not in languages:
        return "uz"
    return code
