"""The HTTP transport webhook deliveries go through: it connects only where an
``AddressPolicy`` allows, on the address it checked (``service.webhooks.addresses``).

A module of its own so that httpx and httpcore are imported with the first delivery
(``service.webhooks.dispatcher``), not by every server as it starts.
"""

from __future__ import annotations

import functools
import ipaddress
import ssl
import typing

import httpcore
import httpx

from service.webhooks.addresses import AddressPolicy, AddressRefused


class _GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves, checks, and connects to the checked address; then checks the peer again."""

    def __init__(self, policy: AddressPolicy) -> None:
        self.policy = policy
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            addresses = await self.policy.resolve(host, port)
        except (AddressRefused, OSError) as refused:
            raise httpcore.ConnectError(str(refused)) from None
        last: Exception | None = None
        for address in addresses:
            try:
                stream = await self.inner.connect_tcp(
                    str(address),
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                last = error
                continue
            peer = stream.get_extra_info("server_addr")
            try:
                self.policy.check_address(ipaddress.ip_address(str(peer[0]).split("%")[0]), host)
            except (AddressRefused, TypeError, ValueError):
                await stream.aclose()
                raise httpcore.ConnectError(f"{host} connected to a refused address") from None
            return stream
        raise last or httpcore.ConnectError(f"{host} has no address")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """httpx's default context (certificates and host names verified), made once per process:
    loading the CA bundle takes tens of milliseconds, and a context serves any number of
    connections. Each start of the dispatcher made two."""
    return httpx.create_ssl_context()


def guarded_transport(policy: AddressPolicy) -> httpx.AsyncHTTPTransport:
    """An httpx transport whose connections go only where ``policy`` allows."""
    transport = httpx.AsyncHTTPTransport(verify=_ssl_context())
    # httpx builds its pool without a way to pass a network backend; this is the same pool with one.
    transport._pool = httpcore.AsyncConnectionPool(  # noqa: SLF001
        ssl_context=_ssl_context(),
        http1=True,
        http2=False,
        network_backend=_GuardedBackend(policy),
    )
    return transport
