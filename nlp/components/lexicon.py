"""Lexicon features for the NER's tok2vec: ``coopwatch.LexiconMultiHashEmbed.v2``.

German capitalises every noun, so hashed NORM/PREFIX/SUFFIX/SHAPE features learnt from 23,000
sentences cannot tell a rare name from a rare common noun. This embedding adds per-token ids
looked up in lexicon tables (built at training time by ``nlp.training.lexicon``):

- ``freq``: word-frequency bucket of the lower-cased form (0 = not in the list);
- ``noun``: bit mask of what a dictionary says the exact form is (common noun, personal name,
  other proper name);
- ``gaz_token``: bit mask of the entity types the exact form mostly belongs to in other corpora;
- ``gaz_phrase``: B/I position and type mask of the longest gazetteer phrase (2+ tokens);
- ``cluster`` (v2): prefixes of the exact form's Brown cluster path, one feature per prefix
  length. Clusters come from word contexts in a corpus far larger than any NER training set,
  so a rare surname shares its cluster with common ones.

The tables live in the model's attrs (serialised with its weights, so a saved pipeline needs
no lexicon package) and are plain sorted uint64 keys with small unsigned values, looked up
with numpy.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import srsly
from spacy.attrs import LOWER, ORTH, intify_attr
from spacy.tokens import Doc, Span
from spacy.util import registry
from thinc.api import (
    HashEmbed,
    Maxout,
    Model,
    chain,
    concatenate,
    list2ragged,
    ragged2list,
    with_array,
)
from thinc.model import deserialize_attr, serialize_attr
from thinc.types import Floats2d, Ints2d

# Token tables and the attribute each is keyed by; the phrase table comes last.
TOKEN_TABLES: tuple[tuple[str, int], ...] = (("freq", LOWER), ("noun", ORTH), ("gaz_token", ORTH))
FEATURES: tuple[str, ...] = (*(name for name, _ in TOKEN_TABLES), "gaz_phrase")
PHRASE_MULTIPLIER = np.uint64(0x100000001B3)  # FNV prime: folds token hashes into phrase keys
INSIDE = 8  # gaz_phrase value of a non-first token: INSIDE + type mask (first token: mask)
_MASK64 = (1 << 64) - 1


def phrase_key(orths: Sequence[int]) -> int:
    """The phrase-table key of a token sequence (its ORTH hashes), as `_phrase_matches` folds."""
    key = 0
    for orth in orths:
        key = (key * int(PHRASE_MULTIPLIER) + orth) & _MASK64
    return key


@dataclass
class Table:
    """Sorted uint64 keys and their unsigned values (uint8 unless a table needs more)."""

    keys: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))
    values: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint8))

    @classmethod
    def from_dict(cls, mapping: dict[int, int], dtype: type = np.uint8) -> Table:
        keys = np.array(sorted(mapping), dtype=np.uint64)
        values = np.array([mapping[int(k)] for k in keys], dtype=dtype)
        return cls(keys, values)

    def lookup(self, keys: np.ndarray) -> np.ndarray:
        """Values of `keys` (0 where absent)."""
        if not len(self.keys):
            return np.zeros(len(keys), dtype=self.values.dtype)
        index = np.searchsorted(self.keys, keys).clip(0, len(self.keys) - 1)
        return np.where(self.keys[index] == keys, self.values[index], 0).astype(self.values.dtype)


@dataclass
class LexiconTables:
    """All lookup tables of one model (empty until `nlp.training.lexicon` fills them)."""

    tables: dict[str, Table] = field(default_factory=dict)
    max_phrase: int = 0

    def features(self, doc: Doc) -> np.ndarray:
        """(len(doc), len(FEATURES)) uint64 feature ids of `doc`'s tokens."""
        keys = doc.to_array([ORTH, LOWER])
        return self.lookup(keys[:, 0], keys[:, 1], np.zeros(len(doc), dtype=np.int64))

    def lookup(self, orths: np.ndarray, lowers: np.ndarray, doc_ids: np.ndarray) -> np.ndarray:
        """Feature ids of the tokens of docs laid end to end, all looked up at once (per-doc
        numpy calls cost more than the lookups); `doc_ids`: phrases never cross docs."""
        by_attr = {ORTH: orths.astype(np.uint64), LOWER: lowers.astype(np.uint64)}
        empty = Table()
        columns = [
            self.tables.get(name, empty).lookup(by_attr[attr]) for name, attr in TOKEN_TABLES
        ]
        columns.append(self._phrase_matches(by_attr[ORTH], doc_ids))
        return np.stack(columns, axis=1).astype(np.uint64)

    def cluster_prefixes(self, orths: np.ndarray, lengths: Sequence[int]) -> np.ndarray:
        """(len(orths), len(lengths)) feature ids: the first `length` steps of each token's
        Brown cluster path (all of it if shorter), 0 for a token without a cluster.

        A path is stored as an integer with a leading 1 bit (path "01" = 0b101), so a prefix
        is a right shift and prefixes of different lengths never share an id."""
        if not len(lengths):
            return np.zeros((len(orths), 0), dtype=np.uint64)
        paths = self.tables.get("cluster", Table()).lookup(orths.astype(np.uint64))
        paths = paths.astype(np.int64)
        steps = np.zeros_like(paths)
        known = paths > 0
        steps[known] = np.floor(np.log2(paths[known])).astype(np.int64)
        columns = [np.where(known, paths >> np.maximum(steps - length, 0), 0) for length in lengths]
        return np.stack(columns, axis=1).astype(np.uint64)

    def _phrase_matches(self, orths: np.ndarray, doc_ids: np.ndarray) -> np.ndarray:
        """Longest gazetteer phrases, left to right, without overlaps."""
        n = len(orths)
        out = np.zeros(n, dtype=np.uint8)
        table = self.tables.get("gaz_phrase")
        if table is None or n < 2:
            return out
        best_len = np.zeros(n, dtype=np.int64)
        best_type = np.zeros(n, dtype=np.uint8)
        keys = orths.copy()
        with np.errstate(over="ignore"):
            for length in range(2, min(self.max_phrase, n) + 1):
                starts = n - length + 1
                keys = keys[:starts] * PHRASE_MULTIPLIER + orths[length - 1 :]
                found = table.lookup(keys)
                hit = (found > 0) & (doc_ids[:starts] == doc_ids[length - 1 :])
                best_len[:starts][hit] = length
                best_type[:starts][hit] = found[hit]
        for i in np.flatnonzero(best_len):
            if out[i]:  # inside an earlier, overlapping match
                continue
            out[i] = best_type[i]
            out[i + 1 : i + best_len[i]] = INSIDE + best_type[i]
        return out

    def to_msg(self) -> dict:
        return {
            "max_phrase": self.max_phrase,
            "tables": {
                name: [t.keys.tobytes(), t.values.tobytes(), t.values.dtype.str]
                for name, t in self.tables.items()
            },
        }

    @classmethod
    def from_msg(cls, msg: dict) -> LexiconTables:
        tables = {}
        for name, (keys, values, *dtype) in msg["tables"].items():
            # Models saved before tables had other value types store two fields: uint8.
            value_type = np.dtype(dtype[0]) if dtype else np.uint8
            tables[name] = Table(
                np.frombuffer(keys, dtype=np.uint64), np.frombuffer(values, dtype=value_type)
            )
        return cls(tables, int(msg["max_phrase"]))


