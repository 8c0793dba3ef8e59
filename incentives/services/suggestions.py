"""A suggestion implemented earns its author recognition (issue 15 §1; DOMAIN §5: achievement and recognition are
motivators). improvement sends ``suggestion_implemented`` after commit; this listener writes one spiritual
recognition on the wall, cited to the suggestion, from whoever implemented it (or, for an account with no employee
record such as HR's, from the author's team lead). No points: a grant above the everyday allowance would need a
rule as written (§8), and the honour is the point here."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from staff.models import Employee

from ..models import EarnedBy, Kind, Recognition, RecognitionRecipient
from ..recognition_rules import Motivator
from .recognition import notify_recipients

KEY = "suggestion-implemented:{pk}"


def on_suggestion_implemented(sender, *, suggestion, actor, **kwargs):
    """The receiver (connected in IncentivesConfig.ready): ids only, the service does the rest."""
    recognise_implemented_suggestion(suggestion_id=suggestion.pk, actor_id=getattr(actor, "pk", None))


def _giver(author, actor_id):
    """The implementer's employee record, else the author's team lead; never the author herself."""
    giver = Employee.objects.filter(user_id=actor_id).exclude(stage="left").first() if actor_id else None
    if giver is None and author.team_id:
        giver = Employee.objects.filter(led_teams=author.team_id).exclude(stage="left").first()
    return None if giver is None or giver.pk == author.pk else giver


@transaction.atomic
def recognise_implemented_suggestion(*, suggestion_id, actor_id):
    """One recognition per implemented suggestion, whatever the number of signals (the author's row is locked, the
    recognition is found by its key). Returns it, or None when nobody may give it or the author has left."""
    from improvement.models import Suggestion

    suggestion = Suggestion.objects.filter(pk=suggestion_id, status="implemented").select_related("author").first()
    if suggestion is None:
        return None
    author = Employee.objects.select_for_update(of=("self",)).select_related("user").get(pk=suggestion.author_id)
    key = KEY.format(pk=suggestion.pk)
    done = Recognition.objects.filter(
        earned_by_kind=EarnedBy.SUGGESTION, earned_by_id=suggestion.pk, idempotency_key=key
    )
    if done.exists() or author.stage == "left":
        return done.first()
    giver = _giver(author, actor_id)
    if giver is None:
        return None
    with override(author.language or None):
        # The wall shows the message as written: in the author's language, as a person would have written it.
        message = _("Your suggestion “%(title)s” has been implemented. Thank you for making our work better.") % {
            "title": suggestion.title
        }
    recognition = Recognition.objects.create(
        giver=giver,
        message=message,
        motivator=Motivator.ACHIEVEMENT,
        kind=Kind.SPIRITUAL,
        points=0,
        earned_by_kind=EarnedBy.SUGGESTION,
        earned_by_id=suggestion.pk,
        idempotency_key=key,
        created_by_id=actor_id,
    )
    RecognitionRecipient.objects.create(recognition=recognition, employee=author)
    notify_recipients(recognition, [author], giver)
    return recognition
