"""The Herzberg balance of a team (issue 15 §6, DOMAIN §5, seed 001): recognition by motivator, spiritual vs
material, people not recognised lately, the hygiene pulse trend and its alerts, honours this quarter. Each read
is a fixed number of queries whatever the team's size or history."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from staff.models import Employee, Stage, Team

from .. import pulse_rules
from ..models import Kind, RecognitionRecipient
from ..recognition_rules import Motivator
from . import pulse as pulse_selectors

WINDOW_DAYS = 90  # recognition by motivator and kind: the last quarter
QUIET_DAYS = 30  # "not recognised in 30 days"
MATERIAL_WARNING_SHARE = 0.5  # seed 001: 物质激励作用有限且不持久 — warn when material is more than half
PER_PAGE = 20


def _start_of(day):
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


@dataclass(frozen=True)
class RecognitionMix:
    by_motivator: list  # [(value, label, count)] in the motivators' order, zeros included
    spiritual: int
    material: int

    @property
    def total(self):
        return self.spiritual + self.material

    @property
    def material_share(self):
        return self.material / self.total if self.total else 0.0

    @property
    def material_dominates(self):
        return self.material_share > MATERIAL_WARNING_SHARE


def recognition_mix(team, *, today, days=WINDOW_DAYS):
    """Recognitions received by the people of ``team`` in the last ``days`` days, by motivator and by kind (one
    query; a recognition of two teammates counts once)."""
    since = _start_of(today - datetime.timedelta(days=days - 1))
    rows = (
        RecognitionRecipient.objects.filter(employee__team=team, recognition__created_at__gte=since)
        .values("recognition__motivator", "recognition__kind")
        .annotate(n=Count("recognition", distinct=True))
        .order_by()
    )
    motivators = dict.fromkeys(Motivator.values, 0)
    kinds = {Kind.SPIRITUAL: 0, Kind.MATERIAL: 0}
    for row in rows:
        motivators[row["recognition__motivator"]] = motivators.get(row["recognition__motivator"], 0) + row["n"]
        kinds[row["recognition__kind"]] = kinds.get(row["recognition__kind"], 0) + row["n"]
    by_motivator = [(m.value, m.label, motivators[m.value]) for m in Motivator]
    return RecognitionMix(by_motivator, kinds[Kind.SPIRITUAL], kinds[Kind.MATERIAL])


def _recognised_lately(today, days):
    since = _start_of(today - datetime.timedelta(days=days - 1))
    return RecognitionRecipient.objects.filter(employee=OuterRef("pk"), recognition__created_at__gte=since)


def _members():
    """Active members who are not a team's supervisor (she gives the team's recognition)."""
    leaders = Team.objects.filter(supervisor__isnull=False).values("supervisor_id")
    return Employee.objects.filter(user__is_active=True).exclude(stage=Stage.LEFT).exclude(pk__in=leaders)


def not_recognised(team, *, today, days=QUIET_DAYS):
    """The members of ``team`` nobody recognised in the last ``days`` days, by name."""
    return _members().filter(team=team).exclude(Exists(_recognised_lately(today, days))).order_by("name", "pk")


def not_recognised_counts(team_ids, *, today, days=QUIET_DAYS):
    """``{team id: how many not recognised}`` for ``team_ids`` (one query): for "Today"."""
    rows = (
        _members()
        .filter(team_id__in=list(team_ids))
        .exclude(Exists(_recognised_lately(today, days)))
        .values("team_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["team_id"]: row["n"] for row in rows}


def honours_this_quarter(team, *, today):
    """The honours won by the people of ``team`` since the quarter began (the honours of issue 15 §3)."""
    from ..models import Nomination, NominationStatus

    first = today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)
    return (
        Nomination.objects.filter(status=NominationStatus.WON, nominee__team=team, decided_at__gte=_start_of(first))
        .select_related("programme", "nominee")
        .order_by("-decided_at", "-pk")
    )


@dataclass(frozen=True)
class Hygiene:
    survey: object  # the survey read, or None
    points: list  # [(wave, group, {factor: average})], oldest first
    factors: list  # [(value, label)] of the hygiene factors
    alerts: list

    def rows(self):
        """One row per hygiene factor: (label, [average or None per wave])."""
        return [(label, [figures.get(value) for _w, _g, figures in self.points]) for value, label in self.factors]


def hygiene(team, *, waves=6):
    """The hygiene factors' trend for the group shown for ``team`` (the team, or its site or the centre when too
    few answered: the rule of five) over the last waves of the latest survey asking it, and the open alerts."""
    site_id = team.department.site_id
    survey = pulse_selectors.latest_survey_for_site(site_id)
    factors = [(value, pulse_rules.FACTOR_LABELS[value]) for value in pulse_rules.HYGIENE]
    if survey is None:
        return Hygiene(None, [], factors, [])
    points = pulse_selectors.trend(survey, team.pk, site_id, waves=waves)
    alerts = list(pulse_selectors.alerts_for_team(team))
    return Hygiene(survey, points, factors, alerts)


def balance_teams(user):
    from .. import permissions

    return permissions.led_teams(user).select_related("department__site", "supervisor").order_by("name", "pk")
