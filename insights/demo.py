"""The KPI ramp's aggregate and demo reports for `manage.py seed_demo` (issue 16 §4, §6): the ramp rebuilt over
the demo's six months; through insights.services.reports, the demo supervisor's team has an archive of four
approved weekly reports and last week's draft, every other team last week's draft, and the centre last month's.
A second run adds no report. The notifications they sent are history: marked e-mailed when they were sent."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Max

from notifications.models import Notification
from staff.demo import ROLE_HR, ROLE_SUPERVISOR
from staff.models import Team

from . import reporting
from .models import Report, ReportKind
from .services import reports as services
from .services.aggregates import refresh_playbooks, refresh_proficiency, refresh_ramp

ARCHIVE_WEEKS = 4
COMMENTARY = "首次解决率保持稳定；两名学员通过第二周期通关考核。下周重点：辅导信用卡争议类长通话。"


@transaction.atomic
def seed_demo_extra(*, today, stdout=None):
    refresh_ramp(full=True)  # the KPI ramp's aggregate over the demo's six months (rewritten the same on a rerun)
    refresh_proficiency(full=True)
    refresh_playbooks(today=today)
    if Report.objects.exists():
        return {}
    users = get_user_model().objects.filter(username__in=[ROLE_HR, ROLE_SUPERVISOR])
    by_name = {user.username: user for user in users}
    hr, supervisor = by_name.get(ROLE_HR), by_name.get(ROLE_SUPERVISOR)
    team = Team.objects.filter(supervisor__user=supervisor).order_by("pk").first() if supervisor else None
    if hr is None or team is None:
        return {}
    before = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
    monday, _sunday = reporting.last_week(today)
    approved = 0
    for weeks_back in range(ARCHIVE_WEEKS, 0, -1):
        start = monday - datetime.timedelta(days=7 * weeks_back)
        end = start + datetime.timedelta(days=6)
        report = Report.objects.create(
            kind=ReportKind.WEEKLY_TEAM,
            team=team,
            period_start=start,
            period_end=end,
            due_on=reporting.due_on(ReportKind.WEEKLY_TEAM, end),
        )
        services.submit(actor=supervisor, report_id=report.pk, commentary=COMMENTARY)
        services.review(actor=hr, report_id=report.pk, approve=True)
        approved += 1
    opened = services.open_due_reports(today=today)
    Notification.objects.filter(pk__gt=before).update(emailed_at=F("created_at"))
    if stdout is not None:
        stdout.write(f"Reports: {approved} approved weekly reports of {team}, {opened} drafts opened.")
    return {"reports": approved + opened}
