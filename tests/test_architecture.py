"""Dependencies point one way: coopwatch core <- crawler, nlp, index <- api <- CLI/scheduler.

Checked on the source (module-level and function-level imports alike), so a shortcut that
would tie two stages together fails here rather than in a review.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
STAGES = ("crawler", "nlp", "index")
CORE = {"records", "settings", "errors", "store", "urls", "text_analysis", "walls"}
# Process entry points of a stage (its command line, the crawl subprocess) sit at the top
# layer: they may wire the stage to the orchestration in coopwatch.
ENTRY_POINTS = {
    "crawler.cli",
    "crawler.runner",
    "crawler.ingest",
    "crawler.__main__",
    "index.cli",
    "nlp.ner_cli",
    "nlp.training.cli",
}


def imports(package: str) -> list[tuple[str, str]]:
    found = []
    for path in sorted((REPO / package).rglob("*.py")):
        module = ".".join(path.relative_to(REPO).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.extend((module, alias.name) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.append((module, node.module))
    return found


@pytest.mark.parametrize("stage", STAGES)
def test_stages_never_import_each_other_or_the_api(stage: str):
    others = {s for s in STAGES if s != stage} | {"api"}
    bad = [(m, n) for m, n in imports(stage) if n.split(".")[0] in others]
    assert bad == []


@pytest.mark.parametrize("stage", STAGES)
def test_stages_use_only_the_shared_core_of_coopwatch(stage: str):
    bad = [
        (module, name)
        for module, name in imports(stage)
        if name.split(".")[0] == "coopwatch"
        and module not in ENTRY_POINTS
        and (len(name.split(".")) < 2 or name.split(".")[1] not in CORE)
    ]
    assert bad == []


def test_core_modules_import_no_stage():
    bad = [
        (module, name)
        for module, name in imports("coopwatch")
        if module.split(".")[1] in CORE - {"text_analysis"}
        and name.split(".")[0] in (*STAGES, "api")
    ]
    assert bad == []
