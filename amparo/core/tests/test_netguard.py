"""Outbound requests cannot reach Amparo's own network, however the URL is spelled."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from amparo.core.netguard import OutboundBlocked, check_outbound_url, safe_post

BLOCKED_URLS = [
    "http://127.0.0.1/",
    "http://127.8.9.10:8080/x",
    "http://10.0.0.5/hook",
    "http://172.16.3.4/",
    "http://192.168.0.10/",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.64.0.1/",
    "http://0.0.0.0/",
    "http://224.0.0.1/",
    "http://240.0.0.1/",
    "http://255.255.255.255/",
    "http://[::1]/",
    "http://[::]/",
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    "http://[fd12:3456::1]/",
    "http://[ff02::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:169.254.169.254]/",
    "http://[::ffff:10.0.0.5]/",
    "http://[64:ff9b::a9fe:a9fe]/",
    "http://localhost/",
    "http://LOCALHOST:8000/",
    "http://2130706433/",  # 127.0.0.1 as one number
    "http://0x7f000001/",
    "http://127.1/",
]


@pytest.fixture(autouse=True)
def _strict(settings):  # type: ignore[no-untyped-def]
    settings.OUTBOUND_ALLOW_PRIVATE = False


@pytest.fixture
def fake_dns(monkeypatch):  # type: ignore[no-untyped-def]
    """Answers for made-up names (no DNS here); every other name resolves as usual."""
    answers: dict[str, list[str]] = {}
    lookups: list[str] = []
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host in answers:
            lookups.append(host)
            return [
                (
                    socket.AF_INET6 if ":" in ip else socket.AF_INET,
                    socket.SOCK_STREAM,
                    6,
                    "",
                    (ip, port),
                )
                for ip in answers[host]
            ]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers, lookups


@pytest.fixture
def server():  # type: ignore[no-untyped-def]
    seen: list[dict[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            seen.append(dict(self.headers.items()))
            if self.path == "/redirect":
                self.send_response(302)
                self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = b"x" * 300_000 if self.path == "/big" else b"hello"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    httpd.seen = seen  # type: ignore[attr-defined]
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("url", BLOCKED_URLS)
def test_private_and_special_addresses_are_refused(url):
    with pytest.raises(OutboundBlocked) as exc:
        check_outbound_url(url)
    assert exc.value.field == "url"
    assert exc.value.status == 422


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/",
        "file:///etc/passwd",
        "gopher://example.com/",
        "javascript:alert(1)",
        "//example.com/hook",
        "http://user:secret@8.8.8.8/",
        "http://user@8.8.8.8/",
        "http:///nohost",
        "http://8.8.8.8:99999/",
        "http://8.8.8.8/a b",
        "",
    ],
)
def test_bad_urls_are_refused(url):
    with pytest.raises(OutboundBlocked):
        check_outbound_url(url)


def test_public_address_is_allowed():
    # Checking sends nothing: a public literal needs no DNS and is not contacted.
    check_outbound_url("https://8.8.8.8/hook")
    check_outbound_url("http://[2001:4860:4860::8888]:8443/hook")


def test_name_resolving_to_loopback_is_refused(fake_dns):
    answers, _lookups = fake_dns
    answers["hooks.intranet.test"] = ["127.0.0.1"]
    answers["mixed.test"] = ["8.8.8.8", "10.1.2.3"]
    answers["public.test"] = ["8.8.8.8", "2001:4860:4860::8888"]
    with pytest.raises(OutboundBlocked):
        check_outbound_url("https://hooks.intranet.test/hook")
    # One bad address among good ones is enough to refuse.
    with pytest.raises(OutboundBlocked):
        check_outbound_url("https://mixed.test/hook")
    check_outbound_url("https://public.test/hook")


def test_unresolvable_host_is_refused():
    with pytest.raises(OutboundBlocked):
        check_outbound_url("https://no-such-host.invalid/hook")


def test_rebinding_between_check_and_send_is_caught(fake_dns, server):
    answers, _lookups = fake_dns
    answers["rebind.test"] = ["8.8.8.8"]
    url = f"http://rebind.test:{server.server_address[1]}/hook"
    check_outbound_url(url)
    answers["rebind.test"] = ["127.0.0.1"]
    with pytest.raises(OutboundBlocked):
        safe_post(url, content=b"{}", headers={})
    assert server.seen == []


def test_connection_goes_to_the_address_checked(settings, fake_dns, server):
    settings.OUTBOUND_ALLOW_PRIVATE = True
    answers, lookups = fake_dns
    answers["pinned.test"] = ["127.0.0.1"]
    port = server.server_address[1]
    response = safe_post(
        f"http://pinned.test:{port}/hook", content=b"{}", headers={"X-Test": "1"}, timeout=5
    )
    assert response.status_code == 200
    assert response.content == b"hello"
    # Resolved once, by the guard; the HTTP library connected to that address, not the name.
    assert lookups == ["pinned.test"]
    assert server.seen[0]["Host"] == f"pinned.test:{port}"
    assert server.seen[0]["X-Test"] == "1"


def test_redirects_are_not_followed(settings, server):
    settings.OUTBOUND_ALLOW_PRIVATE = True
    url = f"http://127.0.0.1:{server.server_address[1]}/redirect"
    response = safe_post(url, content=b"{}", headers={})
    assert response.status_code == 302
    assert len(server.seen) == 1


def test_response_body_is_capped(settings, server):
    settings.OUTBOUND_ALLOW_PRIVATE = True
    url = f"http://127.0.0.1:{server.server_address[1]}/big"
    response = safe_post(url, content=b"{}", headers={}, max_response_bytes=1000)
    assert response.status_code == 200
    assert response.content == b"x" * 1000


def test_proxy_settings_from_the_environment_are_ignored(settings, server, monkeypatch):
    settings.OUTBOUND_ALLOW_PRIVATE = True
    # A proxy would take the request wherever it likes; nothing listens on port 9 anyway.
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("ALL_PROXY", "http://127.0.0.1:9")
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    assert safe_post(url, content=b"{}", headers={}).status_code == 200


def test_network_failures_raise_httpx_errors(settings):
    settings.OUTBOUND_ALLOW_PRIVATE = True
    with pytest.raises(httpx.ConnectError):
        safe_post("http://127.0.0.1:9/", content=b"{}", headers={}, timeout=2)


def _self_signed(tmp_path, name: str):  # type: ignore[no-untyped-def]
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def test_tls_keeps_the_host_name_and_verifies_the_certificate(settings, fake_dns, tmp_path):
    import ssl

    settings.OUTBOUND_ALLOW_PRIVATE = True
    answers, _lookups = fake_dns
    answers["secure.test"] = ["127.0.0.1"]
    cert_path, key_path = _self_signed(tmp_path, "secure.test")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    server_names: list[str | None] = []
    context.sni_callback = lambda sock, name, ctx: server_names.append(name)  # type: ignore[assignment,misc,return-value]

    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve_one() -> None:
        conn, _addr = listener.accept()
        try:
            with context.wrap_socket(conn, server_side=True):
                pass
        except (ssl.SSLError, OSError):
            pass  # the client refuses our self-signed certificate mid-handshake
        finally:
            conn.close()

    thread = threading.Thread(target=serve_one, daemon=True)
    thread.start()
    try:
        # Connected to 127.0.0.1, but introduced itself as secure.test and checked the
        # certificate against the public CAs: a self-signed one is refused.
        with pytest.raises(httpx.ConnectError):
            safe_post(f"https://secure.test:{port}/hook", content=b"{}", headers={}, timeout=5)
    finally:
        thread.join(timeout=5)
        listener.close()
    assert server_names == ["secure.test"]
