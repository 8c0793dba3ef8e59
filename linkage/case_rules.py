"""The rules of a case (issue 13 §1–2, seed 003), pure: no database, so they are tested fast and exhaustively.

- A customer is named only by a masked reference: at most the first 3 and last 4 characters show, and at least a
  third is hidden, so a short reference is never shown whole (a reference is never stored unmasked).
- Targets per category: first response within minutes, resolution within hours, a reminder before the breach.
- After the breach, escalation goes level by level, each once and in order, each ``after_minutes`` after it.
- Closing names an outcome; "resolved at first contact" only when no step was handed off and it never reopened.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

HEAD, TAIL = 3, 4  # characters of a customer reference left visible at most
MASK = "*"
MAX_REF_LENGTH = 40  # Case.customer_ref
SOON = datetime.timedelta(hours=1)  # "about to breach" (team cases, Today)

FIRST_CONTACT = "first_contact"
OUTCOMES = ("first_contact", "later", "converted", "stabilised", "escalated")


def mask_customer_ref(text):
    """``text`` masked: letters and digits only (an already masked "*" stays hidden), the first 3 and last 4 kept
    at most, the rest "*", and never less than a third hidden. "13812345678" → "138****5678"; "" → ""."""
    chars = [c for c in str(text or "") if c.isalnum() or c == MASK]
    n = len(chars)
    if not n:
        return ""
    hidden = max(n - HEAD - TAIL, -(-n // 3))
    visible = n - hidden
    tail = min(TAIL, visible)
    head = min(HEAD, visible - tail)
    stars = min(hidden, MAX_REF_LENGTH - head - tail)
    return "".join(chars[:head]) + MASK * stars + "".join(chars[n - tail :] if tail else [])


def first_response_due(opened_at, first_response_minutes):
    return opened_at + datetime.timedelta(minutes=first_response_minutes)


def resolution_due(opened_at, resolution_hours):
    return opened_at + datetime.timedelta(hours=resolution_hours)


def reminder_at(resolution_due_at, remind_before_minutes):
    """When the owner is reminded: ``remind_before_minutes`` before the breach."""
    return resolution_due_at - datetime.timedelta(minutes=remind_before_minutes)


def is_reminder_due(*, resolution_due_at, remind_before_minutes, now):
    return now >= reminder_at(resolution_due_at, remind_before_minutes)


@dataclass(frozen=True)
class Level:
    number: int
    after_minutes: int


def due_levels(*, breach_at, levels, current, now):
    """The escalation levels to reach at ``now``, in order: those above ``current`` whose time (the breach plus
    ``after_minutes``) has come, stopping at the first that has not (each once, never one skipped)."""
    due = []
    for level in sorted(levels, key=lambda level: level.number):
        if level.number <= current:
            continue
        if now < breach_at + datetime.timedelta(minutes=level.after_minutes):
            break
        due.append(level.number)
    return due


def breach_state(resolution_due_at, now):
    """ "breached", "soon" (within the hour) or "ok"."""
    if resolution_due_at <= now:
        return "breached"
    if resolution_due_at <= now + SOON:
        return "soon"
    return "ok"


def minutes_left(resolution_due_at, now):
    """Whole minutes to the breach (negative once breached)."""
    return int((resolution_due_at - now).total_seconds() // 60)


def close_problems(*, outcome, was_handed_off, open_handoffs, reopen_count):
    """Why a case may not be closed with ``outcome`` (translated; empty when it may)."""
    problems = []
    if outcome not in OUTCOMES:
        problems.append(_("Choose the outcome."))
    if open_handoffs:
        problems.append(_("A step is still handed off: take it back before closing."))
    if outcome == FIRST_CONTACT and (was_handed_off or reopen_count):
        problems.append(_("A case handed off or reopened was not resolved at first contact: choose another outcome."))
    return problems
