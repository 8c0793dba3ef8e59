"""Pages of PDCA initiatives (issue 14 §2, §5): the list with filters, the Plan form (new and edit, with formsets
for KPIs, risks and milestones), one initiative in its four parts (Plan, Do, the computed Check, Act) and its
POST-only moves. Parse → check access through improvement.permissions → services / selectors → render; an
initiative outside the user's scope answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kpis.templatetags.kpi_results import kpi_value
from staff import permissions as people
from staff.api.filters import MAX_ID

from .. import effects, initiative_rules, permissions
from ..forms.initiatives import DecisionForm, InitiativeFilterForm, MoveForm, PlanForm, plan_formsets, rows_of
from ..models import Initiative
from ..selectors import initiatives as selectors
from ..services import initiatives as services

PER_PAGE = 20


def _initiative_or_404(user, pk):
    if pk > MAX_ID:
        raise Http404
    try:
        return selectors.initiative_detail(user, pk)
    except Initiative.DoesNotExist:
        raise Http404 from None


@login_required
def initiatives(request):
    """Query parameters: status, site (id), mine, page."""
    if not people.is_active_user(request.user):
        raise Http404
    form = InitiativeFilterForm(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {}
    listed = selectors.initiative_list(
        request.user, status=chosen.get("status", ""), site=chosen.get("site"), mine=chosen.get("mine", False)
    )
    page = Paginator(listed, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "improvement/initiatives/list.html",
        {"form": form, "page": page, "can_create": permissions.can_create_initiative(request.user)},
    )


def _plan_page(request, initiative):
    owners = permissions.initiative_owners(request.user)
    data = request.POST if request.method == "POST" else None
    me = people.employee_of(request.user)
    form = PlanForm(data, instance=initiative, owners=owners, initial={} if initiative else {"owner": me})
    formsets = plan_formsets(data, initiative=initiative, owners=owners)
    if data is not None and form.is_valid() and all(f.is_valid() for f in formsets.values()):
        plan = {name: form.cleaned_data.get(name) for name in services.PLAN_FIELDS}
        try:
            with transaction.atomic():
                saved = services.save_plan(
                    actor=request.user,
                    initiative=initiative,
                    plan=plan,
                    scope_teams=form.cleaned_data["scope_teams"],
                    scope_sites=form.cleaned_data["scope_sites"],
                    pilot_teams=form.cleaned_data["pilot_teams"],
                    children={key: rows_of(formset) for key, formset in formsets.items()},
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Plan saved."))
            return redirect("improvement:initiative", saved.pk)
    return render(request, "improvement/initiatives/plan.html", {"form": form, "initiative": initiative, **formsets})


@login_required
def initiative_new(request):
    if not permissions.can_create_initiative(request.user):
        raise Http404
    return _plan_page(request, None)


@login_required
def initiative_edit(request, pk):
    initiative = _initiative_or_404(request.user, pk)
    if not permissions.can_edit_initiative_plan(request.user, initiative):
        raise PermissionDenied
    return _plan_page(request, initiative)


def _labels():
    return {"pilot": _("Pilot"), "control": _("Control group"), "scope": _("Since go-live"), "before": _("Before")}


@login_required
def initiative(request, pk):
    """The four parts; the Check is computed from the KPI data on every view (a few aggregate queries)."""
    found = _initiative_or_404(request.user, pk)
    check = effects.check_of(found, today=timezone.localdate())
    charts = [
        (effect, selectors.chart_of(effect, labels=_labels(), shown=lambda v, k=effect.kpi: kpi_value(v, k)))
        for effect in check.goals
    ]
    breaches = selectors.open_breaches(found)
    can_manage = permissions.can_manage_initiative(request.user, found)
    return render(
        request,
        "improvement/initiatives/detail.html",
        {
            "initiative": found,
            "check": check,
            "headline": check.headline,
            "charts": charts,
            "guardrails": [(effect, breaches.get(row.pk)) for effect, row in _guardrail_rows(found, check)],
            "can_manage": can_manage,
            "can_edit": permissions.can_edit_initiative_plan(request.user, found),
            "moves": initiative_rules.next_statuses(found.status, found.decision) if can_manage else [],
            "can_decide": can_manage and found.status == initiative_rules.CHECK,
            "decision_form": DecisionForm(),
        },
    )


def _guardrail_rows(initiative, check):
    rows = [row for row in initiative.kpis.all() if row.role == "guardrail"]
    return list(zip(check.guardrails, rows, strict=True))


def _run(request, pk, action, success):
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("improvement:initiative", pk)


@login_required
@require_POST
def initiative_move(request, pk):
    found = _initiative_or_404(request.user, pk)
    if not permissions.can_manage_initiative(request.user, found):
        raise PermissionDenied
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
        return redirect("improvement:initiative", pk)
    data = form.cleaned_data
    return _run(
        request,
        pk,
        lambda: services.move_status(
            actor=request.user, initiative_id=pk, to_status=data["to_status"], note=data["note"]
        ),
        _("Status changed."),
    )


@login_required
@require_POST
def initiative_decide(request, pk):
    found = _initiative_or_404(request.user, pk)
    if not permissions.can_manage_initiative(request.user, found):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("improvement:initiative", pk)
    data = form.cleaned_data
    return _run(
        request,
        pk,
        lambda: services.decide(
            actor=request.user,
            initiative_id=pk,
            decision=data["decision"],
            note=data["note"],
            standard_playbook=data["standard_playbook"],
            standard_note=data["standard_note"],
        ),
        _("Decision recorded."),
    )
