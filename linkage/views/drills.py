"""Pages: the drills list, the schedule form, a drill (its cast, or its result), the examiner's tablet scoring form,
cancelling, and confirming a certification (issue 12 §6–7, §10). Parse → check access through linkage.permissions
→ linkage.services / selectors → render; a drill outside the user's scope answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staff import permissions as people
from staff.api.filters import MAX_ID
from staff.models import Employee, Stage, Team
from training.models import Assessment

from .. import permissions
from ..forms.drills import CancelDrillForm, DrillChooseForm, DrillFilterForm, DrillScheduleForm, DrillScoreForm
from ..models import DrillStatus, LinkageRole, Playbook, RoleModel, VersionStatus
from ..selectors.levels import levels_for
from ..selectors.playbooks import team_versions
from ..services import drills as drill_services
from ..services import levels as level_services

DRILLS_PER_PAGE = 20


def _id(value):
    """A positive id from a query parameter, else None (a huge one names nothing)."""
    return int(value) if value.isdigit() and 0 < int(value) <= MAX_ID else None


def _drill_or_404(user, pk):
    if pk > MAX_ID:
        raise Http404
    return get_object_or_404(
        permissions.visible_drills(user).select_related("version__playbook", "team", "examiner", "scored_by"), pk=pk
    )


# The list -------------------------------------------------------------------------------------------------------


@login_required
def drills(request):
    """Query parameters: status, team (id), playbook (code), page. A person sees the drills she takes part in."""
    if not permissions.can_view_library(request.user):
        raise Http404
    scope = permissions.visible_drills(request.user)
    form = DrillFilterForm(
        request.GET or None,
        teams=Team.objects.filter(pk__in=scope.values("team_id")).order_by("name", "pk"),
        playbooks=Playbook.objects.order_by("kind", "code"),
    )
    chosen = form.cleaned_data if form.is_valid() else {}
    listed = scope.select_related("version__playbook", "team", "examiner").annotate(
        passed_count=Count("participants", filter=Q(participants__passed=True)),
        participant_count=Count("participants"),
    )
    if chosen.get("team"):
        listed = listed.filter(team=chosen["team"])
    if chosen.get("playbook"):
        listed = listed.filter(version__playbook=chosen["playbook"])
    if chosen.get("status"):
        listed = listed.filter(status=chosen["status"])
    upcoming_first = chosen.get("status") == DrillStatus.SCHEDULED
    listed = listed.order_by(*(("scheduled_for", "pk") if upcoming_first else ("-scheduled_for", "-pk")))
    page = Paginator(listed, DRILLS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "linkage/drills.html",
        {"form": form, "page": page, "can_schedule": permissions.schedulable_teams(request.user).exists()},
    )


# Scheduling -----------------------------------------------------------------------------------------------------


def _cast_candidates(team, versions, *, mentor=None):
    """[(role, [Employee])] for each owner role of a scripted step of ``versions``: the team's active members (a
    mentor's own mentees only), those holding the role through their position first. Three queries."""
    roles = list(
        LinkageRole.objects.filter(pk__in=versions.filter(steps__is_scripted=True).values("steps__owner"))
        .prefetch_related("positions")
        .order_by("order", "code")
    )
    members = Employee.objects.filter(team=team).exclude(stage=Stage.LEFT).order_by("name", "pk")
    if mentor is not None:
        members = members.filter(mentor=mentor)
    members = list(members)
    rows = []
    for role in roles:
        held = {position.pk for position in role.positions.all()}
        rows.append((role, sorted(members, key=lambda person: person.position_id not in held)))
    return rows


def _examiners(user, team):
    """The examiner to name: the user herself first (the default), then the team's supervisor."""
    me = people.employee_of(user)
    found = [person for person in (me, team.supervisor) if person is not None]
    return list({person.pk: person for person in found}.values())


