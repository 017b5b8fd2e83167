"""Language identification over the configured languages, and unsupported ones marked."""

from __future__ import annotations

import pytest

from nlp.language import detect_language

LANGS = ("de", "ru", "en")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Die Regierungsdelegation besuchte das Zentrum für digitale Verwaltung.", "de"),
        ("Делегация правительства посетила центр цифрового правительства.", "ru"),
        ("The government delegation visited the digital government centre.", "en"),
    ],
)
def test_supported_languages(text, expected):
    assert detect_language(text, LANGS) == expected


def test_unsupported_language_is_marked_not_forced_into_a_supported_one():
    text = "La délégation du gouvernement a visité le centre de l'administration numérique."
    assert detect_language(text, LANGS) == "fr"


def test_no_text_gives_no_language():
    assert detect_language("   ", LANGS) is None
