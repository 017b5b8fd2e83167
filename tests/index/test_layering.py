"""The index package stays in its lane: no nlp/crawler/api imports, elasticsearch only in
its backend (and only when that backend is used)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

INDEX = Path(__file__).resolve().parents[2] / "index"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_index_imports_no_other_stage():
    for path in INDEX.glob("*.py"):
        assert not imported_modules(path) & {"nlp", "crawler", "api"}, path.name


def test_elasticsearch_is_imported_only_by_its_backend():
    for path in INDEX.glob("*.py"):
        if path.name != "elasticsearch.py":
            assert "elasticsearch" not in imported_modules(path), path.name


def test_embedded_use_loads_no_elasticsearch():
    code = (
        "import sys, index, index.embedded, index.cli\n"
        "assert 'elasticsearch' not in sys.modules\n"
        "assert 'nlp' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
