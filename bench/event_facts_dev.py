"""Event facts (type, date, location, acting countries) on a gold corpus's paragraphs.

    .venv/bin/python bench/event_facts_dev.py ../shared/fixtures/coop-dev [--details]

Runs nlp.event_facts on each relevant article's gold title and paragraphs (dateline parsed with
nlp.dateline as the pipeline does) and compares with the gold of the event it reports: accuracy
per article, and per event by majority vote over its articles (as an EVENT record would carry).
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from datetime import date
from pathlib import Path

from nlp.dateline import parse_dateline
from nlp.event_facts import event_facts, find_acting_countries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--details", action="store_true", help="print every article")
    args = parser.parse_args()
    corpus = json.loads((args.corpus / "corpus.json").read_text("utf-8"))
    events = {e["id"]: e for e in corpus["events"]}
    articles = [a for a in corpus["articles"] if a.get("event")]
    try:
        find_acting_countries("Belarus", ["Kasachstan"])
        with_countries = True
    except ImportError:
        with_countries = False

    per_event: dict[str, list[dict]] = {}
    hits = Counter()
    started = time.perf_counter()
    for article in articles:
        gold = events[article["event"]]
        published = date.fromisoformat(article["published"]) if article["published"] else None
        paragraphs = article["paragraphs"]
        dateline = (
            parse_dateline(paragraphs[0], article["language"], published) if paragraphs else None
        )
        facts = event_facts(article["title"], paragraphs, article["language"], published, dateline)
        countries = find_acting_countries(article["title"], paragraphs) if with_countries else []
        got = {
            "type": facts.event_type,
            "date": facts.date.isoformat() if facts.date else None,
            "location": facts.location,
            "countries": countries,
        }
        want = {k: gold[k] for k in ("type", "date", "location", "countries")}
        ok = {k: got[k] == want[k] for k in got}
        hits.update(k for k, v in ok.items() if v)
        per_event.setdefault(gold["id"], []).append(got)
        if args.details or not all(ok.values()):
            wrong = {k: (got[k], want[k]) for k in got if not ok[k]}
            print(
                f"{article['id']} {article['language']} type={facts.event_type}"
                f" ({facts.type_evidence}) date={got['date']} [{facts.date_source}]"
                f" loc={facts.location} {'WRONG ' + str(wrong) if wrong else 'ok'}"
            )
    elapsed = time.perf_counter() - started
    n = len(articles)
    # Steady state, event_facts alone (the gazetteer and country matcher are loaded by now).
    inputs = []
    for article in corpus["articles"]:
        published = date.fromisoformat(article["published"]) if article["published"] else None
        paragraphs = article["paragraphs"]
        dateline = (
            parse_dateline(paragraphs[0], article["language"], published) if paragraphs else None
        )
        inputs.append((article["title"], paragraphs, article["language"], published, dateline))
    rounds = 20
    tick = time.perf_counter()
    for _ in range(rounds):
        for args_ in inputs:
            event_facts(*args_)
    per_second = rounds * len(inputs) / (time.perf_counter() - tick)
    fields = ("type", "date", "location") + (("countries",) if with_countries else ())
    print("per article: " + "  ".join(f"{k}={hits[k] / n:.3f}" for k in fields) + f"  n={n}")
    event_hits = Counter()
    for event_id, gots in per_event.items():
        gold = events[event_id]
        for key in fields:
            values = Counter(
                tuple(g[key]) if isinstance(g[key], list) else g[key] for g in gots if g[key]
            )
            majority = values.most_common(1)[0][0] if values else None
            majority = list(majority) if isinstance(majority, tuple) else majority
            event_hits[key] += majority == gold[key]
    m = len(per_event)
    print("per event (majority): " + "  ".join(f"{k}={event_hits[k] / m:.3f}" for k in fields))
    print(
        f"SUMMARY articles={n} events={m} first_pass_s={elapsed:.2f}"
        f" event_facts_articles_per_s={per_second:.0f}"
    )


if __name__ == "__main__":
    main()
