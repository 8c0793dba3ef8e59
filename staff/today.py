"""The supervisor's "Today" page: what needs them now, most urgent first, each with one click to act.

Apps contribute the items (imports go one way, so staff never imports them): an app registers a source in
its ``AppConfig.ready()`` (training: gates, overdue activities, coaching due, unacknowledged sessions,
trainees at risk; the next capabilities, KPIs, drills, cases and recognition, add theirs). Each source
reads through its own selectors and permission scopes in a fixed number of queries whatever the team
size, and places its items on the one scale of urgency below."""

import datetime
from dataclasses import dataclass
from enum import IntEnum

from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Urgency(IntEnum):
    """Most urgent first. Every app places its items here, so the page has one order."""

    DECIDE = 1  # a decision waits on the supervisor: a gate due or failed
    OVERDUE = 2  # work past its date
    DUE = 3  # work due in the next days: coaching sessions, the supervisor's own activities
    FOLLOW_UP = 4  # waiting on someone else: items not acknowledged
    WATCH = 5  # not late yet, but heading there: trainees at risk


URGENCY_LABELS = {
    Urgency.DECIDE: _("Decide"),
    Urgency.OVERDUE: _("Overdue"),
    Urgency.DUE: _("Due soon"),
    Urgency.FOLLOW_UP: _("Follow up"),
    Urgency.WATCH: _("Keep an eye on"),
}

MAX_PER_SECTION = 50  # a page stays small whatever the scope; the boards list the rest


@dataclass(frozen=True)
class Item:
    """One thing that needs the supervisor, with the link that acts on it."""

    urgency: Urgency
    kind: str  # what it is, shown as a badge ("Gate", "Activity", "Coaching session" …)
    person: str  # whom it is about
    text: str  # what needs doing
    url: str  # one click to act
    action: str  # the button's label
    due_on: datetime.date | None = None
    key: str = ""  # stable identity for tests and anchors, e.g. "gate-met:12"


@dataclass(frozen=True)
class Section:
    urgency: Urgency
    label: str
    items: list
    hidden: int  # items beyond MAX_PER_SECTION, not shown


_sources = []


def register_source(fn):
    """``fn(user, *, today, now)`` returns the items ``user`` should see today (an empty list if none)."""
    if fn not in _sources:
        _sources.append(fn)


def sections(user, *, today=None, now=None):
    """The non-empty sections of the page, most urgent first; inside one, the earliest date first."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    by_urgency = {}
    for source in _sources:
        for item in source(user, today=today, now=now):
            by_urgency.setdefault(item.urgency, []).append(item)
    result = []
    for urgency in sorted(by_urgency):
        items = sorted(by_urgency[urgency], key=lambda i: (i.due_on or datetime.date.max, str(i.person), i.key))
        result.append(
            Section(urgency, URGENCY_LABELS[urgency], items[:MAX_PER_SECTION], max(0, len(items) - MAX_PER_SECTION))
        )
    return result
