"""How every bench reports: its figures as JSON on stdout, and in a file when asked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def emit(figures: dict[str, Any], json_path: Path | None = None) -> None:
    """Print `figures` as indented JSON; also write them to `json_path` when given."""
    text = json.dumps(figures, indent=2, ensure_ascii=False)
    print(text, flush=True)
    if json_path:
        json_path.write_text(text + "\n", encoding="utf-8")
