"""QA sampling (issue 13 §4): deterministic across runs and processes, the base rate within tolerance on 10,000
issuances, the anomalies always in, and a rerun adds nothing."""

import datetime
import subprocess
import sys
from decimal import Decimal as D

import pytest
from django.utils import timezone

from linkage import sampling
from linkage.models import AuthorityLimit, Grade, Issuance, QASample, Scenario
from linkage.services.qa import draw_weekly_sample
from tests.linkage.factories import authority_case, grant

WEEK = datetime.date(2026, 11, 2)  # a Monday


def test_picked_is_the_same_in_another_process():
    ids = range(200)
    here = [sampling.picked(WEEK, "issuance", i, "0.3") for i in ids]
    code = (
        "import datetime; from linkage import sampling; "
        "print(''.join('1' if sampling.picked(datetime.date(2026, 11, 2), 'issuance', i, '0.3') else '0' "
        "for i in range(200)))"
    )
    there = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert there == "".join("1" if p else "0" for p in here)
    assert 0 < sum(here) < 200


def test_picked_depends_on_the_week_and_the_kind():
    a = [sampling.picked(WEEK, "issuance", i, "0.5") for i in range(500)]
    b = [sampling.picked(WEEK + datetime.timedelta(days=7), "issuance", i, "0.5") for i in range(500)]
    c = [sampling.picked(WEEK, "case", i, "0.5") for i in range(500)]
    assert a != b and a != c


def test_rates_and_anomaly_rules():
    assert sampling.agent_rate("0.1") == (D("0.1"), "base")
    assert sampling.agent_rate("0.1", recent_finding="0.25", new_holder="0.2") == (D("0.25"), "recent_finding")
    assert sampling.agent_rate("0.1", new_holder="0.2") == (D("0.2"), "new_holder")
    at = timezone.now()
    times = sorted([at - datetime.timedelta(days=40), at - datetime.timedelta(days=10), at])
    assert not sampling.repeat_customer(times, at, days=30, more_than=2)
    times.insert(1, at - datetime.timedelta(days=20))
    assert sampling.repeat_customer(sorted(times), at, days=30, more_than=2)
    assert sampling.after_raise(at, at - datetime.timedelta(days=6), days=7)
    assert not sampling.after_raise(at, at - datetime.timedelta(days=8), days=7)
    assert not sampling.after_raise(at, None, days=7)


def _rows(agent, case, scenario, n, *, start=0, ref=None, at_limit=False, day=WEEK):
    issued_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    grade = Grade.objects.get(code="g1")
    return Issuance.objects.bulk_create(
        Issuance(
            case=case,
            scenario=scenario,
            risk="low",
            amount=D("10"),
            issued_by=agent,
            team=agent.team,
            grade=grade,
            customer_ref=ref or f"138****{start + i:06d}",
            issued_at=issued_at,
            on=day,
            at_limit=at_limit,
        )
        for i in range(n)
    )


@pytest.fixture
def setup(world):
    grant(world.trainee, "g1", since=timezone.now() - datetime.timedelta(days=400))
    return world, authority_case(world.trainee), Scenario.objects.get(code="fee-charged-in-error")


@pytest.mark.django_db
def test_the_base_rate_is_hit_within_tolerance_on_10000_issuances_and_a_rerun_adds_nothing(setup):
    world, case, fee = setup
    _rows(world.trainee, case, fee, 10_000)
    added = draw_weekly_sample(week=WEEK)
    rate = Grade.objects.get(code="g1").qa_rate  # 0.100
    assert abs(added / 10_000 - float(rate)) < 0.015
    assert set(QASample.objects.values_list("reason", flat=True)) == {"base"}
    picked = set(QASample.objects.values_list("issuance_id", flat=True))
    assert draw_weekly_sample(week=WEEK) == 0
    assert set(QASample.objects.values_list("issuance_id", flat=True)) == picked


@pytest.mark.django_db
def test_the_anomalies_are_always_in(setup):
    world, case, fee = setup
    Grade.objects.filter(code="g1").update(qa_rate=0)
    at_limit = _rows(world.trainee, case, fee, 3, start=100, at_limit=True)
    repeat = _rows(world.trainee, case, fee, 3, ref="139****0001")  # three times: more than twice
    twice = _rows(world.trainee, case, fee, 2, ref="139****0002")
    plain = _rows(world.trainee, case, fee, 5, start=200)
    raised_day = WEEK + datetime.timedelta(days=3)
    raised = _rows(world.trainee, case, fee, 2, start=300, day=raised_day)
    AuthorityLimit.objects.filter(grade__code="g1", scenario=fee, risk="low").update(
        raised_at=timezone.make_aware(datetime.datetime.combine(raised_day, datetime.time(9)))
    )
    assert draw_weekly_sample(week=WEEK) == 3 + 3 + 2
    reasons = dict(QASample.objects.values_list("issuance_id", "reason"))
    assert {reasons[r.pk] for r in at_limit} == {"at_limit"}
    assert {reasons[r.pk] for r in repeat} == {"repeat_customer"}
    assert {reasons[r.pk] for r in raised} == {"after_raise"}
    assert not {r.pk for r in twice + plain} & set(reasons)
    assert draw_weekly_sample(week=WEEK) == 0


@pytest.mark.django_db
def test_repeat_customers_are_in_without_a_raise(setup):
    world, case, fee = setup
    Grade.objects.filter(code="g1").update(qa_rate=0)
    repeat = _rows(world.trainee, case, fee, 3, ref="139****0001")
    _rows(world.trainee, case, fee, 2, ref="139****0002")
    _rows(world.trainee, case, fee, 4, start=200)
    assert draw_weekly_sample(week=WEEK) == 3
    assert set(QASample.objects.values_list("issuance_id", "reason")) == {(r.pk, "repeat_customer") for r in repeat}


@pytest.mark.django_db
def test_a_new_holder_is_sampled_at_the_higher_rate(world):
    grant(
        world.trainee,
        "g1",
        since=timezone.make_aware(datetime.datetime.combine(WEEK, datetime.time())) - datetime.timedelta(days=3),
    )
    case = authority_case(world.trainee)
    Grade.objects.filter(code="g1").update(qa_rate=0)
    _rows(world.trainee, case, Scenario.objects.get(code="fee-charged-in-error"), 400)
    added = draw_weekly_sample(week=WEEK)
    assert 40 < added < 130  # 0.20 of 400
    assert set(QASample.objects.values_list("reason", flat=True)) == {"new_holder"}
