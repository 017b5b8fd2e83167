"""Statistical named entities (PER/ORG/LOC) of a text or of given tokens, with the pipelines of
`nlp.pipelines`: the one entry point the article pipeline and `coopwatch ner` both use."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coopwatch.settings import Settings
from nlp.pipelines import analyse, load_nlp

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass(frozen=True, slots=True)
class Mention:
    """One entity mention in a Doc: character and token offsets (end exclusive) and its label."""

    text: str
    label: str
    start_char: int
    end_char: int
    start: int
    end: int


def entities(doc: Doc) -> list[Mention]:
    """The entity mentions the pipeline found in `doc`, in text order."""
    return [
        Mention(ent.text, ent.label_, ent.start_char, ent.end_char, ent.start, ent.end)
        for ent in doc.ents
    ]


def analyse_text(text: str, lang: str, settings: Settings) -> Doc:
    """`text` through what `lang`'s article analysis runs for entities (long texts in parts of
    nlp.ner.max_chunk_chars)."""
    nlp = load_nlp(lang, settings, entities_only=True)
    return analyse(nlp, text, settings.nlp.ner.max_chunk_chars)


def tag_tokens(
    sentences: Iterable[list[str]], lang: str, settings: Settings
) -> Iterator[list[tuple[int, int, str]]]:
    """(token start, token end, label) per given token list, in input order: the same pipeline
    as the article analysis runs for entities, without its tokenizer.

    So, as there, the de/en models get no sentence splits: pretokenised corpora split the dot
    off abbreviations ("St", "."), and a split there cut "St . Moritz" in two."""
    from spacy.tokens import Doc

    nlp = load_nlp(lang, settings, entities_only=True)

    def docs() -> Iterator[Doc]:
        for tokens in sentences:
            # spaCy has no empty tokens; a placeholder keeps the token positions.
            words = [token if token.strip() else "_" for token in tokens]
            yield Doc(nlp.vocab, words=words)

    for doc in nlp.pipe(docs(), batch_size=settings.nlp.ner.batch_size):
        yield [(ent.start, ent.end, ent.label_) for ent in doc.ents]
