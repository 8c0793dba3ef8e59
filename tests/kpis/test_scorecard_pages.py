"""HR's scorecard pages, the payroll export, the scorecard API, the "My results" partial and the admin's weight
sets (seed 004)."""

import csv
import datetime
import io
from decimal import Decimal as D

import openpyxl
import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kpis.models import Kpi, LateRevision, Month, MonthEvent, Scorecard, Weight, WeightSet
from kpis.selectors.scorecards import scorecard_card
from kpis.services import scorecards as services
from tests.kpis.factories import AgentDayFactory, ScorecardFactory, make_weight_set
from tests.staff.factories import EmployeeFactory

NOV = datetime.date(2026, 11, 1)
MONTH_URL = reverse("kpis:scorecard-month", kwargs={"month": "2026-11"})
EXPORT_URL = reverse("kpis:scorecard-export", kwargs={"month": "2026-11"})
API_URL = "/api/kpis/scorecards/"


@pytest.fixture
def hr_client(client, world):
    client.force_login(world.hr)
    return client


def login(client, employee):
    client.force_login(employee.user)
    return client


def cards(team, count, **kwargs):
    return [ScorecardFactory(employee=EmployeeFactory(team=team), **kwargs) for _ in range(count)]


# HR pages -------------------------------------------------------------------------------------------------------


def test_months_page_lists_status_scorecards_and_late_revisions_to_review(hr_client, world):
    card = ScorecardFactory(employee=world.trainee)
    month = Month.objects.create(month=NOV, status="closed")
    day = AgentDayFactory(employee=world.trainee)
    LateRevision.objects.create(month=month, employee=world.trainee, on=day.on, revision=2, ingest=day.ingest)
    response = hr_client.get(reverse("kpis:scorecard-months"))
    assert response.status_code == 200
    row = next(m for m in response.context["months"] if m.month == NOV)
    assert (row.status, row.scorecard_count, row.late_to_review) == ("closed", 1, 1)
    assert card.pk and "Reopen" in response.content.decode()


def test_a_supervisor_cannot_reach_hrs_scorecard_pages(client, world):
    login(client, world.supervisor)
    assert client.get(reverse("kpis:scorecard-months")).status_code == 404
    assert client.get(MONTH_URL).status_code == 404
    assert client.get(EXPORT_URL).status_code == 404


def test_month_page_filters_by_site_and_band(hr_client, world):
    ScorecardFactory(employee=world.trainee, band="excellent")
    ScorecardFactory(employee=world.other_trainee, band="below")
    site = world.trainee.team.department.site
    by_site = hr_client.get(MONTH_URL, {"site": site.pk}).context["page"]
    by_band = hr_client.get(MONTH_URL, {"band": "below"}).context["page"]
    assert [c.employee for c in by_site] == [world.trainee]
    assert [c.employee for c in by_band] == [world.other_trainee]


def test_month_page_is_paginated(hr_client, world):
    cards(world.team, 51)
    page = hr_client.get(MONTH_URL).context["page"]
    assert (len(page.object_list), page.paginator.count) == (50, 51)


def test_month_page_query_count_does_not_grow_with_scorecards(hr_client, world):
    cards(world.team, 2)
    with CaptureQueriesContext(connection) as few:
        assert hr_client.get(MONTH_URL).status_code == 200
    cards(world.other_team, 40, band="below")
    with CaptureQueriesContext(connection) as many:
        assert hr_client.get(MONTH_URL).status_code == 200
    assert len(many) == len(few)


def test_months_page_query_count_does_not_grow_with_months(hr_client, world):
    Month.objects.create(month=NOV)
    with CaptureQueriesContext(connection) as few:
        hr_client.get(reverse("kpis:scorecard-months"))
    for month in range(1, 11):
        Month.objects.create(month=datetime.date(2026, month, 1), status="closed")
    with CaptureQueriesContext(connection) as many:
        hr_client.get(reverse("kpis:scorecard-months"))
    assert len(many) == len(few)


def test_closing_from_the_page_freezes_the_month_and_audits_hr(hr_client, world):
    response = hr_client.post(reverse("kpis:scorecard-month-close", kwargs={"month": "2026-11"}))
    assert response.status_code == 302
    assert Month.objects.get(month=NOV).status == "closed"
    assert MonthEvent.objects.get().actor == world.hr


