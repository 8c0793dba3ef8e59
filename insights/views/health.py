"""Organisation health (issue 16 §3) for the centre's viewers: span of control, headcount against plan, turnover by
team and by stage, and the pay analysis with small cells suppressed. Parse → check access → selectors → render."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from staff.api.filters import MAX_ID
from staff.models import Site

from .. import health_rules as rules
from .. import permissions
from ..permissions import SMALL_GROUP
from ..selectors import health as selectors


def _site(request):
    try:
        pk = int(request.GET.get("site") or 0)
    except ValueError:
        return None
    return pk if 0 < pk <= MAX_ID else None


@login_required
def health(request):
    if not permissions.can_view_organisation_health(request.user):
        raise Http404
    today = timezone.localdate()
    site = _site(request)
    spans = Paginator(selectors.spans(site=site), selectors.PER_PAGE).get_page(request.GET.get("spans"))
    seats = Paginator(selectors.seats(), selectors.PER_PAGE).get_page(request.GET.get("seats"))
    teams = Paginator(selectors.turnover_by_team(today=today), selectors.PER_PAGE).get_page(request.GET.get("teams"))
    context = {
        "sites": Site.objects.order_by("name", "pk"),
        "site": site,
        "spans": spans,
        "span_rows": [(lead, rules.span_flag(lead.span)) for lead in spans],
        "span_min": rules.SPAN_MIN,
        "span_max": rules.SPAN_MAX,
        "seats": seats,
        "seat_rows": [selectors.seat_of(position) for position in seats],
        "teams": teams,
        "stages": selectors.turnover_by_stage(today=today),
        "pay": selectors.pay_table(),
        "small_group": SMALL_GROUP,
        "window_days": selectors.WINDOW_DAYS,
    }
    return render(request, "insights/health.html", context)
