"""Monthly scorecards (seed 004): weights per region, pay coefficients by grade, months that close and reopen,
late revisions, weight sets frozen once used, the nightly task."""

import datetime
import threading
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from kpis import tasks
from kpis.models import (
    AgentDay,
    Kpi,
    LateRevision,
    Measure,
    Month,
    MonthEvent,
    PayCoefficient,
    Scorecard,
    Weight,
    WeightSet,
)
from kpis.services import scorecards as services
from kpis.services.ingestion import ingest_agent_rows
from tests.kpis.factories import AgentDayFactory, make_weight_set
from tests.staff.factories import EmployeeFactory, PositionFactory, TeamFactory, make_hr_user

NOV = datetime.date(2026, 11, 1)
# fcr 0.8 → 75 between 0.5 and 0.9; AHT 450 s → 50 between 600 (worst) and 300 (best).
SAME_NUMBERS = {"inbound_handled": 100, "fcr_resolved": 80, "handle_seconds": 45000, "staffed_seconds": 28800}


@pytest.fixture
def world(db):
    class W:
        pass

    w = W()
    w.hr = make_hr_user(username="hr")
    w.team_a, w.team_b = TeamFactory(name="Shanghai 1"), TeamFactory(name="Chengdu 1")
    w.site_a, w.site_b = w.team_a.department.site, w.team_b.department.site
    w.set_a = make_weight_set(w.site_a, datetime.date(2026, 1, 1), {"fcr": (60, 0.5, 0.9), "aht": (40, 600, 300)})
    w.set_b = make_weight_set(w.site_b, datetime.date(2026, 1, 1), {"fcr": (20, 0.5, 0.9), "aht": (80, 600, 300)})
    w.ann = EmployeeFactory(name="Ann", team=w.team_a)
    w.bo = EmployeeFactory(name="Bo", team=w.team_b)
    return w


def day(employee, on=datetime.date(2026, 11, 2), **counts):
    return AgentDayFactory(employee=employee, on=on, **(counts or SAME_NUMBERS))


def card(employee, month=NOV):
    return Scorecard.objects.get(employee=employee, month=month)


# compute_month ------------------------------------------------------------------------------------------------


def test_the_same_numbers_score_differently_under_each_regions_weights(world):
    day(world.ann)
    day(world.bo)
    services.compute_month(month=NOV)
    assert card(world.ann).composite == D("65.00")  # 60 × 75 + 40 × 50
    assert card(world.bo).composite == D("55.00")  # 20 × 75 + 80 × 50
    assert (card(world.ann).weight_set, card(world.bo).weight_set) == (world.set_a, world.set_b)


def test_components_hold_each_kpis_value_score_and_weight(world):
    day(world.ann)
    services.compute_month(month=NOV)
    assert card(world.ann).components == [
        {"kpi": "fcr", "value": 0.8, "normalised": 75.0, "weight": 60, "effective_weight": 60.0},
        {"kpi": "aht", "value": 450.0, "normalised": 50.0, "weight": 40, "effective_weight": 40.0},
    ]


def test_a_months_value_is_the_ratio_of_its_sums_not_the_mean_of_daily_rates(world):
    day(world.ann, datetime.date(2026, 11, 2), inbound_handled=10, fcr_resolved=9, handle_seconds=4500)
    day(world.ann, datetime.date(2026, 11, 3), inbound_handled=100, fcr_resolved=50, handle_seconds=45000)
    services.compute_month(month=NOV)
    fcr = card(world.ann).components[0]
    assert fcr["value"] == pytest.approx(59 / 110, abs=1e-6)  # the mean of daily rates would be 0.7


def test_days_of_other_months_do_not_count(world):
    day(world.ann)
    day(world.ann, datetime.date(2026, 10, 31), inbound_handled=100, fcr_resolved=0, handle_seconds=90000)
    day(world.ann, datetime.date(2026, 12, 1), inbound_handled=100, fcr_resolved=0, handle_seconds=90000)
    services.compute_month(month=NOV)
    assert card(world.ann).composite == D("65.00")


