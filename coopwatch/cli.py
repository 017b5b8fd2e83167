"""The `coopwatch` command line. Only this module prints; library code logs and raises."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from coopwatch.errors import CoopwatchError
from coopwatch.settings import Settings, load_settings


def _settings(ctx: click.Context) -> Settings:
    return ctx.obj["settings"]


def _emit(record: dict[str, Any], out) -> None:
    out.write(json.dumps(record, ensure_ascii=False) + "\n")


def _catch_up_index(settings: Settings, store) -> None:
    """Bring the search index up to what was just stored. Every store change is marked for
    the index in its own transaction, so a failure here loses nothing: search, `reindex
    --catch-up` and `serve` pick the marks up later."""
    from index.search_index import open_index

    try:
        index = open_index(settings, store)
        try:
            index.catch_up()
        finally:
            index.close()
    except CoopwatchError as exc:
        logging.getLogger("coopwatch.cli").warning("search index not updated now: %s", exc)


class CoopwatchGroup(click.Group):
    """Turns CoopwatchError into a one-line message and its exit status (usage 2, failure 1)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CoopwatchError as exc:
            click.echo(f"coopwatch: error {exc.code}: {exc}", err=True)
            sys.exit(exc.exit_status)


@click.group(cls=CoopwatchGroup)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="COOPWATCH_DATA_DIR",
    help="Directory holding all state [env: COOPWATCH_DATA_DIR].",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="TOML settings file [env: COOPWATCH_CONFIG].",
)
@click.option("--log-level", help="Logging level (DEBUG, INFO, WARNING, ERROR).")
@click.version_option(package_name="coopwatch")
@click.pass_context
def cli(ctx: click.Context, data_dir: Path | None, config_file: Path | None, log_level: str | None):
    """coopwatch: tracks cooperation between states on digital government in news."""
    try:
        settings = load_settings(config_file, data_dir=data_dir, log_level=log_level)
    except CoopwatchError as exc:
        click.echo(f"coopwatch: error {exc.code}: {exc}", err=True)
        sys.exit(exc.exit_status)
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    ctx.obj = {"settings": settings}


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--url", help="URL of the page when importing a single HTML file.")
@click.pass_context
def import_command(ctx: click.Context, paths: tuple[Path, ...], url: str | None):
    """Import HTML files and WARC files (.warc, .warc.gz) into the store."""
    from tqdm import tqdm

    from coopwatch.importer import InputRecord, collect_inputs, import_paths
    from coopwatch.store import Store

    settings = _settings(ctx)
    show = settings.ingest.progress and sys.stderr.isatty()
    files = collect_inputs(list(paths))
    # Progress in bytes of input read: one big WARC and many small pages both move smoothly.
    total = sum(path.stat().st_size for path in files)
    records = 0

    def progress(item: InputRecord) -> None:
        nonlocal records
        records += item.page is not None or item.error is not None
        bar.set_postfix_str(f"{records} records", refresh=False)
        bar.update(item.read_bytes)

    with (
        Store(settings.data_dir) as store,
        tqdm(
            total=total,
            unit="B",
            unit_scale=True,
            unit_divisor=1024,
            disable=not show,
            file=sys.stderr,
            desc="import",
        ) as bar,
    ):
        report = import_paths(store, files, settings, url, on_record=progress)
        _catch_up_index(settings, store)
    for failure in report.failures:
        click.echo(f"failed: {failure.source}: {failure.reason}", err=True)
    click.echo(report.summary(), err=True)
    sys.exit(1 if report.failed else 0)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Only articles published on or after DATE.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to FILE instead of stdout.",
)
@click.pass_context
def export(ctx: click.Context, fmt: str, since: datetime | None, output: Path | None):
    """Write every stored article, then every event, as JSON lines."""
    from coopwatch.store import Store

    settings = _settings(ctx)
    since_text = since.date().isoformat() if since else None
    out = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        with Store(settings.data_dir) as store:
            for article in store.iter_articles(since=since_text):
                _emit(article.to_record(), out)
            for event in store.iter_events(since=since_text):
                _emit(event, out)
    finally:
        if output:
            out.close()


@cli.command()
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Only articles published on or after DATE.",
)
@click.pass_context
def reprocess(ctx: click.Context, since: datetime | None):
    """Re-run the analysis and event grouping over stored pages (after an upgrade)."""
    from tqdm import tqdm

    from coopwatch.reprocess import reprocess as run_reprocess
    from coopwatch.store import Store

    settings = _settings(ctx)
    show = settings.ingest.progress and sys.stderr.isatty()
    with (
        Store(settings.data_dir) as store,
        tqdm(unit=" articles", disable=not show, file=sys.stderr, desc="reprocess") as bar,
    ):
        since_text = since.date().isoformat() if since else None
        report = run_reprocess(store, settings, since_text, on_article=lambda _: bar.update())
        _catch_up_index(settings, store)
    for failure in report.failures:
        click.echo(f"failed: {failure.source}: {failure.reason}", err=True)
    click.echo(f"reprocessed {report.updated + report.imported}, failed {report.failed}", err=True)
    sys.exit(1 if report.failed else 0)


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", required=True, help="The URL the page has on its site.")
@click.pass_context
def extract(ctx: click.Context, file: Path, url: str):
    """Print the ARTICLE record of one HTML page without storing it."""
    from coopwatch.pipeline import PageAnalyser
    from coopwatch.records import FetchedPage

    settings = _settings(ctx)
    page = FetchedPage(url=url, body=file.read_bytes(), fetched_at=datetime.now(UTC))
    article = PageAnalyser(settings).analyse(page)
    _emit(article.to_record(), sys.stdout)


@cli.command()
@click.option("--fresh/--keep", default=True, help="Start from an empty data directory.")
@click.option("--serve/--no-serve", default=True, help="Serve the web page after the crawl.")
@click.option("--host", help="Address to serve on [default: api.host].")
@click.option("--port", type=int, help="Port to serve on [default: api.port].")
@click.option("--browser/--no-browser", default=True, help="Open the web page (with a display).")
@click.pass_context
def demo(ctx: click.Context, fresh: bool, serve: bool, host, port, browser: bool):
    """Crawl the sample news site on 127.0.0.1, then serve the web page on what was found."""
    from coopwatch.demo import run_demo

    settings = _settings(ctx)
    run_demo(settings, fresh, serve, host, port, browser, echo=lambda line: click.echo(line))


def _add_nlp_commands() -> None:
    from nlp.ner_cli import ner
    from nlp.training.cli import train

    cli.add_command(ner)
    cli.add_command(train)


_add_nlp_commands()


def _add_crawler_commands() -> None:
    # crawler.cli imports only click and the registry: Scrapy loads in the crawl subprocess.
    from crawler.cli import crawl, schedule, sources

    cli.add_command(sources)
    cli.add_command(crawl)
    cli.add_command(schedule)


_add_crawler_commands()


def _add_index_commands() -> None:
    # index.cli imports only click: backends (and elasticsearch) load inside the commands.
    from index.cli import reindex, search

    cli.add_command(search)
    cli.add_command(reindex)


_add_index_commands()


def _add_api_commands() -> None:
    # api.cli imports only click: FastAPI, uvicorn and Jinja2 load inside the commands.
    from api.cli import apikey, digest, serve

    cli.add_command(digest)
    cli.add_command(apikey)
    cli.add_command(serve)


_add_api_commands()


def _add_actor_commands() -> None:
    from coopwatch.actors import actors_command

    cli.add_command(actors_command)


_add_actor_commands()


def main() -> None:
    cli(prog_name="coopwatch")


if __name__ == "__main__":
    main()
