"""Sign-in protection beside django-axes: where a request comes from, and the slower limit per address.

django-axes locks a user name at one address (five failures). A password-spraying client tries one or two
passwords against many user names from one address, which that lock never sees: `SignInFailure` keeps every
failure in the database (so that every gunicorn worker shares the count) and an address with
`SIGNIN_ADDRESS_LIMIT` failures within `SIGNIN_ADDRESS_WINDOW_MINUTES`, whatever the user names, is refused
until the oldest of them ages out of the window. An IPv6 client is counted by its /64 (`limit_key`): one home or
office network holds a whole /64 and can walk through its addresses at will.
"""

import ipaddress
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.utils import timezone


def client_ip(request) -> str:
    """The client's address. Behind `TRUSTED_PROXY_COUNT` proxies (nginx sets X-Forwarded-For), the address the
    outermost trusted proxy saw: the N-th entry from the right, since anything left of it the client itself may
    have written. Without that setting the header is ignored (a client could name any address in it)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if len(hops) < count:
        return remote  # not through the proxies we were told of: the connection's own address
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def limit_key(address: str) -> str:
    """What the limit per address counts by: an IPv4 address itself, an IPv6 address's /64 network (written as its
    first address, "2001:db8:1:2::"), an IPv4 address mapped into IPv6 as the IPv4 address."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def locked_out(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: django-axes' lock-out (a user name at an address) as the site's own page (429)."""
    from django.shortcuts import render

    minutes = int(settings.AXES_COOLOFF_TIME * 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_timedelta": minutes, "cooloff_minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=429)


def _window_start():
    return timezone.now() - timedelta(minutes=settings.SIGNIN_ADDRESS_WINDOW_MINUTES)


def address_failures(address: str) -> int:
    from apps.accounts.models import SignInFailure

    return SignInFailure.objects.filter(address=limit_key(address), at__gte=_window_start()).count()


def address_refused(address: str) -> bool:
    """True when this address has failed too often lately, across all user names."""
    return bool(address) and address_failures(address) >= settings.SIGNIN_ADDRESS_LIMIT


def record_failure(sender, credentials, request=None, **kwargs) -> None:
    """`user_login_failed` receiver: one row per failed sign-in (the user name as typed, never the password)."""
    from apps.accounts.models import SignInFailure

    if request is None:
        return
    address = client_ip(request)
    if not address or address_refused(address):
        return  # a refused attempt does not extend the refusal: the address gets its next tries once the window moves
    username = str(credentials.get("username", ""))[:150]
    SignInFailure.objects.create(address=limit_key(address), username=username)
    # Old rows are of no use to the limit: drop them as we go rather than by a daily job.
    SignInFailure.objects.filter(at__lt=timezone.now() - timedelta(days=1)).delete()


class AddressLimitBackend(ModelBackend):
    """First in AUTHENTICATION_BACKENDS: refuses every sign-in from an address over its limit, on every path that
    authenticates with a password (the sign-in page, Django admin). Raising PermissionDenied stops Django's
    `authenticate` before any other backend checks the password. It never signs anyone in itself; it inherits
    ModelBackend's `get_user` because a session made without naming a backend (`force_login`) names the first."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None and address_refused(client_ip(request)):
            raise PermissionDenied
        return None
