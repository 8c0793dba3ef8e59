"""Template filters over linkage.permissions, so templates never check roles inline."""

from django import template

from linkage import permissions

register = template.Library()


@register.filter
def can_review_qa(user):
    return permissions.can_review_qa(user)
