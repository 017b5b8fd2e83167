"""Lexicon features of the NER embedding (coopwatch.LexiconMultiHashEmbed.v2) and their tables."""

from __future__ import annotations

import gzip

import numpy
import pytest
import spacy
from spacy.attrs import ORTH
from spacy.strings import hash_string
from spacy.tokens import Doc
from spacy.training import Example
from thinc.api import Adam, fix_random_seed

from nlp.components.lexicon import INSIDE, LexiconTables, Table, phrase_key, set_lexicon
from nlp.training.corpora import read_ler
from nlp.training.lexicon import (
    COMMON_NOUN,
    MIN_ZIPF,
    OTHER_NAME,
    PERSONAL_NAME,
    PLACE_BIT,
    TYPE_BIT,
    cluster_table,
    frequency_table,
    gazetteer_tables,
    noun_table,
)
from nlp.training.train import CONFIG

PER, ORG, LOC = TYPE_BIT["PER"], TYPE_BIT["ORG"], TYPE_BIT["LOC"]


def tables() -> LexiconTables:
    sentences = [
        (
            ["Schartau", "sagte", "der", "Deutschen", "Bank", "."],
            ["B-PER", "O", "O", "B-ORG", "I-ORG", "O"],
        ),
        (["Die", "Bank", "in", "Bonn", "."], ["O", "O", "O", "B-LOC", "O"]),
    ]
    gaz_token, gaz_phrase = gazetteer_tables(sentences, [["Bonn"], ["Frankfurt", "am", "Main"]])
    noun_rows = [
        ["Bank", "Substantiv", "f", "", "", "", "", "Bank", "Banken"],
        ["Fischer", "Nachname,Substantiv", "", "", "", "", ""],
        ["Fischer", "Substantiv", "m", "", "", "", "", "Fischer", "Fischers"],
        ["Bonn", "Substantiv,Toponym", "", "", "", "", ""],
        ["-ant", "Affix,Suffix", "", "", "", "", "", "-anten"],
    ]
    return LexiconTables(
        {
            "freq": Table.from_dict(frequency_table({"bank": 1e-4, "schartau": 1e-9, "x": 1e-12})),
            "noun": Table.from_dict(noun_table(noun_rows)),
            "gaz_token": Table.from_dict(gaz_token),
            "gaz_phrase": Table.from_dict(gaz_phrase),
            # Paths "0101" (Berlin, Bonn), "0110" (Schartau), "010111000110" (12 steps).
            "cluster": Table.from_dict(
                {
                    hash_string("Bonn"): 0b10101,
                    hash_string("Berlin"): 0b10101,
                    hash_string("Schartau"): 0b10110,
                    hash_string("Bank"): 0b1010111000110,
                },
                numpy.uint16,
            ),
        },
        max_phrase=6,
    )


def test_token_features_give_the_expected_ids():
    vocab = spacy.blank("de").vocab
    words = ["Schartau", "BANK", "Banken", "Fischers", "Bonn", "sagte", "Die", "Bank"]
    features = tables().features(Doc(vocab, words=words))
    freq, noun, gaz_token = features[:, 0], features[:, 1], features[:, 2]
    # Zipf 3 (1e-6 * 1e9 = 1e3): bucket 1 + 2 * 5 = 11 for "bank", any case; 1e-9: zipf 0 < 1.5.
    assert list(freq) == [0, 11, 0, 0, 0, 0, 0, 11]
    assert noun[2] == noun[7] == COMMON_NOUN and noun[1] == 0  # exact forms only
    assert noun[3] == COMMON_NOUN  # inflected form of the common noun
    assert noun[4] == OTHER_NAME
    assert gaz_token[0] == PER and gaz_token[4] == LOC | PLACE_BIT
    # "Bank": ORG once, O once -> 1/2 >= 0.5 share; "Die": never an entity.
    assert gaz_token[7] == ORG and gaz_token[6] == 0
    assert noun_table([["Fischer", "Nachname,Substantiv", "", "", "", "", ""]]) == {
        hash_string("Fischer"): PERSONAL_NAME
    }


def test_phrase_matches_are_longest_first_without_overlap():
    vocab = spacy.blank("de").vocab
    words = ["in", "Frankfurt", "am", "Main", "bei", "der", "Deutschen", "Bank", "Bank"]
    phrase = tables().features(Doc(vocab, words=words))[:, 3]
    assert list(phrase) == [0, LOC, INSIDE + LOC, INSIDE + LOC, 0, 0, ORG, INSIDE + ORG, 0]
    assert phrase_key([1, 2]) == 0x100000001B3 + 2


