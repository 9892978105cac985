"""Outbound HTTP that cannot be aimed at Amparo's own network (SSRF protection).

Anything that POSTs to a URL an administrator or a provider typed (webhooks, WhatsApp and other
channel APIs) goes through :func:`safe_post`. It refuses non-HTTP schemes and credentials in the
URL, resolves the host once, refuses it if *any* address is loopback, private, link-local (cloud
metadata), multicast, CGNAT, reserved or unspecified, and then connects to exactly the address it
checked, so a DNS answer that changes between the check and the connection (DNS rebinding)
cannot redirect the request. Redirects are never followed and proxies from the environment are
ignored. ``settings.OUTBOUND_ALLOW_PRIVATE`` lifts the address rules (tests, trusted intranets).

:func:`check_outbound_url` runs the same checks without sending anything: call it when a URL is
saved, so an administrator learns at once that it will be refused.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
import ssl
import time
from collections.abc import Mapping
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

from amparo.core.errors import DomainError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

USER_AGENT = "Amparo"
DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024

_CGNAT = ipaddress.ip_network("100.64.0.0/10")
# IPv6 prefixes that carry an IPv4 address inside: NAT64 and 6to4. A request to
# 64:ff9b::a9fe:a9fe reaches 169.254.169.254 on a NAT64 network.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_6TO4 = ipaddress.ip_network("2002::/16")


class OutboundBlocked(DomainError):
    """The URL may not be called from Amparo. ``field`` is "url"."""

    status = 422
    code = "blocked_url"


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour is not None:
        return ip.sixtofour
    return None


def is_blocked_address(ip: IPAddress) -> bool:
    """True for every address that is not a plain public unicast address."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None and is_blocked_address(inner):
            return True
    return (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_unspecified
        or ip.is_reserved
        or (isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT)
        or (isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local)
        # is_global also excludes documentation, benchmarking and other special-purpose ranges.
        or not ip.is_global
    )


def _split(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an acceptable URL, or OutboundBlocked."""
    if not isinstance(url, str) or any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise OutboundBlocked(_("Enter a valid http:// or https:// URL."), field="url")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise OutboundBlocked(_("Enter a valid http:// or https:// URL."), field="url") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise OutboundBlocked(_("Only http:// and https:// URLs are allowed."), field="url")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise OutboundBlocked(_("The URL must not contain a user name or password."), field="url")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise OutboundBlocked(_("The URL has no host."), field="url")
    return scheme, host, port or (443 if scheme == "https" else 80)


def _resolve(host: str, port: int) -> list[IPAddress]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise OutboundBlocked(
            _("The host %(host)s could not be resolved.") % {"host": host}, field="url"
        ) from exc
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        # sockaddr[0] of an IPv6 link-local answer may carry a "%scope" suffix.
        ip = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if ip not in addresses:
            addresses.append(ip)
    if not addresses:
        raise OutboundBlocked(
            _("The host %(host)s could not be resolved.") % {"host": host}, field="url"
        )
    return addresses


def _vetted_addresses(host: str, port: int) -> list[IPAddress]:
    """Addresses to connect to; every one the host resolves to must be allowed."""
    addresses = _resolve(host, port)
    if not settings.OUTBOUND_ALLOW_PRIVATE:
        for ip in addresses:
            if is_blocked_address(ip):
                raise OutboundBlocked(
                    _(
                        "The URL points to a private, local or reserved network address; "
                        "Amparo does not send requests there."
                    ),
                    field="url",
                )
    return addresses


def check_outbound_url(url: str) -> None:
    """Raise OutboundBlocked unless ``url`` may be called now (scheme, credentials, addresses)."""
    _scheme, host, port = _split(url)
    _vetted_addresses(host, port)


@functools.lru_cache(maxsize=1)
def _ssl_context() -> ssl.SSLContext:
    # Loading the CA bundle takes ~100 ms; one verifying context serves every request.
    return httpx.create_ssl_context()


class PinnedTransport(httpx.BaseTransport):
    """Resolves and vets the host of each request once, then connects to a vetted address.

    The URL's host is swapped for the checked IP while the Host header (set when the request was
    built) and the TLS server name (``sni_hostname``) keep the original name, so virtual hosts
    and certificate verification work as usual.
    """

    def __init__(self) -> None:
        self._inner = httpx.HTTPTransport(verify=_ssl_context(), trust_env=False, retries=0)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        scheme, host, port = _split(str(request.url))
        addresses = _vetted_addresses(host, port)
        if scheme == "https":
            request.extensions = {**request.extensions, "sni_hostname": host}
        original = request.url
        last_error: httpx.ConnectError | None = None
        for ip in addresses:
            request.url = original.copy_with(host=str(ip))
            try:
                return self._inner.handle_request(request)
            except httpx.ConnectError as exc:
                last_error = exc
            finally:
                request.url = original
        assert last_error is not None
        raise last_error

    def close(self) -> None:
        self._inner.close()


def safe_post(
    url: str,
    *,
    content: bytes,
    headers: Mapping[str, str],
    timeout: float = 10.0,
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
) -> httpx.Response:
    """POST ``content`` to ``url`` under the rules above; the response body is read in full.

    At most ``max_response_bytes`` of the (decoded) body are kept, and the whole exchange is
    abandoned after ``timeout`` seconds even if the server keeps trickling bytes. Raises
    OutboundBlocked for a refused URL and httpx.HTTPError (TimeoutException, ConnectError, ...)
    for network failures; any HTTP status is returned, never raised.
    """
    _split(url)
    deadline = time.monotonic() + timeout
    all_headers = {"User-Agent": USER_AGENT, **headers}
    with (
        httpx.Client(
            transport=PinnedTransport(), follow_redirects=False, trust_env=False, timeout=timeout
        ) as client,
        client.stream("POST", url, content=content, headers=all_headers) as response,
    ):
        body = bytearray()
        for chunk in response.iter_bytes():
            body.extend(chunk)
            if len(body) >= max_response_bytes:
                del body[max_response_bytes:]
                break
            if time.monotonic() > deadline:
                raise httpx.ReadTimeout("response took too long", request=response.request)
        # The body is already decoded; drop the headers that describe its wire form.
        kept = [
            (name, value)
            for name, value in response.headers.multi_items()
            if name.lower() not in ("content-encoding", "content-length", "transfer-encoding")
        ]
        return httpx.Response(
            response.status_code,
            headers=kept,
            content=bytes(body),
            request=response.request,
            extensions={"http_version": response.extensions.get("http_version", b"")},
        )
