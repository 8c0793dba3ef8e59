"""Template filters over the permission policy, so templates never check roles inline."""

from django import template

from staff import permissions

register = template.Library()


@register.filter
def can_view_employee(user, employee):
    return permissions.can_view_employee(user, employee)


@register.filter
def can_view_hr_fields(user):
    return permissions.can_view_hr_fields(user)
