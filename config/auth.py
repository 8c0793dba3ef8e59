"""Log-in protection (django-axes, settings AXES_*): the client's IP, and the log-in page.

The log-in page is Django's, refusing a locked-out username + IP first.

Left to itself, a POST from a locked-out client still validates the form, asks every authentication backend,
renders the log-in page with its errors and then throws it away for the lockout page (issue 9: 17 ms of CPU
and 9 queries a refused attempt). Here the lockout is checked once, with the username normalised as the form
does, and answered with the lockout page directly: one query, no password hasher, one template. A client that
is not locked out goes through the ordinary flow, where AxesStandaloneBackend (first in
AUTHENTICATION_BACKENDS) still refuses a lockout before any password is checked.
"""

import ipaddress

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import UsernameField


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        credentials = {"username": UsernameField().to_python(request.POST.get("username", ""))}
        if not AxesProxyHandler.is_allowed(request, credentials):
            return get_lockout_response(request, None, credentials)
        return super().post(request, *args, **kwargs)


def client_ip(request):
    """The client's IP address for django-axes (settings.AXES_CLIENT_IP_CALLABLE).

    Without AXES_PROXY_COUNT it is REMOTE_ADDR, and X-Forwarded-For is ignored: anyone can send that header.
    Behind N reverse proxies it is the N-th address from the right of X-Forwarded-For (each proxy appends the
    address it received the request from, so the entries further left are the client's to invent), provided
    the request came from one of AXES_TRUSTED_PROXIES when that list is set. A header with fewer entries or
    an entry that is not an address falls back to REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.CLIENT_IP_PROXY_COUNT
    if not count or not _trusted_proxy(remote):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote


def _trusted_proxy(remote):
    networks = settings.CLIENT_IP_TRUSTED_PROXIES
    if not networks:
        return True
    try:
        address = ipaddress.ip_address(remote)
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(network, strict=False) for network in networks)
