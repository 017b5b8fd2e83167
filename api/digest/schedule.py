"""When the weekly digest job fires: a weekday and local time in a time zone, computed across
DST changes (a time the spring change skips fires one gap later; an hour the autumn change
repeats fires once, at its first occurrence), and which week it sends."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger

from api.digest.build import iso_week
from coopwatch.settings import DigestSettings

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _local_instant(day: date, at: time, zone: tzinfo) -> datetime:
    """The UTC instant of wall time `at` on `day` in `zone`.

    PEP 495 `fold=0` gives what we want on both DST changes: a repeated hour maps to its first
    occurrence, and a skipped wall time (02:30 on a spring-forward night) maps to the instant the
    clock would have shown it had it not jumped, i.e. shifted forward by the gap (03:30).
    """
    return datetime.combine(day, at).replace(tzinfo=zone, fold=0).astimezone(UTC)


def next_fire_time(after: datetime, weekday: str, at: str, timezone: str) -> datetime:
    """The first firing strictly after `after` (aware), as an aware UTC datetime."""
    if after.tzinfo is None:
        raise ValueError("`after` must be timezone-aware")
    zone = ZoneInfo(timezone)
    wanted = WEEKDAYS.index(weekday)
    hour, minute = (int(part) for part in at.split(":"))
    clock = time(hour, minute)
    local_day = after.astimezone(zone).date()
    day = local_day + timedelta(days=(wanted - local_day.weekday()) % 7)
    while True:
        candidate = _local_instant(day, clock, zone)
        if candidate > after:
            return candidate
        day += timedelta(days=7)


def next_digest_time(settings: DigestSettings, after: datetime) -> datetime:
    return next_fire_time(after, settings.weekday, settings.time, settings.timezone)


def week_to_send(fire_time: datetime, timezone: str) -> str:
    """The ISO week a run at `fire_time` reports: the last full week before its local date."""
    local = fire_time.astimezone(ZoneInfo(timezone)).date()
    return iso_week(local - timedelta(days=local.weekday() + 1))


class WeeklyDigestTrigger(BaseTrigger):
    """APScheduler 3.x trigger firing at `digest.weekday`/`digest.time` in `digest.timezone`."""

    def __init__(self, weekday: str, at: str, timezone: str):
        self.weekday, self.at, self.timezone = weekday, at, timezone

    @classmethod
    def from_settings(cls, settings: DigestSettings) -> WeeklyDigestTrigger:
        return cls(settings.weekday, settings.time, settings.timezone)

    def get_next_fire_time(self, previous_fire_time, now):
        start = max(t for t in (previous_fire_time, now) if t is not None)
        return next_fire_time(start, self.weekday, self.at, self.timezone)

    def __getstate__(self):
        return {"version": 1, "weekday": self.weekday, "at": self.at, "timezone": self.timezone}

    def __setstate__(self, state):
        self.weekday, self.at, self.timezone = state["weekday"], state["at"], state["timezone"]

    def __str__(self) -> str:
        return f"weekly[{self.weekday} {self.at} {self.timezone}]"


DIGEST_JOB_ID = "digest:weekly"


def digest_job(settings_json: str) -> dict[str, object]:
    """What the weekly job runs: send the last full week's digests (idempotent per subscriber)."""
    import logging

    from api.digest.send import send_digests
    from coopwatch.settings import Settings
    from coopwatch.store import Store

    settings = Settings.model_validate_json(settings_json)
    week = week_to_send(datetime.now(UTC), settings.digest.timezone)
    with Store(settings.data_dir) as store:
        report = send_digests(settings, store, week)
    for line in report.lines():
        logging.getLogger(__name__).info("%s", line)
    return {"week": week, "sent": len(report.sent), "ok": report.ok}


def schedule_digest_job(scheduler, settings) -> None:
    """Add (or update) the weekly digest job on an APScheduler 3.x scheduler."""
    scheduler.add_job(
        "api.digest.schedule:digest_job",
        WeeklyDigestTrigger.from_settings(settings.digest),
        args=[settings.model_dump_json()],
        id=DIGEST_JOB_ID,
        name="weekly digest",
        replace_existing=True,
    )
