"""Response headers every page and API answer carries (settings: PERMISSIONS_POLICY, and MIDDLEWARE's order).

Content-Security-Policy itself comes from django-csp (settings.CONTENT_SECURITY_POLICY); static files are
answered by WhiteNoise before any of this runs.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; nothing a signed-in person or the API sees is stored by a cache.

    A page shows one person's data under a URL that is the same for everyone (My profile, the inbox), so a
    browser's back/forward cache, a shared computer or a proxy must not keep it: ``Cache-Control: private,
    no-store`` on every response to a signed-in user (DRF's token authentication sets request.user too) and on
    every API response, whoever asked.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = ", ".join(
            f"{feature}=({' '.join(allow)})" for feature, allow in settings.PERMISSIONS_POLICY.items()
        )
        self.api_prefix = "/api/"

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.permissions_policy)
        if request.path_info.startswith(self.api_prefix) or self._signed_in(request):
            patch_cache_control(response, private=True, no_store=True)
        return response

    @staticmethod
    def _signed_in(request):
        # Without a session cookie nobody is signed in: the (lazy) user is not loaded just to find that out.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return False
        user = getattr(request, "user", None)
        return user is not None and user.is_authenticated
