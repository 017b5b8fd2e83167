"""Send the week's digests over SMTP — the only step with I/O — exactly once per
(subscription, week).

Each delivery is claimed in the send log (`sending`) before the server is contacted and marked
`sent` as soon as the server accepts it. A run that dies mid-delivery leaves `sending`, which is
reported and never retried automatically, so nobody receives a digest twice; `failed` (server
down, temporary refusal) is retried by the next run; `rejected` (the server refused the address)
is reported and not retried.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from typing import Any

from api.catalog import Catalog
from api.digest.build import Digest, build_digest, parse_week
from api.digest.render import RenderedDigest, render_digest
from api.digest.subscriptions import Subscription, Subscriptions
from api.digest.tokens import unsubscribe_url
from coopwatch.errors import CoopwatchError
from coopwatch.settings import Settings, SmtpSettings
from coopwatch.store import Store

log = logging.getLogger(__name__)


class MailServerDown(CoopwatchError):
    """The SMTP server cannot be reached or refuses our login."""

    code = "E053"


class Rejected(Exception):
    """The server refused this message for good (5xx): do not try again."""


class TemporaryFailure(Exception):
    """The server refused this message for now (4xx) or dropped the connection."""


class SmtpMailer:
    """One SMTP connection, opened on first use and reopened after a drop."""

    def __init__(self, smtp: SmtpSettings):
        self.smtp = smtp
        self._conn: smtplib.SMTP | None = None

    def _tls(self) -> ssl.SSLContext:
        # Certificates are always verified: against `smtp.ca_file` when set, else the system's.
        return ssl.create_default_context(cafile=self.smtp.ca_file or None)

    def _connect(self) -> smtplib.SMTP:
        s = self.smtp
        try:
            if s.security == "ssl":
                conn: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.host, s.port, timeout=s.timeout, context=self._tls()
                )
            else:
                conn = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
                if s.security == "starttls":
                    conn.starttls(context=self._tls())
            if s.username:
                conn.login(s.username, s.password)
        except smtplib.SMTPAuthenticationError as exc:
            raise MailServerDown(f"SMTP login as {s.username!r} refused: {exc}") from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise MailServerDown(f"cannot reach SMTP server {s.host}:{s.port}: {exc}") from exc
        return conn

    def send(self, message: EmailMessage) -> None:
        """Deliver one message; Rejected, TemporaryFailure or MailServerDown when not accepted."""
        if self._conn is None:
            self._conn = self._connect()
        try:
            self._conn.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            self._classify(code, text)
        except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as exc:
            self._classify(exc.smtp_code, exc.smtp_error)
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self.close()
            raise TemporaryFailure(f"connection lost: {exc}") from exc
        except smtplib.SMTPResponseException as exc:
            self._classify(exc.smtp_code, exc.smtp_error)

    def _classify(self, code: int, text: bytes | str) -> None:
        reason = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
        self._reset()
        if 500 <= code < 600:
            raise Rejected(f"{code} {reason}")
        raise TemporaryFailure(f"{code} {reason}")

    def _reset(self) -> None:
        try:
            if self._conn is not None:
                self._conn.rset()
        except (smtplib.SMTPException, OSError):
            self.close()

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._conn.quit()
            self._conn = None


# -- composing ------------------------------------------------------------------------------


def message_id(settings: Settings, subscription_id: str, week: str) -> str:
    """The same Message-ID for every attempt at one (subscription, week)."""
    domain = parseaddr(settings.digest.sender)[1].rpartition("@")[2] or "coopwatch.invalid"
    return f"<digest.{week}.{subscription_id}@{domain}>"


def compose(
    settings: Settings, subscription: Subscription, rendered: RenderedDigest, week: str
) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = rendered.subject
    message["From"] = settings.digest.sender
    message["To"] = subscription.email
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id(settings, subscription.id, week)
    link = unsubscribe_url(settings, subscription.id)
    # RFC 2369 / RFC 8058: mail clients show an unsubscribe button that POSTs to the link.
    message["List-Unsubscribe"] = f"<{link}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    return message


# -- the weekly run ---------------------------------------------------------------------------


def week_material(
    catalog: Catalog, week: str
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """The events dated in `week` and the articles that report them (the build's input)."""
    start, end = parse_week(week)
    events = list(catalog.iter_events(start, end))
    ids = [aid for event in events for aid in event.get("articles") or []]
    articles = {a["id"]: a for a in catalog.articles(list(dict.fromkeys(ids)))}
    return events, articles


def digest_for(
    settings: Settings, store: Store, week: str, subscription: Subscription
) -> tuple[Digest, RenderedDigest]:
    """Build and render one subscriber's digest (what `digest preview` shows)."""
    events, articles = week_material(Catalog(store.conn), week)
    digest = build_digest(week, subscription.filters, events, articles)
    rendered = render_digest(
        digest, unsubscribe_url(settings, subscription.id), settings.api.public_url
    )
    return digest, rendered


@dataclass(slots=True)
class SendReport:
    week: str
    sent: list[str] = field(default_factory=list)  # e-mail addresses
    already_sent: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)  # nothing matched: no e-mail
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (address, reason)
    failed: list[tuple[str, str]] = field(default_factory=list)  # retried by the next run
    uncertain: list[str] = field(default_factory=list)  # a run died while sending these

    @property
    def ok(self) -> bool:
        return not (self.failed or self.rejected or self.uncertain)

    def lines(self) -> list[str]:
        out = [
            f"week {self.week}: {len(self.sent)} sent, {len(self.already_sent)} already sent, "
            f"{len(self.empty)} without events, {len(self.rejected)} rejected, "
            f"{len(self.failed)} failed, {len(self.uncertain)} uncertain"
        ]
        out += [f"rejected: {addr}: {reason}" for addr, reason in self.rejected]
        out += [f"failed (retried by the next run): {addr}: {why}" for addr, why in self.failed]
        out += [
            f"uncertain (a run died while sending; not resent): {addr}" for addr in self.uncertain
        ]
        return out


