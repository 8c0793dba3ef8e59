"""Onboarding pages (DOMAIN §3): parse → check access through training.permissions → call a selector
or a service → render. Objects come through querysets scoped by visible_enrollments, so "not yours"
and "does not exist" both answer 404; an action the user may not take answers 404 as well."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from staff import permissions as people

from .. import cycles, mood_rules, permissions, services
from ..forms.onboarding import ActivityDoneForm, CoachingForm, GateCheckForm, MentorForm, MoveForm
from ..selectors import landings
from ..selectors import onboarding as selectors


def _require(allowed):
    if not allowed:
        raise Http404


def _enrollment(request, pk):
    return get_object_or_404(selectors.enrollments_for_pages(request.user), pk=pk)


def _back(request, default):
    """The page the form was posted from (a local path only), else ``default``."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _detail_url(enrollment):
    return reverse("training:enrollment-detail", args=[enrollment.pk])


@login_required
def my_onboarding(request):
    """The trainee's own page. Everyone with an employee record gets it (the navbar link needs no
    query); someone not in a batch reads "You are not in an onboarding batch"."""
    me = people.employee_of(request.user)
    if me is None:
        raise Http404
    enrollment = selectors.current_enrollment(me)
    if enrollment is None:
        return render(request, "training/onboarding/not_enrolled.html")
    page = selectors.my_onboarding(request.user, enrollment)
    context = {
        "page": page,
        "next_step": landings.next_step(page),
        "asks_mood": mood_rules.is_asked(enrollment.state, enrollment.cycle),
    }
    return render(request, "training/onboarding/my_onboarding.html", context)


@login_required
def mentee_board(request):
    """The mentee board became part of the mentor's one page, "My mentees": old links land there."""
    _require(people.can_view_mentees(request.user))
    return redirect("staff:my-mentees")


@login_required
def batch_board(request):
    _require(permissions.can_view_batch_board(request.user))
    batches = selectors.board_batches(request.user)
    chosen = request.GET.get("batch", "")
    if chosen:
        batch = next((b for b in batches if str(b.pk) == chosen), None)
        _require(batch is not None)
    else:
        batch = selectors.default_batch(request.user, batches)
    columns = selectors.batch_board(request.user, batch) if batch else []
    any_at_risk = any(card.is_at_risk for _key, _label, cards in columns for card in cards)
    context = {"batches": batches, "batch": batch, "columns": columns, "any_at_risk": any_at_risk}
    return render(request, "training/onboarding/batch_board.html", context)


@login_required
def enrollment_detail(request, pk):
    return _detail_page(request, _enrollment(request, pk))


def _detail_page(request, enrollment, *, move_form=None, mentor_form=None):
    """The detail page; a failed move or mentor form is shown again with its input and errors."""
    user = request.user
    can_manage = permissions.can_manage(user, enrollment)
    detail = selectors.enrollment_detail(user, enrollment, can_manage=can_manage)
    moves, refused_move = [], move_form
    posted_move = move_form.data.get("move") if move_form is not None else None
    # Approving the gate is offered only when it is met (or shown again with its errors when just refused);
    # otherwise the page says plainly why not, with the gate's reasons.
    approval_blocked = (
        can_manage
        and cycles.is_allowed(enrollment.placement, cycles.ADVANCE)
        and not (detail.gate and detail.gate.passed)
        and posted_move != cycles.ADVANCE
    )
    if can_manage:
        for move in cycles.allowed_moves(enrollment.placement):
            posted = posted_move == move
            if move == cycles.ADVANCE and approval_blocked:
                continue
            if posted:
                form, refused_move = move_form, None
            else:
                form = MoveForm(initial={"move": move, "from_state": enrollment.state})
            form.auto_id = f"{move}-%s"  # several move forms on one page: keep the ids unique
            moves.append((move, cycles.move_label(move, enrollment), form))
    return render(
        request,
        "training/onboarding/enrollment_detail.html",
        {
            "detail": detail,
            "enrollment": enrollment,
            "can_manage": can_manage,
            "can_coach": permissions.can_coach(user, enrollment),
            "moves": moves,
            "approval_blocked": approval_blocked,
            "refused_move": refused_move,  # a move no longer allowed here: its errors go on top
            "mentor_form": mentor_form,
            "asks_mood": mood_rules.is_asked(enrollment.state, enrollment.cycle),
        },
    )