@serialize_attr.register(LexiconTables)
def _serialize_tables(_: LexiconTables, value: LexiconTables, name: str, model: Model) -> bytes:
    return srsly.msgpack_dumps(value.to_msg())


@deserialize_attr.register(LexiconTables)
def _deserialize_tables(_: LexiconTables, value: bytes, name: str, model: Model) -> LexiconTables:
    return LexiconTables.from_msg(srsly.msgpack_loads(value))


def LexiconFeatureExtractor(
    columns: list[int], cluster_prefixes: Sequence[int] = ()
) -> Model[list[Doc], list[Ints2d]]:
    """spaCy's FeatureExtractor over `columns`, followed by the lexicon feature ids (FEATURES)
    and the cluster path prefixes of the lengths `cluster_prefixes`."""
    return Model(
        "lexicon_features",
        _extract_forward,
        attrs={
            "columns": columns,
            "lexicon": LexiconTables(),
            "cluster_prefixes": list(cluster_prefixes),
        },
    )


def _extract_forward(
    model: Model[list[Doc], list[Ints2d]], docs: list[Doc | Span], is_train: bool
) -> tuple[list[Ints2d], Callable]:
    if not docs:
        return [], lambda d_features: []
    lexicon: LexiconTables = model.attrs["lexicon"]
    attrs = [*model.attrs["columns"], ORTH, LOWER]
    arrays = [
        doc.doc.to_array(attrs)[doc.start : doc.end]
        if isinstance(doc, Span)
        else doc.to_array(attrs)
        for doc in docs
    ]
    lengths = [len(array) for array in arrays]
    joined = np.concatenate(arrays)
    doc_ids = np.repeat(np.arange(len(arrays)), lengths)
    lexical = lexicon.lookup(joined[:, -2], joined[:, -1], doc_ids)
    clusters = lexicon.cluster_prefixes(joined[:, -2], model.attrs["cluster_prefixes"])
    table = np.hstack([joined[:, :-2].astype(np.uint64), lexical, clusters])
    features = [
        model.ops.asarray2i(part, dtype="uint64")
        for part in np.split(table, np.cumsum(lengths)[:-1])
    ]
    return features, lambda d_features: []


