"""The cohort explorer (issue 16 §1): cohorts by hire month, batch, site, team or mentor with retention, gate pass
rates at the first attempt, extensions and withdrawals — each figure with its numerator and denominator. Parse →
check access through insights.permissions → selectors → render."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from .. import cohort_rules as rules
from .. import permissions
from ..forms.cohorts import CohortFilterForm
from ..selectors import cohorts as selectors


@login_required
def cohorts(request):
    if not permissions.can_view_insights(request.user):
        raise PermissionDenied
    form = CohortFilterForm(request.GET or None, options=selectors.filter_options(request.user))
    filters = form.filters()
    today = timezone.localdate()
    found = selectors.cohort_figures(request.user, filters, today=today)
    page = Paginator(found, selectors.PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "filters": filters,
        "group_label": selectors.GROUPS[filters.group],
        "page": page,
        "days": rules.RETENTION_DAYS,
        "cycles": rules.CYCLES,
        "window": selectors.window(filters, today),
    }
    return render(request, "insights/cohorts.html", context)