@login_required
def drill_new(request):
    """Query parameters: playbook (code) and team (id), chosen first; then the form with the cast rows."""
    teams = permissions.schedulable_teams(request.user).select_related("supervisor").order_by("name", "pk")
    if not teams.exists():
        raise Http404
    playbooks = (
        Playbook.objects.filter(versions__status__in=(VersionStatus.PUBLISHED, VersionStatus.PILOT))
        .distinct()
        .order_by("kind", "code")
    )
    choose = DrillChooseForm(request.GET or None, playbooks=playbooks, teams=teams)
    if not choose.is_valid():
        return render(request, "linkage/drill_new.html", {"choose": choose, "form": None})
    playbook, team = choose.cleaned_data["playbook"], choose.cleaned_data["team"]
    if not permissions.can_schedule_drill(request.user, team):
        raise Http404
    versions = team_versions(team).filter(playbook=playbook).order_by("-number")
    me = people.employee_of(request.user)
    leads_team = people.is_hr(request.user) or (me is not None and team.supervisor_id == me.pk)
    form = DrillScheduleForm(
        request.POST or None,
        versions=versions,
        examiners=_examiners(request.user, team),
        roles=_cast_candidates(team, versions, mentor=None if leads_team else me),
        initial={"version": versions.first(), "mode": "scored" if leads_team else "practice"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = drill_services.schedule_drill(
                actor=request.user,
                version=data["version"],
                team=team,
                scheduled_for=data["scheduled_for"],
                cast=form.cast(),
                mode=data["mode"],
                examiner=data["examiner"],
                notes=data["notes"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The drill is scheduled."))
            return redirect("linkage:drill", created.pk)
    context = {"choose": choose, "form": form, "playbook": playbook, "team": team, "versions": versions}
    return render(request, "linkage/drill_new.html", context)


# A drill: its cast, or its result ------------------------------------------------------------------------------


def _participant_rows(user, drill, participants):
    """Each participant with what the page shows her viewer: her level, her KASH assessment from this drill (when
    the viewer may see that person), whether a certification may be confirmed and a role model marked."""
    if not participants:
        return []
    ids = [participant.employee_id for participant in participants]
    today = timezone.localdate()
    levels = levels_for(ids, [drill.version.playbook_id], today=today) if drill.counts else {}
    visible = set(people.visible_employees(user).filter(pk__in=ids).values_list("pk", flat=True))
    keys = {f"linkage-drill:{drill.pk}:{participant.pk}": participant for participant in participants}
    assessments = {
        keys[assessment.idempotency_key].pk: assessment
        for assessment in Assessment.objects.filter(idempotency_key__in=list(keys)).prefetch_related(
            "scores__indicator"
        )
    }
    models = set(
        RoleModel.objects.filter(drill=drill, is_active=True, employee_id__in=ids).values_list("employee_id", flat=True)
    )
    scored = drill.status == DrillStatus.SCORED
    for participant in participants:
        employee = participant.employee
        participant.level = levels.get((employee.pk, drill.version.playbook_id))
        participant.assessment = assessments.get(participant.pk) if employee.pk in visible else None
        participant.can_certify = (
            scored
            and bool(participant.passed)
            and participant.level is not None
            and participant.level.level < 3
            and permissions.can_certify(user, employee)
        )
        participant.is_role_model = employee.pk in models
        participant.can_mark = (
            scored and not participant.is_role_model and permissions.can_mark_role_model(user, employee)
        )
    return participants


def _step_rows(steps, participants, scores):
    by_role = {participant.role_id: participant for participant in participants}
    by_step = {score.step_id: score for score in scores}
    return [(step, by_role.get(step.owner_id), by_step.get(step.pk)) for step in steps]


def _steps(drill):
    return list(drill.version.steps.select_related("owner", "signal").order_by("order"))


def _participants(drill):
    return list(drill.participants.select_related("employee__team", "role").order_by("role__order", "pk"))


@login_required
def drill(request, pk):
    found = _drill_or_404(request.user, pk)
    participants = _participants(found)
    scores = list(found.scores.all())
    return render(
        request,
        "linkage/drill.html",
        {
            "drill": found,
            "steps": _step_rows(_steps(found), participants, scores),
            "participants": _participant_rows(request.user, found, participants),
            "can_score": permissions.can_score(request.user, found),
            "can_cancel": permissions.can_cancel_drill(request.user, found),
            "cancel_form": CancelDrillForm(),
        },
    )


@login_required
def drill_score(request, pk):
    """The examiner's tablet form. A drill already scored (a second tap, a stale tab) is shown as it is."""
    found = _drill_or_404(request.user, pk)
    if found.status != DrillStatus.SCHEDULED and permissions.examines(request.user, found):
        messages.info(request, _("This drill is already %(status)s.") % {"status": found.get_status_display()})
        return redirect("linkage:drill", found.pk)
    if not permissions.can_score(request.user, found):
        raise Http404
    form = DrillScoreForm(request.POST or None, steps=_steps(found), participants=_participants(found))
    if request.method == "POST" and form.is_valid():
        try:
            drill_services.score_drill(
                actor=request.user, drill_id=found.pk, scores=form.scores(), notes=form.cleaned_data["notes"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The drill is scored."))
            return redirect("linkage:drill", found.pk)
    return render(request, "linkage/drill_score.html", {"drill": found, "form": form, "rows": form.rows()})


@login_required
@require_POST
def drill_cancel(request, pk):
    found = _drill_or_404(request.user, pk)
    if not permissions.can_cancel_drill(request.user, found):
        raise Http404
    form = CancelDrillForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The drill was not cancelled: say why."))
        return redirect("linkage:drill", found.pk)
    try:
        drill_services.cancel_drill(actor=request.user, drill_id=found.pk, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The drill is cancelled."))
    return redirect("linkage:drill", found.pk)


# Certification --------------------------------------------------------------------------------------------------


@login_required
@require_POST
def certify(request, employee_pk, code):
    """Confirm ``employee_pk``'s certification for the playbook; POST field drill (id): the page to return to."""
    if employee_pk > MAX_ID:
        raise Http404
    employee = get_object_or_404(people.visible_employees(request.user).select_related("team"), pk=employee_pk)
    playbook = get_object_or_404(Playbook, code=code)
    if not permissions.can_certify(request.user, employee):
        raise Http404
    try:
        level_services.certify(actor=request.user, employee=employee, playbook=playbook)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as error:
        raise Http404 from error
    else:
        messages.success(
            request,
            _("%(person)s is certified for %(playbook)s.") % {"person": employee.name, "playbook": playbook.name},
        )
    back = _id(request.POST.get("drill", ""))
    if back is not None and permissions.visible_drills(request.user).filter(pk=back).exists():
        return redirect("linkage:drill", back)
    return redirect(reverse("linkage:playbook", args=[playbook.code]))
