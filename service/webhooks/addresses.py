"""Where webhook deliveries may go: public addresses only, unless the firm allows a host or a
network of its own (WEBHOOK_ALLOWED_HOSTS), so that a key cannot make the service call inside.

The host is checked when a webhook is registered, and the address is checked again at every
delivery, on the address the connection is really made to: deliveries resolve the name
themselves, check each address, and connect to the checked one (a name that resolved to a
public address at registration and to 127.0.0.1 later — DNS rebinding — is refused then).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

import anyio

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# Cloud metadata services that sit on otherwise unremarkable addresses or names.
_METADATA_ADDRESSES = {
    ipaddress.ip_address("169.254.169.254"),
    ipaddress.ip_address("169.254.170.2"),
    ipaddress.ip_address("100.100.100.200"),
    ipaddress.ip_address("fd00:ec2::254"),
}
_INTERNAL_NAMES = (
    "localhost",
    "metadata.google.internal",
    "metadata.goog",
    "metadata",
    "instance-data",
)
_INTERNAL_SUFFIXES = (".localhost", ".internal", ".local", ".localdomain", ".home.arpa")


class AddressRefused(Exception):
    """The host is, or resolves to, an address deliveries may not reach."""


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    hosts: frozenset[str] = frozenset()
    networks: tuple[Network, ...] = ()

    @classmethod
    def parse(cls, setting: str) -> AddressPolicy:
        """``"portal.firm.internal, 10.20.0.0/16, 192.168.1.5"`` → hosts and networks.

        Raises ValueError naming an entry that is neither.
        """
        hosts: set[str] = set()
        networks: list[Network] = []
        for entry in (part.strip().lower() for part in setting.split(",")):
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                if not all(c.isalnum() or c in ".-" for c in entry):
                    raise ValueError(
                        f"WEBHOOK_ALLOWED_HOSTS: {entry!r} is neither a host name nor a network"
                    ) from None
                hosts.add(entry.rstrip("."))
        return cls(frozenset(hosts), tuple(networks))

    def allows_host(self, host: str) -> bool:
        return host.lower().rstrip(".") in self.hosts

    def allows_address(self, address: Address) -> bool:
        return any(address in network for network in self.networks)

    def check_name(self, host: str) -> Address | None:
        """The address a host names literally (in any form a resolver accepts: ``127.1``,
        ``2130706433``, ``0x7f000001``), else None for a name to be resolved.

        Raises AddressRefused for an internal name or a literal internal address.
        """
        name = host.lower().rstrip(".").strip("[]")
        if self.allows_host(name):
            return None
        if name in _INTERNAL_NAMES or name.endswith(_INTERNAL_SUFFIXES):
            raise AddressRefused(f"{host} is an internal host name")
        literal = _literal_address(name)
        if literal is not None:
            self.check_address(literal, host)
        return literal

    def check_address(self, address: Address, host: str) -> None:
        """Raises AddressRefused unless the address is public or allowed."""
        if self.allows_address(address) or self.allows_host(host):
            return
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if (
            address in _METADATA_ADDRESSES
            or not address.is_global
            or address.is_multicast
            or address.is_reserved
        ):
            raise AddressRefused(f"{host} is, or resolves to, an internal address")

    async def resolve(self, host: str, port: int) -> list[Address]:
        """Every address of ``host``, each checked. Raises AddressRefused if any is refused
        (a name with one internal address among public ones is not a portal), OSError if the
        name does not resolve."""
        literal = self.check_name(host)
        if literal is not None:
            return [literal]
        found = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found]
        for address in addresses:
            self.check_address(address, host)
        return addresses


def _literal_address(name: str) -> Address | None:
    try:
        return ipaddress.ip_address(name)
    except ValueError:
        pass
    if name and all(c in "0123456789abcdefx." for c in name) and any(c.isdigit() for c in name):
        try:
            # The forms inet_aton accepts and resolvers honour: "127.1", "2130706433", "0x7f.1".
            return ipaddress.IPv4Address(socket.inet_aton(name))
        except OSError:
            return None
    return None
