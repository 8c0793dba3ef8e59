"""Every write of the reporting system (issue 16 §4): open each period's drafts, remind their authors, save the
commentary, submit (which freezes the figures), approve or return. Status moves follow insights.reporting.MOVES;
each is locked, recorded as a ReportEvent and told to whoever acts next."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from improvement.selectors.tasks import floor_managers, hr_recipients
from notifications.services import Row, queue_rows
from staff.models import Stage, Team

from .. import permissions, reporting
from ..models import Report, ReportEvent, ReportKind, ReportStatus
from ..selectors import reports as selectors

REMINDER = "insights_report_reminder"
SUBMITTED = "insights_report_submitted"
REVIEWED = "insights_report_reviewed"
MAX_COMMENTARY = 20_000


def open_due_reports(*, today=None):
    """Open the last complete week's report of every team with people and the last complete month's centre
    report; a report that exists is left alone (the unique constraints), so a second run opens nothing. Returns
    how many were opened."""
    today = today or timezone.localdate()
    week_start, week_end = reporting.last_week(today)
    month_start, month_end = reporting.last_month(today)
    staying = [stage for stage in Stage.values if stage != Stage.LEFT]
    teams = Team.objects.filter(members__hire_date__lte=week_end, members__stage__in=staying).distinct()
    wanted = [
        Report(
            kind=ReportKind.WEEKLY_TEAM,
            team_id=team_id,
            period_start=week_start,
            period_end=week_end,
            due_on=reporting.due_on(ReportKind.WEEKLY_TEAM, week_end),
        )
        for team_id in teams.values_list("pk", flat=True)
    ]
    wanted.append(
        Report(
            kind=ReportKind.MONTHLY_CENTRE,
            period_start=month_start,
            period_end=month_end,
            due_on=reporting.due_on(ReportKind.MONTHLY_CENTRE, month_end),
        )
    )
    before = Report.objects.count()
    Report.objects.bulk_create(wanted, ignore_conflicts=True)
    return Report.objects.count() - before


def _centre_writers():
    """(user id, language) of whoever writes and reviews the centre's reports: the floor managers, else HR."""
    managers = [(m.user_id, m.language or settings.LANGUAGE_CODE) for m in floor_managers() if m.user_id]
    return managers or hr_recipients()


def _reviewers(report):
    """The manager: the floor managers other than the author, else HR."""
    others = [(pk, language) for pk, language in _centre_writers() if pk != report.author_id]
    return others or [(pk, language) for pk, language in hr_recipients() if pk != report.author_id]


def _author_of(report):
    """(user id, language) of the people who should write ``report``."""
    supervisor = report.team.supervisor if report.team_id else None
    if supervisor is not None and supervisor.user_id and supervisor.user.is_active:
        return [(supervisor.user_id, supervisor.language or settings.LANGUAGE_CODE)]
    return _centre_writers()


def _rows(recipients, kind, key, title, report, body=""):
    """Rendered notification rows, each in its reader's language; ``title`` is called with the report's name."""
    url = reverse("insights:report", args=[report.pk])
    rows = []
    for user_id, language in recipients:
        with translation.override(language):
            rows.append(Row(user_id, kind, f"{kind}:{user_id}:{key}", title(str(report)), body, url))
    return rows


def remind_authors(*, today=None):
    """Every open report from two days before its due day: its author is reminded once a day until it is
    submitted (the key names the day). Returns how many reminders were new."""
    today = today or timezone.localdate()
    due = [
        report
        for report in Report.objects.filter(status__in=(ReportStatus.DRAFT, ReportStatus.RETURNED))
        .select_related("team__supervisor__user")
        .order_by("due_on", "pk")
        if reporting.reminder_from(report.due_on) <= today
    ]
    rows = []
    for report in due:
        rows += _rows(
            _author_of(report),
            REMINDER,
            f"{report.pk}:{today.isoformat()}",
            lambda name, due_on=report.due_on: _("Report due %(day)s: %(report)s") % {"day": due_on, "report": name},
            report,
        )
    return queue_rows(rows) if rows else 0


