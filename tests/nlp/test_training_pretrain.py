"""Pretraining the NER's tok2vec on raw text: its corpus and its weights' way into the NER."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy
import pytest

from nlp.training.corpora import RECIPES, Recipe, Source, build_corpus, read_conll2003


def write_gz(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(text)
    return path


def test_recipes_never_pretrain_on_the_reported_dev_splits():
    for recipe in RECIPES.values():
        for source in recipe.pretrain:
            assert "NER-de-dev" not in source.path and "testa" not in source.path
            assert "germeval" not in source.path  # its train part comes minus the held-out


def test_pretrain_corpus_is_train_plus_raw_sources_without_the_heldout_slice(tmp_path):
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    body = "".join(f"Wort{i} X X O\nBerlin X X B-LOC\n. X X O\n\n" for i in range(30))
    write_gz(tmp_path / "c" / "en-x" / "train.gz", body)
    write_gz(tmp_path / "c" / "en-y" / "raw.gz", "Roh X X O\nText X X B-PER\n\n")
    recipe = Recipe(
        train=(Source("en-x/train.gz", read_conll2003),),
        heldout=5,
        pretrain=(Source("en-y/raw.gz", read_conll2003),),
        pretrain_epochs=1,
    )
    counts = build_corpus("en", tmp_path / "c", tmp_path / "out", recipe=recipe)
    assert counts == {"train": 25, "dev": 5, "pretrain": 26}
    vocab = spacy.blank("en").vocab
    raw = list(DocBin().from_disk(tmp_path / "out" / "pretrain.spacy").get_docs(vocab))
    held = list(DocBin().from_disk(tmp_path / "out" / "dev.spacy").get_docs(vocab))
    raw_texts = {doc.text.strip() for doc in raw}
    assert "Roh Text" in raw_texts and not raw_texts & {doc.text.strip() for doc in held}
    assert not any(doc.ents for doc in raw)


def test_pretrained_weights_load_into_the_ner_tok2vec(tmp_path):
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import Doc, DocBin

    from nlp.training.pretrain import load_ner_tok2vec, ner_tok2vec, pretrain_ner_tok2vec
    from nlp.training.train import CONFIG

    vocab = spacy.blank("de").vocab
    docbin = DocBin(attrs=["ORTH"])
    for i in range(20):
        docbin.add(Doc(vocab, words=["Anna", f"Wort{i}", "lacht", "in", "Berlin", "."]))
    docbin.to_disk(tmp_path / "raw.spacy")
    overrides = {"nlp.lang": "de", "components.ner.model.tok2vec.embed.rows": [50, 20, 20, 20]}
    weights = tmp_path / "tok2vec.bin"
    summary = pretrain_ner_tok2vec(CONFIG, overrides, tmp_path / "raw.spacy", weights, 1)
    assert summary["docs"] == 20 and summary["words"] == 120 and weights.is_file()

    from spacy.util import load_config, load_model_from_config

    nlp = load_model_from_config(load_config(CONFIG, overrides, interpolate=True), auto_fill=True)
    nlp.get_pipe("ner").add_label("PER")
    nlp.initialize()
    before = ner_tok2vec(nlp).to_bytes()
    load_ner_tok2vec(nlp, weights)
    tok2vec = ner_tok2vec(nlp)
    assert tok2vec.to_bytes() == weights.read_bytes() != before
    doc = nlp(nlp.make_doc("Anna lacht in Berlin ."))
    assert numpy.isfinite(tok2vec.predict([doc])[0]).all()
