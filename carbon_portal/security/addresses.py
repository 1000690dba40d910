"""The one answer to "which address did this request come from", for the security log and for
the login throttling (django-axes).

Without `TRUSTED_PROXIES` (the default) only the connection's own address (REMOTE_ADDR) counts:
any X-Forwarded-For header could be written by the client. With it (addresses or networks of
the reverse proxies in front of the portal), a request that arrives from such a proxy is
attributed to the nearest address in its X-Forwarded-For chain that is not a trusted proxy,
read from the right, so a client cannot push a forged address in front of it.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from ipware import get_client_ip


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _parse(value: str):
    value = value.strip().strip('"')
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1:value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    if address is None:
        return False
    if getattr(address, "ipv4_mapped", None):
        address = address.ipv4_mapped
    return any(address.version == network.version and address in network for network in networks)


def client_address(request) -> str | None:
    """The client's IP address as text, or None when the request carries none usable."""
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    # The connection's own address, normalised by django-ipware (REMOTE_ADDR only).
    remote, _routable = get_client_ip(request, request_header_order=("REMOTE_ADDR",))
    if not networks or not _trusted(_parse(remote or ""), networks):
        return remote
    header = next((name for name in settings.IPWARE_META_PRECEDENCE_ORDER
                   if name != "REMOTE_ADDR" and request.META.get(name)), None)
    hops = [hop for hop in request.META.get(header, "").split(",") if hop.strip()] if header else []
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            return remote  # a chain we cannot read: the proxy's address, never a guess
        if not _trusted(address, networks):
            return str(getattr(address, "ipv4_mapped", None) or address)
    return remote
