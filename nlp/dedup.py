"""Drop repeated paragraphs inside one article: exact repeats and near-repeats."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from difflib import SequenceMatcher

_WORD = re.compile(r"\w+", re.UNICODE)
# Below this many words a paragraph only counts as a repeat when it is an exact repeat:
# in short paragraphs one changed word is a different fact ("Kazakhstan ranks 10th" vs
# "Uzbekistan ranks 69th"), not an editing slip.
MIN_WORDS_FOR_NEAR_REPEAT = 15


def normalise(text: str) -> str:
    """Case-, width- and punctuation-insensitive form used to compare paragraphs."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_WORD.findall(text))


# A shorter version of an earlier paragraph (a lead repeated at the bottom without its last
# sentence) is a repeat when nearly all its words stand in that paragraph in order.
CONTAINED_SHARE = 0.9
MAX_LENGTH_RATIO_CONTAINED = 1.6


def similarity(a: list[str], b: list[str]) -> float:
    """Share of words two paragraphs have in order (difflib ratio over word lists), or, for
    the shorter of two paragraphs of similar length, the share of its words found in order in
    the longer one when that is at least CONTAINED_SHARE."""
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < 0.5:
        return 0.0
    ratio = matcher.ratio()
    shorter, longer = sorted((len(a), len(b)))
    if longer <= MAX_LENGTH_RATIO_CONTAINED * shorter:
        matched = sum(block.size for block in matcher.get_matching_blocks())
        if matched >= CONTAINED_SHARE * shorter:
            return max(ratio, matched / shorter)
    return ratio


def _numbers(words: list[str]) -> set[str]:
    return {word for word in words if any(ch.isdigit() for ch in word)}


def is_near_repeat(words: list[str], earlier: list[str], threshold: float) -> bool:
    """Same paragraph with an edit: enough words, same figures, words in order ≥ threshold."""
    if min(len(words), len(earlier)) < MIN_WORDS_FOR_NEAR_REPEAT:
        return False
    # Cheap bound first: shared words (with counts) cap the in-order share (difflib's
    # quick_ratio), and most paragraph pairs of an article fail it.
    shared = sum((Counter(words) & Counter(earlier)).values())
    shorter, longer = sorted((len(words), len(earlier)))
    contained = (
        longer <= MAX_LENGTH_RATIO_CONTAINED * shorter and shared >= CONTAINED_SHARE * shorter
    )
    if 2 * shared / (len(words) + len(earlier)) < threshold and not contained:
        return False
    # Different figures make different statements, however similar the wording.
    numbers, earlier_numbers = _numbers(words), _numbers(earlier)
    if not (numbers <= earlier_numbers or earlier_numbers <= numbers):
        return False
    return similarity(words, earlier) >= threshold


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
        if any(is_near_repeat(words, earlier, threshold) for earlier in kept_words):
            dropped += 1
            continue
        seen_exact.add(key)
        kept.append(paragraph)
        kept_words.append(words)
    return kept, dropped
