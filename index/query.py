"""The query language, the same on every backend: parse a query string into a typed `Query`,
then analyse its free text into terms with the index's analyzer.

Syntax (filters go at the top level, text and filters mix freely)::

    Familienkarte "digital family card" (Kasachstan OR Usbekistan) NOT Russland -Moskau
    country:BY country:KZ        all of these countries
    country:BY,KZ                any of these countries
    actor:person:alexander-turchin  project:project:digital-family-card   (all of)
    type:visit,meeting  lang:de,ru  site:deu.belta.by  kind:event         (any of)
    date:2025-11  date:2025-01-01..2025-06-30  from:2025-01-01  to:2025-12-31
    relevant:all   (default: relevant only)      sort:date | sort:relevance

Words are ANDed; OR, NOT (and a leading ``-``) are operators when upper-case. NOT needs a
positive term beside it (``a NOT b``) except for a query that is only exclusions. Person
names can be expanded across scripts by a `term_expander` (e.g. the actor registry's
variants: «Турчин» -> "Turtschin", "Turchin").
"""

from __future__ import annotations

import base64
import binascii
import calendar
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from coopwatch.errors import QueryError
from coopwatch.records import EVENT_TYPES
from coopwatch.text_analysis import WORD, script_languages

if TYPE_CHECKING:
    from coopwatch.text_analysis import TextAnalyzer

FACETS = ("countries", "pairs", "actors", "projects", "event_types", "languages", "months")
KINDS = ("article", "event")
Sort = Literal["relevance", "date"]
TermExpander = Callable[[str], Iterable[str]]

# -- the typed query -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Word:
    text: str


@dataclass(frozen=True, slots=True)
class Phrase:
    text: str


@dataclass(frozen=True, slots=True)
class And:
    children: tuple[QueryExpr, ...]


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple[QueryExpr, ...]


@dataclass(frozen=True, slots=True)
class Not:
    child: QueryExpr


QueryExpr = Word | Phrase | And | Or | Not


@dataclass(slots=True)
class Query:
    """A search: free text (parsed), filters, facets, sort and page.

    `countries_all`, `actors`, `projects` are all-of; `countries_any`, `event_types`,
    `languages`, `sites`, `kinds` any-of. Dates are ISO `YYYY-MM-DD`, inclusive.
    """

    text: QueryExpr | None = None
    kinds: list[str] = field(default_factory=list)
    countries_all: list[str] = field(default_factory=list)
    countries_any: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    projects: list[str] = field(default_factory=list)
    event_types: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    sites: list[str] = field(default_factory=list)
    date_from: str | None = None
    date_to: str | None = None
    relevant_only: bool = True
    facets: list[str] = field(default_factory=list)
    facet_size: int = 20
    sort: Sort | None = None  # None: relevance when there is text, else date
    size: int = 20
    cursor: str | None = None

    @property
    def resolved_sort(self) -> Sort:
        if self.sort:
            return self.sort
        return "relevance" if self.text is not None else "date"

    def validate(self) -> Query:
        """Check values a caller (CLI flags, API parameters) may have set directly."""
        self.countries_all = [_country(c) for c in self.countries_all]
        self.countries_any = [_country(c) for c in self.countries_any]
        self.languages = [_language(c) for c in self.languages]
        for value in self.event_types:
            _event_type(value)
        for value in self.kinds:
            if value not in KINDS:
                raise QueryError(f"unknown kind {value!r}; use one of: {', '.join(KINDS)}")
        for name in self.facets:
            if name not in FACETS:
                raise QueryError(f"unknown facet {name!r}; known: {', '.join(FACETS)}")
        if self.date_from:
            self.date_from = _day(self.date_from, "from")
        if self.date_to:
            self.date_to = _day(self.date_to, "to")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise QueryError(f"date range is empty: {self.date_from} is after {self.date_to}")
        if self.sort not in (None, "relevance", "date"):
            raise QueryError(f"unknown sort {self.sort!r}; use relevance or date")
        if self.size < 1:
            raise QueryError("page size must be at least 1")
        if self.cursor is not None:
            decode_cursor(self.cursor, self.resolved_sort)
        return self


# -- parsing ---------------------------------------------------------------------------------

_FILTER = re.compile(r"^([A-Za-z_]+):(.*)$", re.S)
FILTER_NAMES = (
    "country",
    "actor",
    "project",
    "type",
    "lang",
    "language",
    "site",
    "kind",
    "date",
    "from",
    "to",
    "relevant",
    "sort",
)


