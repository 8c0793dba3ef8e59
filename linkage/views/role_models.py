"""Pages: mark a role model of a playbook (树标杆, issue 12 §9) and take one out of the gallery. HR and supervisors
mark; the gallery itself is on the playbook page. Anything outside the user's scope answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staff import permissions as people
from staff.api.filters import MAX_ID
from staff.models import Employee, Stage

from .. import permissions
from ..forms.role_models import RoleModelForm
from ..models import DrillStatus, Playbook, RoleModel
from ..services import role_models as services


def _gallery_url(playbook):
    return reverse("linkage:playbook", args=[playbook.code]) + "#role-models"


def _id(request, name):
    """An id from a query parameter: None when absent, 404 when it cannot name a row."""
    value = request.GET.get(name, "")
    if not value:
        return None
    if not value.isdigit() or not 0 < int(value) <= MAX_ID:
        raise Http404
    return int(value)


def _playbook_or_404(user, code):
    """A playbook the user may read (HR any)."""
    playbook = get_object_or_404(Playbook, code=code)
    if not people.is_hr(user) and not permissions.visible_versions(user).filter(playbook=playbook).exists():
        raise Http404
    return playbook


def _candidates(request, teams):
    """(candidates, person, drill, team): the person the page was opened for (?employee=, with ?drill= her part in
    a scored drill), else the active members of the chosen team (?team=, among the user's; the first without)."""
    employee_id, drill_id = _id(request, "employee"), _id(request, "drill")
    if employee_id is not None:
        person = get_object_or_404(people.visible_employees(request.user).select_related("team"), pk=employee_id)
        if not permissions.can_mark_role_model(request.user, person):
            raise Http404
        drill = None
        if drill_id is not None:
            drill = get_object_or_404(
                permissions.visible_drills(request.user).select_related("version"),
                pk=drill_id,
                status=DrillStatus.SCORED,
            )
        return Employee.objects.filter(pk=person.pk), person, drill, person.team
    team_id = _id(request, "team")
    team = get_object_or_404(teams, pk=team_id) if team_id is not None else teams.first()
    members = Employee.objects.filter(team=team).exclude(stage=Stage.LEFT).order_by("name", "pk")
    return members, None, None, team


@login_required
def role_model_new(request, code):
    """Query parameters: employee (id) and drill (id) from a drill's result, or team (id) to choose among."""
    playbook = _playbook_or_404(request.user, code)
    # The teams whose members the user may mark (can_mark_role_model): HR every team, a supervisor hers.
    teams = permissions.coverage_teams(request.user).order_by("name", "pk")
    if not teams.exists():
        raise Http404
    candidates, person, drill, team = _candidates(request, teams)
    if drill is not None and drill.version.playbook_id != playbook.pk:
        raise Http404
    form = RoleModelForm(request.POST or None, candidates=candidates, initial={"employee": person})
    if request.method == "POST" and form.is_valid():
        try:
            services.mark_role_model(
                actor=request.user,
                playbook=playbook,
                employee=form.cleaned_data["employee"],
                what_they_did=form.cleaned_data["what_they_did"],
                drill=drill,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("%(person)s is now shown as a role model.") % {"person": form.cleaned_data["employee"].name}
            )
            return redirect(_gallery_url(playbook))
    context = {"playbook": playbook, "form": form, "person": person, "drill": drill, "team": team, "teams": teams}
    return render(request, "linkage/role_model_new.html", context)


@login_required
@require_POST
def role_model_remove(request, pk):
    if pk > MAX_ID:
        raise Http404
    found = get_object_or_404(RoleModel.objects.select_related("employee__team", "playbook"), pk=pk, is_active=True)
    if not permissions.can_mark_role_model(request.user, found.employee):
        raise Http404
    services.remove_role_model(actor=request.user, role_model_id=found.pk)
    messages.success(request, _("%(person)s is no longer shown as a role model.") % {"person": found.employee.name})
    return redirect(_gallery_url(found.playbook))
