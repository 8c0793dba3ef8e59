"""The manager's dashboard (issue 16 §5): the centre (or a supervisor's teams) at a glance, with links to the cohort
explorer and organisation health."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from .. import permissions
from ..selectors import dashboard as selectors


@login_required
def dashboard(request):
    if not permissions.can_view_insights(request.user):
        raise PermissionDenied
    context = {
        "board": selectors.dashboard(request.user, today=timezone.localdate()),
        "is_centre": permissions.is_centre_viewer(request.user),
        "alert_days": selectors.ALERT_DAYS,
    }
    return render(request, "insights/dashboard.html", context)
