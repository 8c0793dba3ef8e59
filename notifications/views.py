"""The inbox: parse → call a selector or a service → render. Every read and write is limited to
the user's own notifications (recipient = request.user), so there is nothing else to scope."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services


@login_required
def inbox(request):
    return render(
        request,
        "notifications/inbox.html",
        {"notifications": selectors.inbox(request.user), "unread": selectors.unread_count(request.user)},
    )


@login_required
@require_POST
def mark_read(request):
    """Mark the posted ``id``s read, or every unread notification when ``all`` is posted."""
    ids = None if "all" in request.POST else [int(i) for i in request.POST.getlist("id") if i.isdigit()]
    count = services.mark_read(user=request.user, notification_ids=ids)
    if count:
        messages.success(
            request,
            ngettext("%(count)d notification marked read.", "%(count)d notifications marked read.", count)
            % {"count": count},
        )
    return redirect("notifications:inbox")


@never_cache
@login_required
@require_GET
def unread_count(request):
    """The navbar's unread badge, fetched after the page loads so page renders cost no query for it."""
    return render(request, "notifications/_unread_badge.html", {"count": selectors.unread_count(request.user)})
