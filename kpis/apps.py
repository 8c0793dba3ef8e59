from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpisConfig(AppConfig):
    name = "kpis"
    verbose_name = _("KPIs")

    def ready(self):
        # staff never imports kpis (imports go one way): kpis adds its item to the supervisor's "Today".
        from staff import today

        from . import today as kpis_today

        today.register_source(kpis_today.supervisor_items)
        # The HR overview links to the KPI file upload and shows the latest ingests.
        from staff import panels

        from .views import ingestion

        panels.register_hr_overview_panel(ingestion.hr_overview_panel)
