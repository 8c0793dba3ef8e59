"""The rules of a version's steps (issue 12 §2, seed 000), pure: over plain values, so that the same check covers
the database, a form, the API and an import, and is tested exhaustively.

- Each step is owned by exactly one role (职责清晰、分工明确).
- Orders and codes are unique within a version.
- A hand-off criterion names the role that receives the hand-off.
- A branch goes to an existing step: one of this version, or of the published or pilot version of another
  playbook (a retired or unfinished version is nobody's reference).
- A guidance step only gives a direction and is never scored (is_scored); a scripted step is scored in drills.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class StepFacts:
    """What the rules need of one step. ``key`` identifies it for branches (its id); ``owners`` are the owning
    roles given (one when valid: a form or an import may give none or several)."""

    key: object
    order: int | None
    code: str
    owners: tuple = ()
    is_scripted: bool = True
    handoff: str = ""  # the hand-off criterion, in either language
    receiver: object = None
    name: str = ""

    @property
    def label(self):
        return self.name or self.code or (str(self.order) if self.order is not None else "?")


@dataclass(frozen=True)
class BranchFacts:
    """One branch: from the step ``step`` (a key) to the step ``target`` (a key)."""

    step: object
    target: object


def owners_of(value):
    """The owners as a tuple, whether given as nothing, one role or several."""
    if value is None or value == "":
        return ()
    if isinstance(value, Iterable) and not isinstance(value, (str, bytes)):  # a list, a set, a queryset
        return tuple(owner for owner in value if owner is not None and owner != "")
    return (value,)


def is_scored(step):
    """Only scripted steps are scored in drills; a guidance step never is (seed 000)."""
    return bool(step.is_scripted)


def problems_of(step: StepFacts):
    """What is wrong with one step on its own (translated)."""
    problems = []
    if not step.owners:
        problems.append(
            _("Step “%(step)s” has no owning role: each step needs exactly one owning role.") % {"step": step.label}
        )
    elif len(set(step.owners)) > 1:
        count = len(set(step.owners))
        problems.append(
            ngettext(
                "Step “%(step)s” has %(count)d owning role: each step needs exactly one owning role.",
                "Step “%(step)s” has %(count)d owning roles: each step needs exactly one owning role.",
                count,
            )
            % {"step": step.label, "count": count}
        )
    if (step.handoff or "").strip() and step.receiver in (None, ""):
        problems.append(
            _("Step “%(step)s” has a hand-off criterion but no receiving role: name who takes over.")
            % {"step": step.label}
        )
    return problems


def duplicate_problems(steps: Iterable[StepFacts]):
    """Orders and codes used by more than one step (translated)."""
    steps = list(steps)
    problems = []
    orders = Counter(step.order for step in steps if step.order is not None)
    for order in sorted(order for order, count in orders.items() if count > 1):
        problems.append(_("Order %(order)s is used by more than one step.") % {"order": order})
    codes = Counter(step.code for step in steps if step.code)
    for code in sorted(code for code, count in codes.items() if count > 1):
        problems.append(_("Code “%(code)s” is used by more than one step.") % {"code": code})
    return problems


def branch_problems(steps: Iterable[StepFacts], branches: Iterable[BranchFacts], *, outside_targets=frozenset()):
    """Branches that start outside the version, go back to their own step, or go to a step that is neither one of
    ``steps`` nor in ``outside_targets`` (the keys of the steps of other playbooks' published or pilot
    versions)."""
    by_key = {step.key: step for step in steps}
    problems = []
    for branch in branches:
        source = by_key.get(branch.step)
        if source is None:
            problems.append(_("A branch starts from a step that is not in this version."))
            continue
        if branch.target == branch.step:
            problems.append(_("A branch of step “%(step)s” goes back to the same step.") % {"step": source.label})
        elif branch.target not in by_key and branch.target not in outside_targets:
            problems.append(
                _(
                    "A branch of step “%(step)s” goes to a step that is neither in this version nor in the "
                    "published or pilot version of another playbook."
                )
                % {"step": source.label}
            )
    return problems


def step_problems(steps: Iterable[StepFacts], branches: Iterable[BranchFacts] = (), *, outside_targets=frozenset()):
    """Everything wrong with a version's steps and branches (translated), in the order of the steps; empty when
    the version may go to consultation."""
    steps = sorted(steps, key=lambda step: (step.order is None, step.order or 0, step.code))
    if not steps:
        return [_("A version needs at least one step.")]
    problems = []
    for step in steps:
        problems.extend(problems_of(step))
    problems.extend(duplicate_problems(steps))
    problems.extend(branch_problems(steps, branches, outside_targets=outside_targets))
    return problems
