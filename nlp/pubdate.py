"""The publication date printed on a page, for pages whose markup carries no date metadata.

htmldate (through trafilatura) reads dates from metadata and markup fast; its text search
hands strings to dateparser over every locale, which costs seconds per page. This reads the
date formats news pages print ("18.06.2025 16:05", "21 апреля 2026", "4. November 2025",
"March 13, 2025", "2025-03-13") with regular expressions, preferring the date printed right
after the headline.
"""

from __future__ import annotations

import contextlib
import re
from datetime import date

from lxml import etree

from nlp.months import MONTHS

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE = re.compile(
    rf"""(?ix)
    \b(?P<d1>\d{{1,2}})\.(?P<m1>\d{{1,2}})\.(?P<y1>(19|20)\d\d)\b                # 18.06.2025
    | \b(?P<y2>(19|20)\d\d)-(?P<m2>\d\d)-(?P<d2>\d\d)\b                          # 2025-06-18
    | \b(?P<d3>\d{{1,2}})\.?\s+(?P<m3>{_MONTH})\.?,?\s+(?P<y3>(19|20)\d\d)\b    # 4. November 2025
    | \b(?P<m4>{_MONTH})\.?\s+(?P<d4>\d{{1,2}})(st|nd|rd|th)?,?\s+(?P<y4>(19|20)\d\d)\b  # May 1
    """
)
_SKIP = {"script", "style", "noscript", "template", "nav", "footer"}


def parse_dates(text: str) -> list[date]:
    """Every well-formed calendar date in `text`, in order."""
    found = []
    for match in _DATE.finditer(text):
        groups = match.groupdict()
        for n in "1234":
            if groups[f"y{n}"]:
                month = groups[f"m{n}"]
                month_number = int(month) if month.isdigit() else MONTHS.get(month.lower())
                with contextlib.suppress(ValueError):  # 31.02.2025 is no date
                    found.append(
                        date(int(groups[f"y{n}"]), month_number or 0, int(groups[f"d{n}"]))
                    )
                break
    return found


def _visible_text(element: etree._Element) -> str:
    parts = []
    for node in element.iter():
        if not isinstance(node.tag, str) or node.tag in _SKIP:
            continue
        if any(ancestor.tag in _SKIP for ancestor in node.iterancestors()):
            continue
        if node.text:
            parts.append(node.text)
        if node.tail:
            parts.append(node.tail)
    return " ".join(parts)


def printed_date(tree: etree._Element, not_after: date | None) -> date | None:
    """The page's printed publication date: first after the headline, else first on the page.

    Dates after `not_after` (the fetch date) are ignored: they are event announcements.
    """
    body = tree.find(".//body")
    if body is None:
        body = tree

    def plausible(days: list[date]) -> date | None:
        return next((d for d in days if not_after is None or d <= not_after), None)

    headline = body.find(".//h1")
    if headline is not None:
        following = []
        for node in headline.itersiblings():
            following.append(_visible_text(node))
            if sum(len(part) for part in following) > 600:
                break
        near = plausible(parse_dates(" ".join(following)[:600]))
        if near:
            return near
    return plausible(parse_dates(_visible_text(body)))
