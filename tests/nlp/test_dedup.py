"""Paragraph dedup inside one article: exact and near repeats dropped, distinct ones kept."""

from __future__ import annotations

from nlp.dedup import drop_repeats

LONG_DE = (
    "Die Delegation aus Usbekistan besuchte am Dienstag das Zentrum für digitale Dienste in "
    "Minsk und informierte sich über die Plattform für elektronische Behördengänge."
)
LONG_RU = (
    "Стороны договорились о взаимном признании электронных подписей и обмене опытом "
    "в сфере цифрового правительства до конца следующего года."
)


def test_exact_repeat_is_dropped_and_counted():
    kept, dropped = drop_repeats([LONG_DE, LONG_RU, LONG_DE])
    assert kept == [LONG_DE, LONG_RU]
    assert dropped == 1


def test_repeat_differing_in_case_spacing_and_punctuation_is_exact():
    variant = "  " + LONG_RU.upper().replace(",", "").replace(".", "!") + " "
    kept, dropped = drop_repeats([LONG_RU, variant])
    assert (kept, dropped) == ([LONG_RU], 1)


def test_near_repeat_with_a_changed_word_is_dropped():
    changed = LONG_DE.replace("Dienstag", "Mittwoch")
    kept, dropped = drop_repeats([LONG_DE, changed])
    assert (kept, dropped) == ([LONG_DE], 1)


def test_near_repeat_with_an_appended_sentence_is_dropped():
    longer = LONG_DE + " Weitere Treffen sind für den Herbst geplant."
    kept, dropped = drop_repeats([LONG_DE, longer])
    assert (kept, dropped) == ([LONG_DE], 1)


def test_a_shorter_version_of_an_earlier_paragraph_with_an_edit_is_a_repeat():
    lead = LONG_DE + " Das teilte das Ministerium für Kommunikation mit."
    shorter = LONG_DE.replace("informierte sich über", "besichtigte")
    kept, dropped = drop_repeats([lead, LONG_RU, shorter])
    assert (kept, dropped) == ([lead, LONG_RU], 1)


def test_a_short_paragraph_inside_a_much_longer_one_is_kept():
    summary = LONG_DE + " " + LONG_RU + " " + LONG_DE.replace("Minsk", "Astana")
    _kept, dropped = drop_repeats([summary, LONG_DE.replace("Dienstag", "Mittwoch")])
    assert dropped == 0


def test_first_occurrence_is_kept_in_page_order():
    other = "Ein ganz anderer Absatz über das Wetter in Astana und die Temperaturen am Wochenende."
    kept, _ = drop_repeats([other, LONG_DE, other, LONG_DE])
    assert kept == [other, LONG_DE]


def test_distinct_paragraphs_on_the_same_topic_are_kept():
    paragraphs = [
        "Kasachstan belegt im UN-Index für Online-Dienste den zehnten Platz weltweit.",
        "Usbekistan belegt im UN-Index für Online-Dienste den 69. Platz weltweit.",
        "Die Delegation besuchte auch den Technologiepark Astana Hub.",
        "Die Delegation besuchte außerdem das Bürgerservicezentrum in Astana.",
    ]
    kept, dropped = drop_repeats(paragraphs)
    assert kept == paragraphs
    assert dropped == 0


def test_short_lines_only_count_as_exact_repeats():
    kept, dropped = drop_repeats(["Foto: BelTA", "Foto: Kazinform", "Foto: BelTA"])
    assert kept == ["Foto: BelTA", "Foto: Kazinform"]
    assert dropped == 1


def test_same_wording_with_other_figures_is_kept():
    first = (
        "Nach Angaben des Ministeriums wurden im vergangenen Jahr 1200 Beamte in digitalen "
        "Kompetenzen geschult und 45 neue Online-Dienste eingeführt."
    )
    second = first.replace("1200", "3500").replace("45", "60")
    kept, dropped = drop_repeats([first, second])
    assert (kept, dropped) == ([first, second], 0)
