"""Highlights, computed the same way for every backend: the words of a hit's title and text
whose analysed term the query matched, in short HTML-escaped fragments with <em> marks."""

from __future__ import annotations

import html
from functools import lru_cache
from typing import TYPE_CHECKING

from coopwatch.text_analysis import WORD, fold

if TYPE_CHECKING:
    from coopwatch.text_analysis import TextAnalyzer

CONTEXT_WORDS = 8  # words shown before the first match of a fragment
FRAGMENT_WORDS = 30


def highlight(
    texts: list[str],
    language: str | None,
    terms: set[str],
    analyzer: TextAnalyzer,
    max_fragments: int = 3,
) -> list[str]:
    """Up to `max_fragments` fragments of `texts` (title first) showing the matched words."""
    if not terms:
        return []
    # Only words starting like a query term are analysed: analysing every word of a page of
    # hits (a dictionary lookup per new Russian word) cost more than the search itself.
    # A lemma that starts with another letter than its form (suppletion: «людей» ->
    # «человек») is then found but not marked.
    initials = {term[0] for term in terms if term}
    fragments: list[str] = []
    for text in texts:
        if len(fragments) >= max_fragments:
            break
        words = list(WORD.finditer(text))
        hits = [
            i
            for i, m in enumerate(words)
            if _initial(m.group()[0]) in initials and set(analyzer(m.group(), language)) & terms
        ]
        if not hits:
            continue
        first = max(0, hits[0] - CONTEXT_WORDS)
        last = min(len(words), first + FRAGMENT_WORDS)
        marked = set(hits)
        out: list[str] = []
        pos = words[first].start()
        out.append("…" if first > 0 else html.escape(text[:pos]))
        for i in range(first, last):
            m = words[i]
            out.append(html.escape(text[pos : m.start()]))
            word = html.escape(m.group())
            out.append(f"<em>{word}</em>" if i in marked else word)
            pos = m.end()
        out.append(html.escape(text[pos:]) if last == len(words) else "…")
        fragments.append("".join(out).strip())
    return fragments


@lru_cache(maxsize=4096)
def _initial(char: str) -> str:
    """The folded first letter of a word starting with `char`."""
    return fold(char)[:1]