def test_reopening_from_the_page_without_a_reason_is_refused(hr_client, world):
    services.close_month(month=NOV, actor=world.hr)
    response = hr_client.post(
        reverse("kpis:scorecard-month-reopen", kwargs={"month": "2026-11"}), {"reason": " "}, follow=True
    )
    assert Month.objects.get(month=NOV).status == "closed"
    assert "Say why the month is reopened" in response.content.decode()


def test_reopening_from_the_page_with_a_reason_is_audited(hr_client, world):
    services.close_month(month=NOV, actor=world.hr)
    hr_client.post(reverse("kpis:scorecard-month-reopen", kwargs={"month": "2026-11"}), {"reason": "Late CSAT file"})
    assert Month.objects.get(month=NOV).status == "open"
    assert MonthEvent.objects.order_by("-pk").values_list("reason", "actor")[0] == ("Late CSAT file", world.hr.pk)


def test_computing_from_the_page_makes_the_scorecards(hr_client, world):
    make_weight_set(world.team.department.site, NOV, {"fcr": (100, 0.5, 0.9)})
    AgentDayFactory(employee=world.trainee, inbound_handled=10, fcr_resolved=8)
    response = hr_client.post(reverse("kpis:scorecard-month-compute"), {"month": "2026-11"})
    assert response.status_code == 302
    assert Scorecard.objects.get(employee=world.trainee).composite == D("75.00")


def test_computing_a_malformed_month_is_refused(hr_client, world):
    response = hr_client.post(reverse("kpis:scorecard-month-compute"), {"month": "11/2026"}, follow=True)
    assert "Enter a month as YYYY-MM" in response.content.decode()
    assert not Month.objects.exists()


def test_marking_late_revisions_reviewed_from_the_page(hr_client, world):
    month = Month.objects.create(month=NOV, status="closed")
    day = AgentDayFactory(employee=world.trainee)
    late = LateRevision.objects.create(month=month, employee=world.trainee, on=day.on, revision=2, ingest=day.ingest)
    assert "1 late revision to review" in hr_client.get(MONTH_URL).content.decode()
    hr_client.post(reverse("kpis:scorecard-late-revisions-reviewed", kwargs={"month": "2026-11"}))
    late.refresh_from_db()
    assert (late.is_reviewed, late.reviewed_by) == (True, world.hr)


def test_a_malformed_month_in_the_url_answers_404(hr_client):
    assert hr_client.get(reverse("kpis:scorecard-month", kwargs={"month": "2026-13"})).status_code == 404


# payroll export -------------------------------------------------------------------------------------------------


