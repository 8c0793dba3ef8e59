from . import permissions


def roles(request):
    """Role flags for the navigation, computed by the permission policy (other apps' pages are asked of their
    own permissions through their template filters, e.g. training_perms.can_view_batch_board)."""
    user = getattr(request, "user", None)
    if user is None or not permissions.is_active_user(user):
        return {}
    is_hr, is_mentor = permissions.is_hr(user), permissions.is_mentor(user)
    can_view_today = permissions.can_view_today(user)
    return {
        "nav": {
            "is_hr": is_hr,
            "is_mentor": is_mentor,
            "can_view_today": can_view_today,
            "can_view_team_board": permissions.can_view_team_board(user),
            "leads_people": is_hr or can_view_today or is_mentor,
            "me": permissions.employee_of(user),
            "has_profile": permissions.employee_of(user) is not None,
            "can_use_admin": permissions.can_use_admin(user),
        }
    }
