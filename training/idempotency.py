"""Retried writes make one row (STYLE §9): a double click posts the same form token twice, a client
retries with the same ``Idempotency-Key`` header.

Each user-initiated create (a gate check, a coaching session, an assessment) stores the key it was
given, unique per acting user (a conditional UniqueConstraint, empty keys excluded). The service first
looks for the row this user already created with that key and returns it; two concurrent requests
with one key collide on the constraint, and the loser returns the winner's row.
"""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_LENGTH = 100


def key_field():
    """The model field: empty when the caller sent no key (such writes are not deduplicated)."""
    return models.CharField(
        gettext_lazy("idempotency key"),
        max_length=MAX_LENGTH,
        blank=True,
        default="",
        editable=False,
        help_text=gettext_lazy("The form token or Idempotency-Key header of the request that created the row."),
    )


def key_constraint(actor_field, name):
    """One row per acting user and key; rows written without a key never collide."""
    return models.UniqueConstraint(
        fields=[actor_field, "idempotency_key"], condition=~models.Q(idempotency_key=""), name=name
    )


def replay(model, *, actor_field, actor, key, **same):
    """The row ``actor`` already created with ``key``, or None (also when there is no key). A key reused
    for a different request (``same`` names what must match, e.g. the enrollment) is refused."""
    if not key:
        return None
    row = model.objects.filter(**{actor_field: actor, "idempotency_key": key}).first()
    if row is not None and any(getattr(row, field) != value for field, value in same.items()):
        raise ValidationError(_("This idempotency key was already used for another request."))
    return row


class KeyField(forms.CharField):
    """A hidden form token, new each time an empty form is shown; a re-shown form keeps the posted one."""

    def __init__(self, **kwargs):
        super().__init__(required=False, max_length=MAX_LENGTH, widget=forms.HiddenInput, initial=new_key, **kwargs)


def new_key():
    return uuid.uuid4().hex
