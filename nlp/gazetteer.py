"""Curated names found in text in any of their inflected forms: the well-known bodies
(nlp/data/organizations.toml) and platforms (nlp/data/projects.toml) whose names do not
translate word for word. Russian and German words may change their endings ("Минцифры",
"Трембиты", "des Bundesministeriums"); acronyms are matched exactly and case-sensitively."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

Entry = TypeVar("Entry")

_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_ACRONYM = re.compile(r"[A-ZА-ЯЁ]{2,}")


def inflected_pattern(name: str, exact_stems: bool = False) -> str:
    """A regex for a name in any case form: Cyrillic/German words may change their endings.
    A Cyrillic word loses its last two letters, or with `exact_stems` only its final vowels
    (a brand: «Гостех» is "Гостеха", never "Гостям")."""
    parts = []
    for word in re.findall(r"[\w-]+|[^\w\s]", name):
        if _ACRONYM.fullmatch(word) or len(word) <= 3:
            parts.append(re.escape(word))
        elif _CYRILLIC.search(word):
            if exact_stems:
                stem = re.sub(r"[аеёиоуыэюяйь]+$", "", word, flags=re.IGNORECASE) or word
            else:
                stem = word[: max(3, len(word) - 2)]
            parts.append(re.escape(stem) + r"[а-яё]{0,4}")
        elif re.search(r"[a-zäöüß]$", word):
            parts.append(re.escape(word) + r"(?:e|en|er|es|em|n|s)?")
        else:
            parts.append(re.escape(word))
    return r"(?<![\w-])" + r"\s*".join(parts) + r"(?![\w-])"


@dataclass(frozen=True, slots=True)
class Found(Generic[Entry]):
    start: int
    end: int
    surface: str
    entry: Entry


class Gazetteer(Generic[Entry]):
    """Names -> entries. Bodies are matched in any case ("министерство цифрового развития");
    brands (`brands=True`) only as written (the platform «Госуслуги», not the common noun
    "госуслуги") and with exact stems. Acronyms are always matched as written."""

    def __init__(self, names: Iterable[tuple[str, Entry]], brands: bool = False):
        entries = sorted(names, key=lambda e: -len(e[0]))  # longest names first
        self._entries = tuple((name[:3].lower(), name, entry) for name, entry in entries)
        self._flags = 0 if brands else re.IGNORECASE
        self._exact_stems = brands
        self._regex = functools.lru_cache(maxsize=256)(self._compile)

    def _compile(self, names: tuple[str, ...]) -> tuple[re.Pattern, re.Pattern]:
        """Two alternations (acronyms, other names), longest names first; group `gN` is the
        N-th name."""
        acronyms, words = [], []
        for n, name in enumerate(names):
            alternative = f"(?P<g{n}>{inflected_pattern(name, self._exact_stems)})"
            (acronyms if _ACRONYM.fullmatch(name) else words).append(alternative)
        return re.compile("|".join(acronyms) or "(?!)"), re.compile(
            "|".join(words) or "(?!)", self._flags
        )

    def find(self, text: str, start_at: int = 0) -> list[Found[Entry]]:
        """Every name in `text` from `start_at`: only names whose first letters occur are
        tried. Names first, then acronyms; each in text order."""
        low = text.lower()
        candidates = [(name, entry) for head, name, entry in self._entries if head in low]
        if not candidates:
            return []
        acronyms, words = self._regex(tuple(name for name, _entry in candidates))
        out = []
        for rx in (words, acronyms):
            for m in rx.finditer(text, start_at):
                entry = candidates[int(m.lastgroup[1:])][1]
                out.append(Found(m.start(), m.end(), m.group(), entry))
        return out