def test_band_and_pay_coefficient_follow_hr_tables(world):
    day(world.ann)
    services.compute_month(month=NOV)
    assert (card(world.ann).band, card(world.ann).pay_coefficient) == ("below", D("0.90"))  # 65: below 75


def test_pay_coefficient_of_the_agents_grade_wins_over_any_grade(world):
    world.ann.position = PositionFactory(pay_grade="G2")
    world.ann.save()
    PayCoefficient.objects.create(band="below", pay_grade="G2", coefficient=D("0.95"))
    day(world.ann)
    services.compute_month(month=NOV)
    assert (card(world.ann).pay_grade, card(world.ann).pay_coefficient) == ("G2", D("0.95"))


def test_pay_coefficient_falls_back_to_any_grade(world):
    world.ann.position = PositionFactory(pay_grade="G3")
    world.ann.save()
    PayCoefficient.objects.create(band="below", pay_grade="G2", coefficient=D("0.95"))
    day(world.ann)
    services.compute_month(month=NOV)
    assert (card(world.ann).pay_grade, card(world.ann).pay_coefficient) == ("G3", D("0.90"))


def test_a_kpi_without_data_passes_its_weight_to_the_others(world):
    WeightSet.objects.filter(pk=world.set_a.pk).delete()
    make_weight_set(world.site_a, datetime.date(2026, 1, 1), {"fcr": (50, 0.5, 0.9), "csat": (50, 0.5, 1)})
    day(world.ann)  # no satisfaction responses this month
    services.compute_month(month=NOV)
    scorecard = card(world.ann)
    assert scorecard.composite == D("75.00")  # fcr alone
    assert [c["effective_weight"] for c in scorecard.components] == [100.0, 0.0]
    assert scorecard.components[1]["value"] is None


def test_an_agent_without_data_for_any_weighted_kpi_gets_no_scorecard(world):
    day(world.ann, inbound_handled=0, fcr_resolved=0, handle_seconds=0, staffed_seconds=3600)
    result = services.compute_month(month=NOV)
    assert not Scorecard.objects.filter(employee=world.ann).exists()
    assert result.without_data == [world.ann.pk]


def test_an_agent_whose_site_has_no_weight_set_yet_gets_no_scorecard(world):
    stranger = EmployeeFactory(team=TeamFactory())
    day(stranger)
    result = services.compute_month(month=NOV)
    assert not Scorecard.objects.filter(employee=stranger).exists()
    assert result.without_weights == [stranger.pk]


def test_the_latest_set_from_the_month_or_before_applies(world):
    later = make_weight_set(world.site_a, datetime.date(2026, 11, 1), {"fcr": (100, 0.5, 0.9)})
    make_weight_set(world.site_a, datetime.date(2026, 12, 1), {"aht": (100, 600, 300)})
    day(world.ann)
    day(world.ann, datetime.date(2026, 10, 5))
    services.compute_month(month=NOV)
    services.compute_month(month=datetime.date(2026, 10, 1))
    assert card(world.ann).weight_set == later
    assert card(world.ann, datetime.date(2026, 10, 1)).weight_set == world.set_a


def test_an_agent_at_two_sites_is_scored_by_the_site_she_was_staffed_longest_at(world):
    day(world.ann, datetime.date(2026, 11, 2), **{**SAME_NUMBERS, "staffed_seconds": 3600})
    AgentDayFactory(employee=world.ann, on=datetime.date(2026, 11, 20), team=world.team_b, **SAME_NUMBERS)
    services.compute_month(month=NOV)
    assert (card(world.ann).site, card(world.ann).team) == (world.site_b, world.team_b)
    assert card(world.ann).composite == D("55.00")  # her whole month, by Chengdu's weights


def test_the_month_row_is_created_open_on_demand(world):
    day(world.ann)
    services.compute_month(month=datetime.date(2026, 11, 17))
    assert Month.objects.get().month == NOV and Month.objects.get().status == "open"


