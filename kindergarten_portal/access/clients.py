"""The visitor's address, for every limit that counts per address (sign-in lockout, registrations)."""

import ipaddress

from django.conf import settings


def _valid(address):
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def _from_trusted_proxy(remote: str) -> bool:
    address = ipaddress.ip_address(remote)
    return any(address in ipaddress.ip_network(proxy, strict=False) for proxy in settings.TRUSTED_PROXIES)


def client_address(request):
    """The visitor's address, or None when the request has none (e.g. a test client's force_login).

    Behind a reverse proxy REMOTE_ADDR is the proxy's own, so the address is read from the header
    the proxy sets, named by TRUSTED_PROXY_HEADER, but only on a request that came from one of
    TRUSTED_PROXIES: a client that reaches the server directly may send any header. Of
    X-Forwarded-For only the right-most address counts (the one our proxy appended; those before it
    are what the client claimed); X-Real-IP, which the proxy overwrites, must hold one address."""
    remote = _valid(request.META.get("REMOTE_ADDR", ""))
    header = settings.TRUSTED_PROXY_HEADER
    value = request.META.get(header, "") if header else ""
    if value and remote and _from_trusted_proxy(remote):
        if header == "HTTP_X_FORWARDED_FOR":
            value = value.split(",")[-1]
        forwarded = _valid(value) if "," not in value else None
        if forwarded:
            return forwarded
    return remote
