"""The actor registry: one id per real person, organisation or project across languages and
scripts, kept in the store (tables of migration 6).

Every name variant seen is kept with the articles it came from (counts are articles), ids never
change once given, and what analysts decide is remembered: a merge leaves the merged id as an
alias (`actor_merges`), a split pins the split-off names to their new actor. Both are consulted
on every resolution, so re-processing an article lands its names where the analyst put them.

`ActorRegistry(store.conn).resolve_article(article)` runs at ingest inside the article's
transaction (coopwatch.importer.ingest_page). Resolution order for one proposed actor: a pinned
name, a known variant, the proposed id (or an alias of it), the identity key (persons:
nlp.names.identity_key; bodies and projects: the word-order-free key of their English name),
then for persons a looser spelling key (Жасур/Jasur, Гасанова/Hasanova) when only one actor
has it; else a new actor.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import sqlite3
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from coopwatch.errors import UsageError
from coopwatch.records import Actor, Article, Project

KINDS = ("person", "organization", "project")
# Sources whose English form of a name is taken over a German rendering (ids do not change).
_CANONICAL_RANK = {"en": 3, "ru": 2, "de": 1}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def fold(name: str) -> str:
    """A name variant as looked up: NFKC, case-folded, ё = е, quotes and spaces unified."""
    text = unicodedata.normalize("NFKC", name).casefold().replace("ё", "е")
    text = re.sub(r"[«»„“”\"']", "", text)
    return re.sub(r"\s+", " ", text).strip(" .,;:")


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


# nlp is imported inside the functions that need it: index/ reads the registry (variants,
# lookup) without loading the nlp stage.
def person_key(canonical: str) -> str:
    from nlp.names import identity_key

    return identity_key(canonical, "en")


def loose_person_key(canonical: str) -> str:
    """A coarse spelling key where transcriptions of one name meet: ж/j/zh/sh, г/h, х/kh/h,
    th/t, y/i/j, тж/ч, oo/у, Korean eo/о, doubled letters (Zhasur = Jasur, Gasanova =
    Hasanova, Katarina = Katharina, Bakhytzhan = Bachytschan, Al Mansoori = Аль Мансури,
    Ahmad Faizal bin Abdul Rahman = Ahmad Faizal Abdul Rahman)."""
    out = []
    for word in re.split(r"[^a-z]+", slug(canonical).replace("-", " ")):
        if not word or word in {"bin", "binti", "bint", "ibn"}:
            continue  # "son/daughter of", written by some and left out by others
        w = re.sub(r"^y(?=[aeiou])", "j", word)
        for a, b in (
            # German "tsch" is ч, and тж too: Bachytschan = Бахытжан = Bakhytzhan
            ("tzh", "ch"),
            ("dzh", "j"), ("zh", "j"), ("sh", "j"), ("kh", "h"), ("th", "t"), ("ch", "q"),
            ("g", "h"), ("ck", "k"), ("c", "k"), ("ye", "e"), ("yo", "o"), ("w", "v"), ("x", "ks"),
            ("ph", "f"), ("y", "i"), ("ts", "z"),
            # English "oo" is у (Mansoori = Мансури), Korean "eo" is о (Do-yeon = До Ён)
            ("oo", "u"), ("eo", "o"),
        ):  # fmt: skip
            w = w.replace(a, b)
        w = re.sub(r"(.)\1+", r"\1", w)
        out.append(w)
    return " ".join(out)


_INITIALLED = re.compile(
    r"(?P<initial>[A-Z][a-z]{0,2})\.\s*(?:[A-Z][a-z]{0,2}\.\s*)?(?P<surname>\S+)"
)


def _initialled(canonical: str) -> tuple[str, str] | None:
    """(initial, surname) of a name written with initials: "Sh. Nasrulloev", "B. A. Musin"."""
    match = _INITIALLED.fullmatch(canonical.strip())
    return (match.group("initial"), match.group("surname")) if match else None


def entity_key(kind: str, canonical: str) -> str:
    from nlp.glossary import name_key

    return person_key(canonical) if kind == "person" else name_key(canonical)


# Names whose keys change whenever the key functions spell differently: their digest tells a
# store whose actors carry keys of an older release (coopwatch.actors.key_signature).
_KEY_PROBES = (
    ("person", "Mykhailo Fedorov"), ("person", "Михаил Федоров"), ("person", "Schaksylykow"),
    ("person", "Hayrapetyan"), ("person", "Шерзод Асадуллаевич Шерматов"),
    ("person", "Xi Jinping"), ("person", "Джамшид Ходжаев"), ("person", "Emmanuel Macron"),
    ("person", "Olaf Scholz"), ("person", "Olena Zelenska"), ("person", "Anar Rahimov"),
    ("person", "Bakhytzhan Ospanov"), ("person", "Fatima Al Mansoori"), ("person", "Kim Do-yeon"),
    ("person", "Ahmad Faizal bin Abdul Rahman"),
    ("organization", "National Center for Electronic Services"),
    ("organization", "Ministry of Digital Development, Innovation and Aerospace Industry"),
    ("project", "Diya"), ("project", "State Services Portal"),
)  # fmt: skip


@functools.cache
def key_signature() -> str:
    """A digest of how this release spells identity keys (see _KEY_PROBES)."""
    keys = [
        f"{kind}:{entity_key(kind, name)}:{loose_person_key(name) if kind == 'person' else ''}"
        for kind, name in _KEY_PROBES
    ]
    return hashlib.sha256("\n".join(keys).encode()).hexdigest()[:16]


@dataclass(slots=True)
class Entry:
    id: str
    kind: str
    canonical: str
    country: str | None
    role: str | None
    articles: int
    names: list[tuple[str, int]]  # (variant, articles it was seen in)
    aliases: list[str]


class ActorRegistry:
    """Registry operations on one store connection; writes join the caller's transaction."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    # -- keys -----------------------------------------------------------------------------
    def refresh_keys(self) -> int:
        """Re-key every actor when this release spells identity keys differently from the one
        that stored them (a new first-name form, a new transliteration rule): otherwise a
        report read now would not meet the actors stored before. Returns how many actors were
        re-keyed (0 when the keys are current)."""
        row = self.conn.execute(
            "SELECT value FROM registry_meta WHERE name = 'key_signature'"
        ).fetchone()
        if row is not None and row[0] == key_signature():
            return 0
        rows = self.conn.execute("SELECT id, kind, canonical FROM actors").fetchall()
        self.conn.executemany(
            "UPDATE actors SET key = ?, loose_key = ? WHERE id = ?",
            [
                (
                    entity_key(kind, canonical),
                    loose_person_key(canonical) if kind == "person" else "",
                    actor_id,
                )
                for actor_id, kind, canonical in rows
            ],
        )
        self.conn.execute(
            "INSERT INTO registry_meta (name, value) VALUES ('key_signature', ?) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (key_signature(),),
        )
        return len(rows)

    # -- ids ----------------------------------------------------------------------------
    def current_id(self, actor_id: str) -> str | None:
        """The id `actor_id` stands for now (following merges), or None if unknown."""
        seen = set()
        while actor_id not in seen:
            seen.add(actor_id)
            if self.conn.execute("SELECT 1 FROM actors WHERE id = ?", (actor_id,)).fetchone():
                return actor_id
            row = self.conn.execute(
                "SELECT actor_id FROM actor_merges WHERE alias = ?", (actor_id,)
            ).fetchone()
            if row is None:
                return None
            actor_id = row[0]
        return None

    def lookup(self, name: str, kind: str | None = None) -> list[str]:
        """Ids of the actors that `name` (any variant, any script) may name: exact variants
        first, else the identity key, else (persons) the surname: "Чернов", "Tschernow" and
        "Chernov Yuri" all find Yuri Chernov. For search: expand a name query to every variant
        (`variants`)."""
        query = (
            "SELECT DISTINCT n.actor_id FROM actor_names n JOIN actors a ON a.id = n.actor_id"
            " WHERE n.folded = ?"
        )
        params: list = [fold(name)]
        if kind:
            query += " AND a.kind = ?"
            params.append(kind)
        ids = [row[0] for row in self.conn.execute(query, params)]
        if ids:
            return ids
        from nlp.names import canonical_name

        kinds = [kind] if kind else list(KINDS)
        for k in kinds:
            canonical = canonical_name(name) if k == "person" else name
            ids += [
                row[0]
                for row in self.conn.execute(
                    "SELECT id FROM actors WHERE kind = ? AND key = ?",
                    (k, entity_key(k, canonical)),
                )
            ]
        if ids or kind not in (None, "person"):
            return ids
        tokens = canonical_name(name).split()
        if len(tokens) == 2:  # surname first: "Чернов Юрий"
            reversed_key = person_key(f"{tokens[1]} {tokens[0]}")
            ids = [
                row[0]
                for row in self.conn.execute(
                    "SELECT id FROM actors WHERE kind = 'person' AND key = ?", (reversed_key,)
                )
            ]
        if not ids and len(tokens) == 1:
            surname = person_key(tokens[0])
            ids = [
                row[0]
                for row in self.conn.execute(
                    "SELECT id FROM actors WHERE kind = 'person' AND key LIKE ?",
                    (f"% {surname}",),
                )
            ]
        return ids

    def aliases(self, actor_id: str) -> list[str]:
        """The ids merged into `actor_id` (each still resolves to it), sorted."""
        return [
            row[0]
            for row in self.conn.execute(
                "SELECT alias FROM actor_merges WHERE actor_id = ? ORDER BY alias", (actor_id,)
            )
        ]

    def id_taken(self, actor_id: str) -> bool:
        """Whether `actor_id` names an actor or an alias (a new actor cannot take it)."""
        return self.current_id(actor_id) is not None

    def kind_of(self, actor_id: str) -> str | None:
        """The kind of the actor `actor_id` stands for now (following merges)."""
        current = self.current_id(actor_id)
        return self._kind(current) if current else None

    def variants(self, actor_id: str) -> list[tuple[str, int]]:
        """Every name variant of an actor with the number of articles it was seen in."""
        current = self.current_id(actor_id) or actor_id
        return [
            (name, count)
            for name, count in self.conn.execute(
                "SELECT n.name, (SELECT count(DISTINCT m.article_id) FROM actor_mentions m"
                "  WHERE m.actor_id = n.actor_id AND m.name = n.name) AS c"
                " FROM actor_names n WHERE n.actor_id = ? ORDER BY c DESC, n.name",
                (current,),
            )
        ]

    # -- resolution at ingest -----------------------------------------------------------
    def resolve_article(self, article: Article) -> None:
        """Give the article's actors and projects their registry ids (registering new ones)
        and point its quotes at them. An article that is not about cooperation keeps all its
        actors but registers none: known ones get their registry id, the others keep the id
        proposed from their English name. The registry is of the people, bodies and projects
        of cooperation reports, not of every name on a sports page."""
        register = article.relevant
        self.refresh_keys()
        self.conn.execute("DELETE FROM actor_mentions WHERE article_id = ?", (article.id,))
        renamed: dict[str, str] = {}
        actors: list[Actor] = []
        seen: set[str] = set()
        for actor in article.actors:
            if actor.kind == "country":
                actors.append(actor)
                continue
            resolved = self._resolve_one(
                actor.kind, actor.id, actor.name, actor.canonical, actor.country,
                actor.role, article, register,
            )  # fmt: skip
            if resolved is None:  # not registered (see above): as the article proposed it
                if actor.id not in seen:
                    seen.add(actor.id)
                    actors.append(actor)
                continue
            renamed[actor.id] = resolved.id
            if resolved.id not in seen:
                seen.add(resolved.id)
                actor.id, actor.canonical = resolved.id, resolved.canonical
                actor.country = actor.country or resolved.country
                actors.append(actor)
        article.actors = actors
        projects: list[Project] = []
        for project in article.projects:
            resolved = self._resolve_one(
                "project", project.id, project.name, project.canonical, project.country,
                None, article, register,
            )  # fmt: skip
            if resolved is None:
                if project.id not in seen:
                    seen.add(project.id)
                    projects.append(project)
                continue
            if resolved.id in seen:
                continue
            seen.add(resolved.id)
            project.id, project.canonical = resolved.id, resolved.canonical
            project.country = project.country or resolved.country
            projects.append(project)
        article.projects = projects
        for quote in article.quotes:
            if quote.speaker_id in renamed:
                quote.speaker_id = renamed[quote.speaker_id]

    def _find(
        self, kind: str, proposed: str, name: str, canonical: str, country: str | None
    ) -> str | None:
        folded = {fold(name), fold(canonical)}
        marks = ",".join("?" * len(folded))
        rows = self.conn.execute(
            "SELECT DISTINCT n.actor_id, n.pinned FROM actor_names n JOIN actors a"
            f" ON a.id = n.actor_id WHERE a.kind = ? AND n.folded IN ({marks})",
            (kind, *folded),
        ).fetchall()
        pinned = {r[0] for r in rows if r[1]}
        if len(pinned) == 1:
            return pinned.pop()
        known = {r[0] for r in rows}
        if len(known) == 1:
            return known.pop()
        current = self.current_id(proposed)
        if current and self._kind(current) == kind:
            return current
        key = entity_key(kind, canonical)
        if key:
            rows = self.conn.execute(
                "SELECT id, country FROM actors WHERE kind = ? AND key = ?", (kind, key)
            ).fetchall()
            fitting = [r[0] for r in rows if not country or not r[1] or r[1] == country]
            if len(fitting) == 1:
                return fitting[0]
        if kind == "person" and " " in canonical.strip():
            rows = self.conn.execute(
                "SELECT id FROM actors WHERE kind = 'person' AND loose_key = ?",
                (loose_person_key(canonical),),
            ).fetchall()
            if len(rows) == 1:
                return rows[0][0]
        if kind == "person":
            return self._same_initials(canonical, country)
        if kind == "organization" and country and key:
            return self._shortened_body(key, country)
        return None

    def _same_initials(self, canonical: str, country: str | None) -> str | None:
        """The one person whose name this one writes with initials ("Sh. Nasrulloev",
        «Б. Мусин» after Bauyrzhan Musin in another report) or in full (the reverse): same
        surname, first name opening with the initial. Never a guess between two."""
        written = _initialled(canonical)
        words = canonical.split()
        if written is None and len(words) < 2:
            return None
        initial, surname = written or (words[0], words[-1])
        surname_key, initial_key = person_key(surname), person_key(initial)
        if not surname_key or not initial_key:
            return None
        rows = self.conn.execute(
            "SELECT id, canonical, country FROM actors WHERE kind = 'person' AND key LIKE ?",
            (f"%{surname_key}",),
        ).fetchall()
        fitting = []
        for actor_id, other, other_country in rows:
            other_written = _initialled(other)
            if (other_written is None) == (written is None):
                continue  # full names meet by their keys above; two initial forms too
            other_initial, other_surname = other_written or (other.split()[0], other.split()[-1])
            if person_key(other_surname) != surname_key:
                continue
            short, full = sorted((initial_key, person_key(other_initial)), key=len)
            if full.startswith(short) and (
                not country or not other_country or country == other_country
            ):
                fitting.append(actor_id)
        return fitting[0] if len(fitting) == 1 else None

    def _shortened_body(self, key: str, country: str) -> str | None:
        """The one body of the state whose name this one shortens or completes: "Ministry of
        Digital Development" of Kyrgyzstan is its "Ministry of Digital Development and
        Innovative Technologies" (names of three content words or more; never two candidates)."""
        words = set(key.split())
        if len(words) < 3:
            return None
        rows = self.conn.execute(
            "SELECT id, key FROM actors WHERE kind = 'organization' AND country = ?", (country,)
        ).fetchall()
        fitting = [
            actor_id
            for actor_id, other in rows
            if len(set(other.split())) >= 3
            and (words <= set(other.split()) or set(other.split()) <= words)
        ]
        return fitting[0] if len(fitting) == 1 else None

    def _kind(self, actor_id: str) -> str | None:
        row = self.conn.execute("SELECT kind FROM actors WHERE id = ?", (actor_id,)).fetchone()
        return row[0] if row else None

    def _resolve_one(
        self,
        kind: str,
        proposed: str,
        name: str,
        canonical: str,
        country: str | None,
        role: str | None,
        article: Article,
        register: bool,
    ) -> Entry | None:
        actor_id = self._find(kind, proposed, name, canonical, country)
        now = _now()
        if actor_id is None:
            if not register:
                return None
            actor_id = self._free_id(proposed)
            self.conn.execute(
                "INSERT INTO actors (id, kind, canonical, country, role, key, loose_key,"
                " source_language, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    actor_id, kind, canonical, country, role, entity_key(kind, canonical),
                    loose_person_key(canonical) if kind == "person" else "",
                    article.language, now, now,
                ),
            )  # fmt: skip
        else:
            self._improve(actor_id, kind, canonical, country, role, article.language)
        for variant in dict.fromkeys([name, canonical]):
            self.conn.execute(
                "INSERT OR IGNORE INTO actor_names (actor_id, name, folded, pinned)"
                " VALUES (?, ?, ?, 0)",
                (actor_id, variant, fold(variant)),
            )
        self.conn.execute(
            "INSERT OR IGNORE INTO actor_mentions (article_id, actor_id, name) VALUES (?, ?, ?)",
            (article.id, actor_id, name),
        )
        row = self.conn.execute(
            "SELECT canonical, country, role FROM actors WHERE id = ?", (actor_id,)
        ).fetchone()
        return Entry(actor_id, kind, row[0], row[1], row[2], 0, [], [])

    def _improve(
        self,
        actor_id: str,
        kind: str,
        canonical: str,
        country: str | None,
        role: str | None,
        language: str | None,
    ) -> None:
        """Fill what the registry lacks; an English source's spelling beats a German one."""
        row = self.conn.execute(
            "SELECT canonical, country, role, source_language FROM actors WHERE id = ?",
            (actor_id,),
        ).fetchone()
        old_canonical, old_country, old_role, source = row
        better = _CANONICAL_RANK.get(language or "", 0) > _CANONICAL_RANK.get(source or "", 0)
        # a longer form of a person's name (a full name after a surname) is better too, and a
        # name written out better than its initial
        if kind == "person" and len(canonical.split()) > len(old_canonical.split()):
            better = True
        if kind == "person" and len(canonical.split()) < len(old_canonical.split()):
            better = False
        if kind == "person" and (_initialled(canonical) is None) != (
            _initialled(old_canonical) is None
        ):
            better = _initialled(canonical) is None
        self.conn.execute(
            "UPDATE actors SET canonical = ?, country = ?, role = ?, source_language = ?,"
            " updated_at = ? WHERE id = ?",
            (
                canonical if better else old_canonical,
                old_country or country,
                old_role if old_role and not (better and role) else (role or old_role),
                language if better else source,
                _now(),
                actor_id,
            ),
        )
        if better and canonical != old_canonical:
            self._rewrite_canonical(actor_id, canonical)

    def _rewrite_canonical(self, actor_id: str, canonical: str) -> None:
        """Stored ARTICLE records that name the actor show its new English form too: one id,
        one canonical name in every report (the German "Shertsod" yields to "Sherzod")."""

        def edit(record: dict) -> bool:
            changed = False
            for field in ("actors", "projects"):
                for item in record.get(field, []):
                    if item.get("id") == actor_id and item.get("canonical") != canonical:
                        item["canonical"] = canonical
                        changed = True
            return changed

        self._edit_articles(self._naming(actor_id), actor_id, edit)

    def _naming(self, actor_id: str) -> set[str]:
        """Ids of the stored articles that name the actor (actor_mentions, indexed on actor_id):
        the rest of a big store is never read while the write lock is held."""
        return {
            row[0]
            for row in self.conn.execute(
                "SELECT article_id FROM actor_mentions WHERE actor_id = ?", (actor_id,)
            )
        }

    def _edit_articles(self, only: set[str], actor_id: str, edit: Callable[[dict], bool]) -> None:
        """Apply `edit` to the stored ARTICLE records of the articles `only` that hold
        `actor_id`; those it changed (it returns True) are stored back, and the search index
        follows through its triggers."""
        rows = self._by_article("SELECT id, record FROM articles WHERE id IN ({})", only)
        for article_id, text in rows:
            if f'"{actor_id}"' not in text:
                continue
            record = json.loads(text)
            if not edit(record):
                continue
            self.conn.execute(
                "UPDATE articles SET record = ? WHERE id = ?",
                (json.dumps(record, ensure_ascii=False), article_id),
            )

    def _free_id(self, proposed: str) -> str:
        candidate, n = proposed, 1
        while (
            self.conn.execute("SELECT 1 FROM actors WHERE id = ?", (candidate,)).fetchone()
            or self.conn.execute(
                "SELECT 1 FROM actor_merges WHERE alias = ?", (candidate,)
            ).fetchone()
        ):
            n += 1
            candidate = f"{proposed}-{n}"
        return candidate

    # -- analysts -----------------------------------------------------------------------
    def entries(self, kind: str | None = None, query: str | None = None) -> list[Entry]:
        sql = (
            "SELECT a.id, a.kind, a.canonical, a.country, a.role,"
            " (SELECT count(DISTINCT article_id) FROM actor_mentions m WHERE m.actor_id = a.id)"
            " FROM actors a"
        )
        where, params = [], []
        if kind:
            where.append("a.kind = ?")
            params.append(kind)
        if query:
            where.append(
                "(a.id IN (SELECT actor_id FROM actor_names WHERE folded LIKE ?) OR a.id LIKE ?)"
            )
            params += [f"%{fold(query)}%", f"%{query.lower()}%"]
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY a.kind, a.canonical"
        return [
            Entry(r[0], r[1], r[2], r[3], r[4], r[5], [], [])
            for r in self.conn.execute(sql, params)
        ]

    def entry(self, actor_id: str) -> Entry | None:
        current = self.current_id(actor_id)
        if current is None:
            return None
        r = self.conn.execute(
            "SELECT id, kind, canonical, country, role,"
            " (SELECT count(DISTINCT article_id) FROM actor_mentions m WHERE m.actor_id = a.id)"
            " FROM actors a WHERE id = ?",
            (current,),
        ).fetchone()
        return Entry(
            r[0], r[1], r[2], r[3], r[4], r[5], self.variants(current), self.aliases(current)
        )

    def merge(self, sources: list[str], into: str) -> str:
        """Fold actors `sources` into `into`: their names, mentions and ids (as aliases) go
        to it, and stored articles are rewritten to the surviving id. Returns that id."""
        target = self.current_id(into)
        if target is None:
            raise UsageError(f"no actor {into!r} (see `coopwatch actors list`)")
        kind = self._kind(target)
        for source in sources:
            current = self.current_id(source)
            if current is None:
                raise UsageError(f"no actor {source!r} (see `coopwatch actors list`)")
            if current == target:
                continue
            if self._kind(current) != kind:
                raise UsageError(f"cannot merge {current} ({self._kind(current)}) into {kind}")
            naming = self._naming(current)
            now = _now()
            self.conn.execute(
                "INSERT OR REPLACE INTO actor_merges (alias, actor_id, created_at)"
                " VALUES (?, ?, ?)",
                (current, target, now),
            )
            self.conn.execute(
                "UPDATE actor_merges SET actor_id = ? WHERE actor_id = ?", (target, current)
            )
            self.conn.execute(
                "INSERT OR IGNORE INTO actor_names (actor_id, name, folded, pinned)"
                " SELECT ?, name, folded, pinned FROM actor_names WHERE actor_id = ?",
                (target, current),
            )
            self.conn.execute("DELETE FROM actor_names WHERE actor_id = ?", (current,))
            self.conn.execute(
                "INSERT OR IGNORE INTO actor_mentions (article_id, actor_id, name)"
                " SELECT article_id, ?, name FROM actor_mentions WHERE actor_id = ?",
                (target, current),
            )
            self.conn.execute("DELETE FROM actor_mentions WHERE actor_id = ?", (current,))
            self.conn.execute("DELETE FROM actors WHERE id = ?", (current,))
            self._rewrite_articles({current: target}, only=naming)
        return target

    def split(self, actor_id: str, names: list[str], new_id: str | None = None) -> str:
        """Move name variants `names` of an actor to a new actor of their own, pinned there so
        that re-processing keeps them apart. Returns the new id."""
        current = self.current_id(actor_id)
        if current is None:
            raise UsageError(f"no actor {actor_id!r} (see `coopwatch actors list`)")
        if not names:
            raise UsageError("name at least one variant to split off (--name)")
        own = {fold(n): n for n, _count in self.variants(current)}
        missing = [n for n in names if fold(n) not in own]
        if missing:
            raise UsageError(f"{current} has no name variant {missing[0]!r}")
        if set(own) <= {fold(n) for n in names}:
            raise UsageError(f"every name variant of {current} would move: nothing to split")
        row = self.conn.execute(
            "SELECT kind, country FROM actors WHERE id = ?", (current,)
        ).fetchone()
        kind, country = row
        from nlp.names import canonical_name

        first = own[fold(names[0])]
        canonical = canonical_name(first) if kind == "person" else first
        prefix = {"person": "person:", "organization": "org:", "project": "project:"}[kind]
        target = self._free_id(new_id or prefix + slug(canonical))
        now = _now()
        self.conn.execute(
            "INSERT INTO actors (id, kind, canonical, country, role, key, loose_key,"
            " source_language, created_at, updated_at) VALUES (?,?,?,?,NULL,?,?,NULL,?,?)",
            (
                target, kind, canonical, country, entity_key(kind, canonical),
                loose_person_key(canonical) if kind == "person" else "", now, now,
            ),
        )  # fmt: skip
        moved_articles: set[str] = set()
        for name in names:
            variant = own[fold(name)]
            self.conn.execute(
                "DELETE FROM actor_names WHERE actor_id = ? AND folded = ?", (current, fold(name))
            )
            self.conn.execute(
                "INSERT OR REPLACE INTO actor_names (actor_id, name, folded, pinned)"
                " VALUES (?, ?, ?, 1)",
                (target, variant, fold(variant)),
            )
            for (article_id,) in self.conn.execute(
                "SELECT article_id FROM actor_mentions WHERE actor_id = ? AND name = ?",
                (current, variant),
            ).fetchall():
                moved_articles.add(article_id)
            self.conn.execute(
                "UPDATE actor_mentions SET actor_id = ? WHERE actor_id = ? AND name = ?",
                (target, current, variant),
            )
        self._rewrite_articles({current: target}, only=moved_articles)
        return target

    def _by_article(self, sql: str, article_ids: set[str]) -> list[tuple]:
        """Rows of `sql` (ending in `IN ({})`) for these article ids, looked up by key."""
        ids = sorted(article_ids)
        rows: list[tuple] = []
        for start in range(0, len(ids), 500):  # under SQLite's limit of bound parameters
            chunk = ids[start : start + 500]
            rows.extend(self.conn.execute(sql.format(",".join("?" * len(chunk))), chunk))
        return rows

    def _rewrite_articles(self, ids: dict[str, str], only: set[str]) -> None:
        """Stored ARTICLE records follow a merge or split (actors, projects, quote speakers):
        those of the articles `only` (the ones naming the actor) that hold an old id."""
        for old, new in ids.items():

            def edit(record: dict, old: str = old, new: str = new) -> bool:
                seen: set[str] = set()
                for field in ("actors", "projects"):
                    kept = []
                    for item in record.get(field, []):
                        if item.get("id") == old:
                            item["id"] = new
                        if item.get("id") in seen:
                            continue
                        seen.add(item.get("id"))
                        kept.append(item)
                    record[field] = kept
                for quote in record.get("quotes", []):
                    if quote.get("speaker_id") == old:
                        quote["speaker_id"] = new
                return True

            self._edit_articles(only, old, edit)
            self._rewrite_events(old, new, only)

    def _rewrite_events(self, old: str, new: str, only: set[str]) -> None:
        """Events list their reports' actor ids: the reports' facts and the EVENT records
        follow a merge or split too (the events of the articles `only`)."""
        touched: set[str] = set()
        for article_id, event_id, text in self._by_article(
            "SELECT article_id, event_id, facts FROM event_members WHERE article_id IN ({})", only
        ):
            if f'"{old}"' not in text:
                continue
            facts = json.loads(text)
            for field in ("actors", "projects"):
                facts[field] = sorted({new if x == old else x for x in facts.get(field, [])})
            self.conn.execute(
                "UPDATE event_members SET facts = ? WHERE article_id = ?",
                (json.dumps(facts, ensure_ascii=False), article_id),
            )
            touched.add(event_id)
        for event_id in touched:
            rows = self.conn.execute(
                "SELECT article_id, facts, independent FROM event_members WHERE event_id = ?"
                " ORDER BY joined",
                (event_id,),
            ).fetchall()
            everyone = [(article_id, json.loads(text)) for article_id, text, _ in rows]
            voting = [facts for (_, facts), row in zip(everyone, rows, strict=True) if row[2]]
            members = voting or [facts for _, facts in everyone]
            row = self.conn.execute(
                "SELECT record FROM events WHERE id = ?", (event_id,)
            ).fetchone()
            if row is None:
                continue
            record = json.loads(row[0])
            for field in ("actors", "projects"):  # as nlp.events.summarise merges them
                record[field] = sorted({x for facts in members for x in facts.get(field, [])})
            if "mentioned_in" in record:  # which reports name each (as coopwatch.events does)
                record["mentioned_in"] = {
                    entity: [
                        article_id
                        for article_id, facts in everyone
                        if entity in facts.get("actors", []) or entity in facts.get("projects", [])
                    ]
                    for entity in [*record["actors"], *record["projects"]]
                }
            self.conn.execute(
                "UPDATE events SET record = ? WHERE id = ?",
                (json.dumps(record, ensure_ascii=False), event_id),
            )


