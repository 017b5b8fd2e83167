"""spaCy pipelines per language: named components from config, lemmas, NER, long texts."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.util import registry

from coopwatch.errors import ConfigError
from coopwatch.settings import load_settings
from nlp.ner import analyse_text, entities, tag_tokens
from nlp.pipelines import analyse, load_nlp, ner_model_dir, split_text

NER_FACTORIES = {"de": "ner", "en": "ner", "ru": "coopwatch_slovnet_ner"}


@pytest.fixture(scope="module")
def default_settings():
    return load_settings()


def test_our_components_and_tokenizer_are_registered_by_name():
    import nlp.components  # noqa: F401

    for name in ("coopwatch_slovnet_ner", "coopwatch_transformers_ner", "coopwatch_ru_lemmas"):
        assert Language.has_factory(name)
    assert registry.tokenizers.get("coopwatch.RazdelTokenizer.v1")
    assert registry.architectures.get("coopwatch.LexiconMultiHashEmbed.v2")


@pytest.mark.parametrize("lang", ["de", "ru", "en"])
def test_pipeline_is_built_from_config_with_named_components(lang, default_settings):
    nlp = load_nlp(lang, default_settings)
    assert nlp.lang == lang
    assert nlp.pipe_names == ["sentences", "lemmas", "ner"]
    assert nlp.get_pipe_meta("ner").factory == NER_FACTORIES[lang]
    assert nlp.get_pipe_meta("sentences").factory == "sentencizer"
    assert load_nlp(lang, default_settings) is nlp  # cached per process


def test_trained_models_are_committed_and_small():
    # The repo ships them: en at most 15 MB; de at most 25 MB (20,000 NORM hash rows, about
    # 12 MB, its lexicon tables, about 7 MB, and its Brown clusters, about 4.4 MB).
    for lang, limit in (("de", 25_000_000), ("en", 15_000_000)):
        model = ner_model_dir(lang)
        size = sum(f.stat().st_size for f in model.rglob("*") if f.is_file())
        assert (model / "config.cfg").is_file()
        assert size < limit, f"{model} is {size} bytes"


def test_the_en_model_carries_its_cluster_table(default_settings):
    ner = load_nlp("en", default_settings).get_pipe("ner")
    [extractor] = [n for n in ner.model.walk() if n.name == "lexicon_features"]
    assert {
        name: len(t.keys) > 100_000 for name, t in extractor.attrs["lexicon"].tables.items()
    } == {"cluster": True}


def test_the_de_model_carries_its_lexicon_tables(default_settings):
    ner = load_nlp("de", default_settings).get_pipe("ner")
    [extractor] = [n for n in ner.model.walk() if n.name == "lexicon_features"]
    lexicon = extractor.attrs["lexicon"]
    assert {name: len(t.keys) > 10_000 for name, t in lexicon.tables.items()} == {
        "freq": True,
        "noun": True,
        "gaz_token": True,
        "gaz_phrase": True,
        "cluster": True,
    }


@pytest.mark.parametrize(
    ("lang", "word", "lemma"),
    [("de", "Häuser", "Haus"), ("en", "children", "child"), ("ru", "Турчиным", "турчин")],
)
def test_lemmas(lang, word, lemma, default_settings):
    doc = load_nlp(lang, default_settings)(f"{word} .")
    assert doc[0].lemma_ == lemma


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("de", "Angela Merkel traf in Berlin den Präsidenten.", {("Berlin", "LOC")}),
        ("en", "Officials met in London on Monday.", {("London", "LOC")}),
        (
            "ru",
            "Александр Турчин посетил Минск.",
            {("Александр Турчин", "PER"), ("Минск", "LOC")},
        ),
    ],
)
def test_statistical_ner_finds_names(lang, text, expected, default_settings):
    doc = analyse_text(text, lang, default_settings)
    found = {(m.text, m.label) for m in entities(doc)}
    assert expected <= found
    for mention in entities(doc):
        assert text[mention.start_char : mention.end_char] == mention.text


def test_unsupported_language_yields_no_entities(default_settings):
    doc = analyse_text("Alexander Turchin a visité Minsk avec Microsoft.", "fr", default_settings)
    assert entities(doc) == []
    assert list(tag_tokens([["Alexander", "Turchin"]], "fr", default_settings)) == [[]]


def test_given_tokens_are_not_split_into_sentences_at_abbreviation_dots(default_settings):
    # Pretokenised corpora split the dot off "St." and initials; the article analysis runs the
    # de NER without sentence splits, and so does tagging given tokens: no cut after "St .".
    sentences = [
        ["Er", "wohnt", "in", "St", ".", "Moritz", "."],
        ["Sie", "trafen", "Robert", "R", ".", "Livingston", "in", "Bonn", "."],
    ]
    found = list(tag_tokens(sentences, "de", default_settings))
    assert found == [[(3, 6, "LOC")], [(2, 6, "PER"), (7, 8, "LOC")]]
    assert "sentences" not in load_nlp("de", default_settings, entities_only=True).pipe_names


def test_split_text_joins_back_and_respects_the_limit():
    text = ("Ein Satz über Minsk. " * 40 + "\n\n") * 30 + "x" * 5000
    parts = split_text(text, 3000)
    assert "".join(parts) == text
    assert all(len(part) <= 3000 for part in parts)
    assert parts[0].endswith("\n\n")  # cut at a paragraph break where there is one


def test_million_character_text_is_processed_in_parts():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    text = ("Officials from Minsk met colleagues in Astana. " * 22_000)[:1_000_001]
    assert len(text) > nlp.max_length  # spaCy alone would refuse it
    doc = analyse(nlp, text, max_chars=100_000)
    assert doc.text == text
    assert len(list(doc.sents)) > 21_000


def test_entities_of_a_long_text_keep_their_offsets(default_settings):
    sentence = "Александр Турчин посетил Минск. "
    text = sentence * 200  # 6,400 characters, analysed in parts of 2,000
    settings = load_settings(**{"nlp.ner.max_chunk_chars": 2000})
    doc = analyse_text(text, "ru", settings)
    mentions = entities(doc)
    assert doc.text == text
    assert [m.text for m in mentions if m.label == "LOC"] == ["Минск"] * 200
    assert all(text[m.start_char : m.end_char] == m.text for m in mentions)


def test_transformers_backend_needs_a_model():
    with pytest.raises(ConfigError, match=r"nlp\.ner"):
        load_settings(**{"nlp.ner.backend": "transformers"})


def test_a_fresh_analysing_process_loads_no_torch_and_one_blas_thread():
    """thinc would import torch (1.5 s, ~200 MB per process) and OpenBLAS would spin extra
    threads; the spaCy backend needs neither, and torch stays importable afterwards."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from coopwatch.settings import Settings\n"
        "from nlp.pipelines import load_nlp\n"
        "from threadpoolctl import threadpool_info\n"
        "load_nlp('en', Settings())\n"
        "blas = {i['num_threads'] for i in threadpool_info() if i['user_api'] == 'blas'}\n"
        "print('torch' in sys.modules, sorted(blas))\n"
        "import torch\n"
        "print(torch.tensor([1, 2]).sum().item())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.split("\n")[:2] == ["False [1]", "3"]
