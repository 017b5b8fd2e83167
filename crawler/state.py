"""Crawl state in the store of record: what each canonical URL answered last, and every run.

The only place that reads or writes the crawler's tables (store migration 2). Each write is
its own SQLite transaction, so a crawl killed at any moment keeps everything written before.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta

from coopwatch.store import Store


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(slots=True)
class UrlState:
    url: str
    source: str
    etag: str | None
    last_modified: str | None
    lastmod: str | None
    status: int | None
    outcome: str
    error: str | None
    fetched_at: str
    changed_at: str | None

    @property
    def ok(self) -> bool:
        """The last fetch gave a stored (or unchanged) article."""
        return self.outcome in ("imported", "updated", "unchanged", "not_modified")


@dataclass(slots=True)
class RunCounts:
    """What one run of one source did; `fetched` counts article responses (304 included)."""

    fetched: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    skipped: int = 0  # known articles not requested because sitemap/feed date is unchanged
    last_error: str | None = None
    consent: int = 0  # consent walls met instead of an article (coopwatch/walls.py), not stored
    error_pages: int = 0  # error pages served with 200 ("page not found"), not stored


@dataclass(slots=True)
class RunRecord:
    id: int
    source: str
    pid: int | None
    started_at: str
    finished_at: str | None
    state: str  # running, finished, failed, interrupted (running, but its process is gone)
    reason: str | None
    counts: RunCounts = field(default_factory=RunCounts)
    duration: float | None = None
    flags: list[str] = field(default_factory=list)  # the source's flags when the run ended


@dataclass(slots=True)
class SourceHealth:
    source: str
    last_run: RunRecord | None
    articles: int
    last_new_at: str | None
    flags: list[str]


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class CrawlState:
    """Crawler tables over a Store's connection."""

    def __init__(self, store: Store):
        self.store = store
        self.conn = store.conn

    # -- URLs ------------------------------------------------------------------------------

    def get(self, url: str) -> UrlState | None:
        row = self.conn.execute(
            "SELECT url, source, etag, last_modified, lastmod, status, outcome, error,"
            " fetched_at, changed_at FROM crawl_urls WHERE url = ?",
            (url,),
        ).fetchone()
        return UrlState(*row) if row else None

    def record(
        self,
        url: str,
        source: str,
        *,
        outcome: str,
        status: int | None,
        etag: str | None = None,
        last_modified: str | None = None,
        lastmod: str | None = None,
        error: str | None = None,
    ) -> None:
        """Remember the latest answer for `url`. Validators and lastmod survive a 304/failure."""
        now = now_iso()
        changed = now if outcome in ("imported", "updated") else None
        self.conn.execute(
            "INSERT INTO crawl_urls (url, source, etag, last_modified, lastmod, status, outcome,"
            " error, fetched_at, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(url) DO UPDATE SET source=excluded.source,"
            " etag=coalesce(excluded.etag, etag),"
            " last_modified=coalesce(excluded.last_modified, last_modified),"
            " lastmod=CASE WHEN excluded.outcome='failed' THEN lastmod"
            "  ELSE coalesce(excluded.lastmod, lastmod) END,"
            " status=excluded.status, outcome=excluded.outcome, error=excluded.error,"
            " fetched_at=excluded.fetched_at, changed_at=coalesce(excluded.changed_at, changed_at)",
            (url, source, etag, last_modified, lastmod, status, outcome, error, now, changed),
        )

    def count_urls(self, source: str) -> int:
        return self.conn.execute(
            "SELECT count(*) FROM crawl_urls WHERE source = ?", (source,)
        ).fetchone()[0]

    # -- runs ------------------------------------------------------------------------------

    def start_run(self, source: str) -> int:
        cursor = self.conn.execute(
            "INSERT INTO crawl_runs (source, pid, started_at, state) VALUES (?, ?, ?, 'running')",
            (source, os.getpid(), now_iso()),
        )
        return int(cursor.lastrowid or 0)

    def update_run(self, run_id: int, counts: RunCounts) -> None:
        self.conn.execute(
            "UPDATE crawl_runs SET fetched=?, new=?, updated=?, unchanged=?, failed=?, skipped=?,"
            " last_error=?, consent=?, error_pages=? WHERE id=?",
            (
                counts.fetched,
                counts.new,
                counts.updated,
                counts.unchanged,
                counts.failed,
                counts.skipped,
                counts.last_error,
                counts.consent,
                counts.error_pages,
                run_id,
            ),
        )

    def set_flags(self, run_id: int, flags: list[str]) -> None:
        """Store the source's flags as they stand at the end of run `run_id`."""
        self.conn.execute("UPDATE crawl_runs SET flags = ? WHERE id = ?", (",".join(flags), run_id))

    def finish_run(
        self, run_id: int, counts: RunCounts, *, state: str, reason: str, duration: float
    ) -> None:
        self.update_run(run_id, counts)
        self.conn.execute(
            "UPDATE crawl_runs SET finished_at=?, state=?, reason=?, duration=? WHERE id=?",
            (now_iso(), state, reason, duration, run_id),
        )

    def runs(self, source: str, limit: int = 10) -> list[RunRecord]:
        """The latest runs of `source`, newest first."""
        rows = self.conn.execute(
            "SELECT id, source, pid, started_at, finished_at, state, reason, fetched, new,"
            " updated, unchanged, failed, skipped, last_error, duration, consent, error_pages,"
            " flags FROM crawl_runs WHERE source = ? ORDER BY id DESC LIMIT ?",
            (source, limit),
        ).fetchall()
        records = []
        for row in rows:
            state = row[5]
            if state == "running" and not _pid_alive(row[2]):
                state = "interrupted"
            records.append(
                RunRecord(
                    id=row[0],
                    source=row[1],
                    pid=row[2],
                    started_at=row[3],
                    finished_at=row[4],
                    state=state,
                    reason=row[6],
                    counts=RunCounts(
                        *row[7:13],
                        last_error=row[13],
                        consent=row[15] or 0,
                        error_pages=row[16] or 0,
                    ),
                    duration=row[14],
                    flags=[f for f in (row[17] or "").split(",") if f],
                )
            )
        return records

    # -- health ----------------------------------------------------------------------------

    def health(
        self,
        source: str,
        *,
        stale_after: timedelta,
        error_runs: int,
        now: datetime | None = None,
    ) -> SourceHealth:
        """Last run, stored articles and warning flags of one source.

        Flags: `stale` when no article was new or changed for `stale_after` although the
        source has been crawled since; over the last `error_runs` finished runs, when none
        stored (or confirmed) an article: `errors-only` if each met only failures, consent
        walls or error pages, plus `consent-wall` / `error-pages` naming what was met, and
        `nothing-found` if none found a single article link; `never-run`; `interrupted`
        when the last run's process is gone.
        """
        now = now or datetime.now(UTC)
        runs = self.runs(source, limit=max(error_runs, 1) + 5)
        articles, last_new = self.conn.execute(
            "SELECT count(*), max(changed_at) FROM crawl_urls WHERE source = ?"
            " AND outcome IN ('imported', 'updated', 'unchanged', 'not_modified')",
            (source,),
        ).fetchone()
        flags: list[str] = []
        if not runs:
            flags.append("never-run")
        else:
            first_run = self.conn.execute(
                "SELECT min(started_at) FROM crawl_runs WHERE source = ?", (source,)
            ).fetchone()[0]
            reference = datetime.fromisoformat(last_new or first_run)
            if now - reference > stale_after:
                flags.append("stale")
            finished = [r for r in runs if r.state in ("finished", "failed")][:error_runs]
            if len(finished) == error_runs and not any(_stored(r.counts) for r in finished):
                if all(_bad(r.counts) for r in finished):
                    flags.append("errors-only")
                if any(r.counts.consent for r in finished):
                    flags.append("consent-wall")
                if any(r.counts.error_pages for r in finished):
                    flags.append("error-pages")
                if all(_found_nothing(r.counts) for r in finished):
                    flags.append("nothing-found")
            if runs[0].state == "interrupted":
                flags.append("interrupted")
        return SourceHealth(source, runs[0] if runs else None, articles, last_new, flags)


def _stored(counts: RunCounts) -> bool:
    """The run stored or confirmed at least one article."""
    return counts.new + counts.updated + counts.unchanged > 0


def _bad(counts: RunCounts) -> bool:
    return counts.failed + counts.consent + counts.error_pages > 0


def _found_nothing(counts: RunCounts) -> bool:
    """Not one article link: every listed page gone, or the site changed its links."""
    return counts.fetched + counts.skipped + counts.failed == 0


def counts_dict(counts: RunCounts) -> dict[str, object]:
    return asdict(counts)
