"""Weekly digests: build (pure), render (golden files), send over a real SMTP server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from api.catalog import Catalog
from api.digest.build import BadWeek, build_digest, parse_week
from api.digest.render import render_digest
from api.digest.send import send_digests, week_material
from api.digest.subscriptions import Filters, Subscriptions
from api.digest.tokens import read_unsubscribe_token

GOLDEN = Path(__file__).resolve().parent / "golden"
WEEK = "2026-W45"


def _digest(store, filters: Filters | None = None):
    events, articles = week_material(Catalog(store.conn), WEEK)
    return build_digest(WEEK, filters or Filters(), events, articles)


def test_week_is_parsed_and_bad_weeks_are_named():
    assert [d.isoformat() for d in parse_week("2026-W45")] == ["2026-11-02", "2026-11-08"]
    assert parse_week("2026-W53")[1].isoformat() == "2027-01-03"  # 2026 has 53 ISO weeks
    with pytest.raises(BadWeek, match="2026-45"):
        parse_week("2026-45")
    with pytest.raises(BadWeek, match="no such ISO week"):
        parse_week("2025-W53")


def test_build_groups_the_weeks_events_by_country_pair(seeded_store):
    digest = _digest(seeded_store)
    assert [(g.label, [e.id for e in g.events]) for g in digest.groups] == [
        ("Belarus – Kazakhstan", ["evt-bykz1", "evt-bykz2"]),
        ("Germany – Uzbekistan", ["evt-deuz1"]),
    ]  # evt-ruuz1 is dated in the week before
    visit = digest.groups[0].events[0]
    assert visit.title.startswith("Belarusian Prime Minister visits Kazakhstan")
    assert (visit.date, visit.location) == ("2026-11-04", "Astana")
    assert visit.actors == ["Alexander Turchin", "Julia Shapkina"]
    assert visit.figures == ["UN Online Services Index: rank 10 (Kazakhstan)"]
    assert [r.language for r in visit.reports] == ["de", "ru"]
    deuz = digest.groups[1].events[0]
    assert deuz.actors == ["Alexander Turchin (Prime Minister)"]
    assert deuz.figures == ["Budget: 1.2 million EUR (Uzbekistan)"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(countries=["uz"]), ["evt-deuz1"]),
        (Filters(countries=["KZ", "UZ"]), ["evt-bykz1", "evt-bykz2", "evt-deuz1"]),
        (Filters(actors=["person:julia-shapkina"]), ["evt-bykz1"]),
        (Filters(projects=["project:digital-family-card"]), ["evt-bykz1"]),
        (Filters(text="familienkarte"), ["evt-bykz1"]),  # found in a German report's title
        (Filters(text="memorandum"), ["evt-deuz1"]),  # found in a report's paragraph
        (Filters(countries=["UZ"], text="familienkarte"), []),
    ],
)
def test_build_applies_the_subscribers_filters(seeded_store, filters, expected):
    digest = _digest(seeded_store, filters.normalised())
    assert [e.id for g in digest.groups for e in g.events] == expected


def test_build_lists_reports_in_the_preferred_language_first(seeded_store):
    digest = _digest(seeded_store, Filters(languages=["ru"]))
    assert [r.language for r in digest.groups[0].events[0].reports] == ["ru", "de"]


def _check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs (UPDATE_GOLDEN=1 rewrites)"


def test_render_matches_golden_files(seeded_store):
    rendered = render_digest(
        _digest(seeded_store), "http://coopwatch.test/unsubscribe?token=T", "http://coopwatch.test"
    )
    assert rendered.subject == (
        "coopwatch weekly digest 2026-W45: 3 cooperation events (02 Nov – 08 Nov 2026)"
    )
    _check_golden("digest-2026-W45.html", rendered.html)
    _check_golden("digest-2026-W45.txt", rendered.text)


def test_render_of_an_empty_week_says_so():
    digest = build_digest("2026-W01", Filters(), [], {})
    rendered = render_digest(digest, "http://x/u", "http://x")
    assert "No cooperation events matched" in rendered.html
    assert "No cooperation events matched" in rendered.text
    _check_golden("digest-empty.txt", rendered.text)


def test_render_escapes_text_from_crawled_pages(seeded_store):
    html = render_digest(_digest(seeded_store), "http://x/u", "http://x").html
    assert "<script>" not in html and "<b>" not in html
    assert "Hostile &lt;script&gt;" in html


# -- sending ------------------------------------------------------------------------------


def _subscribe(store, *emails, **filters):
    subs = Subscriptions(store.conn)
    return [subs.add(address, Filters(**filters)) for address in emails]


def test_send_delivers_html_and_text_with_a_signed_unsubscribe_link(
    settings, seeded_store, smtp_server
):
    (alice,) = _subscribe(seeded_store, "alice@example.org", countries=["UZ"])
    report = send_digests(settings, seeded_store, WEEK)
    assert report.sent == ["alice@example.org"] and report.ok
    (message,) = smtp_server.to("alice@example.org")
    assert message["Subject"].startswith("coopwatch weekly digest 2026-W45: 1 cooperation event")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Germany and Uzbekistan sign e-government agreement" in text
    assert "Germany and Uzbekistan sign e-government agreement" in html
    assert "Belarus" not in text  # filtered out
    link = message["List-Unsubscribe"].strip("<>")
    assert link.startswith("http://coopwatch.test/unsubscribe?token=")
    assert link in text and link.replace("&", "&amp;") in html
    assert read_unsubscribe_token(settings, link.split("token=")[1]) == alice.id
    assert read_unsubscribe_token(settings, link.split("token=")[1] + "x") is None
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_running_the_job_twice_sends_each_digest_once(settings, seeded_store, smtp_server):
    _subscribe(seeded_store, "a@example.org", "b@example.org")
    first = send_digests(settings, seeded_store, WEEK)
    second = send_digests(settings, seeded_store, WEEK)
    assert sorted(first.sent) == ["a@example.org", "b@example.org"]
    assert second.sent == [] and sorted(second.already_sent) == ["a@example.org", "b@example.org"]
    assert len(smtp_server.messages) == 2


def test_rejected_address_is_reported_and_the_others_still_get_theirs(
    settings, seeded_store, smtp_server
):
    _subscribe(seeded_store, "a@example.org", "gone@example.org", "c@example.org")
    smtp_server.refuse.add("gone@example.org")
    report = send_digests(settings, seeded_store, WEEK)
    assert sorted(report.sent) == ["a@example.org", "c@example.org"]
    assert [addr for addr, _ in report.rejected] == ["gone@example.org"]
    assert "550" in report.rejected[0][1]
    assert not report.ok
    again = send_digests(settings, seeded_store, WEEK)  # rejected is not retried, but reported
    assert again.sent == [] and [a for a, _ in again.rejected] == ["gone@example.org"]
    assert len(smtp_server.messages) == 2


def test_smtp_down_marks_nothing_sent_and_the_next_run_sends(settings, seeded_store, smtp_server):
    _subscribe(seeded_store, "a@example.org", "b@example.org")
    good_port = settings.smtp.port
    settings.smtp.port = _closed_port()
    waits: list[float] = []
    settings.digest.retry_backoff = 0.01
    down = send_digests(settings, seeded_store, WEEK, sleep=waits.append)
    assert down.sent == [] and len(down.failed) == 2
    assert "server down" in down.failed[0][1]
    assert waits == [0.01, 0.02]  # backoff doubles; the second address waits for the next run
    subs = Subscriptions(seeded_store.conn)
    assert {
        subs.send_state(s.id, WEEK)["state"] if subs.send_state(s.id, WEEK) else None
        for s in subs.list()
    } <= {"failed", None}
    settings.smtp.port = good_port
    up = send_digests(settings, seeded_store, WEEK)
    assert sorted(up.sent) == ["a@example.org", "b@example.org"]
    assert len(smtp_server.messages) == 2


def test_temporary_refusal_is_retried_with_backoff(settings, seeded_store, smtp_server):
    _subscribe(seeded_store, "busy@example.org", "full@example.org")
    smtp_server.busy.update({"busy@example.org": 1, "full@example.org": 5})
    settings.digest.retry_backoff = 0.5
    waits: list[float] = []
    report = send_digests(settings, seeded_store, WEEK, sleep=waits.append)
    assert report.sent == ["busy@example.org"]
    assert [(addr, why[:3]) for addr, why in report.failed] == [("full@example.org", "451")]
    assert sorted(waits) == [0.5, 0.5, 1.0]  # busy: one wait; full: two, doubling, then give up
    assert len(smtp_server.to("busy@example.org")) == 1
    assert smtp_server.to("full@example.org") == []
    smtp_server.busy.clear()
    later = send_digests(settings, seeded_store, WEEK)  # failed ones go out with the next run
    assert later.sent == ["full@example.org"] and later.already_sent == ["busy@example.org"]


def _closed_port() -> int:
    from apiseed import free_port

    return free_port()  # bound and released: nothing listens there


def test_a_run_killed_while_sending_never_sends_a_digest_twice(
    settings, seeded_store, smtp_server, tmp_path
):
    _subscribe(seeded_store, "a@example.org", "b@example.org", "c@example.org")
    config = tmp_path / "c.toml"
    config.write_text(
        f'[smtp]\nhost = "127.0.0.1"\nport = {settings.smtp.port}\n'
        '[digest]\nsecret_key = "test-secret"\nretry_backoff = 0.0\n',
        encoding="utf-8",
    )
    command = [
        sys.executable,
        "-m",
        "coopwatch.cli",
        "--data-dir",
        str(settings.data_dir),
        "--config",
        str(config),
        "digest",
        "send",
        "--week",
        WEEK,
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOPWATCH_")}
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)

    def kill_on_second(message):
        if len(smtp_server.messages) == 2:
            os.kill(process.pid, signal.SIGKILL)  # before the server confirms the second

    smtp_server.on_data = kill_on_second
    process.wait(timeout=120)
    assert process.returncode == -signal.SIGKILL
    smtp_server.on_data = None
    assert len(smtp_server.messages) == 2

    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 1, rerun.stderr  # the unconfirmed one is reported
    assert "1 sent, 1 already sent" in rerun.stderr and "uncertain" in rerun.stderr
    received = sorted(m["To"] for m in smtp_server.messages)
    assert received == ["a@example.org", "b@example.org", "c@example.org"]  # nobody twice