def test_csv_export_holds_the_payroll_columns(hr_client, world):
    world.trainee.position.pay_grade = "G2"
    world.trainee.position.save()
    ScorecardFactory(employee=world.trainee, composite=D("81.25"), band="meets", pay_grade="G2", pay_coefficient=1)
    response = hr_client.get(EXPORT_URL, {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Employee number",
        "Name",
        "Team",
        "Site",
        "Month",
        "Composite score",
        "Band",
        "Pay grade",
        "Pay coefficient",
    ]
    team = world.trainee.team
    assert rows[1] == [
        world.trainee.employee_number,
        "Trainee A",
        team.name,
        team.department.site.name,
        "2026-11",
        "81.25",
        "Meets",
        "G2",
        "1.00",
    ]
    assert response["Content-Disposition"] == 'attachment; filename="scorecards-2026-11.csv"'


def test_csv_export_neutralises_formulas(hr_client, world):
    world.trainee.name = '=HYPERLINK("http://x")'
    world.trainee.save()
    world.trainee.team.name = "+SUM(A1)"
    world.trainee.team.save()
    ScorecardFactory(employee=world.trainee)
    rows = list(csv.reader(io.StringIO(hr_client.get(EXPORT_URL).content.decode("utf-8-sig"))))
    assert rows[1][1:3] == ['\'=HYPERLINK("http://x")', "'+SUM(A1)"]


def test_xlsx_export_neutralises_formulas(hr_client, world):
    world.trainee.name = "@SUM(1+1)"
    world.trainee.save()
    ScorecardFactory(employee=world.trainee)
    response = hr_client.get(EXPORT_URL, {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cell = sheet.cell(row=2, column=2)
    assert (cell.value, cell.data_type) == ("'@SUM(1+1)", "s")


def test_export_keeps_the_pages_filters(hr_client, world):
    ScorecardFactory(employee=world.trainee, band="meets")
    ScorecardFactory(employee=world.other_trainee, band="below")
    rows = list(csv.reader(io.StringIO(hr_client.get(EXPORT_URL, {"band": "below"}).content.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == [world.other_trainee.employee_number]


# API ------------------------------------------------------------------------------------------------------------


def _api_numbers(client, **params):
    response = client.get(API_URL, params)
    assert response.status_code == 200
    return sorted(r["employee_number"] for r in response.json()["results"])


def test_a_trainee_sees_only_her_own_scorecard(client, world):
    ScorecardFactory(employee=world.trainee)
    ScorecardFactory(employee=world.mentor)
    ScorecardFactory(employee=world.other_trainee)
    assert _api_numbers(login(client, world.trainee)) == [world.trainee.employee_number]


def test_a_supervisor_sees_her_teams_scorecards(client, world):
    mine = [ScorecardFactory(employee=world.trainee), ScorecardFactory(employee=world.mentor)]
    ScorecardFactory(employee=world.other_trainee)
    assert _api_numbers(login(client, world.supervisor)) == sorted(c.employee.employee_number for c in mine)


def test_a_mentor_sees_her_own_scorecard_but_not_her_mentees_pay(client, world):
    ScorecardFactory(employee=world.trainee)
    ScorecardFactory(employee=world.mentor)
    assert world.trainee.mentor == world.mentor
    assert _api_numbers(login(client, world.mentor)) == [world.mentor.employee_number]


def test_hr_sees_every_scorecard_of_the_month_asked(client, world):
    ScorecardFactory(employee=world.trainee)
    ScorecardFactory(employee=world.other_trainee)
    ScorecardFactory(employee=world.other_trainee, month=datetime.date(2026, 10, 1))
    client.force_login(world.hr)
    assert len(_api_numbers(client, month="2026-11")) == 2
    assert len(_api_numbers(client)) == 3


def test_the_api_answers_a_scorecards_fields(client, world):
    ScorecardFactory(
        employee=world.trainee,
        components=[{"kpi": "fcr", "value": 0.8, "normalised": 75.0, "weight": 100, "effective_weight": 100.0}],
    )
    result = login(client, world.trainee).get(API_URL, {"month": "2026-11"}).json()["results"][0]
    assert (result["month"], result["band"], result["composite"], result["components"][0]["kpi"]) == (
        "2026-11",
        "meets",
        "80.00",
        "fcr",
    )


def test_a_malformed_month_filter_is_refused(client, world):
    response = login(client, world.trainee).get(API_URL, {"month": "November"})
    assert response.status_code == 400
    assert "month" in response.json()


def test_the_scorecards_endpoint_is_in_the_schema_with_an_example(client, world):
    login(client, world.trainee)
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/kpis/scorecards/"]["get"]
    assert any(p["name"] == "month" for p in operation["parameters"])
    assert "examples" in operation["responses"]["200"]["content"]["application/json"]


# the "My results" partial ---------------------------------------------------------------------------------------


def test_the_partial_explains_the_pay_coefficient(world):
    card = ScorecardFactory(
        employee=world.trainee,
        pay_coefficient=D("1.20"),
        band="excellent",
        components=[{"kpi": "fcr", "value": 0.85, "normalised": 87.5, "weight": 100, "effective_weight": 100.0}],
    )
    html = render_to_string("kpis/_scorecard.html", {"card": scorecard_card(card)})
    assert "your pay coefficient is 1.20" in html
    assert "First-contact resolution" in html and "85.00%" in html and "87.5" in html


def test_the_partial_says_when_a_kpi_had_no_data(world):
    components = [
        {"kpi": "fcr", "value": 0.85, "normalised": 87.5, "weight": 60, "effective_weight": 100.0},
        {"kpi": "csat", "value": None, "normalised": None, "weight": 40, "effective_weight": 0.0},
    ]
    card = ScorecardFactory(employee=world.trainee, components=components)
    html = render_to_string("kpis/_scorecard.html", {"card": scorecard_card(card)})
    assert "no data" in html and "its weight is shared by the others" in html


def test_the_partial_without_a_scorecard_says_when_it_comes(world):
    assert "No scorecard yet" in render_to_string("kpis/_scorecard.html", {"card": None})


def test_my_results_shows_my_scorecard(client, world):
    ScorecardFactory(employee=world.trainee, pay_coefficient=D("0.90"), band="below")
    response = login(client, world.trainee).get(reverse("kpis:my-results"), {"month": "2026-11"})
    assert response.status_code == 200
    assert "your pay coefficient is 0.90" in response.content.decode()


# admin: weight sets ---------------------------------------------------------------------------------------------


def _weight_set_post(site, rows, month="2026-12-01"):
    data = {
        "site": site.pk,
        "month": month,
        "note": "",
        "weights-TOTAL_FORMS": len(rows),
        "weights-INITIAL_FORMS": 0,
        "weights-MIN_NUM_FORMS": 1,
        "weights-MAX_NUM_FORMS": 1000,
    }
    for i, (code, weight, worst, best) in enumerate(rows):
        kpi = Kpi.objects.get(code=code)
        data.update(
            {
                f"weights-{i}-kpi": kpi.pk,
                f"weights-{i}-weight": weight,
                f"weights-{i}-worst": worst,
                f"weights-{i}-best": best,
            }
        )
    return data


def test_admin_refuses_weights_not_summing_to_one_hundred(hr_client, world):
    site = world.team.department.site
    data = _weight_set_post(site, [("fcr", 50, "0.5", "0.9"), ("aht", 40, "600", "300")])
    response = hr_client.post(reverse("admin:kpis_weightset_add"), data)
    assert response.status_code == 200
    assert "The weights add up to 90; they must add up to exactly 100." in response.content.decode()
    assert not WeightSet.objects.exists()


def test_admin_saves_a_valid_weight_set_from_the_first_of_the_month(hr_client, world):
    site = world.team.department.site
    data = _weight_set_post(site, [("fcr", 60, "0.5", "0.9"), ("aht", 40, "600", "300")], month="2026-12-15")
    assert hr_client.post(reverse("admin:kpis_weightset_add"), data).status_code == 302
    assert WeightSet.objects.get().month == datetime.date(2026, 12, 1)


def test_admin_cannot_change_a_used_weight_set(hr_client, world):
    used = make_weight_set(world.team.department.site, NOV, {"fcr": (100, 0.5, 0.9)})
    WeightSet.objects.filter(pk=used.pk).update(is_used=True)
    url = reverse("admin:kpis_weightset_change", args=[used.pk])
    assert hr_client.get(url).status_code == 200  # HR may look
    response = hr_client.post(url, _weight_set_post(used.site, [("fcr", 100, "0.1", "0.9")], month="2026-11-01"))
    assert response.status_code == 403
    assert Weight.objects.get(weight_set=used).worst == D("0.5")


def test_admin_copies_a_set_to_the_next_month(hr_client, world):
    used = make_weight_set(world.team.department.site, NOV, {"fcr": (100, 0.5, 0.9)})
    hr_client.post(
        reverse("admin:kpis_weightset_changelist"), {"action": "copy_to_next_month", "_selected_action": [used.pk]}
    )
    copy = WeightSet.objects.get(month=datetime.date(2026, 12, 1))
    assert list(copy.weights.values_list("kpi__code", "weight")) == [("fcr", 100)]


def test_admin_marks_late_revisions_reviewed(hr_client, world):
    month = Month.objects.create(month=NOV, status="closed")
    day = AgentDayFactory(employee=world.trainee)
    late = LateRevision.objects.create(month=month, employee=world.trainee, on=day.on, revision=2, ingest=day.ingest)
    hr_client.post(
        reverse("admin:kpis_laterevision_changelist"), {"action": "mark_reviewed", "_selected_action": [late.pk]}
    )
    late.refresh_from_db()
    assert (late.is_reviewed, late.reviewed_by) == (True, world.hr)