# --- `coopwatch actors` ---------------------------------------------------------------------------
def _cli():
    """The click group (built lazily so that importing the registry needs no click)."""
    import click

    def registry_of(ctx: click.Context):
        from coopwatch.store import Store

        return Store(ctx.obj["settings"].data_dir)

    def catch_up(ctx: click.Context, store) -> None:
        """The rewritten articles and events are marked stale for the search index in the
        change's own transaction; index them now (an index that is down catches up later)."""
        from coopwatch.cli import _catch_up_index

        _catch_up_index(ctx.obj["settings"], store)

    @click.group("actors")
    def actors() -> None:
        """The actor registry: list, show, merge and split persons, bodies and projects."""

    @actors.command("list")
    @click.option("--kind", type=click.Choice(KINDS), help="Only this kind.")
    @click.option("--name", "query", help="Only actors with a name variant containing TEXT.")
    @click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
    @click.pass_context
    def list_command(ctx: click.Context, kind: str | None, query: str | None, as_json: bool):
        """Every registered actor: id, kind, English name, country, articles."""
        with registry_of(ctx) as store:
            for e in ActorRegistry(store.conn).entries(kind, query):
                if as_json:
                    click.echo(json.dumps(_entry_record(e), ensure_ascii=False))
                else:
                    click.echo(f"{e.id}\t{e.kind}\t{e.canonical}\t{e.country or '-'}\t{e.articles}")

    @actors.command("show")
    @click.argument("actor_id")
    @click.pass_context
    def show_command(ctx: click.Context, actor_id: str):
        """One actor with every name variant (and in how many articles) and merged-in ids."""
        with registry_of(ctx) as store:
            entry = ActorRegistry(store.conn).entry(actor_id)
        if entry is None:
            raise UsageError(f"no actor {actor_id!r} (see `coopwatch actors list`)")
        click.echo(json.dumps(_entry_record(entry), ensure_ascii=False, indent=2))

    @actors.command("merge")
    @click.argument("sources", nargs=-1, required=True)
    @click.option("--into", required=True, help="The id that survives.")
    @click.pass_context
    def merge_command(ctx: click.Context, sources: tuple[str, ...], into: str):
        """Merge actors SOURCES into --into; remembered for every later import."""
        with registry_of(ctx) as store:
            with store.transaction():
                target = ActorRegistry(store.conn).merge(list(sources), into)
            catch_up(ctx, store)
        click.echo(f"merged {', '.join(sources)} into {target}")

    @actors.command("split")
    @click.argument("actor_id")
    @click.option("--name", "names", multiple=True, required=True, help="Variant to split off.")
    @click.option("--id", "new_id", help="Id for the new actor (default: from the name).")
    @click.pass_context
    def split_command(
        ctx: click.Context, actor_id: str, names: tuple[str, ...], new_id: str | None
    ):
        """Split name variants off an actor into a new one; remembered for every later import."""
        with registry_of(ctx) as store:
            with store.transaction():
                target = ActorRegistry(store.conn).split(actor_id, list(names), new_id)
            catch_up(ctx, store)
        click.echo(f"split {', '.join(names)} off {actor_id} into {target}")

    return actors


def _entry_record(e: Entry) -> dict:
    record = {
        "id": e.id,
        "kind": e.kind,
        "canonical": e.canonical,
        "country": e.country,
        "role": e.role,
        "articles": e.articles,
    }
    if e.names:
        record["names"] = [{"name": n, "articles": c} for n, c in e.names]
    if e.aliases:
        record["merged"] = e.aliases
    return record


def __getattr__(name: str):
    if name == "actors_command":
        return _cli()
    raise AttributeError(name)
