"""Third-party apps as HR reads them in the admin.

django-axes gives its app no translatable name (the admin index would show "Axes" in Chinese too), so
INSTALLED_APPS names this subclass instead; everything else about the app is axes' own.
"""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AxesAppConfig):
    verbose_name = _("Login protection")
