"""`coopwatch digest …`, `coopwatch apikey …` and `coopwatch serve`: click commands of api/.

Heavy imports (FastAPI, uvicorn, Jinja2) happen inside the commands, never at import time.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from coopwatch.errors import UsageError


def _settings(ctx: click.Context):
    return ctx.find_root().obj["settings"]


def _default_week(settings) -> str:
    from api.digest.schedule import week_to_send

    return week_to_send(datetime.now(UTC), settings.digest.timezone)


@click.group()
def digest() -> None:
    """Weekly digest e-mails: subscriptions, preview, send."""


@digest.command("subscribe")
@click.argument("email")
@click.option("--country", "countries", multiple=True, help="ISO code; any of them (repeatable).")
@click.option("--actor", "actors", multiple=True, help="Actor id (repeatable).")
@click.option("--project", "projects", multiple=True, help="Project id (repeatable).")
@click.option("--text", help="Free text the event or one of its reports must contain.")
@click.option("--language", "languages", multiple=True, help="Preferred report language.")
@click.pass_context
def subscribe(ctx, email, countries, actors, projects, text, languages):
    """Add a subscription and print its id."""
    from api.digest.subscriptions import Filters, Subscriptions
    from coopwatch.store import Store

    with Store(_settings(ctx).data_dir) as store:
        sub = Subscriptions(store.conn).add(
            email, Filters(list(countries), list(actors), list(projects), text, list(languages))
        )
    click.echo(sub.id)


@digest.command("subscriptions")
@click.pass_context
def list_subscriptions(ctx):
    """List subscriptions (id, state, e-mail, filters)."""
    from api.digest.subscriptions import Subscriptions
    from coopwatch.store import Store

    with Store(_settings(ctx).data_dir) as store:
        for sub in Subscriptions(store.conn).list():
            state = "active" if sub.active else "unsubscribed"
            click.echo(f"{sub.id}\t{state}\t{sub.email}\t{sub.to_json()}")


@digest.command()
@click.option("--week", help="ISO week, e.g. 2026-W45 [default: the last full week].")
@click.option("--subscriber", help="Subscription id or e-mail (default: everything, no filters).")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the HTML here [default: digest-WEEK.html].",
)
@click.option("--text", "as_text", is_flag=True, help="Write the plain-text part instead.")
@click.pass_context
def preview(ctx, week, subscriber, output, as_text):
    """Write one digest as HTML (or text) without sending anything."""
    from api.digest.send import digest_for
    from api.digest.subscriptions import Filters, Subscription, Subscriptions
    from coopwatch.store import Store

    settings = _settings(ctx)
    week = week or _default_week(settings)
    with Store(settings.data_dir) as store:
        if subscriber:
            found = Subscriptions(store.conn).find(subscriber)
            if not found:
                raise UsageError(f"no subscription with id or e-mail {subscriber!r}")
            sub = found[0]
        else:
            sub = Subscription("preview", "preview@localhost", Filters())
        digest_obj, rendered = digest_for(settings, store, week, sub)
    output = output or Path(f"digest-{week}.{'txt' if as_text else 'html'}")
    output.write_text(rendered.text if as_text else rendered.html, encoding="utf-8")
    click.echo(f"{output}: {digest_obj.event_count} events for {sub.email}", err=True)


@digest.command()
@click.option("--week", help="ISO week, e.g. 2026-W45 [default: the last full week].")
@click.option("--subscriber", help="Only this subscription (id or e-mail).")
@click.option(
    "--release-uncertain",
    is_flag=True,
    help="Also resend deliveries a crashed run left unconfirmed (may send those twice).",
)
@click.pass_context
def send(ctx, week, subscriber, release_uncertain):
    """Send the week's digest to every subscriber not yet sent it; exit 1 if any failed."""
    from api.digest.send import send_digests
    from api.digest.subscriptions import Subscriptions
    from coopwatch.store import Store

    settings = _settings(ctx)
    week = week or _default_week(settings)
    with Store(settings.data_dir) as store:
        subs = Subscriptions(store.conn)
        if release_uncertain:
            click.echo(f"released {subs.release_uncertain(week)} uncertain deliveries", err=True)
        only = None
        if subscriber:
            only = subs.find(subscriber)
            if not only:
                raise UsageError(f"no subscription with id or e-mail {subscriber!r}")
        report = send_digests(settings, store, week, only=only)
    for line in report.lines():
        click.echo(line, err=True)
    sys.exit(0 if report.ok else 1)


@digest.command("next")
@click.pass_context
def next_run(ctx):
    """Print when the weekly digest job fires next and which week it sends."""
    from api.digest.schedule import next_digest_time, week_to_send

    settings = _settings(ctx)
    when = next_digest_time(settings.digest, datetime.now(UTC))
    click.echo(f"{when.isoformat()} sends {week_to_send(when, settings.digest.timezone)}")


@click.group()
def apikey() -> None:
    """API keys: create (printed once), list, revoke."""


@apikey.command("create")
@click.option("--name", required=True, help="Who or what uses the key.")
@click.option("--scope", "scopes", multiple=True, required=True, help="Scope (repeatable).")
@click.pass_context
def create_key(ctx, name, scopes):
    """Create a key and print it (it is stored hashed and cannot be shown again)."""
    from api.auth import ApiKeys
    from coopwatch.store import Store

    with Store(_settings(ctx).data_dir) as store:
        click.echo(ApiKeys(store.conn).create(name, list(scopes)))


@apikey.command("list")
@click.pass_context
def list_keys(ctx):
    """List keys (id, name, scopes, revoked)."""
    from api.auth import ApiKeys
    from coopwatch.store import Store

    with Store(_settings(ctx).data_dir) as store:
        for key in ApiKeys(store.conn).list():
            revoked = f"revoked {key['revoked_at']}" if key["revoked_at"] else "active"
            click.echo(f"{key['id']}\t{key['name']}\t{','.join(key['scopes'])}\t{revoked}")


@apikey.command("revoke")
@click.argument("key_id")
@click.pass_context
def revoke_key(ctx, key_id):
    """Revoke a key by its id."""
    from api.auth import ApiKeys
    from coopwatch.store import Store

    with Store(_settings(ctx).data_dir) as store:
        if not ApiKeys(store.conn).revoke(key_id):
            raise UsageError(f"no active key {key_id!r}")


@click.command()
@click.option("--host", help="Address to listen on [default: api.host].")
@click.option("--port", type=int, help="Port [default: api.port].")
@click.option("--crawl/--no-crawl", default=True, help="Run the scheduled crawls too.")
@click.pass_context
def serve(ctx, host, port, crawl):
    """Serve the JSON API and web page, and run the scheduler (crawls, weekly digest)."""
    from api.serve import serve as run

    settings = _settings(ctx)
    run(settings, host or settings.api.host, port or settings.api.port, crawl=crawl)
