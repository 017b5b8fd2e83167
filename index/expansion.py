"""Cross-script name expansion for queries: a `term_expander` over the actor registry's name
variants (the store's `actor_names` table), so «Турчин» also finds "Turtschin".

Read with SQL on the store's connection rather than through coopwatch.actors, which pulls in
nlp (the index package stays free of it). Folding matches coopwatch.actors.fold.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata

from index.query import TermExpander

MAX_ACTORS = 10  # a query word naming more actors than this is no name worth expanding


def fold_name(name: str) -> str:
    """As coopwatch.actors.fold: NFKC, case-folded, ё = е, quotes dropped, spaces unified."""
    text = unicodedata.normalize("NFKC", name).casefold().replace("ё", "е")
    text = re.sub(r"[«»„“”\"']", "", text)
    return re.sub(r"\s+", " ", text).strip(" .,;:")


def registry_expander(conn: sqlite3.Connection) -> TermExpander | None:
    """An expander over the registry, or None when the store has no actor registry.

    A phrase that is a known variant of an actor (any kind) expands to all its variants; a
    single word that is the last word of a person's variant (a surname) expands to the last
    word of each of that person's variants."""
    has_registry = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
        " AND name IN ('actor_names', 'actors')"
    ).fetchone()[0]
    if has_registry < 2:
        return None

    def expand(text: str) -> list[str]:
        folded = fold_name(text)
        if not folded:
            return []
        single = " " not in folded
        if single:
            pattern = "% " + folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            rows = conn.execute(
                "SELECT DISTINCT n.actor_id FROM actor_names n JOIN actors a ON a.id = n.actor_id"
                " WHERE a.kind = 'person' AND (n.folded = ? OR n.folded LIKE ? ESCAPE '\\')"
                " LIMIT ?",
                (folded, pattern, MAX_ACTORS + 1),
            ).fetchall()
        else:
            rows = conn.execute(
                "SELECT DISTINCT actor_id FROM actor_names WHERE folded = ? LIMIT ?",
                (folded, MAX_ACTORS + 1),
            ).fetchall()
        if not rows or len(rows) > MAX_ACTORS:
            return []
        ids = [row[0] for row in rows]
        names = conn.execute(
            f"SELECT name FROM actor_names WHERE actor_id IN ({','.join('?' * len(ids))})"
            " ORDER BY name",
            ids,
        ).fetchall()
        variants: list[str] = []
        for (name,) in names:
            variant = name.split()[-1] if single and name.split() else name
            if fold_name(variant) != folded and variant not in variants:
                variants.append(variant)
        return variants

    return expand
