"""Pages: my cases (and those handed to me), the team's cases with their breach countdown, logging a case on a phone,
one case with its history, and its actions (issue 13 §1, §2, §6). Parse → check access through linkage.permissions
→ linkage.services.cases / selectors → redirect or render; a case outside the user's scope answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staff.api.filters import MAX_ID

from .. import case_rules, permissions
from ..forms.cases import CaseFilterForm, CaseForm, CloseForm, FollowUpForm, HandoffForm, NoteForm, ReasonForm
from ..models import FollowUp, Handoff, LinkageRole
from ..selectors import cases as selectors
from ..services import cases as services


def _case_or_404(user, pk):
    if pk > MAX_ID:
        raise Http404
    try:
        return selectors.case_detail(user, pk)
    except ObjectDoesNotExist:
        raise Http404 from None


def _scoped(user, pk):
    """The visible case (no history loaded) for an action; 404 outside the scope."""
    if pk > MAX_ID:
        raise Http404
    return get_object_or_404(selectors.visible_cases(user).select_related("team", "owner"), pk=pk)


def _done(request, case_pk, action):
    """Run ``action()``; refusals and invalid input become messages on the case page."""
    try:
        action()
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You may not do this."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("linkage:case", pk=case_pk)


# Lists ------------------------------------------------------------------------------------------------------------


@login_required
def cases(request):
    """Query parameters: scope ("team": the supervisor's and HR's view), status, category, breach, page."""
    user = request.user
    team_view = request.GET.get("scope") == "team" or not permissions.can_log_case(user)
    if team_view and not permissions.can_view_team_cases(user):
        raise Http404
    now = timezone.now()
    form = CaseFilterForm(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {}
    listed = selectors.team_cases(user) if team_view else selectors.my_cases(user)
    listed = selectors.filtered(
        listed,
        status=chosen.get("status", ""),
        category=chosen.get("category"),
        breach=chosen.get("breach", ""),
        now=now,
    )
    page = Paginator(selectors.ordered(listed, due_first=team_view), selectors.PER_PAGE).get_page(
        request.GET.get("page")
    )
    selectors.with_countdown(page.object_list, now)
    context = {
        "form": form,
        "page": page,
        "team_view": team_view,
        "can_log": permissions.can_log_case(user),
        "can_team": permissions.can_view_team_cases(user),
    }
    return render(request, "linkage/cases.html", context)


@login_required
def case_new(request):
    """Log a case she took: she is its owner to closure."""
    if not permissions.can_log_case(request.user):
        raise Http404
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.open_case(
                actor=request.user,
                customer_ref=data["customer_ref"],
                channel=data["channel"],
                category=data["category"],
                summary=data["summary"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Case %(ref)s logged: it is yours to closure.") % {"ref": case.reference})
            return redirect("linkage:case", pk=case.pk)
    if form.is_bound:  # a page never shows a customer reference unmasked, not even her own input
        form.data = form.data.copy()
        form.data["customer_ref"] = case_rules.mask_customer_ref(form.data.get("customer_ref", ""))
    return render(request, "linkage/case_new.html", {"form": form})


# One case ---------------------------------------------------------------------------------------------------------


def _coupon_url(case):
    """The coupon page of helper B13 when it is installed."""
    try:
        return reverse("linkage:coupon-new", args=[case.pk])
    except NoReverseMatch:
        return ""


@login_required
def case(request, pk):
    found = _case_or_404(request.user, pk)
    user = request.user
    can_work = permissions.can_work_case(user, found)
    coupon_url = _coupon_url(found) if can_work else ""
    context = {
        "case": found,
        "events": list(found.events.all()),
        "handoffs": list(found.handoffs.all()),
        "follow_ups": list(found.follow_ups.all()),
        "can_work": can_work,
        "can_note": permissions.can_note_case(user, found),
        "can_reopen": permissions.can_reopen_case(user, found),
        "can_issue": bool(coupon_url),
        "coupon_url": coupon_url,
        "now": timezone.now(),
    }
    selectors.with_countdown([found], context["now"])
    if can_work:
        context |= {
            "handoff_form": HandoffForm(
                roles=LinkageRole.objects.order_by("order", "code"), people=selectors.handoff_people(found)
            ),
            "close_form": CloseForm(),
            "follow_up_form": FollowUpForm(),
            "reason_form": ReasonForm(),
        }
    if context["can_note"]:
        context["note_form"] = NoteForm()
    if context["can_reopen"]:
        context["reason_form"] = ReasonForm()
    return render(request, "linkage/case.html", context)


@login_required
@require_POST
def case_handoff(request, pk):
    found = _scoped(request.user, pk)
    form = HandoffForm(request.POST, roles=LinkageRole.objects.all(), people=selectors.handoff_people(found))
    if not form.is_valid():
        if "reason_code" in form.errors:
            messages.error(request, _("Every transfer needs a reason code."))
        for field, errors in form.errors.items():
            if field != "reason_code":
                messages.error(request, "; ".join(errors))
        return redirect("linkage:case", pk=pk)
    data = form.cleaned_data
    return _done(
        request,
        pk,
        lambda: services.hand_off(
            actor=request.user,
            case_id=pk,
            to_role=data["to_role"],
            to_employee=data["to_employee"],
            reason_code=data["reason_code"],
            reason=data["reason"],
            back_due_at=data["back_due_at"],
        ),
    )


@login_required
@require_POST
def handoff_back(request, pk):
    if pk > MAX_ID:
        raise Http404
    handoff = get_object_or_404(Handoff.objects.filter(case__in=selectors.visible_cases(request.user)), pk=pk)
    form = ReasonForm(request.POST)
    note = form.cleaned_data["reason"] if form.is_valid() else ""
    return _done(request, handoff.case_id, lambda: services.hand_back(actor=request.user, handoff_id=pk, note=note))


@login_required
@require_POST
def case_note(request, pk):
    _scoped(request.user, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the note."))
        return redirect("linkage:case", pk=pk)

    def act():
        if form.cleaned_data["is_first_response"]:
            services.record_first_response(actor=request.user, case_id=pk, note=form.cleaned_data["text"])
        else:
            services.add_note(actor=request.user, case_id=pk, text=form.cleaned_data["text"])

    return _done(request, pk, act)


@login_required
@require_POST
def case_close(request, pk):
    _scoped(request.user, pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the outcome."))
        return redirect("linkage:case", pk=pk)
    data = form.cleaned_data
    return _done(
        request,
        pk,
        lambda: services.close_case(actor=request.user, case_id=pk, outcome=data["outcome"], note=data["note"]),
    )


@login_required
@require_POST
def case_reopen(request, pk):
    _scoped(request.user, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _done(request, pk, lambda: services.reopen_case(actor=request.user, case_id=pk, reason=reason))


@login_required
@require_POST
def case_escalate(request, pk):
    _scoped(request.user, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _done(request, pk, lambda: services.escalate_past_lead(actor=request.user, case_id=pk, reason=reason))


@login_required
@require_POST
def case_follow_up(request, pk):
    _scoped(request.user, pk)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the follow-up's due time."))
        return redirect("linkage:case", pk=pk)
    data = form.cleaned_data
    return _done(
        request,
        pk,
        lambda: services.add_follow_up(
            actor=request.user,
            case_id=pk,
            due_at=data["due_at"],
            is_outbound_call=data["is_outbound_call"],
            note=data["note"],
        ),
    )


def _follow_up(user, pk):
    if pk > MAX_ID:
        raise Http404
    return get_object_or_404(FollowUp.objects.filter(case__in=selectors.visible_cases(user)), pk=pk)


@login_required
@require_POST
def follow_up_start(request, pk):
    """The staffing floor: refused without a coordination report (报备) when her site is at its minimum."""
    follow_up = _follow_up(request.user, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _done(
        request,
        follow_up.case_id,
        lambda: services.start_follow_up(actor=request.user, follow_up_id=pk, report_reason=reason),
    )


@login_required
@require_POST
def follow_up_finish(request, pk):
    follow_up = _follow_up(request.user, pk)
    form = ReasonForm(request.POST)
    note = form.cleaned_data["reason"] if form.is_valid() else ""
    return _done(
        request, follow_up.case_id, lambda: services.finish_follow_up(actor=request.user, follow_up_id=pk, note=note)
    )
