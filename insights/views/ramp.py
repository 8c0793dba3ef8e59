"""The KPI ramp (issue 16 §1): new hires' FCR, AHT and CSAT by tenure week against the tenured baseline of the same
teams and weeks, filtered like the cohort explorer (site, team, hire months)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from .. import permissions
from ..forms.cohorts import CohortFilterForm
from ..selectors import cohorts as cohort_selectors
from ..selectors import ramp as selectors


@login_required
def ramp(request):
    if not permissions.can_view_insights(request.user):
        raise PermissionDenied
    form = CohortFilterForm(request.GET or None, options=cohort_selectors.filter_options(request.user))
    filters = form.filters()
    found = selectors.ramp(
        request.user, site=filters.site, team=filters.team, hired_from=filters.hired_from, hired_to=filters.hired_to
    )
    return render(request, "insights/ramp.html", {"form": form, "ramp": found})
