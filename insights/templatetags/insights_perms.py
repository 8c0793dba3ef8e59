"""The insight pages' permissions for templates (templates never check roles inline)."""

from django import template

from insights import permissions

register = template.Library()


@register.filter
def can_view_insights(user):
    return permissions.can_view_insights(user)


@register.filter
def can_view_organisation_health(user):
    return permissions.can_view_organisation_health(user)
