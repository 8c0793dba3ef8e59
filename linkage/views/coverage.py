"""Pages: a team's coverage (certified owners per scripted step, the weakest links first) and its four-abilities
matrix (issue 12 §8). HR picks any team, a supervisor one of the teams she leads; any other team answers 404."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from staff.api.filters import MAX_ID

from .. import permissions
from ..forms.coverage import AbilitiesFilterForm, TeamFilterForm
from ..models import Ability
from ..selectors import abilities as ability_selectors
from ..selectors import coverage as coverage_selectors


def _team(request, form_class):
    """(form, team, teams): the team asked for when the user may see it (else 404), else her first team."""
    if not permissions.can_view_coverage(request.user):
        raise Http404
    teams = permissions.coverage_teams(request.user).order_by("name", "pk")
    asked = request.GET.get("team", "")
    if asked and (not asked.isdigit() or int(asked) > MAX_ID):
        raise Http404
    form = form_class(request.GET or None, teams=teams)
    if asked and not form.is_valid():
        raise Http404  # not one of her teams: "not yours" and "does not exist" look the same
    team = form.cleaned_data.get("team") if asked else teams.first()
    return form, team, teams


@login_required
def coverage(request):
    """Query parameter: team (an id among the user's teams; the first one without it)."""
    form, team, teams = _team(request, TeamFilterForm)
    rows = []
    if team is not None:
        rows = coverage_selectors.team_coverage([team.pk], today=timezone.localdate())[team.pk]
    return render(
        request,
        "linkage/coverage.html",
        {
            "form": form,
            "team": team,
            "teams": teams,
            "rows": rows,
            "weak": [row for row in rows if row.is_weak],
            "names_shown": coverage_selectors.NAMES_SHOWN,
        },
    )


@login_required
def abilities(request):
    """Query parameters: team (as on the coverage page), q (a name, or an employee number), page."""
    form, team, teams = _team(request, AbilitiesFilterForm)
    q = form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else ""
    page = None
    if team is not None:
        page = ability_selectors.team_matrix(request.user, team.pk, request.GET.get("page"), q=q)
    return render(
        request,
        "linkage/abilities.html",
        {"form": form, "team": team, "teams": teams, "page": page, "q": q, "abilities": Ability.choices},
    )
