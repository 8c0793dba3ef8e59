from . import permissions


def roles(request):
    """Role flags for the navigation, computed by the permission policy."""
    user = getattr(request, "user", None)
    if user is None or not permissions.is_active_user(user):
        return {}
    is_hr, is_supervisor, is_mentor = (
        permissions.is_hr(user),
        permissions.is_supervisor(user),
        permissions.is_mentor(user),
    )
    return {
        "nav": {
            "is_hr": is_hr,
            "is_supervisor": is_supervisor,
            "is_mentor": is_mentor,
            "leads_people": is_hr or is_supervisor or is_mentor,
            "me": permissions.employee_of(user),
            "has_profile": permissions.employee_of(user) is not None,
            "can_use_admin": permissions.can_use_admin(user),
        }
    }
