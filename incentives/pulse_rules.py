"""The rules of the pulse surveys (issue 15 §5, DOMAIN §5, seed 001), pure: no database.

- Every question is tagged with one Herzberg factor: a hygiene factor (what only prevents dissatisfaction) or a
  motivator (what lasts; the list of incentives.recognition_rules). Answers are on a 1–5 scale.
- Results are published only for groups of at least ``MIN_GROUP`` respondents. A team with fewer merges upward into
  its site, a site into the centre. Publishing a parent and some of its children must not let anyone subtract
  their way to fewer than ``MIN_GROUP`` people: ``published_children`` withholds children until what is left of the
  parent outside the shown children is either nobody or at least ``MIN_GROUP`` people.
- An alert is raised for a factor whose group average falls below the survey's threshold or drops by at least the
  survey's step against the previous wave. Its owner: HR for pay and policy, the team's supervisor for supervision,
  relations and working conditions (and for the motivators); a group above team level belongs to HR.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from .recognition_rules import Motivator

MIN_GROUP = 5  # never a setting: anonymity is not HR's to lower
SCORES = (1, 2, 3, 4, 5)


class Hygiene(models.TextChoices):
    POLICY = "policy", gettext_lazy("Company policy and administration")
    SUPERVISION = "supervision", pgettext_lazy("hygiene factor", "Supervision")
    PAY = "pay", gettext_lazy("Pay")
    WORKING_CONDITIONS = "working_conditions", gettext_lazy("Working conditions")
    RELATIONS = "relations", gettext_lazy("Interpersonal relations")


HYGIENE = tuple(Hygiene.values)
FACTOR_CHOICES = [(value, label) for value, label in Hygiene.choices] + list(Motivator.choices)
FACTORS = tuple(value for value, _label in FACTOR_CHOICES)
FACTOR_LABELS = dict(FACTOR_CHOICES)

HR_OWNED = frozenset({Hygiene.POLICY, Hygiene.PAY})


class Owner(models.TextChoices):
    HR = "hr", gettext_lazy("HR")
    SUPERVISOR = "supervisor", gettext_lazy("The team's supervisor")


def is_hygiene(factor):
    return factor in HYGIENE


def owner_of(factor, *, level):
    """Who acts on an alert: HR for pay and policy and for any group above a team; else the team's supervisor."""
    if factor in HR_OWNED or level != "team":
        return Owner.HR
    return Owner.SUPERVISOR


def average(tally):
    """The mean of a ``{score: count}`` tally, to two places (None for no answers)."""
    n = sum(tally.values())
    if not n:
        return None
    total = sum(score * count for score, count in tally.items())
    return (Decimal(total) / Decimal(n)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def is_publishable(respondents):
    return respondents >= MIN_GROUP


def published_children(children, total):
    """Which children of a parent with ``total`` respondents may be shown on their own, given ``children``
    ``{key: respondents}``: each has at least MIN_GROUP, and the rest of the parent (total minus the shown
    children) is nobody or at least MIN_GROUP, so that parent − shown children isolates no small group. The
    smallest shown child is withheld (merged into the rest) until that holds; of two the same size, the one with the
    higher key (the newer team or site) is withheld, so the larger and older groups stand alone whatever the order
    the database returns them in."""
    shown = {key: n for key, n in children.items() if n >= MIN_GROUP}
    while shown:
        rest = total - sum(shown.values())
        if rest == 0 or rest >= MIN_GROUP:
            break
        smallest = min(shown, key=lambda key: (shown[key], _newest_first(key)))
        del shown[smallest]
    return set(shown)


def _newest_first(key):
    """Orders keys so that the highest (the newest row; None last of all) comes first."""
    return (0, 0) if key is None else (1, -key) if isinstance(key, int) else (1, str(key))


@dataclass(frozen=True)
class AlertReason:
    below: bool
    dropped: bool

    def __bool__(self):
        return self.below or self.dropped


def alert_reason(*, current, previous, threshold, drop):
    """Below the threshold, or fallen by at least ``drop`` since the previous wave (None: not published then)."""
    if current is None:
        return AlertReason(False, False)
    below = current < threshold
    dropped = previous is not None and (previous - current) >= drop
    return AlertReason(below, dropped)


def alert_text(*, factor, current, previous, reason):
    """The alert's message (translated in the active language): what happened and, for a hygiene factor, that
    recognition does not fix it (seed 001)."""
    label = FACTOR_LABELS.get(factor, factor)
    parts = []
    if reason.below:
        parts.append(_("%(factor)s averages %(score)s, below the threshold.") % {"factor": label, "score": current})
    if reason.dropped:
        parts.append(
            _("%(factor)s fell from %(before)s to %(now)s since the previous wave.")
            % {"factor": label, "before": previous, "now": current}
        )
    if is_hygiene(factor):
        parts.append(
            _(
                "This is a hygiene factor: recognition does not fix it. Look at the cause itself "
                "(policy, supervision, pay, working conditions or relations)."
            )
        )
    else:
        parts.append(_("This is a motivator: look at how the work is designed and recognised."))
    return " ".join(parts)


def check_scores(question_ids, scores):
    """Every question answered once with a score 1–5; returns the reasons (translated) when not."""
    reasons = []
    asked = set(question_ids)
    given = set(scores)
    if given - asked:
        reasons.append(_("Answer only the questions of this survey."))
    if asked - given:
        reasons.append(_("Answer every question."))
    if any(score not in SCORES for score in scores.values()):
        reasons.append(_("Each answer is a score from 1 to 5."))
    return reasons
