"""The rules of the honour system (issue 15 §3, seed 001: 荣誉体系), pure: no database.

- A nomination is made only while its programme's window is open (``opens_on`` to ``closes_on``, both days
  included), by someone the programme lets nominate, for a colleague in the programme's scope, never oneself; it
  gives a reason; one per nominator × nominee × programme.
- A nomination moves once: nominated → winner or → not chosen. Whoever decides may not decide on herself, and a
  programme has at most its number of winners.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

NOMINATED, WON, NOT_CHOSEN = "nominated", "won", "not_chosen"
MOVES = {NOMINATED: (WON, NOT_CHOSEN), WON: (), NOT_CHOSEN: ()}


@dataclass(frozen=True)
class Decision:
    """Allowed or not, with the reasons (translated) when not."""

    allowed: bool
    reasons: tuple = ()

    def __bool__(self):
        return self.allowed


def _decide(reasons):
    return Decision(not reasons, tuple(reasons))


def window_open(*, opens_on, closes_on, today):
    """Whether nominations are taken on ``today`` (both ends included)."""
    return opens_on <= today <= closes_on


def window_closed(*, closes_on, today):
    return today > closes_on


def check_nomination(
    *, nominator_user_id, nominee_user_id, reason, today, opens_on, closes_on, may_nominate, in_scope, already
):
    """May this nomination be made? ``may_nominate``: the programme lets the nominator nominate; ``in_scope``: the
    nominee is a colleague of the programme's scope the nominator may name; ``already``: she nominated her before."""
    reasons = []
    if not may_nominate:
        reasons.append(_("This programme does not take nominations from you."))
    if today < opens_on:
        reasons.append(_("Nominations open on %(day)s.") % {"day": opens_on.isoformat()})
    elif today > closes_on:
        reasons.append(_("Nominations closed on %(day)s.") % {"day": closes_on.isoformat()})
    if nominee_user_id is not None and nominee_user_id == nominator_user_id:
        reasons.append(_("You cannot nominate yourself."))
    elif not in_scope:
        reasons.append(_("Choose a colleague this programme covers."))
    if not (reason or "").strip():
        reasons.append(_("Give the reason for the nomination."))
    if already:
        reasons.append(_("You already nominated this colleague in this programme."))
    return _decide(reasons)


def check_decision(*, status, target, may_decide, decider_user_id, nominee_user_id, winners_so_far, winners_allowed):
    """May this decision be made? ``winners_so_far`` counts the programme's winners other than this one."""
    reasons = []
    if not may_decide:
        reasons.append(_("You do not decide this programme."))
    if decider_user_id is not None and decider_user_id == nominee_user_id:
        reasons.append(_("You cannot decide on your own nomination."))
    if target not in MOVES.get(status, ()):
        reasons.append(_("This nomination was already decided."))
    elif target == WON and winners_so_far >= winners_allowed:
        reasons.append(
            ngettext(
                "This programme already has its %(n)s winner: no more can be chosen.",
                "This programme already has its %(n)s winners: no more can be chosen.",
                winners_allowed,
            )
            % {"n": winners_allowed}
        )
    return _decide(reasons)
