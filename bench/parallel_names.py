"""One person, one identity across languages: persons of three-way parallel news sentences.

    .venv/bin/python bench/parallel_names.py ../shared/corpus/parallel/wmt-newstest-de-en-ru
        [--year 2013] [--limit N] [--details]

Line i of newstest<year>.eng/.deu/.rus is the same sentence in English, German and Russian.
Each line goes through the article analysis (statistical NER and the person rules) in each
language; every full name (two words or more) found in the English sentence is looked up by
its identity key (`nlp.names.identity_key`, what the actor registry joins on) among the persons
of the German and of the Russian sentence. Reported per language: found under the same key,
found with the same surname but another first name, and not found. Western names come back from
Cyrillic in another spelling (Boyle -> Бойл -> Boyl), so the Russian figure is a floor.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from collections import Counter
from pathlib import Path

from coopwatch.settings import load_settings
from nlp.actors import analyse_actors
from nlp.names import identity_key

LANGUAGES = {"en": "eng", "de": "deu", "ru": "rus"}


def _read(path: Path) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return lines.read().splitlines()


def _persons(sentence: str, lang: str, settings) -> dict[str, str]:
    """identity key -> canonical name of the full names in one sentence."""
    actors, _projects = analyse_actors(None, [sentence], lang, settings)
    return {
        identity_key(a.canonical, "en"): a.canonical
        for a in actors
        if a.kind == "person" and " " in a.canonical
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--year", default="2013")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--details", action="store_true", help="print every miss")
    args = parser.parse_args()
    lines = {
        lang: _read(args.corpus / f"newstest{args.year}.{suffix}.gz")[: args.limit]
        for lang, suffix in LANGUAGES.items()
    }
    settings = load_settings()
    counts: Counter[str] = Counter()
    started = time.perf_counter()
    for number, english in enumerate(lines["en"]):
        wanted = _persons(english, "en", settings)
        counts["english_full_names"] += len(wanted)
        for lang in ("de", "ru"):
            found = _persons(lines[lang][number], lang, settings)
            surnames = {key.split()[-1] for key in found}
            for key, name in wanted.items():
                if key in found:
                    outcome = "same"
                elif key.split()[-1] in surnames:
                    outcome = "surname_only"
                else:
                    outcome = "missing"
                counts[f"{lang}_{outcome}"] += 1
                if args.details and outcome != "same":
                    print(f"{number}\t{lang}\t{outcome}\t{name}\t{sorted(found.values())}")
    figures = {
        **dict(sorted(counts.items())),
        "sentences": len(lines["en"]),
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
