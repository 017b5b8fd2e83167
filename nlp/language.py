"""Offline language identification restricted to the configured languages (lingua)."""

from __future__ import annotations

from functools import lru_cache

from lingua import IsoCode639_1, Language, LanguageDetectorBuilder


@lru_cache(maxsize=8)
def _detector(languages: tuple[str, ...]):
    codes = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in languages]
    if len(codes) == 1:
        return None
    return LanguageDetectorBuilder.from_languages(*codes).with_preloaded_language_models().build()


def detect_language(text: str, languages: tuple[str, ...]) -> str | None:
    """ISO 639-1 code of `text` among `languages`, or None when there is no text to judge."""
    sample = text[:4000].strip()
    if not sample:
        return None
    detector = _detector(languages)
    if detector is None:
        return languages[0]
    found = detector.detect_language_of(sample)
    return found.iso_code_639_1.name.lower() if found else None
