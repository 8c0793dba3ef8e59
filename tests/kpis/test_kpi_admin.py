"""HR's back office for measures and ingestion (kpis.admin.measures): every page loads for HR; a KPI's two
measures share a source; a built-in measure keeps its code and is never deleted; target limits follow the KPI's
direction; ingests and daily rows are read-only and searchable by employee number or queue code."""

import datetime

import pytest
from django.urls import reverse

from kpis.models import Kpi, Measure, Target
from tests.kpis.factories import AgentDayFactory, IngestFactory, QueueDayFactory, QueueFactory, TargetFactory
from tests.staff.factories import EmployeeFactory, make_hr_user

EDITABLE = ["measure", "kpi", "queue", "target"]
READ_ONLY = ["ingest", "agentday", "queueday"]


@pytest.fixture
def hr_client(client, db):
    client.force_login(make_hr_user(username="hr_admin"))
    return client


@pytest.fixture
def rows(db):
    """One of each row, so that the change pages have something to show."""
    kpi = Kpi.objects.get(code="fcr")
    return {
        "target": TargetFactory(kpi=kpi, target="0.80", excellent_at="0.90", far_below_at="0.60"),
        "agentday": AgentDayFactory(employee=EmployeeFactory(employee_number="E77001")),
        "queueday": QueueDayFactory(queue=QueueFactory(code="GZ-CARD")),
        "ingest": IngestFactory(),
    }


def kpi_form(**changes):
    data = {
        "code": "fcr_outbound",
        "name_en": "FCR of outbound",
        "name_zh": "外呼首解率",
        "numerator": Measure.objects.get(code="fcr_resolved").pk,
        "denominator": Measure.objects.get(code="inbound_handled").pk,
        "factor": "1",
        "unit": "percent",
        "direction": "higher",
        "kind": "quantitative",
        "order": "9",
        "is_active": "on",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("model", EDITABLE + READ_ONLY)
def test_the_changelist_loads_for_hr(hr_client, rows, model):
    assert hr_client.get(reverse(f"admin:kpis_{model}_changelist")).status_code == 200


@pytest.mark.parametrize("model", EDITABLE)
def test_the_add_page_loads_for_hr(hr_client, model):
    assert hr_client.get(reverse(f"admin:kpis_{model}_add")).status_code == 200


@pytest.mark.parametrize("model", READ_ONLY)
def test_ingests_and_daily_rows_can_be_looked_at_but_not_added(hr_client, rows, model):
    assert hr_client.get(reverse(f"admin:kpis_{model}_add")).status_code == 403
    assert hr_client.get(reverse(f"admin:kpis_{model}_change", args=[rows[model].pk])).status_code == 200


def test_a_kpi_over_measures_of_two_sources_is_refused(hr_client):
    response = hr_client.post(
        reverse("admin:kpis_kpi_add"), kpi_form(denominator=Measure.objects.get(code="offered").pk)
    )
    assert response.status_code == 200
    assert "same source" in str(response.context["adminform"].form.non_field_errors())
    assert not Kpi.objects.filter(code="fcr_outbound").exists()


def test_a_semi_quantitative_kpi_over_one_source_is_saved(hr_client):
    response = hr_client.post(reverse("admin:kpis_kpi_add"), kpi_form(kind="semi_quantitative"))
    assert response.status_code == 302
    assert Kpi.objects.get(code="fcr_outbound").kind == "semi_quantitative"


def test_hr_adds_a_measure_of_her_own(hr_client):
    data = {"code": "callbacks", "source": "agent", "name_en": "Callbacks", "name_zh": "回拨量", "order": "30"}
    assert hr_client.post(reverse("admin:kpis_measure_add"), data).status_code == 302
    assert Measure.objects.get(code="callbacks").is_builtin is False


def test_a_built_in_measure_keeps_its_code_and_source(hr_client):
    measure = Measure.objects.get(code="inbound_handled")
    data = {"code": "renamed", "source": "queue", "name_en": "Inbound", "name_zh": "呼入", "order": "1"}
    assert hr_client.post(reverse("admin:kpis_measure_change", args=[measure.pk]), data).status_code == 302
    measure.refresh_from_db()
    assert (measure.code, measure.source, measure.name_en) == ("inbound_handled", "agent", "Inbound")


def test_a_built_in_measure_cannot_be_deleted(hr_client):
    measure = Measure.objects.get(code="inbound_handled")
    assert hr_client.post(reverse("admin:kpis_measure_delete", args=[measure.pk]), {"post": "yes"}).status_code == 403
    assert Measure.objects.filter(pk=measure.pk).exists()


def target_form(kpi, **changes):
    data = {"kpi": kpi.pk, "valid_from": "2026-01-01", "excellent_at": "300", "target": "360", "far_below_at": "480"}
    data.update(changes)
    return data


def test_a_target_of_a_lower_is_better_kpi_takes_limits_that_rise(hr_client):
    aht = Kpi.objects.get(code="aht")
    assert hr_client.post(reverse("admin:kpis_target_add"), target_form(aht)).status_code == 302
    assert Target.objects.get(kpi=aht).valid_from == datetime.date(2026, 1, 1)


def test_a_target_whose_limits_run_against_the_kpis_direction_is_refused(hr_client):
    fcr = Kpi.objects.get(code="fcr")  # higher is better: excellent must be at least the target
    response = hr_client.post(reverse("admin:kpis_target_add"), target_form(fcr))
    assert response.status_code == 200 and not Target.objects.exists()


def test_agent_days_are_found_by_employee_number(hr_client, rows):
    AgentDayFactory()
    response = hr_client.get(reverse("admin:kpis_agentday_changelist"), {"q": "E77001"})
    assert list(response.context["cl"].result_list) == [rows["agentday"]]


def test_queue_days_are_found_by_queue_code(hr_client, rows):
    QueueDayFactory()
    response = hr_client.get(reverse("admin:kpis_queueday_changelist"), {"q": "GZ-CARD"})
    assert list(response.context["cl"].result_list) == [rows["queueday"]]
