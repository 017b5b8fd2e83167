"""The transformers NER backend on a tiny random model the test builds itself (no download)."""

from __future__ import annotations

from pathlib import Path

import pytest

from coopwatch.settings import load_settings

pytest.importorskip("transformers")
pytest.importorskip("torch")

LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]
WORDS = ["alexander", "turchin", "visited", "minsk", "astana", "hub", ".", ","]


def build_tiny_model(path: Path, always: str = "B-LOC") -> Path:
    """A 1-layer BERT token classifier whose classifier always answers `always`."""
    import torch
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors
    from transformers import BertConfig, BertForTokenClassification, PreTrainedTokenizerFast

    vocab = {t: i for i, t in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS])}
    core = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]"))
    core.normalizer = normalizers.BertNormalizer(lowercase=True)
    core.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    core.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)]
    )
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=core,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
        model_max_length=128,
    )
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=128,
        id2label=dict(enumerate(LABELS)),
        label2id={label: i for i, label in enumerate(LABELS)},
    )
    torch.manual_seed(0)
    model = BertForTokenClassification(config)
    with torch.no_grad():
        model.classifier.weight.zero_()
        model.classifier.bias.zero_()
        model.classifier.bias[LABELS.index(always)] = 10.0
    model.save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_model(tmp_path_factory.mktemp("tiny-ner"))


@pytest.fixture
def transformers_settings(tiny_model: Path, settings):
    return load_settings(
        data_dir=settings.data_dir,
        **{"nlp.ner.backend": "transformers", "nlp.ner.model": str(tiny_model)},
    )


def test_transformers_backend_replaces_the_ner_component(transformers_settings):
    from nlp.pipelines import load_nlp

    nlp = load_nlp("en", transformers_settings)
    assert nlp.pipe_names == ["sentences", "lemmas", "ner"]
    assert nlp.get_pipe_meta("ner").factory == "coopwatch_transformers_ner"


def test_the_model_runs_on_one_thread_per_analysing_process(tmp_path, settings):
    import torch

    from nlp.pipelines import load_nlp

    model = build_tiny_model(tmp_path / "model")  # a new path: loaded afresh, not from cache
    torch.set_num_threads(2)
    load_nlp(
        "en",
        load_settings(
            data_dir=settings.data_dir,
            **{"nlp.ner.backend": "transformers", "nlp.ner.model": str(model)},
        ),
    )
    # Like BLAS: pages run in parallel processes, one per core.
    assert torch.get_num_threads() == 1


def test_transformers_backend_maps_aggregated_spans_to_tokens(transformers_settings):
    from nlp.ner import tag_tokens

    sentences = [["Alexander", "Turchin", "visited", "Minsk", "."], [], ["Astana"]]
    found = list(tag_tokens(sentences, "en", transformers_settings))
    # The model calls every word B-LOC: each word is its own LOC entity, in input order;
    # punctuation alone is never an entity.
    assert found == [[(i, i + 1, "LOC") for i in range(4)], [], [(0, 1, "LOC")]]


def test_transformers_backend_on_text_gives_character_spans(transformers_settings):
    from nlp.ner import analyse_text, entities

    doc = analyse_text("Alexander Turchin visited Minsk.", "de", transformers_settings)
    mentions = entities(doc)
    assert [m.text for m in mentions] == ["Alexander", "Turchin", "visited", "Minsk"]
    assert all(m.label == "LOC" for m in mentions)


def test_the_transformers_backend_serves_only_the_languages_named(tiny_model, settings):
    from nlp.pipelines import load_nlp

    german_only = load_settings(
        data_dir=settings.data_dir,
        **{
            "nlp.ner.backend": "transformers",
            "nlp.ner.model": str(tiny_model),
            "nlp.ner.languages": ["de"],
        },
    )
    assert load_nlp("de", german_only).get_pipe_meta("ner").factory == "coopwatch_transformers_ner"
    # English and Russian keep the shipped models.
    assert load_nlp("en", german_only).get_pipe_meta("ner").factory == "ner"
    assert load_nlp("ru", german_only).get_pipe_meta("ner").factory == "coopwatch_slovnet_ner"


def test_a_model_that_cannot_be_loaded_is_a_config_error(settings, tmp_path):
    from coopwatch.errors import ConfigError
    from nlp.pipelines import load_nlp

    broken = load_settings(
        data_dir=settings.data_dir,
        **{"nlp.ner.backend": "transformers", "nlp.ner.model": str(tmp_path / "absent")},
    )
    with pytest.raises(ConfigError, match=r"nlp\.ner\.model"):
        load_nlp("en", broken)
