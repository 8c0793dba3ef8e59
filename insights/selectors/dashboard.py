"""The manager's dashboard (issue 16 §5): the centre at a glance for the centre's viewers, her teams for a
supervisor — people, the onboarding pipeline, the latest closed month's KPI bands, initiatives in flight and
hygiene alerts of the last 90 days. A fixed handful of aggregate queries whatever the size of the centre."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q

from improvement.models import InitiativeStatus
from improvement.selectors.initiatives import initiative_list
from incentives.models import PulseAlert
from incentives.pulse_rules import FACTOR_LABELS
from kpis.models import Band, Month, MonthStatus, Scorecard
from staff.models import Employee, Stage
from training import cycles
from training.models import Enrollment

from .. import permissions
from ..figures import rate

ALERT_DAYS = 90
IN_FLIGHT = (InitiativeStatus.DO, InitiativeStatus.CHECK)


@dataclass(frozen=True)
class Dashboard:
    people: int
    onboarding: int
    pipeline: list  # (state, label, count)
    month: datetime.date | None
    bands: list  # (band, label, figures.Rate of all scorecards)
    initiatives: list  # Initiative rows in flight
    initiative_count: int
    alerts: list  # (PulseAlert, factor label)


def dashboard(user, *, today, team=None):
    """The figures for ``user``'s scope, or for one ``team`` of it."""
    teams = permissions.insight_teams(user)
    is_centre = permissions.is_centre_viewer(user) and team is None
    if team is not None:
        teams = teams.filter(pk=team)
    people = Employee.objects.exclude(stage=Stage.LEFT)
    if not is_centre:
        people = people.filter(team__in=teams)
    counts = people.aggregate(people=Count("pk"), onboarding=Count("pk", filter=Q(stage=Stage.ONBOARDING)))
    enrollments = Enrollment.objects.filter(state__in=cycles.OPEN)
    if not is_centre:
        enrollments = enrollments.filter(trainee__team__in=teams)
    by_state = dict(enrollments.order_by().values_list("state").annotate(n=Count("pk")))
    pipeline = [(state, cycles.STATE_LABELS[state], by_state.get(state, 0)) for state in cycles.OPEN]
    month = Month.objects.filter(status=MonthStatus.CLOSED).order_by("-month").values_list("month", flat=True).first()
    scorecards = Scorecard.objects.filter(month=month) if month else Scorecard.objects.none()
    if not is_centre:
        scorecards = scorecards.filter(team__in=teams)
    by_band = dict(scorecards.order_by().values_list("band").annotate(n=Count("pk")))
    total = sum(by_band.values())
    bands = [(band, label, rate(by_band.get(band, 0), total)) for band, label in Band.choices]
    flight = initiative_list(user).filter(status__in=IN_FLIGHT)
    if team is not None:
        flight = flight.filter(scope_teams=team)
    alerts = PulseAlert.objects.filter(created_at__date__gte=today - datetime.timedelta(days=ALERT_DAYS))
    if not is_centre:
        alerts = alerts.filter(team__in=teams)
    alerts = list(alerts.select_related("team", "site", "wave").order_by("-created_at", "-pk")[:10])
    return Dashboard(
        people=counts["people"],
        onboarding=counts["onboarding"],
        pipeline=pipeline,
        month=month,
        bands=bands,
        initiatives=list(flight[:10]),
        initiative_count=flight.count(),
        alerts=[(alert, FACTOR_LABELS.get(alert.factor, alert.factor)) for alert in alerts],
    )
