"""The shipped measures and KPIs (migration 0002) are there after a flush, and a KPI HR deleted stays deleted."""

import pytest
from django.apps import apps
from django.core.management import call_command

from kpis.apps import restore_defaults
from kpis.models import Kpi, Measure

DEFAULT_KPIS = {
    "connect_rate",
    "fcr",
    "transfer_rate",
    "csat",
    "escalation_rate",
    "complaint_efficiency",
    "payout_per_complaint",
    "aht",
}


@pytest.mark.django_db(transaction=True)
def test_a_flush_brings_the_default_measures_and_kpis_back():
    call_command("flush", interactive=False, verbosity=0)

    assert set(Kpi.objects.values_list("code", flat=True)) == DEFAULT_KPIS
    assert Measure.objects.filter(is_builtin=True).count() == 17


def test_a_default_kpi_hr_deleted_stays_deleted_after_a_migrate(db):
    Kpi.objects.filter(code="payout_per_complaint").delete()

    restore_defaults(sender=apps.get_app_config("kpis"), apps=apps)

    assert set(Kpi.objects.values_list("code", flat=True)) == DEFAULT_KPIS - {"payout_per_complaint"}
