from rest_framework.permissions import BasePermission

from staff import permissions


class IsActiveUser(BasePermission):
    """Default for every endpoint: an authenticated, active user. Object scope comes from querysets."""

    def has_permission(self, request, view):
        return permissions.is_active_user(request.user)