def test_a_rerun_changes_nothing(world):
    day(world.ann)
    day(world.bo)
    services.compute_month(month=NOV)
    before = list(Scorecard.objects.values_list("pk", "composite", "computed_at", "components").order_by("pk"))
    result = services.compute_month(month=NOV)
    assert (result.created, result.updated, result.unchanged, result.removed) == (0, 0, 2, 0)
    assert list(Scorecard.objects.values_list("pk", "composite", "computed_at", "components").order_by("pk")) == before


def test_a_corrected_row_updates_the_open_months_scorecard(world):
    row = day(world.ann)
    services.compute_month(month=NOV)
    row.fcr_resolved, row.revision = 90, 2
    row.save()
    result = services.compute_month(month=NOV)
    assert result.updated == 1
    assert card(world.ann).composite == D("80.00")  # fcr 0.9 → 100: 60 + 20


def test_computing_marks_the_weight_set_used(world):
    day(world.ann)
    services.compute_month(month=NOV)
    world.set_a.refresh_from_db()
    world.set_b.refresh_from_db()
    assert (world.set_a.is_used, world.set_b.is_used) == (True, False)


def test_compute_takes_the_same_number_of_queries_for_3_or_30_agents(world):
    oct_ = datetime.date(2026, 10, 1)
    for _ in range(3):
        day(EmployeeFactory(team=world.team_a), datetime.date(2026, 10, 5))
    for _ in range(30):
        day(EmployeeFactory(team=world.team_a))
    with CaptureQueriesContext(connection) as few:
        assert services.compute_month(month=oct_).created == 3
    with CaptureQueriesContext(connection) as many:
        assert services.compute_month(month=NOV).created == 30
    assert len(many) == len(few)


# weight sets --------------------------------------------------------------------------------------------------


def test_a_used_weight_set_cannot_be_edited_through_the_service(world):
    WeightSet.objects.filter(pk=world.set_a.pk).update(is_used=True)
    fcr = Kpi.objects.get(code="fcr")
    with pytest.raises(ValidationError):
        services.save_weight_set(
            weight_set=world.set_a, site=world.site_a, month=NOV, weights=[(fcr, 100, 0.5, 0.9)], actor=world.hr
        )
    assert list(Weight.objects.filter(weight_set=world.set_a).values_list("weight", flat=True)) == [60, 40]


def test_an_unused_weight_set_may_be_replaced(world):
    fcr = Kpi.objects.get(code="fcr")
    services.save_weight_set(
        weight_set=world.set_a, site=world.site_a, month=NOV, weights=[(fcr, 100, 0.5, 0.9)], actor=world.hr
    )
    assert list(Weight.objects.filter(weight_set=world.set_a).values_list("kpi__code", "weight")) == [("fcr", 100)]


def test_saving_weights_not_summing_to_one_hundred_is_refused(world):
    fcr, aht = Kpi.objects.get(code="fcr"), Kpi.objects.get(code="aht")
    with pytest.raises(ValidationError, match="exactly 100"):
        services.save_weight_set(
            site=world.site_a, month=NOV, weights=[(fcr, 50, 0.5, 0.9), (aht, 40, 600, 300)], actor=world.hr
        )
    assert not WeightSet.objects.filter(month=NOV).exists()


def test_saving_a_semi_quantitative_kpi_with_weight_is_refused(world):
    fcr = Kpi.objects.get(code="fcr")
    Kpi.objects.filter(code="csat").update(kind="semi_quantitative")
    csat = Kpi.objects.get(code="csat")
    with pytest.raises(ValidationError, match="only quantitative"):
        services.save_weight_set(
            site=world.site_a, month=NOV, weights=[(fcr, 50, 0.5, 0.9), (csat, 50, 0.5, 1)], actor=world.hr
        )


# months: close, reopen, late revisions ------------------------------------------------------------------------


