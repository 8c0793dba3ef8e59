"""Effects (issue 16 §2): the initiatives' computed Checks side by side, and recognition and the hygiene pulse
against attrition per team."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from .. import permissions
from ..selectors import effects as selectors


@login_required
def effects(request):
    if not permissions.can_view_insights(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    page = Paginator(selectors.initiatives(request.user), selectors.PER_PAGE).get_page(request.GET.get("page"))
    teams, wave = selectors.team_motivation(request.user, today=today)
    context = {
        "page": page,
        "checks": selectors.checks(page, today=today),
        "teams": teams,
        "wave": wave,
        "recognition_days": selectors.RECOGNITION_DAYS,
        "small_group": permissions.SMALL_GROUP,
    }
    return render(request, "insights/effects.html", context)