def send_digests(
    settings: Settings,
    store: Store,
    week: str,
    only: list[Subscription] | None = None,
    mailer: SmtpMailer | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> SendReport:
    """Send `week`'s digest to every active subscriber (or `only` these); never one twice."""
    parse_week(week)
    subs = Subscriptions(store.conn)
    catalog = Catalog(store.conn)
    events, articles = week_material(catalog, week)
    mailer = mailer or SmtpMailer(settings.smtp)
    report = SendReport(week)
    server_down: str | None = None
    try:
        for subscription in only if only is not None else subs.list(active_only=True):
            if not subscription.active:
                continue
            state = subs.send_state(subscription.id, week)
            if state and state["state"] == "sent":
                report.already_sent.append(subscription.email)
                continue
            if state and state["state"] == "rejected":
                report.rejected.append((subscription.email, state["last_error"] or "rejected"))
                continue
            if state and state["state"] == "sending":
                report.uncertain.append(subscription.email)
                continue
            if server_down:
                report.failed.append((subscription.email, server_down))
                continue
            digest = build_digest(week, subscription.filters, events, articles)
            if not digest.groups:
                report.empty.append(subscription.email)
                continue
            rendered = render_digest(
                digest, unsubscribe_url(settings, subscription.id), settings.api.public_url
            )
            message = compose(settings, subscription, rendered, week)
            if not subs.claim(subscription.id, week, message["Message-ID"]):
                report.uncertain.append(subscription.email)  # another run holds it
                continue
            outcome, reason = _deliver(settings, mailer, message, sleep)
            subs.record(subscription.id, week, outcome, reason)
            if outcome == "sent":
                report.sent.append(subscription.email)
                log.info("digest %s sent to %s", week, subscription.email)
            elif outcome == "rejected":
                report.rejected.append((subscription.email, reason or ""))
                log.warning("digest %s to %s rejected: %s", week, subscription.email, reason)
            else:
                report.failed.append((subscription.email, reason or ""))
                log.warning("digest %s to %s failed: %s", week, subscription.email, reason)
                if reason and reason.startswith("server down"):
                    server_down = reason
    finally:
        mailer.close()
    return report


def _deliver(
    settings: Settings,
    mailer: SmtpMailer,
    message: EmailMessage,
    sleep: Callable[[float], None],
) -> tuple[str, str | None]:
    """Try one message up to `digest.max_attempts` times with doubling waits."""
    delay = settings.digest.retry_backoff
    reason = ""
    for attempt in range(1, settings.digest.max_attempts + 1):
        try:
            mailer.send(message)
            return "sent", None
        except Rejected as exc:
            return "rejected", str(exc)
        except TemporaryFailure as exc:
            reason = str(exc)
        except MailServerDown as exc:
            reason = f"server down: {exc}"
        if attempt < settings.digest.max_attempts:
            log.info("retrying %s in %.0f s: %s", message["To"], delay, reason)
            sleep(delay)
            delay *= 2
    return "failed", reason
