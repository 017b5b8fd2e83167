"""Offline language identification (lingua), restricted to a known set of languages.

Besides the languages coopwatch analyses, the detector knows a few it does not, so that a
French or Kazakh page is marked as such instead of being forced into de/ru/en.
"""

from __future__ import annotations

from functools import lru_cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

# Languages often met on the sites coopwatch reads, recognised but not analysed.
RECOGNISED_ONLY = ("fr", "es", "it", "pl", "uk", "kk", "uz", "tr", "zh", "pt", "nl", "az", "be")


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
    found = _detector(tuple(sorted(languages))).detect_language_of(sample)
    return found.iso_code_639_1.name.lower() if found else None
