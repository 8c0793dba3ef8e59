"""The inbox: parse → call a selector or a service → render. Every read and write is limited to
the user's own notifications (recipient = request.user), so there is nothing else to scope."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from . import selectors, services

PAGE_SIZE = 50


@login_required
def inbox(request):
    """The user's inbox, 50 a page, all or only the unread (the navbar's count is the page's own)."""
    unread_only = request.GET.get("show") == "unread"
    page = Paginator(selectors.inbox(request.user, unread_only=unread_only), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/inbox.html", {"page": page, "unread_only": unread_only})


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
