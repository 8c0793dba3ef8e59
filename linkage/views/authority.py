"""Pages of tiered authority (issue 13 §3, §6): the matrix (HR; "what may I do?" first for an agent), a coupon on a
case (issue within authority, or ask for approval with the decision's reasons), the approval inbox and its
decisions, the ledger with its totals and reversals. Parse → check access through linkage.permissions →
linkage.services / selectors → render; what the user may not reach answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from staff import permissions as people
from staff.api.filters import MAX_ID

from .. import permissions
from ..forms.authority import CouponForm, DecideForm, LedgerFilterForm, LimitForm, ReverseForm
from ..models import Grade, Risk, Scenario
from ..selectors import authority as selectors
from ..services import authority as services


def _pk(pk):
    if pk > MAX_ID:
        raise Http404
    return pk


@login_required
def authority(request):
    """The matrix of limits (HR sets a cell here); everyone with an employee record sees "what may I do?" first."""
    if not permissions.can_view_authority(request.user):
        raise Http404
    me = people.employee_of(request.user)
    can_manage = permissions.can_manage_authority(request.user)
    form = None
    if can_manage:
        form = LimitForm(
            request.POST or None, grades=Grade.objects.order_by("rank"), scenarios=Scenario.objects.order_by("code")
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.set_limit(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The limit is set."))
                return redirect("linkage:authority")
    elif request.method == "POST":
        raise Http404
    grade, mine = (None, [])
    if me is not None:
        grade, mine = selectors.what_may_i_do(me, on=timezone.localdate())
    grades, scenarios, limits = selectors.matrix()
    risks = [value for value, _label in Risk.choices]
    table = [
        (
            scenario,
            [(grade_row, [limits.get((grade_row.pk, scenario.pk, risk)) for risk in risks]) for grade_row in grades],
        )
        for scenario in scenarios
    ]
    return render(
        request,
        "linkage/authority.html",
        {
            "grade": grade,
            "mine": mine,
            "has_employee": me is not None,
            "grades": grades,
            "risks": Risk.choices,
            "table": table,
            "form": form,
            "can_manage": can_manage,
        },
    )


@login_required
def coupon_new(request, pk):
    """Issue a coupon on the case within her authority; when the decision says so, ask for approval with a reason."""
    case = get_object_or_404(permissions.visible_cases(request.user), pk=_pk(pk))
    if not permissions.can_issue(request.user, case):
        raise Http404
    form = CouponForm(request.POST or None, scenarios=services.scenarios_in_use())
    decision = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        args = {"actor": request.user, "case": case, "scenario": data["scenario"], "risk": data["risk"]}
        try:
            if data["action"] == CouponForm.REQUEST:
                services.request_approval(**args, amount=data["amount"], reason=data["reason"])
                messages.success(request, _("Your request is waiting for approval."))
                return redirect("linkage:approvals")
            row = services.issue(**args, amount=data["amount"], idempotency_key=data["token"])
        except (ValidationError, PermissionDenied) as error:
            decision = services.decision_for(
                people.employee_of(request.user), data["scenario"], data["risk"], data["amount"]
            )
            if data["action"] == CouponForm.REQUEST or decision.allowed:
                form.add_error(None, error if isinstance(error, ValidationError) else _("Not allowed."))
        else:
            messages.success(
                request, _("Issued %(amount)s on case %(case)s.") % {"amount": f"¥{row.amount}", "case": case}
            )
            return redirect("linkage:ledger")
    return render(request, "linkage/coupon_new.html", {"case": case, "form": form, "decision": decision})


@login_required
@require_safe
def approvals(request):
    """The requests she may decide (supervisors and HR), and the requests she asked for."""
    if not permissions.can_view_approvals(request.user) and people.employee_of(request.user) is None:
        raise Http404
    inbox = selectors.approval_inbox(request.user) if permissions.can_view_approvals(request.user) else None
    return render(
        request,
        "linkage/approvals.html",
        {
            "inbox": inbox,
            "mine": selectors.my_requests(request.user)[:50],
            "decide_form": DecideForm(),
        },
    )


@login_required
@require_POST
def approval_decide(request, pk):
    form = DecideForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        done = services.decide_request(
            actor=request.user, request_id=_pk(pk), approve=form.cleaned_data["approve"], note=form.cleaned_data["note"]
        )
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Request %(status)s.") % {"status": done.get_status_display()})
    return redirect("linkage:approvals")


@login_required
@require_POST
def request_withdraw(request, pk):
    """The agent withdraws her own pending request (before anyone decides it)."""
    try:
        services.cancel_request(actor=request.user, request_id=_pk(pk))
    except PermissionDenied as error:
        raise Http404 from error
    messages.success(request, _("Request withdrawn."))
    return redirect("linkage:approvals")


@login_required
@require_safe
def ledger(request):
    """Query parameters: agent, team, scenario (ids), day_from, day_to, page. 50 rows a page, with the day's and the
    month's totals of the agents and teams on it (on the last day asked for, else today)."""
    if not permissions.can_view_ledger(request.user):
        raise Http404
    scope = permissions.visible_issuances(request.user)
    form = LedgerFilterForm(
        request.GET or None,
        agents=people.visible_employees(request.user).filter(pk__in=scope.values("issued_by")).order_by("name", "pk"),
        teams=permissions.case_teams(request.user).order_by("name", "pk"),
        scenarios=Scenario.objects.order_by("code"),
    )
    chosen = form.cleaned_data if form.is_valid() else {}
    rows = selectors.ledger(request.user, **{key: chosen.get(key) for key in LedgerFilterForm.base_fields})
    page = Paginator(rows, selectors.LEDGER_PER_PAGE).get_page(request.GET.get("page"))
    on = chosen.get("day_to") or timezone.localdate()
    agents = {row.issued_by_id: row.issued_by for row in page}
    teams = {row.team_id: row.team for row in page if row.team_id}
    agent_totals = selectors.ledger_totals(list(agents), on=on)
    team_totals = selectors.team_totals(list(teams), on=on)
    return render(
        request,
        "linkage/ledger.html",
        {
            "form": form,
            "page": page,
            "on": on,
            "agent_totals": [(agents[pk], *agent_totals[pk]) for pk in agents],
            "team_totals": [(teams[pk], *team_totals[pk]) for pk in teams],
            "reversible": {
                row.pk for row in page if not row.is_reversed and permissions.can_reverse_issuance(request.user, row)
            },
            "reverse_form": ReverseForm(),
        },
    )


@login_required
@require_POST
def issuance_reverse(request, pk):
    """HR or the team's supervisor reverses a mistaken issuance (a negative row naming it)."""
    form = ReverseForm(request.POST)
    issuance = get_object_or_404(permissions.visible_issuances(request.user), pk=_pk(pk))
    if not permissions.can_reverse_issuance(request.user, issuance):
        raise Http404
    if not form.is_valid():
        messages.error(request, _("Say why the issuance is reversed."))
        return redirect("linkage:ledger")
    services.reverse_issuance(actor=request.user, issuance_id=issuance.pk, reason=form.cleaned_data["reason"])
    messages.success(request, _("The issuance is reversed."))
    return redirect("linkage:ledger")
