from . import permissions


def roles(request):
    """Role flags for the navigation, computed by the permission policy."""
    user = getattr(request, "user", None)
    if user is None or not permissions.is_active_user(user):
        return {}
    return {
        "nav": {
            "is_hr": permissions.is_hr(user),
            "is_supervisor": permissions.is_supervisor(user),
            "is_mentor": permissions.is_mentor(user),
            "me": permissions.employee_of(user),
            "has_profile": permissions.employee_of(user) is not None,
            "can_use_admin": permissions.can_use_admin(user),
        }
    }
