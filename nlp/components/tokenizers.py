"""Registered tokenizers: razdel for Russian (the tokenisation natasha/slovnet expects)."""

from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab


class RazdelTokenizer:
    """Splits text with razdel; whitespace between tokens goes to `token.whitespace_` or, when
    it is more than one space, into whitespace tokens as spaCy's own tokenizer does."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        from razdel import tokenize

        words: list[str] = []
        spaces: list[bool] = []
        position = 0
        for token in tokenize(text):
            self._gap(text[position : token.start], words, spaces)
            words.append(token.text)
            spaces.append(False)
            position = token.stop
        self._gap(text[position:], words, spaces)
        return Doc(self.vocab, words=words, spaces=spaces)

    @staticmethod
    def _gap(gap: str, words: list[str], spaces: list[bool]) -> None:
        if not gap:
            return
        if gap == " " and words:
            spaces[-1] = True
            return
        if words and gap.startswith(" "):
            spaces[-1] = True
            gap = gap[1:]
        words.append(gap)
        spaces.append(False)

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    # A tokenizer in a saved pipeline must (de)serialise; there is no state to keep.
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> RazdelTokenizer:
        return self

    def to_disk(self, path, **kwargs) -> None:
        return None

    def from_disk(self, path, **kwargs) -> RazdelTokenizer:
        return self


@registry.tokenizers("coopwatch.RazdelTokenizer.v1")
def create_razdel_tokenizer() -> Callable[[Language], RazdelTokenizer]:
    def make(nlp: Language) -> RazdelTokenizer:
        return RazdelTokenizer(nlp.vocab)

    return make
