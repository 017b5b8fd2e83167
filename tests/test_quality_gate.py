"""Quality gate: import the coop-dev gold corpus through the CLI and hold the scores' floors.

The corpus is written as a WARC exactly as ../shared/eval/coopeval.py writes it (its own
functions, loaded by path), imported and exported with the real CLI and store, and scored with
coopeval's scorer. Skipped when ../shared is absent. Raise a floor when the score rises; never
lower one to make a change pass.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from coopwatch.cli import cli

COOPEVAL = Path(__file__).resolve().parents[2] / "shared" / "eval" / "coopeval.py"

LANGUAGE_ACCURACY_FLOOR = 1.0
PUBLISHED_ACCURACY_FLOOR = 0.95
TITLE_ACCURACY_FLOOR = 0.90
REPEATED_PARAGRAPHS_ACCURACY_FLOOR = 0.95
# What extraction scores when this gate is written (1.000 with nlp/extract.py of b6dbb35;
# 0.903 before it), rounded down to 0.01. The issue's own target is 0.95.
PARAGRAPHS_F1_FLOOR = 1.0


def load_coopeval() -> ModuleType:
    spec = importlib.util.spec_from_file_location("coopeval", COOPEVAL)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["coopeval"] = module  # as an import would: introspection finds the module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def coop_dev_scores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    corpus = COOPEVAL.parent.parent / "fixtures" / "coop-dev"
    if not COOPEVAL.is_file() or not (corpus / "corpus.json").is_file():
        pytest.skip("../shared/eval/coopeval.py or ../shared/fixtures/coop-dev is not present")
    coopeval = load_coopeval()
    gold = coopeval.Gold(str(corpus))
    assert not gold.errors and not gold.file_errors
    work = tmp_path_factory.mktemp("coop-dev")
    warc = work / "coop-dev.warc.gz"
    # WARC-Date = time of writing, as a crawler's (coopeval's default: dates are not given away)
    coopeval.write_warc(str(warc), coopeval.build_pages(gold, "crawl"))
    runner = CliRunner()
    data_dir = str(work / "data")
    imported = runner.invoke(cli, ["--data-dir", data_dir, "import", str(warc)])
    assert imported.exit_code == 0, imported.output
    export = work / "export.jsonl"
    exported = runner.invoke(
        cli, ["--data-dir", data_dir, "export", "--format", "jsonl", "-o", str(export)]
    )
    assert exported.exit_code == 0, exported.output
    result = coopeval.score(gold, coopeval.Export.load(str(export)))
    return result["scores"]


def value(scores: dict[str, dict], key: str) -> float:
    row = scores[key]
    number = row.get("f1") if "f1" in row else row.get("accuracy")
    assert number is not None, f"{key} is undefined: {row}"
    return number


def test_every_gold_article_is_exported(coop_dev_scores):
    assert coop_dev_scores["language"]["n"] == coop_dev_scores["title"]["n"] > 0


def test_language_accuracy(coop_dev_scores):
    assert value(coop_dev_scores, "language") >= LANGUAGE_ACCURACY_FLOOR


def test_published_date_accuracy(coop_dev_scores):
    assert value(coop_dev_scores, "published") >= PUBLISHED_ACCURACY_FLOOR


def test_title_accuracy(coop_dev_scores):
    assert value(coop_dev_scores, "title") >= TITLE_ACCURACY_FLOOR


def test_repeated_paragraph_accuracy(coop_dev_scores):
    assert value(coop_dev_scores, "repeated_paragraphs") >= REPEATED_PARAGRAPHS_ACCURACY_FLOOR


def test_paragraphs_f1(coop_dev_scores):
    assert value(coop_dev_scores, "paragraphs") >= PARAGRAPHS_F1_FLOOR


# Actors and projects (nlp/actors.py, nlp/projects.py, coopwatch/actors.py): the issue's
# targets. Scored 0.938 / 1.000 / 1.000 / 0.900 when written (person precision 0.883: the 9
# persons of non-cooperation reports, which coop-dev defines in no event); the floors stay at
# the targets while the de/en NER models are being retrained.
PERSON_F1_FLOOR = 0.90
ORGANIZATION_F1_FLOOR = 0.75
ACTOR_IDENTITY_F1_FLOOR = 0.90
PROJECT_F1_FLOOR = 0.75


def test_actor_and_project_scores(coop_dev_scores):
    assert value(coop_dev_scores, "actors_person") >= PERSON_F1_FLOOR
    assert value(coop_dev_scores, "actors_organization") >= ORGANIZATION_F1_FLOOR
    assert value(coop_dev_scores, "actor_identity") >= ACTOR_IDENTITY_F1_FLOOR
    assert value(coop_dev_scores, "projects") >= PROJECT_F1_FLOOR
