"""`coopwatch ner`: named entities of JSON lines on standard input (spec: output-format.md)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator

import click

from coopwatch.errors import UsageError


def _records(stream) -> Iterator[dict]:
    for number, line in enumerate(stream, 1):
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UsageError(f"line {number}: not JSON ({exc.msg})") from exc
        if not isinstance(record, dict):
            raise UsageError(f"line {number}: expected a JSON object")
        yield record


def _field(record: dict, name: str, kind: type, number: int):
    value = record.get(name)
    if not isinstance(value, kind):
        raise UsageError(f"line {number}: {name!r} must be a {kind.__name__}")
    return value


@click.command("ner")
@click.option("--lang", required=True, help="Language of the input (de, ru, en; others: none).")
@click.option(
    "--pretokenized",
    is_flag=True,
    help='Input lines are {"tokens": [...]}; output token offsets [start, end, label]. '
    'Without it, lines are {"text": "..."} and offsets are characters [start, end, label].',
)
@click.pass_context
def ner(ctx: click.Context, lang: str, pretokenized: bool) -> None:
    """Named entities (PER/ORG/LOC) of each JSON line on stdin, one JSON line out per line in."""
    from coopwatch.settings import load_settings
    from nlp.ner import analyse_text, tag_tokens

    settings = (ctx.obj or {}).get("settings") or load_settings()
    lang = lang.lower()
    records = _records(sys.stdin)
    out = sys.stdout
    if pretokenized:
        sentences = (
            [str(t) for t in _field(r, "tokens", list, n)] for n, r in enumerate(records, 1)
        )
        for found in tag_tokens(sentences, lang, settings):
            out.write(json.dumps({"entities": [list(e) for e in found]}, ensure_ascii=False))
            out.write("\n")
    else:
        for number, record in enumerate(records, 1):
            doc = analyse_text(_field(record, "text", str, number), lang, settings)
            found = [[e.start_char, e.end_char, e.label_] for e in doc.ents]
            out.write(json.dumps({"entities": found}, ensure_ascii=False) + "\n")
    out.flush()
