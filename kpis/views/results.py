"""Pages: My results, Team KPIs, the centre view (issue 11 §7). Parse → check access through kpis.permissions →
kpis.selectors.results → render; anything outside the user's scope answers 404."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from staff import permissions as people

from .. import permissions
from ..models import Unit
from ..selectors import results as selectors
from ..selectors import scorecards as scorecard_selectors

MEMBERS_PER_PAGE = 50


def parse_month(text, today):
    """``YYYY-MM`` → the first day of that month; anything else → the current month."""
    try:
        return datetime.datetime.strptime(text or "", "%Y-%m").date()
    except ValueError:
        return today.replace(day=1)


def _month_context(month, today):
    return {
        "month": month,
        "previous_month": selectors.month_start(month - datetime.timedelta(days=1)),
        "next_month": selectors.next_month(month) if selectors.next_month(month) <= today else None,
    }


@login_required
def my_results(request):
    if not permissions.can_view_own_results(request.user):
        raise Http404
    today = timezone.localdate()
    me = people.employee_of(request.user)
    month = parse_month(request.GET.get("month"), today)
    rows = permissions.visible_agent_days(request.user).filter(employee=me)
    results = selectors.my_results(rows, me, month, today=today)
    return render(
        request,
        "kpis/my_results.html",
        {
            **_month_context(month, today),
            "results": results,
            "weekly_chart": chart_data(results.weekly),
            "scorecard": scorecard_selectors.scorecard_card(scorecard_selectors.scorecard_for(me, month)),
        },
    )


@login_required
def team_kpis(request):
    """Query parameters: team (an id among the user's teams; the first one without it), month (YYYY-MM), sort
    (a KPI code, lowest first, or -code), page."""
    if not permissions.can_view_team_kpis(request.user):
        raise Http404
    today = timezone.localdate()
    teams = permissions.visible_teams(request.user).select_related("department__site").order_by("name", "pk")
    team_id = request.GET.get("team", "")
    team = get_object_or_404(teams, pk=int(team_id)) if team_id.isdigit() else teams.first()
    if team is None:
        raise Http404
    month = parse_month(request.GET.get("month"), today)
    sort = request.GET.get("sort", "")
    rows = permissions.visible_agent_days(request.user)
    results = selectors.team_kpis(rows, team, month, today=today, sort=sort)
    return render(
        request,
        "kpis/team_kpis.html",
        {
            **_month_context(month, today),
            "results": results,
            "teams": teams,
            "sort": sort,
            "page": Paginator(results.members, MEMBERS_PER_PAGE).get_page(request.GET.get("page")),
            "weekly_chart": chart_data(results.weekly),
            "monthly_chart": chart_data(results.monthly, "%Y-%m"),
        },
    )


@login_required
def centre(request):
    """Query parameters: month (YYYY-MM, the last of the six months shown), kpi (the code compared)."""
    if not permissions.can_view_centre(request.user):
        raise Http404
    today = timezone.localdate()
    month = parse_month(request.GET.get("month"), today)
    results = selectors.centre(
        permissions.visible_agent_days(request.user),
        permissions.visible_queue_days(request.user),
        permissions.visible_sites(request.user).order_by("name", "pk"),
        permissions.visible_teams(request.user).order_by("name", "pk"),
        month,
        today=today,
        kpi_code=request.GET.get("kpi", ""),
    )
    return render(
        request,
        "kpis/centre.html",
        {**_month_context(month, today), "results": results, "centre_chart": centre_chart_data(results)},
    )


# Charts: the numbers the tables beside them show, as the page shows them (percent × 100). -------------------


def shown(kpi, value):
    if value is None:
        return None
    return float(value * 100) if kpi.unit == Unit.PERCENT else float(value)


def chart_data(trend, label_format="%m-%d"):
    """Percent KPIs on one chart (the table beside it has every KPI)."""
    charted = [i for i, kpi in enumerate(trend.kpis) if kpi.unit == Unit.PERCENT]
    return {
        "labels": [period.strftime(label_format) for period in trend.periods],
        "series": [
            {"label": str(trend.kpis[i].name), "values": [shown(row[i].kpi, row[i].value) for _p, row in trend.rows]}
            for i in charted
        ],
    }


def centre_chart_data(results):
    if results.kpi is None:
        return {"labels": [], "series": []}
    return {
        "labels": [month.isoformat()[:7] for month in results.months],
        "series": [
            {"label": str(site), "values": [shown(cell.kpi, cell.value) for cell in row]} for site, row in results.sites
        ],
    }
