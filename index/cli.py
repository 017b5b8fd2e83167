"""`coopwatch search` and `coopwatch reindex` (registered in coopwatch/cli.py)."""

from __future__ import annotations

import contextlib
import json
import sys
from typing import Any

import click


def _open(ctx: click.Context, backend: str | None):
    from coopwatch.store import Store
    from index import open_index

    settings = ctx.obj["settings"]
    store = Store(settings.data_dir)
    return store, open_index(settings, store, backend=backend)


BACKEND = click.option(
    "--backend",
    type=click.Choice(["embedded", "elasticsearch", "tantivy"]),
    help="Index backend [default: setting index.backend].",
)


@click.command()
@BACKEND
@click.option("--catch-up", is_flag=True, help="Only index what is marked stale.")
@click.pass_context
def reindex(ctx: click.Context, backend: str | None, catch_up: bool):
    """Rebuild the search index from the store of record (searches see the old index until
    the new one is complete)."""
    store, index = _open(ctx, backend)
    try:
        if catch_up:
            done = index.catch_up()
            click.echo(f"caught up {done} documents into {index.backend.name}", err=True)
        else:
            count = index.reindex()
            click.echo(f"indexed {count} documents into {index.backend.name}", err=True)
        stale = index.stale()
    finally:
        index.close()
        store.close()
    if stale:
        click.echo(f"{stale} documents are still stale (index down?)", err=True)
    sys.exit(1 if stale else 0)


def _split(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


@click.command()
@click.argument("query", default="")
@click.option("--country", multiple=True, help="Country all hits name (repeat: all of).")
@click.option("--any-country", help="Comma-separated countries, any of.")
@click.option("--actor", multiple=True, help="Actor id (repeat: all of).")
@click.option("--project", multiple=True, help="Project id (repeat: all of).")
@click.option("--type", "event_type", multiple=True, help="Event type (repeat: any of).")
@click.option("--lang", multiple=True, help="Language (repeat: any of).")
@click.option("--site", multiple=True, help="Source site (repeat: any of).")
@click.option("--kind", type=click.Choice(["article", "event"]), help="Only articles or events.")
@click.option("--from", "date_from", help="Earliest date, YYYY-MM-DD.")
@click.option("--to", "date_to", help="Latest date, YYYY-MM-DD.")
@click.option("--all", "include_irrelevant", is_flag=True, help="Include irrelevant articles.")
@click.option("--sort", type=click.Choice(["relevance", "date"]))
@click.option("--size", type=int, help="Hits per page [default: setting index.page_size].")
@click.option("--cursor", help="next_cursor of the previous page.")
@click.option("--facets/--no-facets", default=True, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@BACKEND
@click.pass_context
def search(ctx: click.Context, query: str, **options: Any):
    """Search articles and events. QUERY is free text with filters, e.g.

    \b
      coopwatch search 'Familienkarte country:BY date:2025-11'
      coopwatch search '"digital family card" OR Familienkarte -Russland' --kind event
    """
    from coopwatch.errors import IndexUnavailable
    from index.query import FACETS

    store, index = _open(ctx, options["backend"])
    try:
        with contextlib.suppress(IndexUnavailable):
            index.catch_up()  # if still down: searched as it is, the result counts stale ones
        fields: dict[str, Any] = {
            "countries_all": _split(options["country"]),
            "actors": list(options["actor"]),
            "projects": list(options["project"]),
            "event_types": _split(options["event_type"]),
            "languages": _split(options["lang"]),
            "sites": _split(options["site"]),
            "kinds": [options["kind"]] if options["kind"] else [],
            "date_from": options["date_from"],
            "date_to": options["date_to"],
            "sort": options["sort"],
            "size": options["size"],
            "cursor": options["cursor"],
            "facets": list(FACETS) if options["facets"] else [],
        }
        if options["any_country"]:
            fields["countries_any"] = _split((options["any_country"],))
        if options["include_irrelevant"]:
            fields["relevant_only"] = False
        result = index.search(index.parse(query, **fields))
    finally:
        index.close()
        store.close()
    if options["as_json"]:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False))
        return
    shown = len(result.hits)
    click.echo(f"{result.total} hits" + (f" (showing {shown})" if shown < result.total else ""))
    for hit in result.hits:
        click.echo(f"\n[{hit.kind}] {hit.date or '(undated)'}  {hit.id}  {hit.title or ''}")
        for fragment in hit.highlights:
            click.echo(f"    {fragment}")
    facets = {name: values for name, values in result.facets.items() if values}
    if facets:
        click.echo("")
    for name, values in facets.items():
        click.echo(f"{name}: " + ", ".join(f"{v.value} {v.count}" for v in values))
    if result.next_cursor:
        click.echo(f"\nnext page: --cursor {result.next_cursor}")
    if result.stale:
        click.echo(f"note: {result.stale} documents are not indexed yet (stale)", err=True)