@dataclass(slots=True)
class _Token:
    kind: str  # word, phrase, filter, lparen, rparen, or, and, not
    text: str
    pos: int
    name: str = ""


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            tokens.append(_Token("lparen" if ch == "(" else "rparen", ch, i))
            i += 1
        elif ch == '"' or ch in "«„“":
            close = {"«": "»", "„": "“", "“": "”"}.get(ch, '"')
            end = text.find(close, i + 1)
            if end < 0 and close != '"':
                end = text.find('"', i + 1)
            if end < 0:
                raise QueryError(f"unbalanced quote: the {ch} at position {i + 1} is never closed")
            tokens.append(_Token("phrase", text[i + 1 : end], i))
            i = end + 1
        else:
            start = i
            negate = False
            if ch == "-" and i + 1 < n and not text[i + 1].isspace():
                negate = True
                start = i + 1
            j = start
            while j < n and not text[j].isspace() and text[j] not in "()":
                if text[j] == '"' and _FILTER.match(text[start:j]):
                    # filter with a quoted value: site:"a b"
                    end = text.find('"', j + 1)
                    if end < 0:
                        raise QueryError(
                            f'unbalanced quote: the " at position {j + 1} is never closed'
                        )
                    j = end + 1
                    continue
                if text[j] == '"':
                    break
                j += 1
            word = text[start:j]
            if negate:
                tokens.append(_Token("not", "-", i))
            i = j
            if word in ("AND", "OR", "NOT") and not negate:
                tokens.append(_Token(word.lower(), word, start))
                continue
            match = _FILTER.match(word)
            if match and not (match.group(2).startswith("//")):
                name = match.group(1).lower()
                if name not in FILTER_NAMES:
                    raise QueryError(
                        f"unknown filter {match.group(1)}: (at position {start + 1}); known: "
                        + ", ".join(f"{f}:" for f in FILTER_NAMES)
                        + ' — put text in quotes to search for it: "a:b"'
                    )
                if negate:
                    raise QueryError(f"filters cannot be negated: -{word}")
                tokens.append(_Token("filter", match.group(2).strip('"'), start, name))
            elif WORD.search(word):
                tokens.append(_Token("word", word, start))
            elif negate:
                tokens.pop()
    return tokens


class _Parser:
    def __init__(self, tokens: list[_Token]):
        self.tokens = tokens
        self.i = 0
        self.filters: list[_Token] = []

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def parse(self) -> QueryExpr | None:
        expr = self.or_expr(depth=0)
        token = self.peek()
        if token is not None:
            if token.kind == "rparen":
                raise QueryError(f"unbalanced parenthesis: ')' at position {token.pos + 1}")
            raise QueryError(f"unexpected {token.text!r} at position {token.pos + 1}")
        return expr

    def or_expr(self, depth: int) -> QueryExpr | None:
        parts = [self.and_expr(depth)]
        while (token := self.peek()) is not None and token.kind == "or":
            self.take()
            if self.peek() is None or self.peek().kind in ("or", "rparen"):
                raise QueryError(f"OR at position {token.pos + 1} needs a term after it")
            parts.append(self.and_expr(depth))
        present = [p for p in parts if p is not None]
        if len(parts) > 1 and len(present) != len(parts):
            raise QueryError("OR needs search terms on both sides (filters do not count)")
        if len(present) > 1:
            if any(isinstance(p, Not) for p in present):
                raise QueryError("NOT cannot be an OR alternative; write 'a OR b NOT c'")
            return Or(tuple(present))
        return present[0] if present else None

    def and_expr(self, depth: int) -> QueryExpr | None:
        parts: list[QueryExpr] = []
        while (token := self.peek()) is not None and token.kind not in ("or", "rparen"):
            if token.kind == "and":
                self.take()
                continue
            part = self.unary(depth)
            if part is not None:
                parts.append(part)
        if not parts:
            return None
        if len(parts) == 1:
            return parts[0]
        return And(tuple(parts))

    def unary(self, depth: int) -> QueryExpr | None:
        token = self.peek()
        assert token is not None
        if token.kind == "not":
            self.take()
            nxt = self.peek()
            if nxt is None or nxt.kind in ("or", "and", "rparen"):
                raise QueryError(f"NOT at position {token.pos + 1} needs a term after it")
            if nxt.kind == "filter":
                raise QueryError(f"filters cannot be negated: NOT {nxt.name}:{nxt.text}")
            child = self.unary(depth)
            if isinstance(child, Not):
                return child.child
            return Not(child) if child is not None else None
        return self.primary(depth)

    def primary(self, depth: int) -> QueryExpr | None:
        token = self.take()
        if token.kind == "word":
            return Word(token.text)
        if token.kind == "phrase":
            if not WORD.search(token.text):
                raise QueryError(f"empty phrase at position {token.pos + 1}")
            return Phrase(token.text)
        if token.kind == "filter":
            if depth > 0:
                raise QueryError(
                    f"filter {token.name}: inside parentheses; put filters at the top level"
                )
            self.filters.append(token)
            return None
        if token.kind == "lparen":
            inner = self.or_expr(depth + 1)
            close = self.peek()
            if close is None or close.kind != "rparen":
                raise QueryError(
                    f"unbalanced parenthesis: '(' at position {token.pos + 1} is never closed"
                )
            self.take()
            if inner is None:
                raise QueryError(f"empty parentheses at position {token.pos + 1}")
            return inner
        if token.kind == "rparen":
            raise QueryError(f"unbalanced parenthesis: ')' at position {token.pos + 1}")
        raise QueryError(f"unexpected {token.text!r} at position {token.pos + 1}")


