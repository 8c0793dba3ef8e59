from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    """Insight (seeds 003 and 004): does development work? Cohorts, effects, organisation health and the reporting
    system, read from the data every other app holds. It writes nothing but its own cached aggregates and reports."""

    name = "insights"
    verbose_name = _("Insights")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The floor managers see the whole centre: a role read in the one roles query of each request.
        from staff.permissions import register_role

        from . import permissions

        register_role(permissions.FLOOR_MANAGER, permissions.floor_manager_expression)
