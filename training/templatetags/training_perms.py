"""Template filters over training.permissions, so templates never check roles inline."""

from django import template

from training import permissions

register = template.Library()


@register.filter
def can_correct(user, assessment):
    return permissions.can_correct(user, assessment)


@register.filter
def can_edit_draft(user, assessment):
    return permissions.can_edit_draft(user, assessment)


@register.filter
def can_acknowledge(user, session):
    return permissions.can_acknowledge(user, session)


@register.filter
def can_view_batch_board(user):
    return permissions.can_view_batch_board(user)
