"""Reads of the follow-up for every agent (issue 14 §4): the people a user follows up with their open flags and
overdue corrections, one person's log (flags, in-flight corrections, after-action reviews, every session), and each
lead's record for the manager (reviews on time, corrections overdue). Fixed query counts whatever the data."""

import datetime

from django.db.models import Count, Exists, F, IntegerField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from kpis.models import Band
from staff import permissions as people
from staff.models import Employee, Team
from training.models import CoachingPhase, CoachingSession

from .. import followup_rules as rules
from ..models import FlagKind, RiskFlag

PER_PAGE = 25
LOG_PER_PAGE = 20


def flag_text(flag, kpi_names):
    """What a flag says, in the active language: "First-contact resolution: Meets → Below"."""
    if flag.kind == FlagKind.KPI_DROP:
        code = flag.key.removeprefix("kpi:")
        kpi = kpi_names.get(code)
        before, now = rules.split_kpi_detail(flag.detail)
        labels = dict(Band.choices)
        return _("%(kpi)s fell from %(before)s to %(now)s this week") % {
            "kpi": kpi.name if kpi is not None else code,
            "before": labels.get(before, before),
            "now": labels.get(now, now),
        }
    if flag.kind == FlagKind.CERTIFICATION:
        return _("a playbook certification expired on %(day)s") % {"day": flag.detail}
    return _("%(count)s task stages overdue") % {"count": flag.detail}


def kpi_names():
    from kpis.models import Kpi

    return {kpi.code: kpi for kpi in Kpi.objects.all()}


def _overdue_corrections(today):
    return CoachingSession.objects.filter(phase=CoachingPhase.DURING, corrected_at__isnull=True, follow_up_on__lt=today)


def followed_people(user, *, team=None, query="", flagged=False, today=None):
    """The people ``user`` follows up (not herself), each with ``open_flags``, ``overdue_corrections`` and
    ``last_coached_at``; flagged people first."""
    today = today or timezone.localdate()
    me = people.employee_of(user)
    listed = people.visible_employees(user).exclude(stage="left")
    if me is not None:
        listed = listed.exclude(pk=me.pk)
    if team is not None:
        listed = listed.filter(team=team)
    if query:
        listed = listed.filter(Q(name__icontains=query) | Q(employee_number__iexact=query))
    flags = RiskFlag.objects.filter(employee=OuterRef("pk"), cleared_on__isnull=True).order_by()
    overdue = _overdue_corrections(today).filter(employee=OuterRef("pk")).order_by()
    last = (
        CoachingSession.objects.filter(employee=OuterRef("pk"), scheduled_at__lte=timezone.now())
        .order_by()
        .values("employee")
    )
    listed = listed.annotate(
        open_flags=Coalesce(
            Subquery(flags.values("employee").annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
            Value(0),
        ),
        overdue_corrections=Coalesce(
            Subquery(overdue.values("employee").annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
            Value(0),
        ),
        last_coached_at=Subquery(last.annotate(at=Max("scheduled_at")).values("at")),
    )
    if flagged:
        listed = listed.filter(Exists(flags))
    return listed.select_related("team").order_by("-open_flags", "-overdue_corrections", "name", "pk")


def open_flags_of(employee_ids):
    """{employee id: [open flags]} for a page of people (one query)."""
    found = {}
    for flag in RiskFlag.objects.filter(employee_id__in=employee_ids, cleared_on__isnull=True).order_by("pk"):
        found.setdefault(flag.employee_id, []).append(flag)
    return found


def person_log(employee, *, today=None):
    """One person's follow-up: flags (open first, then cleared in the last 90 days), in-flight corrections still
    open, after-action reviews, and the whole coaching log (a queryset to page)."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=rules.LEAD_WINDOW_DAYS)
    flags = list(
        RiskFlag.objects.filter(employee=employee)
        .filter(Q(cleared_on__isnull=True) | Q(cleared_on__gte=since))
        .order_by(F("cleared_on").desc(nulls_first=True), "-raised_on", "pk")
    )
    sessions = CoachingSession.objects.filter(employee=employee).select_related("coach__employee")
    corrections = list(
        sessions.filter(phase=CoachingPhase.DURING, corrected_at__isnull=True).order_by("follow_up_on", "pk")
    )
    reviews = list(sessions.filter(phase=CoachingPhase.AFTER).order_by("-scheduled_at", "-pk")[:10])
    return {
        "flags": flags,
        "corrections": corrections,
        "reviews": reviews,
        "log": sessions.order_by("-scheduled_at", "-pk"),
        "today": today,
    }


def lead_records(leads, *, today=None):
    """Each lead of ``leads`` (Employees who lead a team) with her record over the last LEAD_WINDOW_DAYS days:
    ``flags`` raised on her teams' people, ``on_time`` of them followed up by a coaching session within
    REVIEW_WITHIN_DAYS, ``reviews`` (after-action) logged, ``repeats`` among them, ``overdue`` in-flight
    corrections past their target date. Subqueries: one query per page whatever the data."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=rules.LEAD_WINDOW_DAYS)
    led = Team.objects.filter(supervisor=OuterRef(OuterRef("pk"))).values("pk")
    coached = CoachingSession.objects.annotate(day=TruncDate("scheduled_at")).filter(
        employee=OuterRef("employee"),
        day__gte=OuterRef("raised_on"),
        day__lte=OuterRef("raised_on") + datetime.timedelta(days=rules.REVIEW_WITHIN_DAYS),
    )

    def count(queryset):
        return Coalesce(
            Subquery(
                queryset.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("pk")).values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        )

    flags = RiskFlag.objects.filter(employee__team__in=led, raised_on__gte=since, raised_on__lte=today)
    sessions = CoachingSession.objects.filter(employee__team__in=led)
    reviews = sessions.filter(phase=CoachingPhase.AFTER, scheduled_at__date__gte=since)
    return leads.annotate(
        flags=count(flags),
        on_time=count(flags.filter(Exists(coached))),
        reviews=count(reviews),
        repeats=count(reviews.filter(is_repeat=True)),
        overdue=count(sessions.filter(phase=CoachingPhase.DURING, corrected_at__isnull=True, follow_up_on__lt=today)),
    )


def leads_for(user):
    """The leads whose follow-up ``user`` oversees: every team lead for HR and the floor managers."""
    if not (people.is_hr(user) or is_floor_manager(user)):
        return Employee.objects.none()
    return (
        Employee.objects.filter(Exists(Team.objects.filter(supervisor=OuterRef("pk"))))
        .exclude(stage="left")
        .order_by("name", "pk")
    )


def is_floor_manager(user):
    """Holds the first escalation level above the team lead (linkage's floor manager)."""
    from .tasks import floor_managers

    me = people.employee_of(user)
    return me is not None and any(manager.pk == me.pk for manager in floor_managers())