def test_tables_survive_serialisation_and_missing_tables_give_zeros():
    vocab = spacy.blank("de").vocab
    doc = Doc(vocab, words=["Schartau", "in", "Frankfurt", "am", "Main"])
    lexicon = tables()
    again = LexiconTables.from_msg(lexicon.to_msg())
    assert numpy.array_equal(again.features(doc), lexicon.features(doc))
    assert not LexiconTables().features(doc).any()


def test_cluster_prefixes_share_ids_up_to_the_length_that_tells_paths_apart():
    lexicon = tables()
    words = ["Bonn", "Berlin", "Schartau", "Bank", "die"]
    orths = numpy.array([hash_string(w) for w in words], dtype=numpy.uint64)
    by_length = lexicon.cluster_prefixes(orths, [2, 4, 10])
    assert by_length.dtype == numpy.uint64
    assert list(by_length[:, 0]) == [0b101, 0b101, 0b101, 0b101, 0]  # all start "01"
    assert list(by_length[:, 1]) == [0b10101, 0b10101, 0b10110, 0b10101, 0]
    # A path shorter than the prefix is taken whole; a longer one is cut.
    assert list(by_length[:, 2]) == [0b10101, 0b10101, 0b10110, 0b10101110001, 0]
    assert lexicon.cluster_prefixes(orths, []).shape == (5, 0)
    assert not LexiconTables().cluster_prefixes(orths, [4]).any()


def test_cluster_table_keeps_frequent_forms_with_a_cluster():
    zipf_2 = (2 - 9) * 2.302585  # ln of the probability of a Zipf-2 word
    table = cluster_table(
        {"Bonn": 0b10101, "Bonnx": 0b10101, "und": 0, "Rar": 0b110},
        {"Bonn": zipf_2, "und": -3.0, "Rar": zipf_2 - 3},
    )
    assert MIN_ZIPF < 2
    assert table == {hash_string("Bonn"): 0b10101}  # no probability, no cluster, too rare


def test_wider_table_values_survive_serialisation_and_old_tables_read_as_uint8():
    lexicon = tables()
    again = LexiconTables.from_msg(lexicon.to_msg())
    assert again.tables["cluster"].values.dtype == numpy.uint16
    assert numpy.array_equal(again.tables["cluster"].values, lexicon.tables["cluster"].values)
    msg = lexicon.to_msg()
    # Models saved before value types were stored: two fields per table, uint8 values.
    msg["tables"] = {
        name: fields[:2] for name, fields in msg["tables"].items() if name != "cluster"
    }
    old = LexiconTables.from_msg(msg)
    assert {t.values.dtype for t in old.tables.values()} == {numpy.dtype(numpy.uint8)}
    doc = Doc(spacy.blank("de").vocab, words=["Schartau", "in", "Frankfurt", "am", "Main"])
    assert numpy.array_equal(old.features(doc), lexicon.features(doc))


def test_ler_fine_types_fold_into_per_org_loc(tmp_path):
    path = tmp_path / "ler.conll.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(
            "Richter B-RR\nam O\nBGH B-GRT\nin O\nKarlsruhe B-ST\nnach O\n§ B-GS\n1 I-GS\n\n"
        )
    [(tokens, tags)] = list(read_ler(path))
    assert tokens[0] == "Richter"
    assert tags == ["B-PER", "O", "B-ORG", "O", "B-LOC", "O", "O", "O"]


def tiny_nlp() -> spacy.Language:
    from spacy.util import load_config, load_model_from_config

    overrides = {
        "components.ner.model.tok2vec.embed.@architectures": "coopwatch.LexiconMultiHashEmbed.v2",
        "components.ner.model.tok2vec.embed.rows": [500, 100, 100, 50],
        "components.ner.model.tok2vec.embed.width": 16,
        "components.ner.model.tok2vec.encode.width": 16,
        "components.ner.model.tok2vec.encode.depth": 1,
    }
    config = load_config(CONFIG, overrides=overrides, interpolate=True)
    return load_model_from_config(config, auto_fill=True, validate=True)


