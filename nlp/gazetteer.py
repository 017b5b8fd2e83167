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
        if exact_stems and len(word) == 3 and re.fullmatch(r"[А-ЯЁ][а-яё][аяь]", word):
            # a short brand declines too: «Дия» is "Дии", "Дию", "Дией" (never "Дина")
            parts.append(re.escape(word[:2]) + r"(?:[аяиюеуы]|ей|ёй|ой)")
        elif _ACRONYM.fullmatch(word) or len(word) <= 3:
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
    # a German compound may follow with a hyphen ("Diia-App", "Trembita-Anbindung")
    return r"(?<![\w-])" + r"\s*".join(parts) + r"(?![\w]|-[a-zа-яё\d])"


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
        self._by_head: dict[str, list[tuple[int, str, Entry]]] = {}
        for rank, (name, entry) in enumerate(entries):
            self._by_head.setdefault(_head(name), []).append((rank, name, entry))
        self._flags = 0 if brands else re.IGNORECASE
        self._exact_stems = brands
        self._pattern = functools.cache(self._compile)

    def _compile(self, name: str) -> re.Pattern:
        flags = 0 if _ACRONYM.fullmatch(name) else self._flags
        return re.compile(inflected_pattern(name, self._exact_stems), flags)

    def find(self, text: str, start_at: int = 0) -> list[Found[Entry]]:
        """Every name in `text` from `start_at`, names first, then acronyms, each in text order
        and without overlaps: where several names match at one place, the longest name wins.
        Only names whose first word's first letters begin a word of the text are tried."""
        # where each first-letters key begins a word: a name is only tried there
        starts: dict[str, list[int]] = {}
        for word in _WORD.finditer(text, start_at):  # (lower() may change lengths: İ)
            low = word.group().lower()
            for key in {low[:n] for n in (2, 3, 5)}:
                starts.setdefault(key, []).append(word.start())
        candidates = [(c, starts[head]) for head in starts for c in self._by_head.get(head, ())]
        out: list[Found[Entry]] = []
        for acronyms in (False, True):
            matches = (
                (rank, self._pattern(name).match(text, at), entry)
                for (rank, name, entry), positions in candidates
                if bool(_ACRONYM.fullmatch(name)) == acronyms
                for at in positions
            )
            hits = sorted(
                ((m.start(), rank, m, entry) for rank, m, entry in matches if m),
                key=lambda hit: hit[:2],
            )
            end = -1
            for start, _rank, m, entry in hits:
                if start >= end:
                    out.append(Found(start, m.end(), m.group(), entry))
                    end = m.end()
        return out


_WORD = re.compile(r"\w[\w.-]*")


def _head(name: str) -> str:
    """The first letters of a name's first word, lower case: the key candidates are found by
    (two of a short Russian word: «Дия» is also "Дии", five of a long one, whose endings
    change after them, three of others)."""
    m = _WORD.match(name)
    if not m:
        return ""
    word = m.group()
    # a short Russian brand's third letter may change («Дия», "Дии"); acronyms do not
    short = len(word) <= 4 and _CYRILLIC.search(word) and not word.isupper()
    return word.lower()[: 2 if short else 5 if len(word) >= 5 else 3]
