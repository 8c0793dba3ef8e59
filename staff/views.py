"""Pages: parse → check access through the permission policy → select → render."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from . import panels, permissions, selectors, today
from .forms import PeopleFilterForm


def _require(allowed):
    if not allowed:
        raise Http404


@login_required
def home(request):
    return redirect(permissions.home_route(request.user))


@login_required
def hr_home(request):
    _require(permissions.is_hr(request.user))
    return render(
        request,
        "staff/hr_home.html",
        {
            "panels": panels.hr_overview_panels(request.user),
            "teams": list(selectors.led_teams(request.user)),
            "positions": selectors.position_staffing(),
            "heartbeats": selectors.heartbeats(),
        },
    )


@login_required
def today_page(request):
    """The supervisor's landing: what needs them now, from every app (staff.today)."""
    _require(permissions.can_view_today(request.user))
    return render(request, "staff/today.html", {"sections": today.sections(request.user)})


@login_required
def my_profile(request):
    me = permissions.employee_of(request.user)
    if me is None:
        return render(request, "staff/no_profile.html")
    return _employee_page(request, me, is_self=True)


@login_required
def my_team(request):
    _require(permissions.can_view_team_board(request.user))
    filters = PeopleFilterForm(request.GET, user=request.user, with_counts=True)  # the team cards show sizes
    members, summary = selectors.team_board(
        request.user, team_ids=filters.team_ids, stage=filters.selected_stage or None, search=filters.search
    )
    page = Paginator(members, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "summary": summary, "scope_teams": filters.scope_teams, **filters.context()}
    return render(request, "staff/my_team.html", context)


@login_required
def my_mentees(request):
    """The mentor's one page: every mentee, with what other apps add (training: the onboarding, what is overdue)."""
    _require(permissions.can_view_mentees(request.user))
    mentees = list(selectors.mentees_of(request.user))
    details = panels.mentee_details(request.user, mentees)
    rows = [(mentee, details.get(mentee.pk, [])) for mentee in mentees]
    return render(request, "staff/my_mentees.html", {"rows": rows})


@login_required
def employee_detail(request, pk):
    employee = get_object_or_404(
        selectors.employee_list(request.user).select_related("position__superior", "team__department__site"), pk=pk
    )
    return _employee_page(request, employee, is_self=employee == permissions.employee_of(request.user))


@login_required
def position_detail(request, pk):
    position = get_object_or_404(
        permissions.visible_positions(request.user).select_related("superior", "department"), pk=pk
    )
    return render(request, "staff/position_detail.html", {"position": position})


def _employee_page(request, employee, *, is_self):
    context = {"employee": employee, "is_self": is_self, "panels": panels.employee_panels(request.user, employee)}
    if permissions.can_view_hr_fields(request.user) or not is_self:
        context["moves"] = selectors.employee_moves(employee)
    return render(request, "staff/employee_detail.html", context)
