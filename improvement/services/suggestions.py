"""Writes of suggestions (issue 14 §1). Each status move locks the row, is checked by improvement.suggestion_rules,
audited as a SuggestionEvent and tells the author and every follower (keyed per event and recipient, so a retry
notifies nobody twice). Support counts move with F() so concurrent +1s never lose one."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.services import Row, queue_rows

from .. import permissions
from .. import suggestion_rules as rules
from ..models import Campaign, Follow, Origin, Suggestion, SuggestionComment, SuggestionEvent, Support
from ..signals import suggestion_implemented

STATUS_CHANGED = "improvement_suggestion_status"
MERGED_NOTICE = "improvement_suggestion_merged"


def _url(suggestion):
    try:
        return reverse("improvement:suggestion", args=[suggestion.pk])
    except NoReverseMatch:  # pages not wired yet
        return ""


def _recipients(suggestion):
    """(user id, language) of the author and the followers with an active account, each once."""
    from staff.models import Employee

    out, seen = [], set()
    author = suggestion.author
    if author.user_id and author.user.is_active:
        out.append((author.user_id, author.language))
        seen.add(author.user_id)
    followers = Follow.objects.filter(suggestion=suggestion, user__is_active=True).values_list("user_id", flat=True)
    languages = dict(Employee.objects.filter(user_id__in=followers).values_list("user_id", "language"))
    for user_id in followers:
        if user_id not in seen:
            seen.add(user_id)
            out.append((user_id, languages.get(user_id)))
    return out


def _notify(suggestion, recipients, kind, key, title, body):
    texts, rows = {}, []
    for user_id, language in recipients:
        language = language or settings.LANGUAGE_CODE
        if language not in texts:
            with translation.override(language):
                texts[language] = (title(), body())
        rows.append(Row(user_id, kind, f"{key}:{user_id}", *texts[language], _url(suggestion)))
    return queue_rows(rows)


def _status_label(status):
    from ..models import SuggestionStatus

    return str(SuggestionStatus(status).label)


def _lock(suggestion_id):
    return Suggestion.objects.select_for_update(of=("self",)).select_related("author__user").get(pk=suggestion_id)


def _event(suggestion, actor, from_status, to_status, reason=""):
    return SuggestionEvent.objects.create(
        suggestion=suggestion, actor=actor, from_status=from_status, to_status=to_status, reason=reason
    )


def _tell_status(suggestion, event):
    _notify(
        suggestion,
        _recipients(suggestion),
        STATUS_CHANGED,
        f"{STATUS_CHANGED}:{event.pk}",
        lambda: (
            _("Your suggestion “%(title)s” is now: %(status)s")
            % {"title": suggestion.title, "status": _status_label(event.to_status)}
        ),
        lambda: event.reason,
    )


@transaction.atomic
def submit(
    *,
    user,
    author=None,
    category,
    title,
    what,
    why="",
    is_public=True,
    campaign=None,
    origin=Origin.BOX,
    case=None,
    step=None,
    today=None,
):
    """A suggestion by ``author`` (default: the user's own employee). A supervisor may raise one on behalf of an
    agent she leads from a 1:1 or a review (the author stays the agent)."""
    me = permissions.staff_permissions.employee_of(user)
    if not permissions.can_submit_suggestion(user):
        raise PermissionDenied
    author = author or me
    if author.pk != me.pk:
        if not permissions.can_submit_on_behalf(user, author):
            raise PermissionDenied
        if origin not in (Origin.ONE_TO_ONE, Origin.REVIEW):
            raise ValidationError(_("A suggestion on behalf of someone is raised in a 1:1 or a review."))
    if origin == Origin.CASE and case is None:
        raise ValidationError(_("Name the case this suggestion comes from."))
    if origin == Origin.PLAYBOOK and step is None:
        raise ValidationError(_("Name the playbook step this suggestion comes from."))
    if campaign is not None:
        decision = rules.can_submit_to_campaign(
            opens_on=campaign.opens_on, closes_on=campaign.closes_on, today=today or timezone.localdate()
        )
        if not decision:
            raise ValidationError(list(decision.reasons))
    suggestion = Suggestion.objects.create(
        author=author,
        category=category,
        title=title,
        what=what,
        why=why,
        is_public=is_public,
        campaign=campaign,
        origin=origin,
        case=case,
        step=step,
    )
    _event(suggestion, user, "", rules.NEW)
    if author.user_id and author.user_id != user.pk:
        Follow.objects.get_or_create(suggestion=suggestion, user_id=user.pk)
    return suggestion


def support(*, user, suggestion):
    """+1 once; not your own. Returns True when it counted."""
    me = permissions.staff_permissions.employee_of(user)
    if not permissions.can_support_suggestion(user, suggestion):
        raise PermissionDenied
    try:
        with transaction.atomic():
            Support.objects.create(suggestion=suggestion, employee=me)
    except IntegrityError:
        return False
    Suggestion.objects.filter(pk=suggestion.pk).update(support_count=F("support_count") + 1)
    return True


def unsupport(*, user, suggestion):
    me = permissions.staff_permissions.employee_of(user)
    if me is None:
        raise PermissionDenied
    with transaction.atomic():
        deleted, _rows = Support.objects.filter(suggestion=suggestion, employee=me).delete()
        if deleted:
            Suggestion.objects.filter(pk=suggestion.pk, support_count__gt=0).update(
                support_count=F("support_count") - 1
            )
    return bool(deleted)


def follow(*, user, suggestion):
    if not permissions.can_see_suggestion(user, suggestion):
        raise PermissionDenied
    return Follow.objects.get_or_create(suggestion=suggestion, user=user)[1]


def unfollow(*, user, suggestion):
    return bool(Follow.objects.filter(suggestion=suggestion, user=user).delete()[0])


def comment(*, user, suggestion, text):
    if not permissions.can_comment_suggestion(user, suggestion):
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write a comment."))
    return SuggestionComment.objects.create(suggestion=suggestion, author=user, text=text)


@transaction.atomic
def move(*, user, suggestion_id, to_status, answer=""):
    """Move a suggestion; declining (and reopening) needs an answer the author reads."""
    suggestion = _lock(suggestion_id)
    if not permissions.can_review_suggestion(user, suggestion):
        raise PermissionDenied
    answer = (answer or "").strip()
    decision = rules.can_move(suggestion.status, to_status, reason=answer)
    if not decision:
        raise ValidationError(list(decision.reasons))
    from_status, now = suggestion.status, timezone.now()
    suggestion.status, suggestion.reviewer, suggestion.status_changed_at = to_status, user, now
    if answer:
        suggestion.answer = answer
    fields = ["status", "reviewer", "status_changed_at", "answer"]
    if to_status == rules.IMPLEMENTED:
        suggestion.implemented_at = now
        fields.append("implemented_at")
    suggestion.save(update_fields=fields)
    event = _event(suggestion, user, from_status, to_status, answer)
    _tell_status(suggestion, event)
    if to_status == rules.IMPLEMENTED:
        transaction.on_commit(lambda: suggestion_implemented.send(sender=Suggestion, suggestion=suggestion, actor=user))
    return suggestion


@transaction.atomic
def merge(*, user, suggestion_id, target_id):
    """Merge into ``target_id``: supporters and followers move (no duplicates, the author of the target does not
    support her own), both counts recomputed, the author and followers told."""
    first, second = sorted([suggestion_id, target_id or suggestion_id])
    locked = {
        s.pk: s
        for s in Suggestion.objects.select_for_update(of=("self",))
        .select_related("author__user")
        .filter(pk__in=[first, second])
        .order_by("pk")
    }
    suggestion, target = locked.get(suggestion_id), locked.get(target_id)
    if suggestion is None:
        raise Suggestion.DoesNotExist
    if not permissions.can_review_suggestion(user, suggestion) or (
        target is not None and not permissions.can_review_suggestion(user, target)
    ):
        raise PermissionDenied
    decision = rules.can_merge(
        status=suggestion.status,
        suggestion_id=suggestion.pk,
        target_id=target_id if target is not None else None,
        target_status=target.status if target else None,
    )
    if not decision:
        raise ValidationError(list(decision.reasons))
    have = Support.objects.filter(suggestion=target).values("employee_id")
    moving = (
        Support.objects.filter(suggestion=suggestion)
        .exclude(employee_id__in=have)
        .exclude(employee_id=target.author_id)
    )
    moving.update(suggestion=target)
    Support.objects.filter(suggestion=suggestion).delete()
    following = Follow.objects.filter(suggestion=target).values("user_id")
    Follow.objects.filter(suggestion=suggestion).exclude(user_id__in=following).update(suggestion=target)
    from_status, now = suggestion.status, timezone.now()
    Suggestion.objects.filter(pk=suggestion.pk).update(
        status=rules.MERGED, merged_into=target, reviewer=user, status_changed_at=now, support_count=0
    )
    Suggestion.objects.filter(pk=target.pk).update(support_count=Support.objects.filter(suggestion=target).count())
    suggestion.refresh_from_db()
    reason = _("Merged into #%(pk)s %(title)s") % {"pk": target.pk, "title": target.title}
    event = _event(suggestion, user, from_status, rules.MERGED, reason)
    recipients = [r for r in [(suggestion.author.user_id, suggestion.author.language)] if r[0]]
    if suggestion.author.user_id and suggestion.author.user.is_active:
        _notify(
            suggestion,
            recipients,
            MERGED_NOTICE,
            f"{MERGED_NOTICE}:{event.pk}",
            lambda: _("Your suggestion “%(title)s” was merged into another") % {"title": suggestion.title},
            lambda: reason,
        )
    return suggestion


def create_campaign(*, user, title, opens_on, closes_on, description=""):
    if not permissions.can_create_campaign(user):
        raise PermissionDenied
    if closes_on < opens_on:
        raise ValidationError(_("A campaign closes on or after the day it opens."))
    return Campaign.objects.create(
        title=title, description=description, opens_on=opens_on, closes_on=closes_on, created_by=user
    )
