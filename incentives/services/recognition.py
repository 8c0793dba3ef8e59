"""Writes of recognition (issue 15 §1): giving one (checked by incentives.recognition_rules, points granted on the
ledger, recipients notified once each) and reacting on the wall."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import Message, queue
from staff.models import Employee

from .. import permissions
from .. import recognition_rules as rules
from ..models import (
    EarnedBy,
    EntryKind,
    IncentiveSettings,
    Kind,
    Reaction,
    ReactionLabel,
    Recognition,
    RecognitionRecipient,
)
from ..selectors import ledger as ledger_selectors
from . import ledger

RECOGNISED = "incentives_recognised"


def _earned_by_exists(kind, pk):
    """The row a recognition cites, where checking is cheap (a KPI band is a reading, not a row)."""
    if kind == EarnedBy.DRILL:
        from linkage.models import Drill

        return Drill.objects.filter(pk=pk).exists()
    if kind == EarnedBy.CASE:
        from linkage.models import Case

        return Case.objects.filter(pk=pk).exists()
    if kind == EarnedBy.SUGGESTION:
        from improvement.models import Suggestion

        return Suggestion.objects.filter(pk=pk, status="implemented").exists()
    if kind == EarnedBy.ONBOARDING_CYCLE:
        from training.models import Enrollment

        return Enrollment.objects.filter(pk=pk).exists()
    return True


def _check_earned_by(kind, pk):
    if not kind and pk is None:
        return
    if not kind or pk is None:
        raise ValidationError(_("Name both what earned it and which one."))
    if kind not in EarnedBy.values or not _earned_by_exists(kind, pk):
        raise ValidationError(_("What earned it was not found."))


def notify_recipients(recognition, recipients, giver):
    label = rules.Motivator(recognition.motivator).label
    url = reverse("incentives:wall")
    messages = [
        Message(
            recipient=employee.user,
            kind=RECOGNISED,
            key=f"{RECOGNISED}:{recognition.pk}:{employee.user_id}",
            title=lambda: _("%(giver)s recognised you: %(motivator)s") % {"giver": giver.name, "motivator": label},
            body=recognition.message,
            url=url,
        )
        for employee in recipients
        if employee.user_id and employee.user.is_active
    ]
    return queue(messages)


@transaction.atomic
def give_recognition(
    *,
    user,
    recipients,
    message,
    motivator,
    kind=Kind.SPIRITUAL,
    points=0,
    earned_by_kind="",
    earned_by_id=None,
    idempotency_key="",
):
    """``user`` recognises ``recipients`` (employees or their ids) with one motivator tag and, optionally,
    ``points`` each from her monthly allowance. The same ``idempotency_key`` again returns the first one."""
    if not permissions.can_give_recognition(user):
        raise PermissionDenied
    me = permissions.staff_permissions.employee_of(user)
    # Lock the giver's row: two recognitions by the same giver at once are serialised here, so together they
    # cannot spend more than her allowance (the second one reads the first one's grants).
    giver = Employee.objects.select_for_update(of=("self",)).get(pk=me.pk)
    if idempotency_key:
        done = Recognition.objects.filter(giver=giver, idempotency_key=idempotency_key).first()
        if done is not None:
            return done
    message = (message or "").strip()
    if not message:
        raise ValidationError(_("Write a few words: what did they do?"))
    if kind not in Kind.values:
        raise ValidationError(_("Choose spiritual or material."))
    ids = sorted({getattr(r, "pk", r) for r in recipients})
    allowed = set(permissions.recognisable_employees(user).filter(pk__in=ids).values_list("pk", flat=True))
    if any(pk not in allowed and pk != giver.pk for pk in ids):
        raise ValidationError(_("You can recognise the colleagues of your team and the people you lead or mentor."))
    _check_earned_by(earned_by_kind, earned_by_id)
    settings = IncentiveSettings.current()
    today = timezone.localdate()
    decision = rules.check(
        giver_id=giver.pk,
        recipient_ids=ids,
        motivator=motivator,
        points=points,
        allowance=ledger_selectors.allowance(giver, settings),
        spent_this_month=ledger_selectors.spent_in_month(giver, today) if points else 0,
        given_today=ledger_selectors.given_on(giver, today, ids) if points else {},
        daily_limit=settings.daily_limit_per_recipient,
    )
    if not decision:
        raise ValidationError(list(decision.reasons))
    recognition = Recognition.objects.create(
        giver=giver,
        message=message,
        motivator=motivator,
        kind=kind,
        points=points,
        earned_by_kind=earned_by_kind or "",
        earned_by_id=earned_by_id,
        idempotency_key=idempotency_key or "",
        created_by=user,
    )
    RecognitionRecipient.objects.bulk_create(
        RecognitionRecipient(recognition=recognition, employee_id=pk) for pk in ids
    )
    people = list(Employee.objects.filter(pk__in=ids).select_related("user"))
    for employee in people if points else ():
        ledger.record(
            kind=EntryKind.GRANT,
            employee=employee,
            points=points,
            source_ref=f"recognition:{recognition.pk}:{employee.pk}",
            actor=user,
            recognition=recognition,
        )
    notify_recipients(recognition, people, giver)
    return recognition


@transaction.atomic
def react(*, user, recognition, label):
    """The wall's button: one reaction per person; a new label replaces hers, the same label again takes it back.
    Returns the label now held (or "")."""
    current = _my_reaction(user, recognition, label)
    if current is not None and current.label == label:
        current.delete()
        return ""
    return set_reaction(user=user, recognition=recognition, label=label)


def _my_reaction(user, recognition, label):
    if label is not None and label not in ReactionLabel.values:
        raise ValidationError(_("Choose a reaction."))
    if not permissions.can_react(user, recognition):
        raise PermissionDenied
    me = permissions.staff_permissions.employee_of(user)
    return Reaction.objects.select_for_update().filter(recognition=recognition, employee=me).first()


@transaction.atomic
def set_reaction(*, user, recognition, label):
    """The API's write: hold ``label`` on ``recognition`` (replacing her other one); again, nothing changes."""
    _my_reaction(user, recognition, label)
    me = permissions.staff_permissions.employee_of(user)
    Reaction.objects.update_or_create(recognition=recognition, employee=me, defaults={"label": label})
    return label


@transaction.atomic
def remove_reaction(*, user, recognition):
    """Take back her reaction, if any (again: nothing to do)."""
    current = _my_reaction(user, recognition, None)
    if current is not None:
        current.delete()
