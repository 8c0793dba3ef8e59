"""Reads of initiatives shared by the pages and the API: the scoped list with its filters (a fixed number of
queries whatever the number of initiatives), one initiative with its plan, and the Check's chart as an inline SVG
drawn on the server (no JavaScript library)."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from staff import permissions as people

from .. import permissions
from ..models import GuardrailBreach, Initiative, InitiativeKpi


def initiative_list(user, *, status="", site=None, mine=False):
    """The initiatives ``user`` sees, newest go-live first, with owner, milestone and open-breach counts."""
    listed = permissions.visible_initiatives(user).select_related("owner")
    if status:
        listed = listed.filter(status=status)
    if mine:
        me = people.employee_of(user)
        listed = listed.filter(owner=me) if me is not None else listed.none()
    if site is not None:
        in_sites = Initiative.scope_sites.through.objects.filter(initiative=OuterRef("pk"), site=site)
        in_teams = Initiative.scope_teams.through.objects.filter(initiative=OuterRef("pk"), team__department__site=site)
        listed = listed.filter(Exists(in_sites) | Exists(in_teams))
    open_breach = GuardrailBreach.objects.filter(guardrail__initiative=OuterRef("pk"), cleared_on__isnull=True)
    return listed.annotate(
        milestone_count=Count("milestones", distinct=True),
        milestones_done=Count("milestones", filter=Q(milestones__done_on__isnull=False), distinct=True),
        has_breach=Exists(open_breach),
    ).order_by("-rollout_start", "-pk")


def initiative_detail(user, pk):
    """One visible initiative with its plan's parts loaded (raises Initiative.DoesNotExist)."""
    kpis = InitiativeKpi.objects.select_related("kpi__numerator", "kpi__denominator").order_by("role", "pk")
    return (
        permissions.visible_initiatives(user)
        .select_related("owner", "decided_by", "standard_playbook__playbook")
        .prefetch_related(
            Prefetch("kpis", queryset=kpis),
            "risks__owner",
            "milestones",
            "scope_teams",
            "scope_sites",
            "pilot_teams",
            "events__actor",
        )
        .annotate(task_count=Count("tasks", distinct=True))
        .get(pk=pk)
    )


def open_breaches(initiative):
    """{guardrail (InitiativeKpi) id: the open breach}."""
    found = GuardrailBreach.objects.filter(guardrail__initiative=initiative, cleared_on__isnull=True)
    return {breach.guardrail_id: breach for breach in found}


# The chart --------------------------------------------------------------------------------------------------

WIDTH, HEIGHT, PAD_X, PAD_Y = 640, 220, 48, 24


@dataclass
class Series:
    name: str
    css: str  # a Bootstrap text colour class for the legend and the line
    points: str  # "x,y x,y" for <polyline>
    dots: list  # [(x, y, label)]


@dataclass
class Chart:
    width: int
    height: int
    series: list
    ticks: list  # [(x, label)] along the bottom
    levels: list  # [(y, label)] along the left
    baseline: tuple | None  # (y, label) of the before value


def chart_of(effect, *, labels, shown):
    """The KPI's months on one axis: pilot and control across the pilot window, then the scope since go-live; the
    before value as a dashed line. ``labels``: {"pilot", "control", "scope", "before"}; ``shown(value)``: the value
    in its unit (for the tooltips and the axis). None when there is nothing to draw."""
    months = [month for month, _p, _c in effect.pilot_monthly] + [month for month, _v in effect.monthly]
    values = [v for _m, p, c in effect.pilot_monthly for v in (p, c)] + [v for _m, v in effect.monthly]
    values = [v for v in values if v is not None] + ([effect.before] if effect.before is not None else [])
    if not months or not values:
        return None
    low, high = float(min(values)), float(max(values))
    if high == low:
        low, high = low - abs(low) * 0.05 - 0.01, high + abs(high) * 0.05 + 0.01
    step = (WIDTH - 2 * PAD_X) / max(len(months) - 1, 1)

    def x(index):
        return round(PAD_X + index * step, 1)

    def y(value):
        return round(HEIGHT - PAD_Y - (float(value) - low) / (high - low) * (HEIGHT - 2 * PAD_Y), 1)

    def line(name, css, indexed):
        dots = [(x(i), y(v), f"{name} {m:%Y-%m}: {shown(v)}") for i, m, v in indexed if v is not None]
        return Series(name, css, " ".join(f"{dx},{dy}" for dx, dy, _l in dots), dots)

    pilot_len = len(effect.pilot_monthly)
    series = []
    if pilot_len:
        series.append(
            line(labels["pilot"], "text-success", [(i, m, p) for i, (m, p, _c) in enumerate(effect.pilot_monthly)])
        )
        series.append(
            line(labels["control"], "text-secondary", [(i, m, c) for i, (m, _p, c) in enumerate(effect.pilot_monthly)])
        )
    if effect.monthly:
        series.append(
            line(labels["scope"], "text-primary", [(pilot_len + i, m, v) for i, (m, v) in enumerate(effect.monthly)])
        )
    ticks = [(x(i), f"{m:%Y-%m}") for i, m in enumerate(months)]
    levels = [(y(v), shown(v)) for v in (low, (low + high) / 2, high)]
    baseline = (y(effect.before), f"{labels['before']} {shown(effect.before)}") if effect.before is not None else None
    return Chart(WIDTH, HEIGHT, [s for s in series if s.dots], ticks, levels, baseline)