def _locked(report_id):
    return Report.objects.select_for_update(of=("self",)).select_related("team").get(pk=report_id)


def _move(report, actor, to_status, note=""):
    if not reporting.can_move(report.status, to_status):
        raise ValidationError(_("A %(status)s report cannot be moved there.") % {"status": report.get_status_display()})
    from_status = report.status
    report.status = to_status
    ReportEvent.objects.create(report=report, actor=actor, from_status=from_status, to_status=to_status, note=note)
    return from_status


def _clean_commentary(commentary):
    commentary = (commentary or "").strip()
    if len(commentary) > MAX_COMMENTARY:
        raise ValidationError(
            _("The commentary may hold at most %(max)d characters.") % {"max": MAX_COMMENTARY}, code="too_long"
        )
    return commentary


@transaction.atomic
def save_commentary(*, actor, report_id, commentary):
    """The author's commentary, saved while the report is open."""
    report = _locked(report_id)
    if not permissions.can_write_report(actor, report):
        raise PermissionDenied
    report.commentary = _clean_commentary(commentary)
    report.save(update_fields=["commentary"])
    return report


@transaction.atomic
def submit(*, actor, report_id, commentary=None):
    """The author submits: the figures are frozen as they are now, the reviewers are told. Submitting a submitted
    report changes nothing."""
    report = _locked(report_id)
    if report.status == ReportStatus.SUBMITTED and report.author_id == actor.pk:
        return report
    if not permissions.can_write_report(actor, report):
        raise PermissionDenied
    if commentary is not None:
        report.commentary = _clean_commentary(commentary)
    if not report.commentary:
        raise ValidationError(_("Write your commentary before you submit."), code="no_commentary")
    now = timezone.now()
    _move(report, actor, ReportStatus.SUBMITTED)
    report.figures = selectors.compute(report.kind, report.team, report.period_start, report.period_end, now=now)
    report.author = actor
    report.submitted_at = now
    report.save(update_fields=["status", "commentary", "figures", "author", "submitted_at"])
    rows = _rows(
        _reviewers(report),
        SUBMITTED,
        f"{report.pk}:{now.isoformat()}",
        lambda name: _("Report to review: %(report)s") % {"report": name},
        report,
    )
    if rows:
        queue_rows(rows)
    return report


@transaction.atomic
def review(*, actor, report_id, approve, note=""):
    """The manager approves a submitted report, or returns it with a note (which is then required); a returned
    report's figures are computed afresh until it is submitted again. Repeating a review changes nothing."""
    report = _locked(report_id)
    target = ReportStatus.APPROVED if approve else ReportStatus.RETURNED
    if report.status == target and report.reviewer_id == actor.pk:
        return report
    if not permissions.can_review_report(actor, report):
        raise PermissionDenied
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError(_("Say what should change before you return the report."), code="no_note")
    now = timezone.now()
    _move(report, actor, target, note)
    report.reviewer = actor
    report.reviewed_at = now
    report.review_note = note
    fields = ["status", "reviewer", "reviewed_at", "review_note"]
    if not approve:
        report.figures = {}
        fields.append("figures")
    report.save(update_fields=fields)
    if report.author_id:
        author = [(report.author_id, _language_of_user(report.author_id))]
        title = (
            (lambda name: _("Report approved: %(report)s") % {"report": name})
            if approve
            else (lambda name: _("Report returned: %(report)s") % {"report": name})
        )
        queue_rows(_rows(author, REVIEWED, f"{report.pk}:{now.isoformat()}", title, report, note))
    return report


def _language_of_user(user_id):
    from staff.models import Employee

    found = Employee.objects.filter(user_id=user_id).values_list("language", flat=True).first()
    return found or settings.LANGUAGE_CODE
