"""Effects (issue 16 §2): the initiatives' computed Checks side by side, the playbooks' effects on the KPIs they
target (before/after, pilot/control, drilled/not yet drilled), and recognition and the hygiene pulse against
attrition per team."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from .. import permissions
from ..selectors import authority as authority_selectors
from ..selectors import effects as selectors
from ..selectors import playbooks as playbook_selectors


@login_required
def effects(request):
    if not permissions.can_view_insights(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    page = Paginator(selectors.initiatives(request.user), selectors.PER_PAGE).get_page(request.GET.get("page"))
    teams, wave = selectors.team_motivation(request.user, today=today)
    playbooks = Paginator(playbook_selectors.playbooks(), playbook_selectors.PER_PAGE).get_page(
        request.GET.get("playbooks")
    )
    context = {
        "playbook_page": playbooks,
        "playbook_effects": playbook_selectors.effects(playbooks, request.user, today=today),
        "before_days": playbook_selectors.BEFORE_DAYS,
        "playbooks_refreshed_at": playbook_selectors.refreshed_at(),
        "authority": authority_selectors.authority_effects(request.user),
        "authority_days": authority_selectors.CHANGES_DAYS,
        "authority_window": authority_selectors.WINDOW_DAYS,
        "page": page,
        "checks": selectors.checks(page, today=today),
        "teams": teams,
        "wave": wave,
        "recognition_days": selectors.RECOGNITION_DAYS,
        "small_group": permissions.SMALL_GROUP,
    }
    return render(request, "insights/effects.html", context)
