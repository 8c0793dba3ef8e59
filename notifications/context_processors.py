"""The navbar's unread badge, rendered with the page: the count is read only when a template uses it."""

from functools import cache

from staff.permissions import is_active_user

from . import selectors


def unread(request):
    """``unread_notifications``: a callable the template calls on first use (one COUNT query), then remembers;
    a page that shows no navbar (or an anonymous visitor) costs no query."""
    user = getattr(request, "user", None)
    if not is_active_user(user):
        return {}
    return {"unread_notifications": cache(lambda: selectors.unread_count(user))}
