"""`coopwatch train ...` commands (spaCy is imported only when a command runs)."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.group("train")
def train() -> None:
    """Train the project's own models from ../shared/corpus."""


lang_option = click.option(
    "--lang", required=True, type=click.Choice(["de", "en"]), help="Model language."
)
corpus_dir_option = click.option(
    "--corpus-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The shared corpus/ner directory [default: ../shared/corpus/ner].",
)


def existing_corpus_dir(corpus_dir: Path | None) -> Path:
    """`corpus_dir`, or the default next to the repository; refused if it is not there."""
    from nlp.training.train import DEFAULT_CORPUS_DIR

    corpus_dir = corpus_dir or DEFAULT_CORPUS_DIR
    if not corpus_dir.is_dir():
        raise click.UsageError(f"corpus directory not found: {corpus_dir}")
    return corpus_dir


@train.command("ner")
@lang_option
@corpus_dir_option
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the trained pipeline goes [default: nlp/models/ner-LANG].",
)
@click.option("--max-steps", type=int, help="Training steps [default: the language's recipe].")
@click.option(
    "--pretrain-epochs",
    type=int,
    help="Epochs of tok2vec pretraining on raw text, 0 = none [default: the language's recipe].",
)
@click.option(
    "--lexicon/--no-lexicon",
    default=None,
    help="Lexicon features in the NER's embedding: Brown clusters, and for de also word "
    "frequencies, a noun/name dictionary and gazetteers [default: the language's recipe].",
)
@click.option(
    "--teacher/--no-teacher",
    default=None,
    help="Add the recipe's unlabelled text as tagged by a fine-tuned multilingual-e5-small "
    "teacher (de; needs the teacher extra; about 40 min more on 2 cores) [default: off].",
)
def train_ner_command(
    lang: str,
    corpus_dir: Path | None,
    output: Path | None,
    max_steps: int | None,
    pretrain_epochs: int | None,
    lexicon: bool | None,
    teacher: bool | None,
) -> None:
    """Train the statistical NER of LANG and install it under nlp/models/ner-LANG."""
    from nlp.training.train import train_ner

    summary = train_ner(
        lang,
        existing_corpus_dir(corpus_dir),
        output=output,
        max_steps=max_steps,
        pretrain_epochs=pretrain_epochs,
        lexicon=lexicon,
        teacher=teacher,
    )
    click.echo(json.dumps(summary, ensure_ascii=False))


@train.command("teacher")
@lang_option
@corpus_dir_option
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the model folder goes [default: build/ner-LANG-transformer].",
)
def train_teacher_command(lang: str, corpus_dir: Path | None, output: Path | None) -> None:
    """Fine-tune multilingual-e5-small as LANG's NER (needs the teacher extra; about 35 min on
    2 cores, reused if `train ner --teacher` already did it) and write it as a Hugging Face
    token-classification model for nlp.ner.backend = "transformers"."""
    from nlp.training.train import export_teacher

    summary = export_teacher(lang, existing_corpus_dir(corpus_dir), output=output)
    click.echo(json.dumps(summary, ensure_ascii=False))
