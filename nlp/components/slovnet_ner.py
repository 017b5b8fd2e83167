"""Russian statistical NER: natasha/slovnet's news model (PER/ORG/LOC) as a spaCy component.

The weights ship inside the natasha wheel (MIT): navec news embeddings and slovnet_ner_news_v1.
They are found through the package's location without importing natasha itself.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from nlp.components.tagging import bio_spans, join_hyphenated, split_at_brackets, windows

NAVEC_FILE = "data/emb/navec_news_v1_1B_250K_300d_100q.tar"
NER_FILE = "data/model/slovnet_ner_news_v1.tar"


def natasha_data_dir() -> Path:
    """The installed natasha package directory (holds the model files)."""
    spec = importlib.util.find_spec("natasha")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("natasha is not installed: pip install 'natasha>=1.6,<1.7'")
    return Path(next(iter(spec.submodule_search_locations)))


@lru_cache(maxsize=1)
def load_slovnet(batch_size: int = 16):
    """slovnet's NER with navec embeddings injected; loaded once per process (~0.5 s)."""
    from navec import Navec
    from slovnet import NER

    base = natasha_data_dir()
    ner = NER.load(str(base / NER_FILE), batch_size=batch_size)
    ner.navec(Navec.load(str(base / NAVEC_FILE)))
    return ner


class SlovnetNer:
    """Sets `doc.ents` from slovnet's predictions, sentence by sentence."""

    def __init__(self, batch_size: int = 16, max_tokens: int = 200):
        self.batch_size = batch_size
        self.max_tokens = max_tokens

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs, batch_size: int | None = None):
        docs = list(docs)
        # slovnet sees words only: whitespace tokens are left out and mapped back.
        items: list[list[str]] = []
        owners: list[tuple[int, list[int]]] = []
        for number, doc in enumerate(docs):
            for window in windows(doc, self.max_tokens):
                indices = [t.i for t in window if not t.is_space]
                if indices:
                    items.append([doc[i].text for i in indices])
                    owners.append((number, indices))
        found: list[list[Span]] = [[] for _ in docs]
        if items:
            for (number, indices), words, tags in zip(owners, items, self._tag(items), strict=True):
                doc = docs[number]
                for start, end, label in join_hyphenated(
                    split_at_brackets(bio_spans(tags), words), words
                ):
                    found[number].append(
                        Span(doc, indices[start], indices[end - 1] + 1, label=label)
                    )
        for doc, spans in zip(docs, found, strict=True):
            doc.ents = filter_spans(spans)
            yield doc

    def _tag(self, items: list[list[str]]) -> list[list[str]]:
        infer = load_slovnet(self.batch_size).infer
        inputs = infer.encoder(items)
        return [list(tags) for tags in infer.decoder(infer.process(inputs))]


@Language.factory(
    "coopwatch_slovnet_ner",
    default_config={"batch_size": 16, "max_tokens": 200},
)
def make_slovnet_ner(nlp: Language, name: str, batch_size: int, max_tokens: int) -> SlovnetNer:
    return SlovnetNer(batch_size=batch_size, max_tokens=max_tokens)
