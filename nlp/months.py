"""Month names and abbreviations in de/ru/en (Russian nominative and genitive) -> month number.

One table for every reader of printed dates (nlp.pubdate, nlp.event_facts); lower case, without
a trailing period. The languages share no spelling with different months, so one dict serves.
"""

from __future__ import annotations

MONTHS: dict[str, int] = {}
for number, names in enumerate(
    [
        "january jan januar jänner января январь янв",
        "february feb febr februar февраля февраль фев февр",
        "march mar märz maerz марта март мар",
        "april apr апреля апрель апр",
        "may mai мая май",
        "june jun juni июня июнь",
        "july jul juli июля июль",
        "august aug августа август авг",
        "september sep sept сентября сентябрь сен сент",
        "october oct oktober okt октября октябрь окт",
        "november nov ноября ноябрь ноя нояб",
        "december dec dezember dez декабря декабрь дек",
    ],
    start=1,
):
    for name in names.split():
        MONTHS[name] = number
