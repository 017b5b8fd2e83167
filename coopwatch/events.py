"""Event assignment at ingest: a relevant report joins or starts an event.

Event ids never change once given: a report joining an event leaves its id as it is, and
when a report reveals that two events are one, the younger is merged into the older and its
id is kept as an alias that still resolves. Runs inside the caller's store transaction, so
the article and its event are saved together or not at all.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta

from coopwatch.records import Article, Event, Metric
from nlp.countries import english_name
from nlp.events import DATE_WINDOW_DAYS, ReportFacts, best_event, english_title, summarise


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def report_facts(article: Article) -> ReportFacts:
    day = article.event_date or article.published
    return ReportFacts(
        article_id=article.id,
        language=article.language,
        title=article.title,
        countries=frozenset(article.event_countries),
        day=date.fromisoformat(day) if day else None,
        event_type=article.event_type,
        location=article.event_location,
        actors=frozenset(a.id for a in article.actors if a.kind != "country"),
        projects=frozenset(p.id for p in article.projects),
    )


def _facts_to_json(facts: ReportFacts) -> str:
    data = asdict(facts)
    data["countries"] = sorted(facts.countries)
    data["actors"] = sorted(facts.actors)
    data["projects"] = sorted(facts.projects)
    data["day"] = facts.day.isoformat() if facts.day else None
    return json.dumps(data, ensure_ascii=False)


def _facts_from_json(text: str) -> ReportFacts:
    data = json.loads(text)
    return ReportFacts(
        article_id=data["article_id"],
        language=data["language"],
        title=data["title"],
        countries=frozenset(data["countries"]),
        day=date.fromisoformat(data["day"]) if data["day"] else None,
        event_type=data["event_type"],
        location=data["location"],
        actors=frozenset(data["actors"]),
        projects=frozenset(data["projects"]),
    )


class EventAssigner:
    """Assigns articles to events in the store's database (one connection, caller's transaction)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    # -- reading ------------------------------------------------------------------------

    def resolve(self, event_id: str) -> str | None:
        """The current id of an event, following merge aliases."""
        if self.conn.execute("SELECT 1 FROM events WHERE id = ?", (event_id,)).fetchone():
            return event_id
        row = self.conn.execute(
            "SELECT event_id FROM event_aliases WHERE alias = ?", (event_id,)
        ).fetchone()
        return row[0] if row else None

    def members(self, event_id: str, independent_only: bool = True) -> list[ReportFacts]:
        return [
            facts
            for facts, independent in self._member_rows(event_id)
            if independent or not independent_only
        ]

    def _member_rows(self, event_id: str) -> list[tuple[ReportFacts, bool]]:
        """Every report of the event in joining order, and whether it votes (not a copy)."""
        rows = self.conn.execute(
            "SELECT facts, independent FROM event_members WHERE event_id = ? ORDER BY joined",
            (event_id,),
        )
        return [(_facts_from_json(facts), bool(independent)) for facts, independent in rows]

    def event_of(self, article_id: str) -> str | None:
        row = self.conn.execute(
            "SELECT event_id FROM event_members WHERE article_id = ?", (article_id,)
        ).fetchone()
        return row[0] if row else None

    def _candidates(self, facts: ReportFacts) -> dict[str, list[ReportFacts]]:
        if facts.day is None:
            return {}
        low = (facts.day - timedelta(days=DATE_WINDOW_DAYS)).isoformat()
        high = (facts.day + timedelta(days=DATE_WINDOW_DAYS)).isoformat()
        candidates = {}
        for event_id, countries in self.conn.execute(
            "SELECT id, countries FROM events WHERE day BETWEEN ? AND ?", (low, high)
        ):
            if facts.countries & set(countries.split(",")):
                candidates[event_id] = self.members(event_id)
        return candidates

    # -- writing ------------------------------------------------------------------------

    def assign(self, article: Article) -> str | None:
        """Place the article in an event (or none) and return the event id."""
        previous = self.event_of(article.id)
        if previous:
            self._leave(article.id, previous)
        if not article.relevant:
            return None
        facts = report_facts(article)
        if article.duplicate_of:
            # A syndicated copy is listed with its original's event but does not vote.
            original_event = self.event_of(article.duplicate_of)
            if original_event:
                self._join(original_event, facts, independent=False)
                self._refresh(original_event)
                return original_event
        if len(facts.countries) < 2:
            return None
        chosen, others = best_event(facts, self._candidates(facts))
        if chosen is None:
            chosen = self._create(facts)
        else:
            for other in others:
                chosen = self._merge(chosen, other)
        self._join(chosen, facts, independent=True)
        self._attach_copies(article.id, chosen)
        self._refresh(chosen)
        return chosen

    def _create(self, facts: ReportFacts) -> str:
        """A new event, named after the report that starts it (a suffix if that id was used)."""
        digest = hashlib.sha1(facts.article_id.encode("utf-8")).hexdigest()[:12]
        event_id, n = f"evt-{digest}", 1
        while self.resolve(event_id) is not None:
            n += 1
            event_id = f"evt-{digest}-{n}"
        now = _now()
        self.conn.execute(
            "INSERT INTO events (id, day, countries, record, created_at, updated_at)"
            " VALUES (?, ?, ?, '{}', ?, ?)",
            (
                event_id,
                facts.day.isoformat() if facts.day else None,
                ",".join(sorted(facts.countries)),
                now,
                now,
            ),
        )
        return event_id

    def _join(self, event_id: str, facts: ReportFacts, independent: bool) -> None:
        joined = self.conn.execute(
            "SELECT coalesce(max(joined), 0) + 1 FROM event_members"
        ).fetchone()[0]
        self.conn.execute(
            "INSERT OR REPLACE INTO event_members"
            " (article_id, event_id, joined, independent, facts) VALUES (?, ?, ?, ?, ?)",
            (facts.article_id, event_id, joined, int(independent), _facts_to_json(facts)),
        )

    def _leave(self, article_id: str, event_id: str) -> None:
        self.conn.execute("DELETE FROM event_members WHERE article_id = ?", (article_id,))
        self._set_article_event([article_id], None)
        if self.members(event_id):
            self._refresh(event_id)
            return
        # No independent report holds the event any more: it ends, and copies leave with it
        # (they rejoin when their original joins an event again).
        copies = [member.article_id for member in self.members(event_id, independent_only=False)]
        self.conn.execute("DELETE FROM event_members WHERE event_id = ?", (event_id,))
        self.conn.execute("DELETE FROM events WHERE id = ?", (event_id,))
        self._set_article_event(copies, None)

    def _attach_copies(self, original_id: str, event_id: str) -> None:
        """Stored syndicated copies of `original_id` follow it into its event."""
        for (record,) in self.conn.execute(
            "SELECT record FROM articles WHERE duplicate_of = ? AND relevant = 1", (original_id,)
        ).fetchall():
            copy = Article.from_record(json.loads(record))
            if self.event_of(copy.id) is None:
                self._join(event_id, report_facts(copy), independent=False)

    def _merge(self, keep: str, other: str) -> str:
        """Fold event `other` into `keep`; the older id survives, the other becomes an alias."""
        created = dict(
            self.conn.execute("SELECT id, created_at FROM events WHERE id IN (?, ?)", (keep, other))
        )
        survivor, merged = (keep, other) if created[keep] <= created[other] else (other, keep)
        self.conn.execute(
            "UPDATE event_members SET event_id = ? WHERE event_id = ?", (survivor, merged)
        )
        self.conn.execute(
            "UPDATE event_aliases SET event_id = ? WHERE event_id = ?", (survivor, merged)
        )
        self.conn.execute(
            "INSERT OR REPLACE INTO event_aliases (alias, event_id) VALUES (?, ?)",
            (merged, survivor),
        )
        self.conn.execute("DELETE FROM events WHERE id = ?", (merged,))
        return survivor

    def _set_article_event(self, article_ids: list[str], event_id: str | None) -> None:
        """Point the articles' column and record at the event. Only rows that change are
        written (each write also marks the article for re-indexing); an article being saved
        in this transaction is not stored yet and is written by the caller."""
        for article_id in article_ids:
            self.conn.execute(
                "UPDATE articles SET event_id = ?1, record = json_set(record, '$.event_id', ?1)"
                " WHERE id = ?2 AND event_id IS NOT ?1",
                (event_id, article_id),
            )

    def _refresh(self, event_id: str) -> None:
        """Recompute the event's merged facts and record from its reports."""
        rows = self._member_rows(event_id)
        everyone = [facts for facts, _ in rows]
        voting = [facts for facts, independent in rows if independent]
        summary = summarise(voting or everyone)
        article_ids = [member.article_id for member in everyone]
        metrics: list[Metric] = []
        for article_id in article_ids:
            # SQLite reads the metrics out of the record: parsing whole records (every
            # paragraph) in Python for each join cost more than the rest of the refresh.
            row = self.conn.execute(
                "SELECT json_extract(record, '$.metrics') FROM articles WHERE id = ?",
                (article_id,),
            ).fetchone()
            if row is None or row[0] is None:
                continue
            for metric in json.loads(row[0]):
                metric = Metric(**metric)
                metric.article_id = article_id
                metrics.append(metric)
        event = Event(
            id=event_id,
            event_type=summary.event_type,
            countries=summary.countries,
            date=summary.day.isoformat() if summary.day else None,
            location=summary.location,
            title=english_title(summary, {code: english_name(code) for code in summary.countries}),
            articles=article_ids,
            languages=summary.languages,
            actors=summary.actors,
            projects=summary.projects,
            metrics=metrics,
            mentioned_in={
                entity: [m.article_id for m in everyone if entity in m.actors | m.projects]
                for entity in [*summary.actors, *summary.projects]
            },
        )
        self.conn.execute(
            "UPDATE events SET day = ?, countries = ?, record = ?, updated_at = ? WHERE id = ?",
            (
                event.date,
                ",".join(event.countries),
                json.dumps(event.to_record(), ensure_ascii=False),
                _now(),
                event_id,
            ),
        )
        self._set_article_event(article_ids, event_id)
