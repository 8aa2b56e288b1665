"""Where the commands that go online may connect: public addresses only, each request within a deadline.

`check --external` fetches links that partners supply and `geocode` asks the server site.yaml
names; unguarded, either is a tool for reaching the machine's own network (a scan of
127.0.0.1's ports whose answers land in a public CI log, the cloud metadata service at
169.254.169.254). So every connection either command makes goes through `public_client`:

- a host is a DNS name, or an IP address written the one usual way: `2130706433`, `0x7f.1`,
  `0177.0.0.1` and `127.1` are refused, as resolvers read each of them as 127.0.0.1;
- every address the name resolves to must be public (`is_public`), and the connection goes to
  the address that was checked, so a second DNS answer cannot swap in another (DNS rebinding);
  TLS still sends and verifies the name;
- no proxy from the environment (it would connect for us, unchecked);
- every connect, read and write ends by the request's `Deadline`: a server that trickles a
  header line a second cannot hold a run past it (httpx's own timeouts count per read).
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from hubsite.content.settings import is_dns_label
from hubsite.problems import HubsiteError

# Test servers to treat as public: (host, port) as a URL names it -> (address, port) to connect
# to, unchecked, like curl's --resolve. Only tests pass it; the command line and site.yaml cannot.
Pins = Mapping[tuple[str, int], tuple[str, int]]
NO_PINS: Pins = MappingProxyType({})

NOT_PUBLIC = "points to a private or local address"
NOT_A_HOST = "its host is neither a name nor an IP address written the usual way"
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class NotPublic(HubsiteError):
    """A host refused before anything was sent to it; `reason` says why in plain words."""

    def __init__(self, host: str, reason: str) -> None:
        self.host, self.reason = host, reason
        super().__init__(f"{host}: {reason}; nothing was sent to it")


class Deadline:
    """The moment a request (all its hops) must be done by; `pause` is polite waiting, not counted."""

    def __init__(self, seconds: float, cap: float = float("inf")) -> None:
        self.cap = cap  # the run's own end, which no pause moves
        self.end = min(time.monotonic() + seconds, cap)

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def pause(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)
            self.end = min(self.end + seconds, self.cap)

    def cut_by_the_run(self) -> bool:
        return time.monotonic() >= self.cap

    def within(self, timeout: float | None, expired: type[Exception]) -> float:
        """The time an operation may take: its own timeout, cut to what is left; none left raises `expired`."""
        left = self.remaining()
        if left <= 0:
            raise expired("the deadline has passed")
        return left if timeout is None else min(timeout, left)


# --- the rule ------------------------------------------------------------------------------------


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Globally routable unicast: not loopback, private, link-local, shared (100.64/10), multicast,
    reserved, unspecified or documentation; an IPv6 address that carries an IPv4 one (mapped, 6to4,
    NAT64) is judged by the IPv4 one too, and Teredo and site-local are refused outright."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.teredo or address.is_site_local:
            return False
        embedded = address.ipv4_mapped or address.sixtofour or (ipaddress.IPv4Address(int(address) & 0xFFFFFFFF) if address in _NAT64 else None)
        if embedded is not None:
            return is_public(embedded)
    return address.is_global and not (address.is_multicast or address.is_reserved)


def ip_literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address `host` is, if it is one written the usual way (dotted decimal, or IPv6 without a zone)."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    return address if "%" not in host and (address.version == 6 or str(address) == host) else None


def is_host_name(host: str) -> bool:
    """A DNS name whose last label starts with a letter, as every top-level domain does: never a
    number a resolver would read as an IPv4 address (`2130706433`, `0x7f.1`, `127.1`)."""
    labels = host.lower().removesuffix(".").split(".")
    return len(host) <= 253 and all(map(is_dns_label, labels)) and labels[-1][0].isalpha()


def check_host(host: str) -> None:
    """Raise NotPublic unless `host` is a host name or a public IP address written the usual way."""
    address = ip_literal(host)
    if address is not None:
        if not is_public(address):
            raise NotPublic(host, NOT_PUBLIC)
    elif not is_host_name(host):
        raise NotPublic(host, NOT_A_HOST)


def check_url(url: str, pinned: Pins = NO_PINS) -> None:
    """check_host for the host of `url` (ValueError if it has none), unless it is pinned."""
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower(), 0)
    if parts.hostname is None:
        raise ValueError("the link has no host")
    if (parts.hostname, port) not in pinned:
        check_host(parts.hostname)


def public_addresses(host: str, port: int) -> list[str]:
    """Every address the resolver gives for `host`; NotPublic when any of them is not public."""
    check_host(host)
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise httpcore.ConnectError(str(error)) from error
    addresses = list(dict.fromkeys(str(entry[4][0]) for entry in found))
    if not all(is_public(ipaddress.ip_address(address)) for address in addresses):
        raise NotPublic(host, NOT_PUBLIC)
    return addresses


# --- the connection ----------------------------------------------------------------------------


class DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write ends by the deadline."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: Deadline) -> None:
        self.stream, self.deadline = stream, deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.stream.read(max_bytes, self.deadline.within(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.stream.write(buffer, self.deadline.within(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self.stream.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None) -> httpcore.NetworkStream:
        secured = self.stream.start_tls(ssl_context, server_hostname, self.deadline.within(timeout, httpcore.ConnectTimeout))
        return DeadlineStream(secured, self.deadline)

    def get_extra_info(self, info: str) -> Any:
        return self.stream.get_extra_info(info)


class PublicBackend(httpcore.NetworkBackend):
    """Resolves, checks, and connects to the very address it checked (httpcore calls this for every
    connection, so every redirect hop passes here too)."""

    def __init__(self, deadline: Deadline, pinned: Pins) -> None:
        self.deadline, self.pinned, self.backend = deadline, pinned, httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None, socket_options: Any = None) -> httpcore.NetworkStream:
        if (host, port) in self.pinned:
            targets = [self.pinned[host, port]]
        else:
            targets = [(address, port) for address in public_addresses(host, port)]
        for index, (address, target_port) in enumerate(targets):
            try:
                stream = self.backend.connect_tcp(address, target_port, self.deadline.within(timeout, httpcore.ConnectTimeout), local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout):
                if index == len(targets) - 1:
                    raise
                continue
            return DeadlineStream(stream, self.deadline)
        raise httpcore.ConnectError(f"{host} has no address")

    def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options: Any = None) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("only TCP connections to public addresses are made")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class PublicTransport(httpx.HTTPTransport):
    """httpx's own transport (its mapping of errors and responses) over a PublicBackend.

    httpx does not take a network backend, so the connection pool it made is replaced by one
    that has ours; tests/commands/test_external.py fails if that ever stops working.
    """

    def __init__(self, deadline: Deadline, pinned: Pins) -> None:
        super().__init__(verify=tls_context(), trust_env=False)
        self._pool = httpcore.ConnectionPool(ssl_context=tls_context(), network_backend=PublicBackend(deadline, pinned))


@cache
def tls_context() -> ssl.SSLContext:
    """httpx's default (certifi's authorities, names verified), made once: every link has its own client."""
    return httpx.create_ssl_context()


def public_client(deadline: Deadline, pinned: Pins = NO_PINS, **options: Any) -> httpx.Client:
    """An httpx client that reaches only public addresses, each request done by `deadline`,
    that follows no redirect itself and reads no proxy settings."""
    return httpx.Client(transport=PublicTransport(deadline, pinned), trust_env=False, follow_redirects=False, **options)
