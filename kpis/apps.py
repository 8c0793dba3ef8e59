from importlib import import_module

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

DEFAULTS_MIGRATION = "kpis.migrations.0002_default_measures_and_kpis"


def restore_defaults(sender, apps=None, using="default", **kwargs):
    """After ``flush`` (which empties every table and then sends post_migrate) the built-in measures and the
    default KPIs come back, as migration 0002 first wrote them. Never otherwise: HR cannot delete a built-in
    measure, so in a running database they are always there, and a default KPI HR deleted stays deleted."""
    if apps is None:  # flush sends no app registry: the running one
        from django.apps import apps
    if "kpis" not in {config.label for config in apps.get_app_configs()}:
        return
    if apps.get_model("kpis", "Measure").objects.using(using).filter(is_builtin=True).exists():
        return
    import_module(DEFAULTS_MIGRATION).create(apps, None)


class KpisConfig(AppConfig):
    name = "kpis"
    verbose_name = _("KPIs")

    def ready(self):
        post_migrate.connect(restore_defaults, sender=self)
        # staff never imports kpis (imports go one way): kpis adds its item to the supervisor's "Today".
        from staff import today

        from . import today as kpis_today

        today.register_source(kpis_today.supervisor_items)
        # The HR overview links to the KPI file upload and shows the latest ingests.
        from staff import panels

        from .views import ingestion

        panels.register_hr_overview_panel(ingestion.hr_overview_panel)
