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


def _expected(week):
    """The weekly sample as linkage.sampling's rules pick it, item by item in Python: the reference the database's
    INSERT … SELECT must match row for row."""
    from linkage.models import Case, QASettings
    from linkage.services import qa

    settings = QASettings.current()
    start, end = qa._start(week), qa._start(week + datetime.timedelta(days=7))
    rates, default = qa._agent_rates(settings, start)
    repeat_days = datetime.timedelta(days=settings.repeat_customer_days)
    times = {}
    for ref, at in Issuance.objects.filter(
        amount__gt=0, issued_at__gte=start - repeat_days, issued_at__lt=end
    ).values_list("customer_ref", "issued_at"):
        times.setdefault(ref, []).append(at)
    raised = {
        (g, s, r): at
        for g, s, r, at in AuthorityLimit.objects.values_list("grade_id", "scenario_id", "risk", "raised_at")
    }
    expected = set()
    for row in Issuance.objects.filter(on__gte=week, on__lte=week + datetime.timedelta(days=6), amount__gt=0):
        reason = sampling.anomaly(
            at_limit=row.at_limit,
            raised=sampling.after_raise(
                row.issued_at, raised.get((row.grade_id, row.scenario_id, row.risk)), days=settings.after_raise_days
            ),
            repeat=sampling.repeat_customer(
                sorted(times[row.customer_ref]),
                row.issued_at,
                days=settings.repeat_customer_days,
                more_than=settings.repeat_customer_times,
            ),
        )
        rate, why = rates.get(row.issued_by_id, default)
        if not reason and sampling.picked(week, "issuance", row.pk, rate):
            reason = why
        if reason:
            expected.add(("issuance", row.pk, row.issued_by_id, reason))
    for pk, owner in Case.objects.filter(status="closed", closed_at__gte=start, closed_at__lt=end).values_list(
        "pk", "owner_id"
    ):
        rate, why = rates.get(owner, default)
        if sampling.picked(week, "case", pk, rate):
            expected.add(("case", pk, owner, why))
    return expected


@pytest.mark.django_db
def test_the_database_draws_exactly_the_rows_the_rules_pick(world):
    """Agents at three rates (g1 for long, g2 for long, g1 newly held), customers served again (some before the
    week), amounts at the limit, a limit raised mid-week, a reversal, cases closed inside and outside the week:
    the INSERT … SELECT samples the very rows linkage.sampling picks, with the same reasons."""
    import random

    from linkage.models import Case

    rng = random.Random(13)
    long_ago = timezone.now() - datetime.timedelta(days=400)
    week_start = timezone.make_aware(datetime.datetime.combine(WEEK, datetime.time()))
    grant(world.trainee, "g1", since=long_ago)
    grant(world.other_trainee, "g2", since=long_ago)
    grant(world.mentor, "g1", since=week_start - datetime.timedelta(days=3))
    Grade.objects.filter(code="g1").update(qa_rate=D("0.15"))
    Grade.objects.filter(code="g2").update(qa_rate=D("0.40"))
    fee = Scenario.objects.get(code="fee-charged-in-error")
    agents = [world.trainee, world.other_trainee, world.mentor]
    cases = {agent.pk: authority_case(agent) for agent in agents}
    grades = {code: Grade.objects.get(code=code) for code in ("g1", "g2")}
    rows = []
    for n in range(900):
        agent = agents[n % 3]
        day = WEEK + datetime.timedelta(days=rng.randrange(-20, 7))  # some before the week: repeats only
        rows.append(
            Issuance(
                case=cases[agent.pk],
                scenario=fee,
                risk="low",
                amount=D("10"),
                issued_by=agent,
                team=agent.team,
                grade=grades["g2" if agent == world.other_trainee else "g1"],
                customer_ref=f"139****{rng.randrange(250):04d}",
                issued_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.randrange(8, 20)))),
                on=day,
                at_limit=rng.random() < 0.03,
            )
        )
    rows = Issuance.objects.bulk_create(rows)
    copied = (
        "case_id",
        "scenario_id",
        "risk",
        "issued_by_id",
        "team_id",
        "grade_id",
        "customer_ref",
        "issued_at",
        "on",
    )
    Issuance.objects.bulk_create(  # reversals: never sampled, never counted as the customer served again
        Issuance(amount=D("-10"), reverses=row, **{name: getattr(row, name) for name in copied}) for row in rows[::97]
    )
    AuthorityLimit.objects.filter(grade__code="g2", scenario=fee, risk="low").update(
        raised_at=week_start + datetime.timedelta(days=4, hours=12)
    )
    for n in range(300):
        case = authority_case(agents[n % 3], reference=f"QS{n:05d}")
        closed = week_start + datetime.timedelta(hours=rng.randrange(-48, 24 * 9))
        Case.objects.filter(pk=case.pk).update(status="closed", closed_at=closed, outcome="first_contact")

    expected = _expected(WEEK)
    added = draw_weekly_sample(week=WEEK)
    drawn = {
        ("issuance" if s.issuance_id else "case", s.issuance_id or s.case_id, s.agent_id, s.reason)
        for s in QASample.objects.filter(week=WEEK)
    }
    assert drawn == expected and added == len(expected)
    reasons = {reason for *_item, reason in expected}
    assert reasons >= {"base", "new_holder", "at_limit", "after_raise", "repeat_customer"}, reasons
    assert draw_weekly_sample(week=WEEK) == 0
