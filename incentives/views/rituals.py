"""The welcome and farewell cards (issue 15 §1): one card with its signatures and the sign form. A card outside the
caller's scope answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from staff.api.filters import MAX_ID

from .. import permissions
from ..selectors import rituals as selectors
from ..services import rituals as services


@login_required
@require_http_methods(["GET", "POST"])
def card(request, pk):
    if pk > MAX_ID:
        raise Http404
    try:
        found = selectors.card_detail(request.user, pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    can_sign = permissions.can_sign_card(request.user, found)
    error = ""
    if request.method == "POST":
        try:
            services.sign(user=request.user, card_id=found.pk, message=request.POST.get("message", ""))
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(request, _("Signed. Thank you."))
            return redirect("incentives:card", pk=found.pk)
    signatures = list(selectors.signatures(found))
    me = permissions.staff_permissions.employee_of(request.user)
    mine = next((s for s in signatures if me is not None and s.signer_id == me.pk), None)
    context = {"card": found, "signatures": signatures, "can_sign": can_sign, "mine": mine, "error": error}
    return render(request, "incentives/rituals/card.html", context)
