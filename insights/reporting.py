"""The reporting system's rules (issue 16 §4), pure: no database.

- A weekly team report covers Monday to Sunday and is due on the Tuesday after; a monthly centre report covers a
  calendar month and is due on the 5th of the next. The drafting task opens each period's report on the first
  day after it ends; authors are reminded from two days before the due day until they submit.
- A report moves draft → submitted → approved, or submitted → returned → submitted again; nothing else."""

import datetime

from .models import ReportKind, ReportStatus

WEEKLY_DUE_AFTER_DAYS = 2  # the Tuesday after the week's Sunday
MONTHLY_DUE_DAY = 5
REMIND_DAYS_BEFORE = 2

MOVES = {
    (ReportStatus.DRAFT, ReportStatus.SUBMITTED),
    (ReportStatus.RETURNED, ReportStatus.SUBMITTED),
    (ReportStatus.SUBMITTED, ReportStatus.APPROVED),
    (ReportStatus.SUBMITTED, ReportStatus.RETURNED),
}


def can_move(from_status, to_status):
    return (from_status, to_status) in MOVES


def last_week(today):
    """(Monday, Sunday) of the last complete week before ``today``."""
    monday = today - datetime.timedelta(days=today.weekday() + 7)
    return monday, monday + datetime.timedelta(days=6)


def last_month(today):
    """(first, last day) of the last complete month before ``today``."""
    end = today.replace(day=1) - datetime.timedelta(days=1)
    return end.replace(day=1), end


def period_of(kind, today):
    return last_week(today) if kind == ReportKind.WEEKLY_TEAM else last_month(today)


def due_on(kind, period_end):
    if kind == ReportKind.WEEKLY_TEAM:
        return period_end + datetime.timedelta(days=WEEKLY_DUE_AFTER_DAYS)
    return (period_end + datetime.timedelta(days=1)).replace(day=MONTHLY_DUE_DAY)


def reminder_from(due):
    """The first day on which an open report's author is reminded."""
    return due - datetime.timedelta(days=REMIND_DAYS_BEFORE)
