"""`coopwatch ner` against the contract in shared/spec/output-format.md."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from coopwatch.cli import cli

REPO = Path(__file__).resolve().parents[2]
FACTRU = REPO.parent / "shared" / "corpus" / "ner" / "ru-factrueval2016" / "devset"
NER_EVAL = REPO.parent / "shared" / "eval" / "ner_eval.py"


def run_ner(settings, lang: str, lines: list[str], *flags: str):
    runner = CliRunner()
    result = runner.invoke(
        cli,
        ["--data-dir", str(settings.data_dir), "ner", "--lang", lang, *flags],
        input="".join(line + "\n" for line in lines),
    )
    return result


def test_pretokenized_output_has_one_line_per_input_in_order(settings):
    sentences = [
        ["Александр", "Турчин", "посетил", "Минск", "."],
        [],
        ["В", "Ташкенте", "выступил", "Владимир", "Путин", "."],
        ["и", "всё"],
    ]
    lines = [json.dumps({"tokens": tokens}, ensure_ascii=False) for tokens in sentences]
    result = run_ner(settings, "ru", lines, "--pretokenized")
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == len(sentences)
    assert out[0] == {"entities": [[0, 2, "PER"], [3, 4, "LOC"]]}
    assert out[1] == {"entities": []}
    assert out[2] == {"entities": [[1, 2, "LOC"], [3, 5, "PER"]]}
    for tokens, record in zip(sentences, out, strict=True):
        for start, end, label in record["entities"]:
            assert 0 <= start < end <= len(tokens)
            assert label in {"PER", "ORG", "LOC"}


@pytest.mark.parametrize("lang", ["de", "en"])
def test_pretokenized_contract_for_trained_models(settings, lang):
    tokens = ["Officials", "from", "Berlin", "and", "London", "met", "."]
    result = run_ner(settings, lang, [json.dumps({"tokens": tokens})] * 3, "--pretokenized")
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 3 and out[0] == out[1] == out[2]
    assert all(0 <= s < e <= len(tokens) for s, e, _ in out[0]["entities"])


def test_unsupported_language_gives_empty_entities(settings):
    lines = [json.dumps({"tokens": ["Alexander", "Turchin", "visite", "Minsk"]})] * 2
    result = run_ner(settings, "fr", lines, "--pretokenized")
    assert result.exit_code == 0, result.output
    assert [json.loads(line) for line in result.stdout.splitlines()] == [{"entities": []}] * 2


def test_text_mode_gives_character_offsets(settings):
    text = "Александр Турчин посетил Минск."
    result = run_ner(settings, "ru", [json.dumps({"text": text}, ensure_ascii=False)])
    assert result.exit_code == 0, result.output
    entities = json.loads(result.stdout)["entities"]
    assert [text[s:e] for s, e, _ in entities] == ["Александр Турчин", "Минск"]


def test_malformed_input_is_a_usage_error(settings):
    result = run_ner(settings, "ru", ["not json"], "--pretokenized")
    assert result.exit_code == 2
    assert "line 1" in result.output


@pytest.mark.slow
def test_ner_eval_scores_factrueval_sample(tmp_path):
    """The shared scorer drives the real command end to end (skipped without ../shared)."""
    if not NER_EVAL.is_file() or not FACTRU.is_dir():
        pytest.skip("../shared NER corpus or scorer not present")
    command = f"{sys.executable} -m coopwatch.cli"
    args = [str(NER_EVAL), str(FACTRU), "--lang", "ru", "--limit", "200", "--cmd", command]
    done = subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    summary = done.stdout.strip().splitlines()[-1]
    assert summary.startswith("SUMMARY ner_f1=")
    assert float(summary.split()[1].split("=")[1]) > 0.8
