"""Drop repeated paragraphs inside one article: exact repeats and near-repeats."""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

_WORD = re.compile(r"\w+", re.UNICODE)
# Below this many words a paragraph only counts as a repeat when it is an exact repeat:
# short lines ("Foto: BelTA") legitimately share most of their words.
MIN_WORDS_FOR_NEAR_REPEAT = 6


def normalise(text: str) -> str:
    """Case-, width- and punctuation-insensitive form used to compare paragraphs."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_WORD.findall(text))


def similarity(a: list[str], b: list[str]) -> float:
    """Share of words two paragraphs have in order (difflib ratio over word lists)."""
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < 0.5:
        return 0.0
    return matcher.ratio()


def drop_repeats(paragraphs: list[str], threshold: float = 0.8) -> tuple[list[str], int]:
    """Keep the first occurrence of every (near-)repeated paragraph; return (kept, dropped count).

    A near-repeat is a paragraph whose words match an earlier kept paragraph's at
    `threshold` or more (a changed word, an appended sentence).
    """
    kept: list[str] = []
    kept_words: list[list[str]] = []
    seen_exact: set[str] = set()
    dropped = 0
    for paragraph in paragraphs:
        key = normalise(paragraph)
        if key in seen_exact:
            dropped += 1
            continue
        words = key.split()
        if len(words) >= MIN_WORDS_FOR_NEAR_REPEAT and any(
            len(earlier) >= MIN_WORDS_FOR_NEAR_REPEAT and similarity(words, earlier) >= threshold
            for earlier in kept_words
        ):
            dropped += 1
            continue
        seen_exact.add(key)
        kept.append(paragraph)
        kept_words.append(words)
    return kept, dropped
