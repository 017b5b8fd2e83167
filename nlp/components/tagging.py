"""What the NER components share: token windows of a Doc, BIO tags to spans, label names."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from spacy.tokens import Doc, Span

# Label names of other tag sets folded to coopwatch's PER / ORG / LOC (others are kept as they are).
LABEL_ALIASES = {
    "PERSON": "PER",
    "PERS": "PER",
    "ORGANIZATION": "ORG",
    "ORGANISATION": "ORG",
    "LOCATION": "LOC",
    "GPE": "LOC",
}


def normalise_label(label: str) -> str:
    """`B-PERSON`/`person`/`GPE` -> `PER`/`LOC`; unknown labels keep their upper-case name."""
    label = label.upper()
    if len(label) > 2 and label[1] == "-" and label[0] in "BIESLU":
        label = label[2:]
    return LABEL_ALIASES.get(label, label)


def windows(doc: Doc, max_tokens: int) -> Iterator[Span]:
    """Consecutive sentences of `doc` packed into windows of at most `max_tokens` (a longer
    sentence is cut). Whole runs of sentences, not single ones: a sentence wrongly split after an
    initial ("Ш. Чориев") must not cut the name in two."""
    sentences = doc.sents if doc.has_annotation("SENT_START") else [doc[:]]
    start = end = 0
    for sentence in sentences:
        if sentence.end - start > max_tokens and end > start:
            yield doc[start:end]
            start = end
        while sentence.end - start > max_tokens:
            yield doc[start : start + max_tokens]
            start += max_tokens
        end = sentence.end
    if end > start:
        yield doc[start:end]


BRACKETS = frozenset('()[]{}«»"“”„<>')


def split_at_brackets(spans: Sequence[tuple[int, int, str]], words: Sequence[str]):
    """Cut predicted spans at bracket and quote tokens, which a name never contains:
    "Джоэл Саймон ( Joel Simon )" is two names, "Комитет ... ( КЗЖ )" a name and its acronym."""
    out: list[tuple[int, int, str]] = []
    for start, end, label in spans:
        piece = start
        for i in range(start, end + 1):
            if i == end or words[i] in BRACKETS:
                if i > piece:
                    out.append((piece, i, label))
                piece = i + 1
    return out


def join_hyphenated(spans: Sequence[tuple[int, int, str]], words: Sequence[str]):
    """Join two person spans split by a lone hyphen token into one double-barrelled name
    ("Саишвили - Чантурия" as some tokenisers give "Саишвили-Чантурия")."""
    out: list[tuple[int, int, str]] = []
    for start, end, label in spans:
        previous = out[-1] if out else None
        if (
            previous
            and label == previous[2] == "PER"
            and previous[1] + 1 == start
            and words[start - 1] == "-"
        ):
            out[-1] = (previous[0], end, label)
            continue
        out.append((start, end, label))
    return out


def bio_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """(start, end, label) of BIO/IOB1/BIOES-tagged tokens; an I- after O or another type starts
    a new entity, as conlleval reads it."""
    spans: list[tuple[int, int, str]] = []
    start, label = None, None
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        kind = normalise_label(kind) if kind else ""
        continues = prefix in ("I", "E", "L") and kind == label
        if start is not None and not continues:
            spans.append((start, i, label))
            start, label = None, None
        if prefix in ("B", "S", "U") or (prefix in ("I", "E", "L") and start is None):
            start, label = i, kind
        if prefix in ("E", "L", "S", "U") and start is not None:
            spans.append((start, i + 1, label))
            start, label = None, None
    return spans
