"""Text analysis for search: text + language -> normalised terms (lemmas, case/diacritic folded).

The index indexes analysed terms and analyses queries with the same analyzer, so inflected
forms meet ("Familienkarte" ~ "Familienkarten", «карта» ~ «карты», «картой»). The index
package only knows the `TextAnalyzer` protocol; which analyzer stands behind it is chosen
here by the `index.analyzer` setting:

- ``builtin`` (default): a regex word tokenizer, pymorphy3 normal forms for Russian and a
  light suffix-folding stemmer for German and English (after Savoy's light stemmers, as in
  Lucene's GermanLightStemmer / EnglishMinimalStemmer). Fast, no models.
- ``spacy``: lemmas from the project's spaCy pipelines (``nlp.pipelines``; de/en lookup
  lemmas, ru pymorphy3), then the same folding and light stemming. The stemming on top
  keeps compounds that the lookup tables do not know matching their inflections.

Each analyzer has a `name` that the index records: changing analyzer needs a reindex.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from coopwatch.settings import Settings

WORD = re.compile(r"\w+", re.UNICODE)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@runtime_checkable
class TextAnalyzer(Protocol):
    """Turns text in a language (ISO 639-1, or None when unknown) into normalised terms.

    Terms come in text order (phrases rely on it) and contain only word characters.
    """

    name: str

    def __call__(self, text: str, language: str | None) -> list[str]: ...


def fold(word: str) -> str:
    """Case- and diacritic-fold one word: "Größe" -> "grosse", "Ёлка" -> "елка"."""
    word = word.casefold()
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    # й keeps its breve (it is a different letter, not an accented и); other marks go.
    out = []
    for ch in decomposed:
        if unicodedata.combining(ch):
            if ch == "\u0306" and out and out[-1] == "и":
                out[-1] = "й"
            continue
        out.append(ch)
    return "".join(out)


def _ends_with_s_ending(stem: str) -> bool:
    # German plural -s follows these letters (Savoy): b, d, f, g, h, k, l, m, n, r, t
    return bool(stem) and stem[-1] in "bdfghklmnrt"


def _ends_with_st_ending(stem: str) -> bool:
    return bool(stem) and stem[-1] in "bdfghklmnt"


def stem_de(word: str) -> str:
    """Light German stemmer (Savoy's, as in Lucene's GermanLightStemmer) on a folded word."""
    n = len(word)
    if n > 5 and word.endswith("ern"):
        word = word[:-3]
    elif n > 4 and word[-2:] in ("em", "en", "er", "es"):
        word = word[:-2]
    elif (n > 3 and word.endswith("e")) or (
        n > 3 and word.endswith("s") and _ends_with_s_ending(word[:-1])
    ):
        word = word[:-1]
    n = len(word)
    if (n > 5 and word[-2:] in ("en", "er")) or (
        n > 4 and word.endswith("st") and _ends_with_st_ending(word[:-2])
    ):
        word = word[:-2]
    return word


def stem_en(word: str) -> str:
    """English plural folding (Lucene's EnglishMinimalStemmer) on a folded word."""
    n = len(word)
    if n < 3 or word[-1] != "s" or word[-2] in "us":
        return word
    if n > 3 and word.endswith("ies") and word[-4] not in "ae":
        return word[:-3] + "y"
    if n > 3 and word.endswith("es") and word[-3] not in "aeo":
        return word[:-1]
    return word[:-1]


class _RussianLemmas:
    """pymorphy3 normal forms, cached per word (news vocabulary repeats a lot)."""

    def __init__(self) -> None:
        import pymorphy3

        self._morph = pymorphy3.MorphAnalyzer()
        self.lemma = lru_cache(maxsize=200_000)(self._lemma)

    def _lemma(self, word: str) -> str:
        if not _CYRILLIC.search(word):
            return word
        return self._morph.parse(word)[0].normal_form


_RU: _RussianLemmas | None = None


def _russian() -> _RussianLemmas:
    global _RU
    if _RU is None:
        _RU = _RussianLemmas()
    return _RU


class BuiltinAnalyzer:
    """Regex tokens -> (ru: pymorphy3 lemma) -> fold -> (de/en: light stem)."""

    name = "builtin-1"
    max_cached_words = 500_000  # per language; news vocabulary repeats a lot

    def __init__(self) -> None:
        self._caches: dict[str | None, dict[str, str]] = {}

    def _miss(self, word: str, language: str | None) -> str:
        cache = self._caches[language]
        if len(cache) >= self.max_cached_words:
            cache.clear()
        term = cache[word] = normalise_word(word, language)
        return term

    def __call__(self, text: str, language: str | None) -> list[str]:
        cache = self._caches.get(language)
        if cache is None:
            cache = self._caches[language] = {}
        words = WORD.findall(text.lower())
        try:
            return [cache[word] for word in words]  # the common case: every word seen before
        except KeyError:
            get, miss = cache.get, self._miss
            return [get(word) or miss(word, language) for word in words]


def normalise_word(word: str, language: str | None) -> str:
    """Lower-cased word (or lemma) -> folded, stemmed term for `language`."""
    if language == "ru":
        return fold(_russian().lemma(word))
    folded = fold(word)
    if language == "de":
        return stem_de(folded)
    if language == "en":
        return stem_en(folded)
    return folded


class SpacyLemmaAnalyzer:
    """Lemmas from the project's spaCy pipelines (nlp.pipelines), folded and lightly stemmed.

    Only the tokenizer and lemmatizer run (NER is disabled): analysis for search must be cheap.
    """

    name = "spacy-1"

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._fallback = BuiltinAnalyzer()

    def __call__(self, text: str, language: str | None) -> list[str]:
        from nlp.pipelines import load_nlp  # the one place coopwatch reaches into nlp

        if language not in ("de", "en", "ru"):
            return self._fallback(text, language)
        nlp = load_nlp(language, self._settings)
        disabled = [name for name in nlp.pipe_names if name not in ("lemmas",)]
        with nlp.select_pipes(disable=disabled):
            doc = nlp(text)
        terms: list[str] = []
        for token in doc:
            for word in WORD.findall(token.lemma_ or token.text):
                folded = fold(word)
                if language == "de":
                    folded = stem_de(folded)
                elif language == "en":
                    folded = stem_en(folded)
                terms.append(folded)
        return terms


ANALYZERS: dict[str, Callable[[Settings], TextAnalyzer]] = {
    "builtin": lambda settings: BuiltinAnalyzer(),
    "spacy": SpacyLemmaAnalyzer,
}


def analyzer_from_settings(settings: Settings) -> TextAnalyzer:
    """The analyzer named by `settings.index.analyzer`."""
    return ANALYZERS[settings.index.analyzer](settings)


def script_languages(word: str, languages: list[str]) -> list[str]:
    """Languages a query word can be analysed in: Cyrillic words as ru, Latin ones as de/en."""
    cyrillic = bool(_CYRILLIC.search(word))
    chosen = [lang for lang in languages if (lang == "ru") == cyrillic]
    return chosen or list(languages)
