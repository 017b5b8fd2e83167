"""Digests over STARTTLS and implicit TLS with a login, against a real SMTP server on 127.0.0.1
with a certificate made for the test; a server with an unknown certificate is refused."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from pathlib import Path

import pytest
from apiseed import Mailbox, SmtpHandler, free_port

from api.digest.send import send_digests
from api.digest.subscriptions import Subscriptions


def _certificate(directory: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class _Logins:
    def __init__(self):
        self.seen: list[str] = []

    def __call__(self, server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult

        self.seen.append(auth_data.login.decode())
        ok = auth_data.login == b"digest" and auth_data.password == b"s3cret"
        return AuthResult(success=ok, handled=False)  # aiosmtpd answers 535 itself


@pytest.fixture
def tls_server(settings, tmp_path, request):
    """An aiosmtpd server with TLS (`request.param`: starttls or ssl) that needs a login."""
    from aiosmtpd.controller import Controller

    cert, key = _certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    mailbox, logins, port = Mailbox(), _Logins(), free_port()
    # aiosmtpd offers AUTH on implicit TLS only without auth_require_tls (it tracks STARTTLS
    # alone); LOGIN is left out because smtplib falls back to it after a failed PLAIN.
    options = {"authenticator": logins, "auth_exclude_mechanism": ["LOGIN"]}
    if request.param == "ssl":
        controller = Controller(
            SmtpHandler(mailbox), hostname="127.0.0.1", port=port, ssl_context=context,
            auth_require_tls=False, **options,
        )  # fmt: skip
    else:
        controller = Controller(
            SmtpHandler(mailbox), hostname="127.0.0.1", port=port, tls_context=context,
            require_starttls=True, auth_require_tls=True, **options,
        )  # fmt: skip
    controller.start()
    settings.smtp.host, settings.smtp.port = "127.0.0.1", port
    settings.smtp.security = request.param
    settings.smtp.username, settings.smtp.password = "digest", "s3cret"
    settings.smtp.ca_file = str(cert)
    settings.smtp.timeout = 10
    try:
        yield mailbox, logins
    finally:
        controller.stop()


@pytest.mark.parametrize("tls_server", ["starttls", "ssl"], indirect=True)
def test_digest_goes_out_over_tls_with_a_login(settings, seeded_store, tls_server):
    mailbox, logins = tls_server
    Subscriptions(seeded_store.conn).add("secure@example.org")
    report = send_digests(settings, seeded_store, "2026-W45")
    assert report.sent == ["secure@example.org"], report.lines()
    assert logins.seen == ["digest"]
    assert len(mailbox.to("secure@example.org")) == 1


@pytest.mark.parametrize("tls_server", ["starttls"], indirect=True)
def test_wrong_password_or_unknown_certificate_sends_nothing(settings, seeded_store, tls_server):
    mailbox, _ = tls_server
    Subscriptions(seeded_store.conn).add("secure@example.org")
    settings.digest.max_attempts = 1
    settings.smtp.password = "wrong"
    refused = send_digests(settings, seeded_store, "2026-W45")
    assert refused.sent == [] and "login" in refused.failed[0][1]
    settings.smtp.password = "s3cret"
    settings.smtp.ca_file = ""  # the system's CAs do not know the test certificate
    untrusted = send_digests(settings, seeded_store, "2026-W45")
    assert untrusted.sent == [] and "CERTIFICATE_VERIFY_FAILED" in untrusted.failed[0][1]
    assert mailbox.messages == []