def set_lexicon(model: Model, lexicon: LexiconTables) -> int:
    """Put `lexicon` into every lexicon feature extractor inside `model`; how many were found."""
    nodes = [node for node in model.walk() if node.name == "lexicon_features"]
    for node in nodes:
        node.attrs["lexicon"] = lexicon
    return len(nodes)


@registry.architectures("coopwatch.LexiconMultiHashEmbed.v2")
def LexiconMultiHashEmbed(
    width: int,
    attrs: list[str | int],
    rows: list[int],
    include_static_vectors: bool = False,
    lexicon_width: int = 16,
    lexicon_rows: int = 256,
    cluster_prefixes: Sequence[int] = (4, 6, 10, 20),
    cluster_width: int = 16,
    cluster_rows: int = 1024,
) -> Model[list[Doc], list[Floats2d]]:
    """spacy.MultiHashEmbed.v2 (same arguments; no static vectors) plus one hashed embedding of
    `lexicon_width` per lexicon feature (FEATURES) and one of `cluster_width` per cluster path
    prefix length (`cluster_prefixes`, the lengths of Ratinov & Roth 2009); a Maxout mixes
    all into `width`."""
    if len(rows) != len(attrs):
        raise ValueError(f"Mismatched lengths: {len(rows)} vs {len(attrs)}")
    if include_static_vectors:
        raise ValueError("LexiconMultiHashEmbed has no static vectors")
    # The same seeds (and no dropout) as MultiHashEmbed for its columns; the lexicon and
    # cluster columns follow.
    embeddings = [
        HashEmbed(width, rows[i], column=i, seed=8 + i, dropout=0.0) for i in range(len(attrs))
    ]
    extra = [(lexicon_width, lexicon_rows)] * len(FEATURES)
    extra += [(cluster_width, cluster_rows)] * len(cluster_prefixes)
    embeddings += [
        HashEmbed(size, n_rows, column=len(attrs) + j, seed=8 + len(attrs) + j)
        for j, (size, n_rows) in enumerate(extra)
    ]
    concat_size = width * len(attrs) + sum(size for size, _ in extra)
    return chain(
        LexiconFeatureExtractor([intify_attr(a) for a in attrs], cluster_prefixes),
        list2ragged(),
        with_array(concatenate(*embeddings)),
        with_array(Maxout(width, concat_size, nP=3, dropout=0.0, normalize=True)),
        ragged2list(),
    )
