"""The visitor's address, for every limit that counts per address (sign-in lockout, registrations)."""

import ipaddress

from django.conf import settings


def _valid(address):
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_address(request):
    """The visitor's address, or None when the request has none (e.g. a test client's force_login).

    Behind a reverse proxy REMOTE_ADDR is the proxy's own, so the address is read from the header
    the proxy sets, named by TRUSTED_PROXY_HEADER (e.g. "HTTP_X_REAL_IP"), but only when that
    setting says the proxy is there: otherwise anyone could send the header."""
    header = getattr(settings, "TRUSTED_PROXY_HEADER", "")
    if header and request.META.get(header):
        # X-Forwarded-For lists every hop; the last one is what our proxy saw.
        forwarded = _valid(request.META[header].split(",")[-1])
        if forwarded:
            return forwarded
    return _valid(request.META.get("REMOTE_ADDR", ""))
