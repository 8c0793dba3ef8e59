"""Writes of the honour system (issue 15 §3): nominating (checked by incentives.honours_rules), deciding (a winner
is credited the programme's points once on the ledger, ``award:<nomination pk>``, and told), and the daily
reminders of open windows and of closed windows still waiting for a decision."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.models import Notification
from notifications.services import Message, queue
from staff.models import Employee, Team
from staff.permissions import HR_GROUP

from .. import honours_rules as rules
from .. import permissions
from ..models import AwardProgramme, Deciders, EntryKind, Nomination, NominationStatus, Nominators
from . import ledger

WON_HONOUR = "incentives_honour_won"
NOMINATED = "incentives_honour_nominated"
NOMINATE_REMINDER = "incentives_honour_nominate"
DECIDE_REMINDER = "incentives_honour_decide"


def _recognition_cited(user, recognition_id):
    if recognition_id is None:
        return None
    found = permissions.visible_recognitions(user).filter(pk=recognition_id).first()
    if found is None:
        raise ValidationError({"recognition": [_("The recognition cited was not found.")]})
    return found


@transaction.atomic
def nominate(*, user, programme_id, nominee_id, reason, evidence="", recognition_id=None, idempotency_key=""):
    """``user`` nominates a colleague in a programme while its window is open, with a reason and optional evidence
    (text, a recognition). The same ``idempotency_key`` again returns the first nomination."""
    programme = permissions.visible_programmes(user).filter(pk=programme_id).first()
    if programme is None:
        raise PermissionDenied
    done = Nomination.objects.filter(programme=programme, nominator=user, nominee_id=nominee_id).first()
    if done is not None and idempotency_key and done.idempotency_key == idempotency_key:
        return done
    nominee = permissions.nominable_employees(user, programme).filter(pk=nominee_id).first()
    decision = rules.check_nomination(
        nominator_user_id=user.pk,
        nominee_user_id=nominee.user_id if nominee else _user_id_of(nominee_id),
        reason=reason,
        today=timezone.localdate(),
        opens_on=programme.opens_on,
        closes_on=programme.closes_on,
        may_nominate=permissions.may_nominate(user, programme),
        in_scope=nominee is not None,
        already=done is not None,
    )
    if not decision:
        raise ValidationError(list(decision.reasons))
    nomination = Nomination.objects.create(
        programme=programme,
        nominator=user,
        nominee=nominee,
        reason=reason.strip(),
        evidence=(evidence or "").strip(),
        recognition=_recognition_cited(user, recognition_id),
        idempotency_key=idempotency_key or "",
    )
    _tell_nominee(nomination)
    return nomination


def _tell_nominee(nomination):
    """Being put forward is itself recognition (seed 001): the nominee reads who nominated her and why, in her
    language, once per nomination (the outbox key)."""
    return _tell(nomination, NOMINATED, lambda p: _("You were nominated for %(programme)s") % p, nomination.reason)


def _user_id_of(employee_id):
    return Employee.objects.filter(pk=employee_id).values_list("user_id", flat=True).first()


def _tell_winner(nomination):
    return _tell(nomination, WON_HONOUR, lambda p: _("You won an honour: %(programme)s") % p, nomination.decision_note)


def _tell(nomination, kind, title, body):
    """One keyed message to the nominee about ``nomination`` (none if she has no active account); ``title`` is
    called with {"programme": name} in her language."""
    nominee, programme = nomination.nominee, nomination.programme
    if not nominee.user_id or not nominee.user.is_active:
        return 0
    message = Message(
        recipient=nominee.user,
        kind=kind,
        key=f"{kind}:{nomination.pk}",
        title=lambda: title({"programme": programme.display_name}),
        body=body,
        url=reverse("incentives:my-honours"),
    )
    return queue([message])


@transaction.atomic
def decide(*, user, nomination_id, won, note=""):
    """The programme's decider chooses a winner, or marks a nomination not chosen, with a note. Deciding the same
    way again changes nothing (and credits nothing twice); a decided nomination never changes."""
    nomination = permissions.visible_nominations(user).filter(pk=nomination_id).select_related("programme").first()
    if nomination is None:
        raise PermissionDenied
    # Lock the programme first: two decisions at once are serialised here, so together they cannot pass its
    # number of winners (the second one counts the first one's winner).
    programme = AwardProgramme.objects.select_for_update().get(pk=nomination.programme_id)
    nomination = (
        Nomination.objects.select_for_update(of=("self",)).select_related("nominee__user").get(pk=nomination_id)
    )
    target = NominationStatus.WON if won else NominationStatus.NOT_CHOSEN
    if nomination.status == target:
        return nomination
    if not permissions.may_decide(user, programme):
        raise PermissionDenied(_("You do not decide this programme."))
    winners = Nomination.objects.filter(programme=programme, status=NominationStatus.WON).exclude(pk=nomination.pk)
    decision = rules.check_decision(
        status=nomination.status,
        target=target,
        may_decide=True,
        decider_user_id=user.pk,
        nominee_user_id=nomination.nominee.user_id,
        winners_so_far=winners.count(),
        winners_allowed=programme.winners,
    )
    if not decision:
        raise ValidationError(list(decision.reasons))
    nomination.status, nomination.decided_by, nomination.decided_at = target, user, timezone.now()
    nomination.decision_note = (note or "").strip()[:500]
    nomination.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    nomination.programme = programme
    if target == NominationStatus.WON:
        if programme.points:
            ledger.record(
                kind=EntryKind.AWARD,
                employee=nomination.nominee,
                points=programme.points,
                source_ref=f"award:{nomination.pk}",
                actor=user,
                note=programme.display_name,
            )
        _tell_winner(nomination)
    return nomination


# Reminders ----------------------------------------------------------------------------------------


def _hr_users():
    users = get_user_model().objects.filter(is_active=True).filter(Q(groups__name=HR_GROUP) | Q(is_superuser=True))
    return list(users.distinct().select_related("employee").order_by("pk"))


def _nominators(programme):
    """The people a programme reminds to nominate: those it lets nominate among the people it covers (HR, who
    always may, is not chased)."""
    people = permissions.programme_people(programme).select_related("user")
    if programme.nominators == Nominators.HR:
        return []
    if programme.nominators == Nominators.SUPERVISORS:
        people = people.filter(Exists(Team.objects.filter(supervisor=OuterRef("pk"))))
    return [employee.user for employee in people.order_by("pk")]


def _deciders(programme):
    if programme.decided_by == Deciders.NAMED:
        decider = programme.decider
        return [decider.user] if decider and decider.user_id and decider.user.is_active else []
    return _hr_users()


def _not_yet(kind, window, users):
    """The users not yet reminded for this window (one query; the unique key would skip them anyway, but
    rendering thousands of messages daily to insert none is wasted work)."""
    done = set(Notification.objects.filter(key__startswith=f"{kind}:{window}:").values_list("key", flat=True))
    return [user for user in users if f"{kind}:{window}:{user.pk}" not in done]


def send_reminders(*, today=None):
    """Daily: remind the eligible nominators of each programme whose window is open (once per programme, window
    and person), and the decider of each programme whose window closed with nominations still undecided (once
    per programme, window and decider). Returns how many reminders were new."""
    today = today or timezone.localdate()
    sent = 0
    open_now = AwardProgramme.objects.filter(is_active=True, opens_on__lte=today, closes_on__gte=today)
    for programme in open_now.order_by("pk"):
        window = f"{programme.pk}:{programme.opens_on.isoformat()}"
        url = reverse("incentives:honours-programme", args=[programme.pk])
        with transaction.atomic():
            sent += queue(
                Message(
                    recipient=user,
                    kind=NOMINATE_REMINDER,
                    key=f"{NOMINATE_REMINDER}:{window}:{user.pk}",
                    title=_nominate_title(programme),
                    url=url,
                )
                for user in _not_yet(NOMINATE_REMINDER, window, _nominators(programme))
            )
    waiting = Nomination.objects.filter(programme=OuterRef("pk"), status=NominationStatus.NOMINATED)
    closed = AwardProgramme.objects.filter(closes_on__lt=today).filter(Exists(waiting)).select_related("decider__user")
    for programme in closed.order_by("pk"):
        window = f"{programme.pk}:{programme.opens_on.isoformat()}"
        url = reverse("incentives:honours-programme", args=[programme.pk])
        with transaction.atomic():
            sent += queue(
                Message(
                    recipient=user,
                    kind=DECIDE_REMINDER,
                    key=f"{DECIDE_REMINDER}:{window}:{user.pk}",
                    title=_decide_title(programme),
                    url=url,
                )
                for user in _not_yet(DECIDE_REMINDER, window, _deciders(programme))
            )
    return sent


def _nominate_title(programme):
    return lambda: (
        _("Nominations are open: %(programme)s, until %(day)s")
        % {
            "programme": programme.display_name,
            "day": programme.closes_on.isoformat(),
        }
    )


def _decide_title(programme):
    return lambda: (
        _("Nominations closed: %(programme)s is waiting for your decision") % {"programme": programme.display_name}
    )
