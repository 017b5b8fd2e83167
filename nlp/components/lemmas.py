"""Russian lemmas from pymorphy3 (its most probable parse), as a named spaCy component.

spaCy's own Russian lemmatizer needs part-of-speech tags, which this pipeline does not predict;
pymorphy3's first parse gives the nominative ("Турчиным" -> "турчин") without them.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc


@lru_cache(maxsize=1)
def _analyser():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


class PymorphyLemmatizer:
    """Sets `token.lemma_` for every token; words without Cyrillic letters are lower-cased."""

    def __init__(self, cache_size: int = 200_000):
        self.cache: dict[str, str] = {}
        self.cache_size = cache_size

    def lemma(self, text: str) -> str:
        lemma = self.cache.get(text)
        if lemma is None:
            if any("а" <= ch <= "я" or ch == "ё" for ch in text.lower()):
                lemma = _analyser().parse(text)[0].normal_form
            else:
                lemma = text.lower()
            if len(self.cache) < self.cache_size:
                self.cache[text] = lemma
        return lemma

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            if not token.is_space:
                token.lemma_ = self.lemma(token.text)
        return doc


@Language.factory("coopwatch_ru_lemmas", default_config={"cache_size": 200_000})
def make_ru_lemmas(nlp: Language, name: str, cache_size: int) -> PymorphyLemmatizer:
    return PymorphyLemmatizer(cache_size)