def test_closing_computes_the_month_one_last_time(world):
    row = day(world.ann)
    services.compute_month(month=NOV)
    row.fcr_resolved = 90
    row.save()
    services.close_month(month=NOV, actor=world.hr)
    assert card(world.ann).composite == D("80.00")
    event = MonthEvent.objects.get()
    assert (event.from_status, event.to_status, event.actor) == ("open", "closed", world.hr)


def test_closing_a_closed_month_changes_nothing(world):
    services.close_month(month=NOV, actor=world.hr)
    services.close_month(month=NOV, actor=world.hr)
    assert MonthEvent.objects.count() == 1


def test_a_late_revision_does_not_change_a_closed_months_scorecard_and_is_flagged(world):
    row = day(world.ann)
    services.close_month(month=NOV, actor=world.hr)
    frozen = card(world.ann)
    # What the ingestion does for a day of a closed month: the day is replaced and the revision recorded.
    row.fcr_resolved, row.revision = 90, 2
    row.save()
    LateRevision.objects.create(
        month=Month.objects.get(month=NOV), employee=world.ann, on=row.on, revision=2, ingest=row.ingest
    )
    result = services.compute_month(month=NOV)
    assert result.is_frozen
    after = card(world.ann)
    assert (after.composite, after.components, after.computed_at) == (
        frozen.composite,
        frozen.components,
        frozen.computed_at,
    )
    assert LateRevision.objects.filter(month__month=NOV, is_reviewed=False).count() == 1


def test_reopening_needs_a_reason(world):
    services.close_month(month=NOV, actor=world.hr)
    with pytest.raises(ValidationError, match="Say why"):
        services.reopen_month(month=NOV, actor=world.hr, reason="  ")
    assert Month.objects.get(month=NOV).status == "closed"
    assert MonthEvent.objects.count() == 1


def test_reopening_is_audited_and_applies_late_revisions(world):
    row = day(world.ann)
    services.close_month(month=NOV, actor=world.hr)
    row.fcr_resolved, row.revision = 90, 2
    row.save()
    services.reopen_month(month=NOV, actor=world.hr, reason="CSAT corrected by the platform")
    event = MonthEvent.objects.order_by("-pk").first()
    assert (event.from_status, event.to_status, event.actor, event.reason) == (
        "closed",
        "open",
        world.hr,
        "CSAT corrected by the platform",
    )
    assert card(world.ann).composite == D("80.00")


def test_reopening_an_open_month_changes_nothing(world):
    services.reopen_month(month=NOV, actor=world.hr, reason="why")
    assert MonthEvent.objects.count() == 0


def test_marking_late_revisions_reviewed_records_who(world):
    row = day(world.ann)
    services.close_month(month=NOV, actor=world.hr)
    late = LateRevision.objects.create(
        month=Month.objects.get(month=NOV), employee=world.ann, on=row.on, revision=2, ingest=row.ingest
    )
    assert services.mark_late_revisions_reviewed(actor=world.hr, month=NOV) == 1
    late.refresh_from_db()
    assert (late.is_reviewed, late.reviewed_by) == (True, world.hr)
    assert services.mark_late_revisions_reviewed(actor=world.hr, month=NOV) == 0


# the nightly task ---------------------------------------------------------------------------------------------


def test_the_nightly_task_computes_this_month_and_the_previous_while_open(world):
    day(world.ann, datetime.date(2026, 10, 30))
    day(world.ann, datetime.date(2026, 11, 2))
    tasks.compute_scorecards.delay(today="2026-11-03")
    assert set(Scorecard.objects.values_list("month", flat=True)) == {datetime.date(2026, 10, 1), NOV}


def test_the_nightly_task_leaves_a_closed_previous_month_alone(world):
    services.close_month(month=datetime.date(2026, 10, 1), actor=world.hr)
    day(world.ann, datetime.date(2026, 10, 30))
    result = tasks.compute_scorecards.apply(kwargs={"today": "2026-11-03"}).get()
    assert result[0] == {"month": "2026-10-01", "frozen": True, "created": 0, "updated": 0}
    assert not Scorecard.objects.filter(month=datetime.date(2026, 10, 1)).exists()


