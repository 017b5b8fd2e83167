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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "O'zbekiston va Qozog'iston raqamli hukumat sohasida hamkorlik qiladi. Vazir "
            "Qozog'iston delegatsiyasi bilan uchrashdi.",
            "uz",
        ),
        ("Oʻzbekiston Raqamli texnologiyalar vazirligi xalqaro hamkorlik boʻyicha.", "uz"),
        (
            "Raqamli texnologiyalar vaziri Qozog'iston delegatsiyasi bilan uchrashdi. Tomonlar "
            "elektron hukumat tizimlarini integratsiya qilish masalalarini muhokama qildi.",
            "uz",
        ),
        ("Ўзбекистон Рақамли технологиялар вазирлиги халқаро ҳамкорликни кенгайтирмоқда.", "uz"),
        ("Azərbaycan Rəqəmsal İnkişaf və Nəqliyyat Nazirliyi əməkdaşlığı genişləndirir.", "az"),
        ("Міністэрства сувязі і інфарматызацыі Рэспублікі Беларусь правяло ўрачыстае.", "be"),
        (
            "Tashkent's O'zbekiston Airways and Qo'qon: an English report about Uzbekistan's "
            "airline, written in English from the first word to the last.",
            "en",
        ),
    ],
)
def test_uzbek_is_told_by_its_letters_and_never_overrules_an_analysed_language(text, expected):
    # lingua knows no Uzbek: it would call Uzbek Latin Azerbaijani and Uzbek Cyrillic Russian
    assert detect_language(text, LANGS) == expected
