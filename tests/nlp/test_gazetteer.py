"""Curated names in text (nlp.gazetteer): inflected forms, longest name first, acronyms as
written, brands as written."""

from __future__ import annotations

import tomllib

import pycountry

from nlp.gazetteer import Gazetteer
from nlp.glossary import DATA


def _found(gazetteer: Gazetteer[str], text: str) -> list[tuple[str, str]]:
    return [(f.surface, f.entry) for f in gazetteer.find(text)]


BODIES = Gazetteer(
    [
        ("Eurasian Economic Commission", "eec"),
        ("Eurasian Economic Union", "eaeu"),
        ("Евразийская экономическая комиссия", "eec"),
        ("Eurasian", "adjective"),
        ("EEC", "eec"),
    ]
)


def test_the_longest_name_wins_where_several_match_and_matches_do_not_overlap():
    text = "The Eurasian Economic Commission and the Eurasian Economic Union met."
    assert _found(BODIES, text) == [
        ("Eurasian Economic Commission", "eec"),
        ("Eurasian Economic Union", "eaeu"),
    ]


def test_bodies_in_any_case_and_russian_case_forms_acronyms_only_as_written():
    text = "Эксперты Евразийской экономической комиссии (EEC) и eec.int."
    assert _found(BODIES, text) == [("Евразийской экономической комиссии", "eec"), ("EEC", "eec")]
    assert _found(BODIES, "the eurasian economic commission") == [
        ("eurasian economic commission", "eec")
    ]


def test_brands_only_as_written_and_with_their_stem():
    brands = Gazetteer([("Гостех", "gostech"), ("Госуслуги", "gosuslugi")], brands=True)
    assert _found(brands, "Переход на «Гостех», платформой Гостеха") == [
        ("Гостех", "gostech"),
        ("Гостеха", "gostech"),
    ]
    assert _found(brands, "Гостям предложили госуслуги.") == []
    assert _found(brands, "на портале Госуслуг") == [("Госуслуг", "gosuslugi")]


def test_names_are_found_after_a_start_offset_only():
    text = "Eurasian Economic Union. Later: Eurasian Economic Union."
    assert [f.start for f in BODIES.find(text, start_at=5)] == [text.rindex("Eurasian")]


def test_the_curated_lists_give_each_body_and_platform_one_entry_and_valid_states():
    bodies = tomllib.loads((DATA / "organizations.toml").read_text(encoding="utf-8"))["org"]
    platforms = tomllib.loads((DATA / "projects.toml").read_text(encoding="utf-8"))["project"]
    ids = [b["id"] for b in bodies]
    canonicals = [p["canonical"] for p in platforms]
    assert len(set(ids)) == len(ids)
    assert len(set(canonicals)) == len(canonicals)
    for entry in [*bodies, *platforms]:
        assert entry["names"], entry
        assert not entry["country"] or pycountry.countries.get(alpha_2=entry["country"]), entry
    # a name belongs to one entry of its list
    for entries in (bodies, platforms):
        names = [n for e in entries for n in e["names"]]
        assert len(set(names)) == len(names)


def test_names_after_a_letter_whose_lower_case_is_longer_are_found():
    from nlp.projects import find_projects

    text = "Unterschriften mit ASAN İmza und SİMA oder E-IMZO; OneID hat elf Millionen Nutzer."
    assert [p.canonical for p in find_projects(text, "de")] == [
        "ASAN Imza",
        "SİMA",
        "E-IMZO",
        "OneID",
    ]