def test_a_kpi_over_a_measure_hr_added_reads_the_rows_extra_values(world):
    callbacks = Measure.objects.create(code="callbacks", source="agent", name_en="Callbacks", name_zh="回拨")
    inbound = Measure.objects.get(code="inbound_handled")
    Kpi.objects.create(
        code="callback_rate",
        name_en="Callback rate",
        name_zh="回拨率",
        numerator=callbacks,
        denominator=inbound,
        unit="percent",
        direction="lower",
    )
    WeightSet.objects.filter(pk=world.set_a.pk).delete()
    make_weight_set(world.site_a, datetime.date(2026, 1, 1), {"callback_rate": (100, 0.5, 0)})
    day(world.ann, datetime.date(2026, 11, 2), inbound_handled=40, extra={"callbacks": 5})
    day(world.ann, datetime.date(2026, 11, 3), inbound_handled=60, extra={"callbacks": 15})
    services.compute_month(month=NOV)
    assert card(world.ann).components[0]["value"] == pytest.approx(0.2)
    assert card(world.ann).composite == D("60.00")  # 0.2 between 0.5 (worst) and 0 (best)


def _at_once(*calls):
    """Run ``calls`` in threads released together, each on its own database connection."""
    barrier, errors = threading.Barrier(len(calls)), []

    def run(call):
        try:
            barrier.wait(timeout=30)
            call()
        except BaseException as exc:  # re-raised below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]


@pytest.mark.postgres(reason="the nightly run and HR's close at the same moment need real concurrent transactions")
@pytest.mark.django_db(transaction=True)
def test_a_close_racing_the_nightly_computation_closes_once_with_one_scorecard_each(world):
    day(world.ann)
    day(world.bo)
    _at_once(
        lambda: services.compute_month(month=NOV),
        lambda: services.close_month(month=NOV, actor=world.hr),
        lambda: services.close_month(month=NOV, actor=world.hr),
        lambda: services.compute_month(month=NOV),
    )
    assert Month.objects.get(month=NOV).status == "closed"
    assert MonthEvent.objects.count() == 1
    assert sorted(Scorecard.objects.values_list("composite", flat=True)) == [D("55.00"), D("65.00")]


def _platform_row(employee, team, revision, fcr_resolved):
    return {
        "date": "2026-11-02",
        "employee_number": employee.employee_number,
        "team_code": team.code,
        "site_code": team.department.site.code,
        "revision": str(revision),
        "staffed_seconds": "28800",
        "handle_seconds": "45000",
        "inbound_handled": "100",
        "fcr_resolved": str(fcr_resolved),
        **dict.fromkeys(
            (
                "outbound_handled",
                "transfers_l2",
                "complaints_received",
                "complaints_escalated",
                "complaints_closed",
                "complaint_handle_seconds",
                "csat_responses",
                "csat_satisfied",
                "coupon_count",
                "coupon_amount_cny",
            ),
            "0",
        ),
    }


def test_a_correction_sent_by_the_platform_after_closing_is_flagged_and_changes_nothing(world):
    ingest_agent_rows(actor=world.hr, channel="api", rows=[_platform_row(world.ann, world.team_a, 1, 80)])
    services.close_month(month=NOV, actor=world.hr)
    frozen = card(world.ann)
    ingest_agent_rows(actor=world.hr, channel="api", rows=[_platform_row(world.ann, world.team_a, 2, 90)])
    services.compute_month(month=NOV)
    assert AgentDay.objects.get(employee=world.ann).fcr_resolved == 90  # the raw day is kept
    assert (card(world.ann).composite, card(world.ann).computed_at) == (D("65.00"), frozen.computed_at)
    assert LateRevision.objects.filter(employee=world.ann, revision=2, is_reviewed=False).count() == 1
    services.reopen_month(month=NOV, actor=world.hr, reason="FCR corrected by the platform")
    assert card(world.ann).composite == D("80.00")
