"""Writes for KASH assessments (STYLE §1). Views, API, admin and tasks all come through here."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import idempotency, permissions
from ..models import Assessment, AssessmentStatus, Indicator, Score


class AssessmentConflict(Exception):
    """Someone saved the same draft since this user opened it."""

    def __init__(self):
        super().__init__(_("Someone else saved this assessment after you opened it. Your entries are kept below."))


class AssessmentLocked(ValidationError):
    def __init__(self):
        super().__init__(_("This assessment is submitted and can no longer be changed. Enter a correction instead."))


def _check_scores(scores):
    """``scores``: {indicator_id: (level, evidence)}. Every level 1–5, every indicator active."""
    if not scores:
        raise ValidationError(_("Score at least one indicator."))
    errors = {}
    for indicator_id, (level, _evidence) in scores.items():
        if not isinstance(level, int) or not 1 <= level <= 5:
            errors[str(indicator_id)] = _("A level is a whole number from 1 to 5.")
    active = set(Indicator.objects.filter(pk__in=list(scores), is_active=True).values_list("pk", flat=True))
    for indicator_id in set(scores) - active:
        errors[str(indicator_id)] = _("Unknown or retired indicator.")
    if errors:
        raise ValidationError(errors)


def _check_private_note(actor, subject, private_note):
    if private_note and not permissions.can_view_private_notes(actor, subject):
        raise ValidationError({"private_note": _("Only the person's supervisor or HR can add a private note.")})


def _write_scores(assessment, scores):
    assessment.scores.all().delete()
    Score.objects.bulk_create(
        Score(assessment=assessment, indicator_id=indicator_id, level=level, evidence=evidence or "")
        for indicator_id, (level, evidence) in scores.items()
    )


@transaction.atomic
def create_assessment(
    *,
    actor,
    subject,
    source,
    assessed_on,
    scores,
    context="",
    private_note="",
    submit=False,
    supersedes=None,
    idempotency_key="",
):
    """Record an assessment of ``subject`` by ``actor``, as a draft or submitted at once. A retry with the
    same ``idempotency_key`` returns the assessment already recorded (training.idempotency)."""
    if not permissions.can_assess(actor, subject, source):
        raise PermissionDenied(_("You may not record this kind of assessment for this person."))
    same_key = {"actor_field": "assessor", "actor": actor, "key": idempotency_key, "subject_id": subject.pk}
    if (recorded := idempotency.replay(Assessment, **same_key)) is not None:
        return recorded
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": _("The date cannot be in the future.")})
    _check_scores(scores)
    _check_private_note(actor, subject, private_note)
    now = timezone.now()
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                subject=subject,
                assessor=actor,
                source=source,
                assessed_on=assessed_on,
                context=context,
                private_note=private_note,
                status=AssessmentStatus.SUBMITTED if submit else AssessmentStatus.DRAFT,
                submitted_at=now if submit else None,
                supersedes=supersedes,
                idempotency_key=idempotency_key,
            )
    except IntegrityError as exc:
        # A concurrent retry with the same key inserted first; otherwise the old one is already corrected.
        if (recorded := idempotency.replay(Assessment, **same_key)) is not None:
            return recorded
        raise ValidationError(_("This assessment has already been corrected.")) from exc
    _write_scores(assessment, scores)
    return assessment


@transaction.atomic
def save_draft(*, actor, assessment_id, version, scores, assessed_on, context="", private_note=""):
    """Save a draft if nobody saved it since ``version``; otherwise raise AssessmentConflict."""
    assessment = Assessment.objects.select_related("subject__team").get(pk=assessment_id)
    if assessment.is_submitted:
        raise AssessmentLocked()
    if not permissions.can_edit_draft(actor, assessment):
        raise PermissionDenied(_("Only the assessor can continue this draft."))
    _check_scores(scores)
    _check_private_note(actor, assessment.subject, private_note)
    # Compare-and-set on the version: the second of two people saving the same draft loses cleanly.
    updated = Assessment.objects.filter(pk=assessment_id, version=version, status=AssessmentStatus.DRAFT).update(
        version=F("version") + 1, assessed_on=assessed_on, context=context, private_note=private_note
    )
    if not updated:
        if Assessment.objects.filter(pk=assessment_id, status=AssessmentStatus.SUBMITTED).exists():
            raise AssessmentLocked()
        raise AssessmentConflict()
    assessment.refresh_from_db()
    _write_scores(assessment, scores)
    return assessment


@transaction.atomic
def submit_assessment(*, actor, assessment_id, version=None):
    """Submit a draft; submitting an already submitted assessment changes nothing."""
    assessment = Assessment.objects.select_for_update(of=("self",)).select_related("subject").get(pk=assessment_id)
    if assessment.is_submitted:
        return assessment
    if not permissions.can_edit_draft(actor, assessment):
        raise PermissionDenied(_("Only the assessor can submit this draft."))
    if version is not None and assessment.version != version:
        raise AssessmentConflict()
    if not assessment.scores.exists():
        raise ValidationError(_("Score at least one indicator."))
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.version += 1
    assessment.save(update_fields=["status", "submitted_at", "version"])
    return assessment


@transaction.atomic
def correct_assessment(*, actor, assessment_id, scores, assessed_on=None, context="", private_note=""):
    """Enter a correction: a new submitted assessment that supersedes the old one, which stays in the trail."""
    original = Assessment.objects.select_for_update(of=("self",)).select_related("subject__team").get(pk=assessment_id)
    if not permissions.can_correct(actor, original):
        raise PermissionDenied(_("You may not correct this assessment."))
    return create_assessment(
        actor=actor,
        subject=original.subject,
        source=original.source if permissions.can_assess(actor, original.subject, original.source) else None,
        assessed_on=assessed_on or original.assessed_on,
        scores=scores,
        context=context or original.context,
        private_note=private_note,
        submit=True,
        supersedes=original,
    )
