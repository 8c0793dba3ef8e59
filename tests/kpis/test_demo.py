"""The KPI demo: seed_demo finds kpis.demo by discovery and adds six months of measures with a story."""

import datetime
from decimal import Decimal
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from kpis.demo import IMPROVING_TEAM, MONTHS
from kpis.models import AgentDay, Kpi, LateRevision, Month, MonthStatus, QueueDay, Scorecard, Target, WeightSet
from kpis.selectors.results import measure_sums, value_of
from staff.models import Employee, Stage


def test_the_demo_has_six_months_of_days_for_every_agent_and_queue(demo_world, db):
    today = timezone.localdate()
    agents = Employee.objects.filter(position__code__in=["CS-AGENT", "CS-SENIOR"]).exclude(stage=Stage.PRE_JOB)
    with_days = set(AgentDay.objects.values_list("employee", flat=True).distinct())
    assert {agent.pk for agent in agents if agent.hire_date < today - datetime.timedelta(days=30)} <= with_days
    first = AgentDay.objects.order_by("on").first().on
    assert first.day == 1 and (today.year - first.year) * 12 + today.month - first.month == MONTHS - 1
    assert QueueDay.objects.filter(on=AgentDay.objects.order_by("-on").first().on).exists()
    assert WeightSet.objects.count() == 2 and Target.objects.exists()


def test_the_months_before_last_are_closed_with_scorecards(demo_world, db):
    today = timezone.localdate()
    months = dict(Month.objects.values_list("month", "status"))
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    assert months[today.replace(day=1)] == months[last_month] == MonthStatus.OPEN
    closed = [month for month, status in months.items() if status == MonthStatus.CLOSED]
    assert len(closed) == MONTHS - 2
    assert all(Scorecard.objects.filter(month=month).exists() for month in closed)
    assert not LateRevision.objects.exists()


def test_the_improving_team_resolves_more_at_first_contact_after_its_change(demo_world, db):
    fcr = Kpi.objects.get(code="fcr")
    rows = AgentDay.objects.filter(team__code=IMPROVING_TEAM)
    change = timezone.localdate() - datetime.timedelta(weeks=10)
    before = value_of(fcr, measure_sums([fcr], rows.filter(on__lt=change - datetime.timedelta(days=14)))[None, None])
    after = value_of(fcr, measure_sums([fcr], rows.filter(on__gte=change + datetime.timedelta(days=14)))[None, None])
    assert after > before + Decimal("0.05")


def test_a_second_seed_adds_no_measures(demo_world, db):
    days, scorecards = AgentDay.objects.count(), Scorecard.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert (AgentDay.objects.count(), Scorecard.objects.count()) == (days, scorecards)