def test_a_tiny_lexicon_model_trains_saves_loads_and_predicts_the_same(tmp_path):
    fix_random_seed(0)
    nlp = tiny_nlp()
    words = [["Schartau", "sagte", "in", "Bonn", "."], ["Die", "Deutschen", "Bank", "zahlt", "."]]
    tags = [["B-PER", "O", "O", "B-LOC", "O"], ["O", "B-ORG", "I-ORG", "O", "O"]]
    examples = [
        Example(Doc(nlp.vocab, words=w), Doc(nlp.vocab, words=w, ents=t))
        for w, t in zip(words, tags, strict=True)
    ]
    nlp.initialize(lambda: examples)
    optimizer = Adam(0.01)  # the config's schedule starts at 0 (warm-up)
    assert set_lexicon(nlp.get_pipe("ner").model, tables()) == 1
    losses: list[float] = []
    for _ in range(30):
        step: dict[str, float] = {}
        nlp.update(examples, sgd=optimizer, losses=step)
        losses.append(step["ner"])
    assert losses[-1] < losses[0]
    nlp.to_disk(tmp_path / "model")
    loaded = spacy.load(tmp_path / "model")
    extractor = next(n for n in loaded.get_pipe("ner").model.walk() if n.name == "lexicon_features")
    assert len(extractor.attrs["lexicon"].tables["gaz_phrase"].keys) == 2  # the tables came along
    for sentence in [*words, ["in", "Frankfurt", "am", "Main"]]:
        before = nlp(Doc(nlp.vocab, words=sentence))
        after = loaded(Doc(loaded.vocab, words=sentence))
        assert [(e.start, e.end, e.label_) for e in before.ents] == [
            (e.start, e.end, e.label_) for e in after.ents
        ]
        numpy.testing.assert_allclose(
            nlp.get_pipe("ner").model.get_ref("tok2vec").predict([before])[0],
            loaded.get_pipe("ner").model.get_ref("tok2vec").predict([after])[0],
        )


def test_static_vectors_are_refused():
    from nlp.components.lexicon import LexiconMultiHashEmbed

    with pytest.raises(ValueError, match="static vectors"):
        LexiconMultiHashEmbed(16, ["NORM"], [100], include_static_vectors=True)


def test_gazetteer_corpora_never_include_germeval():
    from nlp.training.lexicon import GAZETTEER_SOURCES

    assert all("germeval" not in path for path, _ in GAZETTEER_SOURCES)


def test_a_batch_gets_each_doc_s_own_features_and_phrases_never_cross_docs():
    from nlp.components.lexicon import LexiconFeatureExtractor

    vocab = spacy.blank("de").vocab
    extractor = LexiconFeatureExtractor([ORTH], cluster_prefixes=[2, 20])
    extractor.attrs["lexicon"] = lexicon = tables()
    docs = [
        Doc(vocab, words=["in", "Frankfurt"]),
        Doc(vocab, words=["am", "Main", "Bank"]),
        Doc(vocab, words=[]),
        Doc(vocab, words=["Frankfurt", "am", "Main"]),
    ]
    features = extractor.predict(docs)
    assert [len(f) for f in features] == [2, 3, 0, 3]
    for doc, got in zip(docs, features, strict=True):
        assert numpy.array_equal(got[:, 1:5], lexicon.features(doc))
        assert list(got[:, 0]) == [t.orth for t in doc]
        orths = numpy.array([t.orth for t in doc], dtype=numpy.uint64)
        assert numpy.array_equal(got[:, 5:], lexicon.cluster_prefixes(orths, [2, 20]))
    assert list(features[0][:, 4]) == [0, 0] and features[3][0, 4] == LOC
    assert extractor.predict([]) == []


def test_the_embedding_has_one_column_per_cluster_prefix_length():
    from nlp.components.lexicon import FEATURES, LexiconMultiHashEmbed

    def hash_embeds(model):
        return [node for node in model.walk() if node.name == "hashembed"]

    plain = LexiconMultiHashEmbed(16, ["NORM", "SHAPE"], [100, 50], cluster_prefixes=[])
    clustered = LexiconMultiHashEmbed(16, ["NORM", "SHAPE"], [100, 50], cluster_prefixes=[4, 6, 10])
    assert len(hash_embeds(plain)) == 2 + len(FEATURES)
    assert len(hash_embeds(clustered)) == 2 + len(FEATURES) + 3
    [extractor] = [node for node in clustered.walk() if node.name == "lexicon_features"]
    assert extractor.attrs["cluster_prefixes"] == [4, 6, 10]


def test_english_lexicon_is_the_brown_clusters_alone(tmp_path):
    from nlp.training.lexicon import build_lexicon

    lexicon = build_lexicon(tmp_path, "en")  # needs no corpus: spacy-lookups-data only
    assert set(lexicon.tables) == {"cluster"}
    clusters = lexicon.tables["cluster"]
    assert len(clusters.keys) > 100_000
    assert clusters.values.dtype == numpy.uint32  # English paths run to 18 steps
    orths = numpy.array([hash_string(w) for w in ["London", "Paris"]], dtype=numpy.uint64)
    assert lexicon.cluster_prefixes(orths, [20]).all()
    with pytest.raises(ValueError, match="no lexicon"):
        build_lexicon(tmp_path, "fr")
