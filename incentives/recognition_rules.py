"""The rules of a recognition (issue 15 §1, DOMAIN §5, seed 001), pure: no database.

- Exactly one motivator tag, one of Herzberg's six motivators (what lasts), never a hygiene factor.
- Points are optional; each recipient receives ``points`` from the giver's monthly allowance, so a recognition
  costs ``points × recipients``. The allowance resets on the 1st and never rolls over: what is left is the
  allowance minus what was granted in the current calendar month (taken from the ledger, never a counter).
- Nobody recognises herself; a giver grants one recipient at most ``daily_limit`` points a day.
"""

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy


class Motivator(models.TextChoices):
    """Herzberg's motivators (DOMAIN §5): recognition is tagged with what it nourishes. The labels carry the
    context "motivator": "Growth" is also a life-cycle stage (成长期), the motivator is 成长."""

    ACHIEVEMENT = "achievement", pgettext_lazy("motivator", "Achievement")
    RECOGNITION = "recognition", pgettext_lazy("motivator", "Recognition")
    WORK_ITSELF = "work_itself", pgettext_lazy("motivator", "Work itself")
    RESPONSIBILITY = "responsibility", pgettext_lazy("motivator", "Responsibility")
    ADVANCEMENT = "advancement", pgettext_lazy("motivator", "Advancement")
    GROWTH = "growth", pgettext_lazy("motivator", "Growth")


MOTIVATORS = tuple(Motivator.values)


@dataclass(frozen=True)
class Decision:
    """Allowed or not, with the reasons (translated) when not."""

    allowed: bool
    reasons: tuple = ()

    def __bool__(self):
        return self.allowed


def month_of(day):
    """The first day of ``day``'s month and the first day of the next: the allowance's period."""
    first = day.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following


def allowance_for(*, is_leader, default, leader):
    """The monthly allowance: a supervisor's or a manager's is the larger one HR sets."""
    return max(default, leader) if is_leader else default


def allowance_left(*, allowance, spent):
    return max(allowance - spent, 0)


def check(*, giver_id, recipient_ids, motivator, points, allowance, spent_this_month, given_today, daily_limit):
    """May ``giver_id`` recognise ``recipient_ids`` with ``points`` each? ``given_today`` maps a recipient id to the
    points this giver already granted her today; ``spent_this_month`` is what the giver granted this month."""
    reasons = []
    recipients = set(recipient_ids)
    if not recipients:
        reasons.append(_("Choose at least one colleague."))
    if giver_id in recipients:
        reasons.append(_("You cannot recognise yourself."))
    if motivator not in MOTIVATORS:
        reasons.append(_("Choose one motivator."))
    if points < 0:
        reasons.append(_("Points cannot be negative."))
    elif points:
        cost = points * len(recipients)
        left = allowance_left(allowance=allowance, spent=spent_this_month)
        if cost > left:
            reasons.append(
                _("This needs %(cost)s points; %(left)s are left of your allowance this month.")
                % {"cost": cost, "left": left}
            )
        over = sorted(r for r in recipients if given_today.get(r, 0) + points > daily_limit)
        if over:
            reasons.append(_("At most %(limit)s points a day to one colleague from you.") % {"limit": daily_limit})
    return Decision(not reasons, tuple(reasons))