def _check_negation(expr: QueryExpr | None) -> None:
    """Every AND below the top needs a positive part: a NOT alone cannot be ranked."""

    def visit(node: QueryExpr, top: bool) -> None:
        if isinstance(node, And):
            if not top and all(isinstance(c, Not) for c in node.children):
                raise QueryError("NOT needs a positive term beside it, e.g. 'a NOT b'")
            for child in node.children:
                visit(child.child if isinstance(child, Not) else child, False)
        elif isinstance(node, Or):
            for child in node.children:
                visit(child, False)
        elif isinstance(node, Not):
            if not top:
                raise QueryError("NOT needs a positive term beside it, e.g. 'a NOT b'")
            visit(node.child, False)

    if expr is not None:
        visit(expr, True)


def _country(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z]{2}", value):
        raise QueryError(f"bad country {value!r}: use ISO 3166-1 alpha-2 codes like BY, KZ")
    return value.upper()


def _language(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z]{2}", value):
        raise QueryError(f"bad language {value!r}: use ISO 639-1 codes like de, ru, en")
    return value.lower()


def _event_type(value: str) -> str:
    if value not in EVENT_TYPES:
        raise QueryError(f"unknown event type {value!r}; use one of: {', '.join(EVENT_TYPES)}")
    return value


def _date_bounds(value: str, what: str) -> tuple[str, str]:
    """First and last day meant by YYYY, YYYY-MM or YYYY-MM-DD."""
    try:
        if re.fullmatch(r"\d{4}", value):
            return f"{value}-01-01", f"{value}-12-31"
        if re.fullmatch(r"\d{4}-\d{2}", value):
            year, month = int(value[:4]), int(value[5:])
            last = calendar.monthrange(year, month)[1]
            return f"{value}-01", f"{value}-{last:02d}"
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            day = date.fromisoformat(value).isoformat()
            return day, day
    except ValueError:
        pass
    raise QueryError(f"bad date {value!r} in {what}: use YYYY-MM-DD, YYYY-MM or YYYY")


def _day(value: str, what: str) -> str:
    first, _ = _date_bounds(value, what)
    if len(value) != 10:
        raise QueryError(f"bad date {value!r} in {what}: use YYYY-MM-DD")
    return first


def _values(token: _Token) -> list[str]:
    values = [v.strip() for v in re.split(r"[,|]", token.text) if v.strip()]
    if not values:
        raise QueryError(f"filter {token.name}: needs a value")
    return values


def parse_query(text: str, base: Query | None = None) -> Query:
    """Parse a query string into `base` (or a new Query): free text plus filters.

    Raises QueryError naming what is wrong (never another exception for any input).
    """
    query = base if base is not None else Query()
    parser = _Parser(_tokenize(text))
    expr = parser.parse()
    _check_negation(expr)
    query.text = expr
    for token in parser.filters:
        name, raw = token.name, token.text
        what = f"{name}:{raw}"
        values = _values(token)
        if name == "country":
            codes = [_country(v) for v in values]
            if len(codes) == 1:
                query.countries_all.append(codes[0])
            elif query.countries_any:
                raise QueryError("only one any-of country list (country:A,B) per query")
            else:
                query.countries_any = codes
        elif name == "actor":
            query.actors.extend(values)
        elif name == "project":
            query.projects.extend(values)
        elif name == "type":
            query.event_types.extend(_event_type(v) for v in values)
        elif name in ("lang", "language"):
            query.languages.extend(_language(v) for v in values)
        elif name == "site":
            query.sites.extend(v.lower() for v in values)
        elif name == "kind":
            for v in values:
                if v not in KINDS:
                    raise QueryError(f"unknown kind {v!r} in {what}; use article or event")
            query.kinds.extend(values)
        elif name == "date":
            if ".." in raw:
                start, _, end = raw.partition("..")
                if start:
                    query.date_from = _date_bounds(start, what)[0]
                if end:
                    query.date_to = _date_bounds(end, what)[1]
            else:
                query.date_from, query.date_to = _date_bounds(raw, what)
        elif name == "from":
            query.date_from = _date_bounds(raw, what)[0]
        elif name == "to":
            query.date_to = _date_bounds(raw, what)[1]
        elif name == "relevant":
            if raw not in ("yes", "all", "true"):
                raise QueryError(f"bad value in {what}: use relevant:yes or relevant:all")
            query.relevant_only = raw != "all"
        elif name == "sort":
            if raw not in ("relevance", "date"):
                raise QueryError(f"bad value in {what}: use sort:relevance or sort:date")
            query.sort = raw  # type: ignore[assignment]
    return query.validate()


