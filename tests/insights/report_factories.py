"""Reports for the tests: a team's weekly report and the centre's monthly one, as the drafting task opens them."""

import datetime

from insights import reporting
from insights.models import Report, ReportKind

WEEK = (datetime.date(2026, 11, 9), datetime.date(2026, 11, 15))
OCTOBER = (datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))


def weekly(team, period=WEEK, **fields):
    start, end = period
    return Report.objects.create(
        kind=ReportKind.WEEKLY_TEAM,
        team=team,
        period_start=start,
        period_end=end,
        due_on=reporting.due_on(ReportKind.WEEKLY_TEAM, end),
        **fields,
    )


def monthly(period=OCTOBER, **fields):
    start, end = period
    return Report.objects.create(
        kind=ReportKind.MONTHLY_CENTRE,
        period_start=start,
        period_end=end,
        due_on=reporting.due_on(ReportKind.MONTHLY_CENTRE, end),
        **fields,
    )


def matrix_report(world):
    """The world's team's weekly report (the supervisor's; HR and she see it, other supervisors do not)."""
    found = Report.objects.filter(kind=ReportKind.WEEKLY_TEAM, team=world.team, period_start=WEEK[0]).first()
    return found or weekly(world.team)
