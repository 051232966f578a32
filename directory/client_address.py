"""The address of the person behind a request, also behind reverse proxies.

`DJANGO_TRUSTED_PROXY_COUNT` says how many proxies in front of gunicorn append to
`X-Forwarded-For` (nginx's `$proxy_add_x_forwarded_for`). Each appends the address it
was reached from, so the n-th entry from the right was written by our own outermost
proxy; everything to its left came from the client and may be forged. With 0 the
socket address is used and the header is ignored.
"""

import ipaddress

from django.conf import settings


def _valid(address):
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_address(request):
    """The client's IP address as text (the login lockout and the report limit count by it)."""
    socket_address = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return socket_address
    entries = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
    if not entries:
        return socket_address
    # Fewer entries than proxies: the leftmost is the one our outermost proxy saw.
    chosen = entries[-count] if len(entries) >= count else entries[0]
    return _valid(chosen) or socket_address
