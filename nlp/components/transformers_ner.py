"""Any Hugging Face token-classification model as NER (`nlp.ner.backend = "transformers"`).

transformers and torch are imported only here, when the component is created: they are the
optional extra ``coopwatch[transformers]``. The model is a local directory or a hub id, which
transformers reads from its cache or fetches (HF_HUB_OFFLINE=1 forbids fetching).
"""

from __future__ import annotations

import warnings
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from coopwatch.errors import ConfigError
from nlp.components.tagging import normalise_label, windows


@lru_cache(maxsize=4)
def load_token_classifier(model: str, aggregation: str):
    """transformers' token-classification pipeline with span aggregation, on the CPU."""
    try:
        import torch
        from transformers import pipeline
    except ImportError as exc:  # the extra is not installed
        raise ConfigError(
            "nlp.ner.backend 'transformers' needs: pip install 'coopwatch[transformers]'"
        ) from exc
    # Pages run in parallel processes (one per core), so torch gets one thread in each, as
    # BLAS does: with its default of one per core, 2 workers did 1.0 German articles/s
    # (1,897 ms CPU each, threads spinning) against 4.1 (481 ms) with one (bench.nlp_bench).
    torch.set_num_threads(1)
    try:
        return pipeline(
            "token-classification", model=model, aggregation_strategy=aggregation, device=-1
        )
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"nlp.ner.model {model!r} is not a loadable token-classification model: {exc}"
        ) from exc


class TransformersNer:
    """Runs the model on each sentence window's text and maps its character spans to tokens."""

    def __init__(self, model: str, aggregation: str, batch_size: int, max_tokens: int):
        if not model:
            raise ValueError("nlp.ner.model must name a model directory or hub id")
        self.classify = load_token_classifier(model, aggregation)
        self.batch_size = batch_size
        self.max_tokens = max_tokens

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs, batch_size: int | None = None):
        for doc in docs:
            parts = [w for w in windows(doc, self.max_tokens) if w.text.strip()]
            results = self._classify([w.text for w in parts])
            spans = []
            for part, found in zip(parts, results, strict=True):
                for item in found:
                    label = normalise_label(item.get("entity_group") or item.get("entity", ""))
                    if label == "O":
                        continue
                    start = part.start_char + int(item["start"])
                    end = part.start_char + int(item["end"])
                    span = _trimmed(doc, start, end, label)
                    if span is not None:
                        spans.append(span)
            doc.ents = filter_spans(spans)
            yield doc

    def _classify(self, texts: list[str]) -> list[list[dict]]:
        if not texts:
            return []
        with warnings.catch_warnings():
            # SentencePiece tokenizers have no word marks, so transformers falls back to
            # joining pieces not preceded by a space, and warns; `_trimmed` handles the result.
            warnings.filterwarnings("ignore", message="Tokenizer does not support real words")
            results = self.classify(texts, batch_size=self.batch_size)
        if len(texts) == 1 and results and isinstance(results[0], dict):
            results = [results]  # some versions unwrap a one-item batch
        return results


def _trimmed(doc: Doc, start: int, end: int, label: str) -> Span | None:
    """The tokens of the characters `start`..`end`, without edge spaces and edge punctuation.

    SentencePiece models (XLM-R and kin) give a word piece's offsets with the space before it,
    and transformers' word heuristic joins punctuation written without a space to the word
    ("Berlin." is one word): spans would take in the token before or the full stop after."""
    text = doc.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    span = doc.char_span(start, end, label=label, alignment_mode="expand")
    if span is None:
        return None
    first, last = span.start, span.end
    while first < last and doc[first].is_punct:
        first += 1
    while last > first and doc[last - 1].is_punct:
        last -= 1
    return Span(doc, first, last, label=label) if first < last else None


@Language.factory(
    "coopwatch_transformers_ner",
    default_config={"model": "", "aggregation": "first", "batch_size": 8, "max_tokens": 128},
)
def make_transformers_ner(
    nlp: Language, name: str, model: str, aggregation: str, batch_size: int, max_tokens: int
) -> TransformersNer:
    return TransformersNer(model, aggregation, batch_size, max_tokens)
