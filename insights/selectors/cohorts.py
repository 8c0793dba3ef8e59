"""Cohort figures (issue 16 §1) for the explorer and its API: one read of the people in scope, one of their
first-attempt gate checks, one of their enrollments, one of their proficiency (a nightly aggregate) and one of the
cohort labels, whatever the number of people or
cohorts (the rules: insights.cohort_rules)."""

import datetime
from dataclasses import dataclass

from django.db.models import BigIntegerField, Exists, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from staff.models import Employee, Site, Stage, Team
from training import cycles
from training.models import Batch, Enrollment, EnrollmentEvent, GateCheck

from .. import cohort_rules as rules
from .. import permissions
from ..models import Proficiency
from .growth import growth_by_person

GROUPS = {
    "hire_month": _("Hire month"),
    "batch": _("Batch"),
    "site": _("Site"),
    "team": _("Team"),
    "mentor": _("Mentor"),
}
DEFAULT_GROUP = "hire_month"
DEFAULT_MONTHS = 24
MAX_MONTHS = 60  # a window longer than five years is cut to its last five
PER_PAGE = 25
NONE_KEY = 0  # people with no batch or no mentor


@dataclass(frozen=True)
class Filters:
    group: str = DEFAULT_GROUP
    site: int | None = None
    team: int | None = None
    hired_from: datetime.date | None = None  # the first day of a month
    hired_to: datetime.date | None = None  # the first day of a month (inclusive)


def month_start(day):
    return day.replace(day=1)


def add_months(first, count):
    index = first.year * 12 + first.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def window(filters, today):
    """The hire months shown: the filter's, else the last DEFAULT_MONTHS months."""
    last = filters.hired_to or month_start(today)
    first = filters.hired_from or add_months(last, -(DEFAULT_MONTHS - 1))
    return max(first, add_months(last, -(MAX_MONTHS - 1))), last


def joined_team():
    """The team a person joined: her first team in the employee history, else her team now."""
    history = Employee.history.model.objects.filter(id=OuterRef("pk"), team_id__isnull=False).order_by(
        "history_date", "history_id"
    )
    return Coalesce(Subquery(history.values("team_id")[:1]), F("team_id"), output_field=BigIntegerField())


def first_batch():
    return Subquery(Enrollment.objects.filter(trainee=OuterRef("pk")).order_by("pk").values("batch_id")[:1])


def people_in_scope(user, filters, *, today):
    """The employments ``user`` may read, with the team each joined, within the filters' hire window."""
    teams = permissions.insight_teams(user)
    first, last = window(filters, today)
    people = Employee.objects.annotate(joined_team=joined_team())
    if not permissions.is_centre_viewer(user):
        people = people.filter(team__in=teams)  # her people only (leavers keep the team they left from)
    people = people.filter(hire_date__gte=first, hire_date__lt=add_months(last, 1))
    if filters.team:
        people = people.filter(joined_team=filters.team)
    if filters.site:
        people = people.filter(joined_team__in=Team.objects.filter(department__site=filters.site).values("pk"))
    return people


def _key(group, row, site_of):
    if group == "hire_month":
        return month_start(row["hire_date"])
    if group == "site":
        return site_of.get(row["joined_team"], NONE_KEY)
    if group == "team":
        return row["joined_team"] or NONE_KEY
    if group == "batch":
        return row["batch"] or NONE_KEY
    return row["mentor_id"] or NONE_KEY


def _labels(group, keys, user, filters, *, today):
    """Key → label in the order shown; the empty cohorts a reader expects are there too (every month of the
    window, every team or site in scope)."""
    none = str(_("None"))
    if group == "hire_month":
        first, last = window(filters, today)
        months, month = [], last
        while month >= first:
            months.append(month)
            month = add_months(month, -1)
        return {month: month.strftime("%Y-%m") for month in months}
    if group in ("team", "site"):
        teams = permissions.insight_teams(user)
        if filters.team:
            teams = teams.filter(pk=filters.team)
        if filters.site:
            teams = teams.filter(department__site=filters.site)
        if group == "team":
            rows = dict(teams.order_by("name", "pk").values_list("pk", "name"))
        else:
            sites = Site.objects.filter(departments__teams__in=teams.values("pk")).distinct()
            rows = dict(sites.order_by("name", "pk").values_list("pk", "name"))
    elif group == "batch":
        batches = Batch.objects.filter(pk__in=[k for k in keys if k]).order_by("-start_on", "pk")
        rows = dict(batches.values_list("pk", "name"))
    else:
        mentors = Employee.objects.filter(pk__in=[k for k in keys if k]).order_by("name", "pk")
        rows = dict(mentors.values_list("pk", "name"))
    if NONE_KEY in keys:
        rows[NONE_KEY] = none
    return rows


def cohort_figures(user, filters, *, today):
    """Every cohort of the grouping, as insights.cohort_rules.Cohort, in the order shown."""
    people = people_in_scope(user, filters, today=today)
    rows = list(
        people.annotate(batch=first_batch()).values(
            "pk", "hire_date", "left_on", "stage", "joined_team", "mentor_id", "batch"
        )
    )
    site_of = {}
    if filters.group == "site":
        team_ids = {row["joined_team"] for row in rows if row["joined_team"]}
        site_of = dict(Team.objects.filter(pk__in=team_ids).values_list("pk", "department__site"))
    keyed = [(_key(filters.group, row, site_of), row) for row in rows]
    labels = _labels(filters.group, {key for key, _row in keyed}, user, filters, today=today)
    people_rows = [
        (key, row["pk"], row["hire_date"], row["left_on"], row["stage"] == Stage.LEFT)
        for key, row in keyed
        if key in labels
    ]
    ids = people.values("pk")
    checks = GateCheck.objects.filter(attempt=1, enrollment__trainee__in=ids).values_list(
        "enrollment__trainee_id", "cycle", "score", "pass_mark"
    )
    gate_rows = [(person, cycle, score >= mark) for person, cycle, score, mark in checks]
    extended = EnrollmentEvent.objects.filter(enrollment=OuterRef("pk"), move=cycles.EXTEND)
    enrollments = (
        Enrollment.objects.filter(trainee__in=ids)
        .annotate(was_extended=Exists(extended))
        .values_list("trainee_id", "was_extended", "state")
    )
    enrollment_rows = [(person, was_extended, state == cycles.WITHDRAWN) for person, was_extended, state in enrollments]
    proficiency = Proficiency.objects.filter(employee__in=ids, scored=True).values_list("employee_id", "proficient_on")
    scorecard_rows = list(proficiency)
    growth_rows = [
        (person, cycle, change)
        for person, by_cycle in growth_by_person(ids).items()
        for cycle, change in by_cycle.items()
    ]
    return rules.cohorts(
        people_rows,
        gate_rows,
        enrollment_rows,
        today=today,
        labels=labels,
        scorecards=scorecard_rows,
        growth=growth_rows,
    )


def filter_options(user):
    """The sites and teams a reader may filter by (one query each)."""
    teams = permissions.insight_teams(user).select_related("department__site").order_by("name", "pk")
    sites = Site.objects.filter(departments__teams__in=teams.values("pk")).distinct().order_by("name", "pk")
    return {"teams": list(teams.values_list("pk", "name")), "sites": list(sites.values_list("pk", "name"))}
