from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncentivesConfig(AppConfig):
    """Herzberg-style recognition and the honour system (DOMAIN §5, seeds 000, 001, 003): recognition tagged by
    motivator and an append-only points ledger whose balances are sums."""

    name = "incentives"
    verbose_name = _("Incentives")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # staff never imports incentives (imports go one way): the Herzberg balance adds its items to "Today".
        from staff import today

        from . import today as incentives_today

        today.register_source(incentives_today.supervisor_items)

        # improvement never imports incentives: its signal, sent after a suggestion is implemented, earns the author
        # recognition (services/suggestions.py).
        from improvement.signals import suggestion_implemented

        from .services.suggestions import on_suggestion_implemented

        suggestion_implemented.connect(on_suggestion_implemented, dispatch_uid="incentives.suggestion_implemented")
