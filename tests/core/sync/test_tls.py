"""HTTPS stays verified: a server whose certificate comes from a company CA is refused
until IT points the ``ca_bundle`` setting at that CA; then enrolment and sync work."""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from core.config import resolve_paths
from core.context import open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from core.sync.errors import SyncError
from server.app import start_in_thread
from tests.core.sync.conftest import FAST
from tests.helpers.evidence import save_with_photos


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _company_ca_and_server_cert(d: Path) -> tuple[Path, Path, Path]:
    """A private CA (as a company would run) and a server certificate for 127.0.0.1."""
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("LoanDesk Test Company CA"))
        .issuer_name(_name("LoanDesk Test Company CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                crl_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("127.0.0.1"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    ca_path, cert_path, key_path = d / "company-ca.pem", d / "server.pem", d / "server-key.pem"
    ca_path.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return ca_path, cert_path, key_path


def test_private_ca_is_refused_until_the_ca_bundle_setting_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import certifi

    # Many PCs set REQUESTS_CA_BUNDLE; requests would let it silently override ca_bundle.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", certifi.where())
    ca, cert, key = _company_ca_and_server_cert(tmp_path)
    server = start_in_thread(tmp_path / "server", tls=(cert, key))
    ctx = open_context(resolve_paths(tmp_path / "client"))
    try:
        assert server.url.startswith("https://127.0.0.1:")
        code = server.add_store("TLS01", "证书门店", "上海")
        assert ctx.sync is not None
        with pytest.raises(SyncError) as refused:
            ctx.sync.enroll(server.url, "TLS01", code, timeouts=FAST)
        assert refused.value.code == "SYNC_TLS_ERROR"  # verification is on by default
        assert not ctx.sync.sync_state().enrolled

        ctx.settings.set("ca_bundle", str(ca))
        ctx.sync.enroll(server.url, "TLS01", code, timeouts=FAST)
        gen = DemoGenerator(5, ctx.clock.now().date(), load_demo_catalog())
        save_with_photos(ctx.applications, gen.application())
        report = ctx.sync.sync_once(timeouts=FAST)
        assert (report.acked, report.exit_code) == (1, 0), report.to_json("en")
    finally:
        ctx.close()
        server.stop()
