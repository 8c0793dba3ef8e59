from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementConfig(AppConfig):
    """Participation and improvement (DOMAIN §4 empowerment and execution, seeds 002 and 003): staff suggestions,
    PDCA initiatives whose Check is computed from the KPI data, tasks with stage owners, follow-up for every agent."""

    name = "improvement"
    verbose_name = _("Improvement")
    default_auto_field = "django.db.models.BigAutoField"
