"""When the weekly digest job fires (weekday, local time, zone, DST) and which week it sends."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from api.digest.schedule import WeeklyDigestTrigger, next_fire_time, week_to_send
from coopwatch.errors import ConfigError
from coopwatch.settings import load_settings

BERLIN = "Europe/Berlin"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_next_monday_morning_in_winter_and_summer():
    assert next_fire_time(utc(2026, 11, 4, 12), "mon", "07:30", BERLIN) == utc(2026, 11, 9, 6, 30)
    assert next_fire_time(utc(2026, 6, 1, 5), "mon", "07:30", BERLIN) == utc(2026, 6, 1, 5, 30)


def test_fires_strictly_after_the_given_instant():
    fire = utc(2026, 11, 9, 6, 30)
    assert next_fire_time(fire - timedelta(seconds=1), "mon", "07:30", BERLIN) == fire
    assert next_fire_time(fire, "mon", "07:30", BERLIN) == fire + timedelta(days=7)


def test_a_year_of_firings_is_always_the_local_weekday_and_time():
    fire, zone = utc(2026, 1, 1), ZoneInfo(BERLIN)
    for _ in range(53):  # across both DST changes
        fire = next_fire_time(fire, "mon", "07:30", BERLIN)
        local = fire.astimezone(zone)
        assert (local.weekday(), local.hour, local.minute) == (0, 7, 30)


def test_a_time_skipped_by_the_spring_change_fires_once_just_after_the_jump():
    # 2026-03-29: Berlin clocks jump from 02:00 to 03:00, so 02:30 never happens.
    fire = next_fire_time(utc(2026, 3, 28, 12), "sun", "02:30", BERLIN)
    assert fire == utc(2026, 3, 29, 1, 30)  # 03:30 CEST
    assert next_fire_time(fire, "sun", "02:30", BERLIN) == utc(2026, 4, 5, 0, 30)


def test_an_hour_repeated_by_the_autumn_change_fires_once():
    # 2026-10-25: Berlin clocks fall back from 03:00 to 02:00, so 02:30 happens twice.
    first = next_fire_time(utc(2026, 10, 24, 12), "sun", "02:30", BERLIN)
    assert first == utc(2026, 10, 25, 0, 30)  # the first 02:30 (CEST)
    assert next_fire_time(first, "sun", "02:30", BERLIN) == utc(2026, 11, 1, 1, 30)


def test_the_run_sends_the_last_full_week():
    assert week_to_send(utc(2026, 11, 9, 6, 30), BERLIN) == "2026-W45"
    # Sunday 23:30 UTC is already Monday in Berlin: still the week that just ended.
    assert week_to_send(utc(2026, 11, 8, 23, 30), BERLIN) == "2026-W45"
    assert week_to_send(utc(2027, 1, 4, 7), BERLIN) == "2026-W53"


def test_apscheduler_trigger_uses_the_same_rule_and_survives_pickling():
    trigger = WeeklyDigestTrigger("mon", "07:30", BERLIN)
    now = utc(2026, 11, 4, 12)
    assert trigger.get_next_fire_time(None, now) == utc(2026, 11, 9, 6, 30)
    assert trigger.get_next_fire_time(utc(2026, 11, 9, 6, 30), now) == utc(2026, 11, 16, 6, 30)
    copy = pickle.loads(pickle.dumps(trigger))
    assert copy.get_next_fire_time(None, now) == utc(2026, 11, 9, 6, 30)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("digest.time", "00:00", "midnight"),
        ("digest.time", "7:30", "HH:MM"),
        ("digest.timezone", "Mars/Olympus", "unknown time zone"),
        ("digest.weekday", "monday", "digest.weekday"),
    ],
)
def test_bad_schedule_settings_are_refused(tmp_path, monkeypatch, key, value, message):
    monkeypatch.delenv("COOPWATCH_CONFIG", raising=False)
    with pytest.raises(ConfigError, match=message):
        load_settings(data_dir=tmp_path, **{key: value})