# -- cursors ---------------------------------------------------------------------------------


def encode_cursor(sort: str, key: list[Any]) -> str:
    """Opaque next-page cursor: the sort key of the last hit of this page."""
    raw = json.dumps({"v": 1, "s": sort, "k": key}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> list[Any]:
    """The sort key inside `cursor`; QueryError when it is not one of ours for this sort."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if data.get("v") != 1 or not isinstance(data.get("k"), list):
            raise ValueError
    except (ValueError, binascii.Error, UnicodeDecodeError, AttributeError):
        raise QueryError("bad cursor: pass next_cursor exactly as a search returned it") from None
    if data.get("s") != sort:
        raise QueryError(f"cursor is for sort {data.get('s')!r}, not {sort!r}")
    return data["k"]


# -- analysis --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Terms:
    """One query word/phrase after analysis: any of these term sequences (len > 1: phrase)."""

    alternatives: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class AAnd:
    children: tuple[AnalysedExpr, ...]


@dataclass(frozen=True, slots=True)
class AOr:
    children: tuple[AnalysedExpr, ...]


@dataclass(frozen=True, slots=True)
class ANot:
    child: AnalysedExpr


AnalysedExpr = Terms | AAnd | AOr | ANot


def analyse_expr(
    expr: QueryExpr | None,
    analyzer: TextAnalyzer,
    languages: list[str],
    term_expander: TermExpander | None = None,
) -> AnalysedExpr | None:
    """Analyse every word and phrase in each language it may be in (by script; plus plain
    folding), with the `term_expander`'s variants as alternatives."""
    if expr is None:
        return None
    if isinstance(expr, Word | Phrase):
        surfaces = [expr.text]
        if term_expander is not None:
            surfaces += [s for s in term_expander(expr.text) if s and s != expr.text]
        alternatives: list[tuple[str, ...]] = []
        for surface in surfaces:
            for lang in [*script_languages(surface, languages), None]:
                terms = tuple(analyzer(surface, lang))
                if terms and terms not in alternatives:
                    alternatives.append(terms)
        if not alternatives:
            raise QueryError(f"nothing searchable in {expr.text!r}")
        return Terms(tuple(alternatives))
    if isinstance(expr, Not):
        child = analyse_expr(expr.child, analyzer, languages, term_expander)
        assert child is not None
        return ANot(child)
    children = tuple(
        c
        for c in (analyse_expr(ch, analyzer, languages, term_expander) for ch in expr.children)
        if c is not None
    )
    return AAnd(children) if isinstance(expr, And) else AOr(children)


def positive_terms(expr: AnalysedExpr | None) -> set[str]:
    """Every term a hit may match (for highlighting): all but those under NOT."""
    found: set[str] = set()

    def visit(node: AnalysedExpr) -> None:
        if isinstance(node, Terms):
            for alternative in node.alternatives:
                found.update(alternative)
        elif isinstance(node, AAnd | AOr):
            for child in node.children:
                visit(child)

    if expr is not None:
        visit(expr)
    return found


def excluded(expr: AnalysedExpr) -> list[AnalysedExpr]:
    """What a negative-only query (see `is_negative_only`) excludes."""
    if isinstance(expr, ANot):
        return [expr.child]
    assert isinstance(expr, AAnd)
    return [c.child for c in expr.children if isinstance(c, ANot)]


def is_negative_only(expr: AnalysedExpr | None) -> bool:
    """True for a query that only excludes (``NOT a``, ``-a -b``): nothing to rank by."""
    if isinstance(expr, ANot):
        return True
    return isinstance(expr, AAnd) and all(isinstance(c, ANot) for c in expr.children)
