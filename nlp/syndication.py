"""Syndicated copies, the pure part: body text -> word shingles -> MinHash signature -> LSH bands.

No SQL here. The store (coopwatch/store.py) keeps each article's signature and its band keys
in SQLite, looks up the articles that share a band with a new one, and asks `Signature.match`
whether each candidate is a copy.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

_WORD = re.compile(r"\w+", re.UNICODE)

# Word 4-grams. Measured (exact shingle sets, see COPY_THRESHOLD): the highest containment
# between non-copies was 0.46 / 0.44 / 0.41 with 3- / 4- / 5-grams, the lowest of a copy with
# 5 % of its words changed 0.77 / 0.70 / 0.60: 4 words keep the widest gap. Shorter shingles
# share stock phrases across independent reports; longer ones lose 5 shingles per edited word.
SHINGLE_WORDS = 4
# 128 permutations: the Jaccard estimate's standard error is ≤ 0.044 (sqrt(J(1-J)/128)),
# small beside the gap between copies and non-copies; 512 bytes per stored signature.
NUM_PERM = 128
SEED = 1
# datasketch 2's 32-bit affine permutations, named explicitly: stored signatures must never
# silently mix with another scheme (datasketch < 2 hashed differently).
MINHASH_SCHEME = "affine32"
# LSH banding over the first BANDS * ROWS = 126 hash values. 42 bands of 3 rows: a pair with
# Jaccard J shares at least one band with probability 1-(1-J^3)^42: 0.9987 at J=0.53 (the
# lowest Jaccard of a measured copy: 5 % of words changed), 0.98 at 0.45, 0.85 at 0.35, but
# 0.04 at 0.1 and 0.005 at 0.05 (unrelated news). 32 bands of 4 rows would store fewer rows
# but missed 1 of 27 five-percent-edited copies. Candidates are only a short list:
# `Signature.match` decides on the full 128-value estimate.
BANDS = 42
ROWS = 3
# Copy when the shingle containment (shared shingles / shingles of the shorter text) reaches
# this. Containment, not Jaccard, because a copy cut by a paragraph or padded with credit lines
# keeps nearly all of the shorter text. Measured with the shipped extraction, 4-word shingles,
# exact sets (MinHash estimate in brackets):
#   coop-dev copies dev-009/dev-006 and dev-017/dev-015 ........ 1.00, 1.00 (1.00, 1.00)
#   27 coop-dev originals, each edited into a synthetic copy:
#     middle paragraph dropped ......... min 0.98 (0.93)    headline changed: 1.00 (not shingled)
#     credit line + boilerplate line ... min 1.00 (0.99)    all three at once: min 0.87 (0.86)
#     5 % of words replaced ............ min 0.70 (0.67)    10 %: min 0.54 (0.52), 2 of 27 missed
#   non-copies, same language: coop-dev 126 pairs max 0.07 (0.12) (the same-event pairs there
#   are all cross-language: max 0.003); 746 NEREL ru news texts, 277,885 pairs, max 0.44
#   (0.42: a follow-up story reusing background paragraphs); 109 AEB en articles max 0.18.
# 0.6 lies in the gap between 0.44 and 0.67, with room for the estimate's error (≤ 0.05).
COPY_THRESHOLD = 0.6
# ...and the texts must be of comparable length: a two-paragraph teaser wholly contained in a
# long report is not a republication of it. Shortened copies measured ≥ 0.73 of the original.
MIN_LENGTH_RATIO = 0.5
# Fewer distinct shingles than this (about a 25-word text) give no reliable signature: every
# empty or one-line page would "copy" every other.
MIN_SHINGLES = 20
# Names everything a stored signature depends on. The store compares only signatures of the
# same SCHEME, so changing any setting above needs a re-sign (reprocess), never a silent mix.
SCHEME = f"minhash-{MINHASH_SCHEME}-p{NUM_PERM}-s{SEED}-w{SHINGLE_WORDS}-b{BANDS}x{ROWS}"


def words(text: str) -> list[str]:
    """Case-, width- and punctuation-insensitive word list (ё folded to е)."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    return _WORD.findall(text)


def shingles(paragraphs: Iterable[str], size: int = SHINGLE_WORDS) -> set[str]:
    """Distinct runs of `size` words over the body text (paragraph breaks ignored)."""
    tokens = [word for paragraph in paragraphs for word in words(paragraph)]
    if len(tokens) < size:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


# Permutations are drawn once per process, then copied (10x cheaper than a new MinHash).
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=MINHASH_SCHEME)


@dataclass(frozen=True, slots=True, eq=False)  # arrays: compare with jaccard(), not ==
class Signature:
    """MinHash of an article's body shingles, with the shingle count for containment."""

    hashvalues: np.ndarray  # uint32[NUM_PERM]
    shingles: int

    @property
    def scheme(self) -> str:
        return SCHEME

    def to_bytes(self) -> bytes:
        return self.hashvalues.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes, shingles: int) -> Signature:
        return cls(np.frombuffer(data, dtype="<u4"), shingles)

    def band_keys(self) -> list[int]:
        """One signed 64-bit key per band: equal keys = equal hash values in that band."""
        values = self.hashvalues.astype("<u4")
        keys = []
        for band in range(BANDS):
            digest = hashlib.blake2b(
                values[band * ROWS : (band + 1) * ROWS].tobytes(),
                digest_size=8,
                person=b"coopwatch-band",
                salt=band.to_bytes(2, "little"),
            ).digest()
            keys.append(int.from_bytes(digest, "little", signed=True))
        return keys

    def jaccard(self, other: Signature) -> float:
        """MinHash estimate of the Jaccard similarity of the two shingle sets."""
        # As datasketch's MinHash.jaccard: the share of permutations with the same minimum.
        return float(np.count_nonzero(self.hashvalues == other.hashvalues)) / NUM_PERM

    def containment(self, other: Signature) -> float:
        """Estimated shared shingles / shingles of the shorter text, from Jaccard and sizes."""
        jaccard = self.jaccard(other)
        shared = jaccard * (self.shingles + other.shingles) / (1 + jaccard)
        return min(1.0, shared / max(1, min(self.shingles, other.shingles)))

    def match(self, stored: bytes, shingles: int) -> float | None:
        """Containment when the stored signature is the same text (a copy either way), else None."""
        other = Signature.from_bytes(stored, shingles)
        if min(self.shingles, shingles) < MIN_LENGTH_RATIO * max(self.shingles, shingles):
            return None
        score = self.containment(other)
        return score if score >= COPY_THRESHOLD else None


def signature(paragraphs: Iterable[str]) -> Signature | None:
    """The article's signature, or None when its body is too short to compare."""
    found = shingles(paragraphs)
    if len(found) < MIN_SHINGLES:
        return None
    minhash = _TEMPLATE.copy()
    minhash.update_batch([shingle.encode("utf-8") for shingle in found])
    return Signature(minhash.hashvalues.copy(), len(found))
