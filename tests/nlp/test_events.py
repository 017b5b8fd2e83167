"""Event grouping logic: which reports join which event, and the merged facts."""

from __future__ import annotations

from datetime import date

from nlp.events import ReportFacts, best_event, english_title, match_score, summarise


def report(article_id, countries, day, language="en", event_type="visit", **kw) -> ReportFacts:
    return ReportFacts(
        article_id=article_id,
        language=language,
        title=kw.get("title"),
        countries=frozenset(countries),
        day=day,
        event_type=event_type,
        location=kw.get("location"),
        actors=frozenset(kw.get("actors", ())),
        projects=frozenset(kw.get("projects", ())),
    )


VISIT_DE = report("a1", {"BY", "KZ"}, date(2025, 11, 4), "de", location="Astana")
VISIT_RU = report("a2", {"BY", "KZ"}, date(2025, 11, 4), "ru", location="Astana")


def test_reports_of_one_visit_in_two_languages_match():
    assert match_score(VISIT_RU, [VISIT_DE]) >= 0.6


def test_report_published_a_day_later_still_matches():
    later = report("a3", {"BY", "KZ"}, date(2025, 11, 5), "en", location="Astana")
    assert match_score(later, [VISIT_DE, VISIT_RU]) >= 0.6


def test_other_states_or_other_week_do_not_match():
    assert match_score(report("x", {"KZ", "UZ"}, date(2025, 11, 4)), [VISIT_DE]) == 0.0
    assert match_score(report("y", {"BY", "KZ"}, date(2025, 11, 20)), [VISIT_DE]) == 0.0


def test_shared_actors_lift_a_report_with_a_vaguer_date():
    members = [report("a", {"BY", "UZ"}, date(2025, 5, 20), actors={"person:sardor-kholmatov"})]
    undated = report("b", {"BY", "UZ"}, None, actors={"person:sardor-kholmatov"})
    assert match_score(undated, members) >= 0.6


def test_best_event_picks_the_strongest_and_lists_other_matches_for_merging():
    candidates = {
        "evt-1": [VISIT_DE],
        "evt-2": [report("c", {"BY", "KZ"}, date(2025, 11, 3), "ru")],
        "evt-3": [report("d", {"RU", "KZ"}, date(2025, 11, 4), "ru")],
    }
    chosen, others = best_event(VISIT_RU, candidates)
    assert chosen == "evt-1"
    assert others == ["evt-2"]


def test_no_candidate_means_a_new_event():
    assert best_event(VISIT_RU, {}) == (None, [])


def test_summary_takes_the_majority_and_keeps_an_english_title():
    members = [
        VISIT_DE,
        report("e", {"BY", "KZ"}, date(2025, 11, 5), "en", title="Belarus studies Kazakh e-gov"),
        VISIT_RU,
    ]
    summary = summarise(members)
    assert summary.countries == ["BY", "KZ"]
    assert summary.day == date(2025, 11, 4)
    assert summary.languages == ["de", "en", "ru"]
    assert english_title(summary, {}) == "Belarus studies Kazakh e-gov"


def test_title_is_built_in_english_when_no_english_report_exists():
    summary = summarise([VISIT_DE, VISIT_RU])
    title = english_title(summary, {"BY": "Belarus", "KZ": "Kazakhstan"})
    assert title == "Belarus and Kazakhstan: visit on digital government in Astana"
