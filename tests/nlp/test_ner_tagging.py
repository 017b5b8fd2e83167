"""Tag decoding and span clean-up shared by the NER components."""

from __future__ import annotations

import spacy

from nlp.components.tagging import (
    bio_spans,
    join_hyphenated,
    normalise_label,
    split_at_brackets,
    windows,
)


def test_bio_spans_reads_iob1_iob2_and_bioes_like_conlleval():
    tags = ["B-PER", "I-PER", "O", "I-LOC", "I-LOC", "B-LOC", "S-ORG", "B-ORG", "E-ORG"]
    assert bio_spans(tags) == [
        (0, 2, "PER"),
        (3, 5, "LOC"),
        (5, 6, "LOC"),
        (6, 7, "ORG"),
        (7, 9, "ORG"),
    ]


def test_labels_of_other_tag_sets_are_folded():
    assert [normalise_label(x) for x in ("B-PERSON", "gpe", "I-ORGANIZATION", "MISC")] == [
        "PER",
        "LOC",
        "ORG",
        "MISC",
    ]


def test_names_are_cut_at_brackets_and_joined_at_hyphens():
    words = ["Джоэл", "Саймон", "(", "Joel", "Simon", ")"]
    assert split_at_brackets([(0, 6, "PER")], words) == [(0, 2, "PER"), (3, 5, "PER")]
    words = ["Ирина", "Саишвили", "-", "Чантурия", "-", "Москва"]
    spans = [(0, 2, "PER"), (3, 4, "PER"), (5, 6, "LOC")]
    assert join_hyphenated(spans, words) == [(0, 4, "PER"), (5, 6, "LOC")]


def test_windows_pack_whole_sentences_and_cut_long_ones():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    doc = nlp("A b c. D e f g. H. I j k l m n o p q r s t. U.")
    assert [w.text for w in windows(doc, 8)] == [
        "A b c. D e f g. H.",
        "I j k l m n o p",
        "q r s t. U.",
    ]
    assert [w.text for w in windows(doc, 100)] == [doc.text]
