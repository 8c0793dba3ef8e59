"""Pages of the reward catalogue (issue 15 §2): the catalogue with the caller's balance and her redemptions, redeem
(POST), and HR's approvals. Parse → check access through incentives.permissions → services → redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staff.api.filters import MAX_ID

from .. import permissions
from ..models import Redemption, RedemptionStatus, Reward
from ..selectors import ledger as ledger_selectors
from ..services import rewards as services


@login_required
def rewards(request):
    if not permissions.can_view_rewards(request.user):
        raise PermissionDenied
    me = permissions.staff_permissions.employee_of(request.user)
    mine = Redemption.objects.filter(employee=me).select_related("reward")[:10] if me else []
    context = {
        "rewards": Reward.objects.filter(is_active=True),
        "balance": ledger_selectors.balance(me) if me else None,
        "can_redeem": permissions.can_redeem(request.user),
        "can_decide": permissions.can_decide_redemptions(request.user),
        "mine": mine,
    }
    return render(request, "incentives/rewards.html", context)


def _act(request, action, success):
    try:
        action()
    except ObjectDoesNotExist:
        raise Http404 from None
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)


@login_required
@require_POST
def redeem(request, pk):
    if pk > MAX_ID:
        raise Http404
    if not permissions.can_redeem(request.user):
        raise PermissionDenied
    if not Reward.objects.filter(pk=pk, is_active=True).exists():
        raise Http404
    _act(
        request,
        lambda: services.redeem(user=request.user, reward_id=pk),
        _("Redeemed: HR will confirm it soon."),
    )
    return redirect("incentives:rewards")


@login_required
def redemptions(request):
    if not permissions.can_decide_redemptions(request.user):
        raise PermissionDenied
    waiting_first = Case(When(status=RedemptionStatus.PENDING, then=Value(0)), default=Value(1))
    rows = Redemption.objects.select_related("employee", "reward").order_by(waiting_first, "-created_at", "-pk")
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    context = {"page": page, "pending": RedemptionStatus.PENDING}
    return render(request, "incentives/redemptions.html", context)


@login_required
@require_POST
def redemption_decide(request, pk):
    if pk > MAX_ID:
        raise Http404
    if not permissions.can_decide_redemptions(request.user):
        raise PermissionDenied
    approve = request.POST.get("decision") == "approve"
    _act(
        request,
        lambda: services.decide(
            user=request.user, redemption_id=pk, approve=approve, note=request.POST.get("note", "")
        ),
        _("Approved.") if approve else _("Rejected: the points are back."),
    )
    return redirect("incentives:redemptions")