@login_required
@require_POST
def enrollment_move(request, pk):
    enrollment = _enrollment(request, pk)
    _require(permissions.can_manage(request.user, enrollment))
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, enrollment, move_form=form)
    data = form.cleaned_data
    if enrollment.state != data["from_state"]:
        messages.info(request, _("This was already done; nothing changed."))
        return redirect(_detail_url(enrollment))
    try:
        moved = services.move_enrollment(
            actor=request.user,
            enrollment_id=enrollment.pk,
            move=data["move"],
            from_state=data["from_state"],
            reason=data["reason"],
            remediation_plan=data["remediation_plan"],
            due_on=data["due_on"],
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _detail_page(request, enrollment, move_form=form)
    messages.success(
        request, _("%(name)s is now: %(state)s.") % {"name": moved.trainee.name, "state": moved.get_state_display()}
    )
    return redirect(_detail_url(enrollment))


@login_required
@require_POST
def activity_done(request, pk):
    activity = get_object_or_404(selectors.activities_for_done(request.user), pk=pk)
    enrollment = activity.enrollment
    _require(permissions.can_complete(request.user, activity))
    form = ActivityDoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["note"]))
        return redirect(_back(request, _detail_url(enrollment)))
    try:
        services.complete_activity(actor=request.user, activity_id=activity.pk, note=form.cleaned_data["note"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Done: %(activity)s.") % {"activity": activity.template.title})
    return redirect(_back(request, _detail_url(enrollment)))


@login_required
@require_http_methods(["GET", "POST"])
def coaching_new(request, pk):
    enrollment = _enrollment(request, pk)
    _require(permissions.can_coach(request.user, enrollment))
    initial = {
        "phase": "during",
        "scheduled_at": timezone.localtime().replace(second=0, microsecond=0),
        "focus_indicators": selectors.cycle_focus_ids(enrollment),
    }
    form = CoachingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.log_coaching(actor=request.user, enrollment_id=enrollment.pk, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Coaching session logged."))
            return redirect(_detail_url(enrollment))
    return render(request, "training/onboarding/coaching_form.html", {"form": form, "enrollment": enrollment})


@login_required
@require_POST
def coaching_ack(request, pk):
    session = get_object_or_404(selectors.sessions_for_ack(request.user), pk=pk)
    _require(permissions.can_acknowledge(request.user, session))
    services.acknowledge_coaching(actor=request.user, session_id=session.pk)
    messages.success(request, _("Coaching session acknowledged."))
    return redirect(_back(request, reverse("training:my-onboarding")))


@login_required
@require_http_methods(["GET", "POST"])
def gate_check_new(request, pk):
    enrollment = _enrollment(request, pk)
    _require(permissions.can_coach(request.user, enrollment))
    form = GateCheckForm(request.POST or None, initial={"taken_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            check = services.record_gate_check(actor=request.user, enrollment_id=enrollment.pk, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            text = _("Gate check passed (%(score)d).") if check.passed else _("Gate check not passed (%(score)d).")
            messages.success(request, text % {"score": check.score})
            return redirect(_detail_url(enrollment))
    return render(
        request,
        "training/onboarding/gate_check_form.html",
        {"form": form, "enrollment": enrollment, "cycle": selectors.cycle_template(enrollment)},
    )


@login_required
@require_POST
def mentor_assign(request, pk):
    enrollment = _enrollment(request, pk)
    _require(permissions.can_manage(request.user, enrollment))
    form = MentorForm(request.POST, candidates=selectors.mentor_candidates(request.user, enrollment))
    if form.is_valid():
        mentor = form.cleaned_data["mentor"]
        try:
            services.assign_mentor(actor=request.user, enrollment_id=enrollment.pk, mentor=mentor)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(name)s is the mentor now.") % {"name": mentor.name})
            return redirect(_detail_url(enrollment))
    return _detail_page(request, enrollment, mentor_form=form)


def employee_panel(user, employee):
    """The onboarding panel of staff's employee page (registered in TrainingConfig.ready()): the latest
    enrollment's batch, state, due date and gate flag, with a link for whoever may open the enrollment."""
    enrollment = selectors.current_enrollment(employee)
    if enrollment is None:
        return None
    context = {
        "enrollment": enrollment,
        "is_open": enrollment.state in cycles.OPEN,
        "can_open": permissions.visible_enrollments(user).filter(pk=enrollment.pk).exists(),
    }
    return "training/onboarding/_employee_panel.html", context


def onboarding_landing(user):
    """Where someone who leads no one lands (registered with staff in TrainingConfig.ready()): "My onboarding"
    while she is onboarding, else staff's default (her profile)."""
    return "training:my-onboarding" if landings.is_onboarding(people.employee_of(user)) else None


def mentee_details(user, mentees):
    """Each mentee's onboarding on "My mentees" (registered with staff): cycle, progress, the activities
    overdue, the next coaching session and the actions — two queries whatever the number of mentees."""
    found = landings.mentee_onboarding(user, [m.pk for m in mentees])
    return {
        trainee_id: ("training/onboarding/_mentee_onboarding.html", {"card": row.card, "overdue": row.overdue})
        for trainee_id, row in found.items()
    }


def hr_overview_panel(user):
    """Onboarding across all batches on the HR overview (registered with staff)."""
    overview = landings.onboarding_overview(user)
    if overview is None:
        return None
    return "training/onboarding/_hr_overview.html", {"overview": overview}
