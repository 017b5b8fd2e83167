"""The builtin analyzer: inflected forms meet, case and diacritics fold, scripts stay apart."""

from __future__ import annotations

from coopwatch.text_analysis import BuiltinAnalyzer, TextAnalyzer, fold, stem_de, stem_en


def test_builtin_analyzer_is_a_text_analyzer():
    assert isinstance(BuiltinAnalyzer(), TextAnalyzer)


def test_german_inflections_share_a_term():
    analyzer = BuiltinAnalyzer()
    forms = ["Familienkarte", "Familienkarten", "FAMILIENKARTE"]
    assert {tuple(analyzer(f, "de")) for f in forms} == {("familienkart",)}
    assert stem_de("abkommen") == stem_de("abkommens")


def test_russian_case_forms_share_the_lemma():
    analyzer = BuiltinAnalyzer()
    assert analyzer("карта карты картой карту", "ru") == ["карта"] * 4
    assert analyzer("Цифрового правительства", "ru") == ["цифровой", "правительство"]


def test_english_plurals():
    assert [stem_en(w) for w in ("agreements", "agencies", "services", "bus")] == [
        "agreement",
        "agency",
        "service",
        "bus",
    ]


def test_folding():
    assert fold("Größe") == "grosse"
    assert fold("Ёлка") == "елка"
    assert fold("Йошкар") == "йошкар"  # й is a letter of its own, not an accented и
    assert fold("Øresund") == "øresund"


def test_terms_are_in_text_order():
    assert BuiltinAnalyzer()("Digital family card", "en") == ["digital", "family", "card"]


def test_spacy_lemma_analyzer_matches_inflections(settings):
    """index.analyzer = "spacy": the nlp pipelines' lemmas (NER off), folded and stemmed."""
    from coopwatch.text_analysis import SpacyLemmaAnalyzer, analyzer_from_settings

    analyzer = analyzer_from_settings(
        settings.model_copy(
            update={"index": settings.index.model_copy(update={"analyzer": "spacy"})}
        )
    )
    assert isinstance(analyzer, SpacyLemmaAnalyzer)
    assert analyzer("Familienkarte", "de") == analyzer("Familienkarten", "de")
    assert analyzer("карта карты картой", "ru") == ["карта"] * 3
    assert analyzer("The agencies signed agreements", "en") == [
        "the",
        "agency",
        "sign",
        "agreement",
    ]
