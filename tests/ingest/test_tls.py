"""TLS: certificates are always verified (A10), and the CA bundle loads only for https."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from pathlib import Path

import httpcore
import httpx
import pytest

from briefing.ingest.pinning import PinnedBackend, PinnedTransport
from tests.helpers.loopback import LoopbackServer, loopback_server_fixture  # noqa: F401
from tests.ingest.test_fetch_faults import FEED, RSS, fetch_one


def _self_signed(folder: Path) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def test_self_signed_certificate_is_refused_and_never_retried_unverified(
    tmp_path: Path,
) -> None:
    cert, key = _self_signed(tmp_path)
    server = LoopbackServer()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server._httpd.socket = context.wrap_socket(server._httpd.socket, server_side=True)
    server.respond("/f", FEED, headers=RSS)
    with server:
        url = f"https://127.0.0.1:{server.port}/f"
        result, state, stored = fetch_one(tmp_path / "run", url)
    assert result.status == "error" and result.error_type == "FetchError"
    assert "CERTIFICATE_VERIFY_FAILED" in (result.error or "")
    assert state is not None and state.last_error_type == "FetchError"
    assert stored == [] and server.requests == []  # no request went over the bad channel


def _trust_loaded(transport: PinnedTransport) -> bool:
    return bool(transport._pool._trust._loaded)  # type: ignore[attr-defined]


async def _get(transport: PinnedTransport, url: str) -> int:
    async with httpx.AsyncClient(transport=transport) as client:
        return (await client.get(url)).status_code


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_ca_bundle_loads_with_the_first_https_connection_only(
    scheme: str, loopback_server: LoopbackServer
) -> None:
    import asyncio

    loopback_server.respond("/f", FEED, headers=RSS)
    transport = PinnedTransport(httpx.Limits(), PinnedBackend(["127.0.0.1"]))
    context = transport._pool._ssl_context  # type: ignore[attr-defined]
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.get_ca_certs() == [] and not _trust_loaded(transport)
    url = loopback_server.url("/f").replace("http:", f"{scheme}:")
    if scheme == "http":
        assert asyncio.run(_get(transport, url)) == 200
        assert not _trust_loaded(transport)
    else:  # the server speaks plain HTTP: the handshake fails, after the bundle loaded
        with pytest.raises((httpx.ConnectError, httpcore.ConnectError)):
            asyncio.run(_get(transport, url))
        assert _trust_loaded(transport) and len(context.get_ca_certs()) > 50
