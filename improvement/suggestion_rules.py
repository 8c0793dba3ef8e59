"""The rules of a suggestion (issue 14 §1, seed 002: 如不能执行要告知原因), pure: no database.

- Statuses move new → under_review → accepted → implemented; new/under_review/accepted → declined (a reason the
  author reads is required) or → merged (into another suggestion, not itself, not one merged or declined);
  declined → under_review (reopened, with a reason).
- A campaign takes suggestions from ``opens_on`` to ``closes_on``, both days included.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

NEW, UNDER_REVIEW, ACCEPTED, IMPLEMENTED = "new", "under_review", "accepted", "implemented"
DECLINED, MERGED = "declined", "merged"
STATUSES = (NEW, UNDER_REVIEW, ACCEPTED, IMPLEMENTED, DECLINED, MERGED)
OPEN = (NEW, UNDER_REVIEW, ACCEPTED)  # may still be declined or merged
DECIDED = (ACCEPTED, IMPLEMENTED, DECLINED)  # counted in the adoption rate

# Moves done with ``move`` (merging has its own decision: it names a target).
MOVES = {
    NEW: (UNDER_REVIEW, DECLINED),
    UNDER_REVIEW: (ACCEPTED, DECLINED),
    ACCEPTED: (IMPLEMENTED, DECLINED),
    DECLINED: (UNDER_REVIEW,),
    IMPLEMENTED: (),
    MERGED: (),
}
NEEDS_REASON = {(DECLINED, UNDER_REVIEW)}  # reopening is explained, like declining


@dataclass(frozen=True)
class Decision:
    """Allowed or not, with the reasons (translated) when not."""

    allowed: bool
    reasons: tuple = ()

    def __bool__(self):
        return self.allowed


def _decide(reasons):
    return Decision(not reasons, tuple(reasons))


def next_statuses(status):
    """The statuses a reviewer may move a suggestion in ``status`` to (merging aside)."""
    return MOVES.get(status, ())


def reason_required(from_status, to_status):
    return to_status == DECLINED or (from_status, to_status) in NEEDS_REASON


def can_move(from_status, to_status, *, reason=""):
    reasons = []
    if to_status not in MOVES.get(from_status, ()):
        reasons.append(_("A suggestion cannot move from this status to that one."))
    elif reason_required(from_status, to_status) and not (reason or "").strip():
        reasons.append(_("Give the reason: the author reads it."))
    return _decide(reasons)


def can_merge(*, status, suggestion_id, target_id, target_status):
    """Merge suggestion ``suggestion_id`` (in ``status``) into ``target_id`` (in ``target_status``)."""
    reasons = []
    if status not in OPEN:
        reasons.append(_("Only a new, under review or accepted suggestion can be merged."))
    if target_id is None:
        reasons.append(_("Name the suggestion to merge into."))
    elif target_id == suggestion_id:
        reasons.append(_("A suggestion cannot be merged into itself."))
    elif target_status in (MERGED, DECLINED):
        reasons.append(_("A suggestion cannot be merged into a declined or merged one."))
    return _decide(reasons)


def campaign_open(*, opens_on, closes_on, today):
    """Whether a campaign takes suggestions on ``today`` (both ends included)."""
    return opens_on <= today <= closes_on


def can_submit_to_campaign(*, opens_on, closes_on, today):
    if campaign_open(opens_on=opens_on, closes_on=closes_on, today=today):
        return _decide([])
    return _decide([_("This campaign is not open for suggestions today.")])


def adoption_rate(*, accepted, implemented, declined):
    """(accepted + implemented) / decided, None when nothing was decided."""
    decided = accepted + implemented + declined
    return None if not decided else (accepted + implemented) / decided


def participation_rate(*, authors, headcount):
    return None if not headcount else authors / headcount
