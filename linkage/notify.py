"""What the linkage app tells people, and when (issue 12 §5: publicity and acknowledgement).

Rows are rendered once per language and written in one insert by notifications.services.queue_rows; each key
names (kind, version, [day,] recipient), so a rerun, a retry or a second worker writes nothing twice."""

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.services import Row, queue_rows

from . import permissions
from .models import Acknowledgement, PlaybookVersion

PUBLISHED = "linkage_published"
PILOTED = "linkage_piloted"
REMINDER = "linkage_ack_reminder"


def _url(version):
    return f"{reverse('linkage:playbook', args=[version.playbook.code])}?version={version.number}"


def _recipients(version, members):
    """(user id, language) of ``members`` with an active account."""
    return members.filter(user__isnull=False, user__is_active=True).order_by().values_list("user_id", "language")


def _rows(version, recipients, kind, key, title):
    """One row per recipient, the title rendered once per language (``title()`` runs in that language)."""
    titles, rows, url = {}, [], _url(version)
    for user_id, language in recipients:
        language = language or settings.LANGUAGE_CODE
        if language not in titles:
            with translation.override(language):
                titles[language] = title()
        rows.append(Row(user_id, kind, key(user_id), titles[language], "", url))
    return rows


def _announce(version_id, kind, title):
    version = PlaybookVersion.objects.select_related("playbook").get(pk=version_id)
    if version.status not in permissions.ACKNOWLEDGED_STATUSES:
        return 0
    recipients = _recipients(version, permissions.members_of(version))
    name = {"n": version.number}
    rows = _rows(
        version,
        recipients,
        kind,
        lambda user_id: f"{kind}:{version.pk}:{user_id}",
        lambda: title() % {**name, "playbook": version.playbook.name},
    )
    return queue_rows(rows)


def version_published(version_id):
    """Tell each member a published version applies to (every active team member) to read and acknowledge it.
    Called after the publish commits; a second call writes nothing."""
    return _announce(version_id, PUBLISHED, lambda: _("New playbook version to read: %(playbook)s v%(n)s"))


def version_piloted(version_id):
    """Tell each member of the pilot teams to read and acknowledge the pilot version."""
    return _announce(version_id, PILOTED, lambda: _("Pilot playbook for your team to read: %(playbook)s v%(n)s"))


def send_reminders(*, today=None):
    """Daily: each member still owing an acknowledgement of a version that applies to her is reminded, once a
    day at most per version (the key holds the day). Level-triggered: one query per version in force."""
    today = today or timezone.localdate()
    total = 0
    versions = PlaybookVersion.objects.filter(status__in=permissions.ACKNOWLEDGED_STATUSES).select_related("playbook")
    for version in versions:
        acknowledged = Acknowledgement.objects.filter(version=version, employee=OuterRef("pk"))
        members = permissions.members_of(version).exclude(Exists(acknowledged))
        rows = _rows(
            version,
            _recipients(version, members),
            REMINDER,
            lambda user_id, v=version: f"{REMINDER}:{v.pk}:{today.isoformat()}:{user_id}",
            lambda v=version: (
                _("Reminder: please read and acknowledge %(playbook)s v%(n)s")
                % {"playbook": v.playbook.name, "n": v.number}
            ),
        )
        total += queue_rows(rows)
    return total


REFRESHER = "linkage_refresher"


def refresher_due(certification, drill=None):
    """Tell the holder of ``certification`` it expires soon and, when one was set, when her refresher drill is
    (issue 12 §7, seed 002: veterans keep learning). Keyed per certification: a second call writes nothing."""
    employee = certification.employee
    if employee.user_id is None or not employee.user.is_active:
        return 0
    playbook = certification.playbook
    url = reverse("linkage:playbook", args=[playbook.code])
    with translation.override(employee.language or settings.LANGUAGE_CODE):
        title = _("Your certification for %(playbook)s expires on %(day)s") % {
            "playbook": playbook.name,
            "day": certification.expires_on.isoformat(),
        }
        body = (
            _("A refresher drill is set for %(when)s.")
            % {"when": timezone.localtime(drill.scheduled_for).strftime("%Y-%m-%d %H:%M")}
            if drill is not None
            else _("Ask your supervisor for a refresher drill.")
        )
    return queue_rows([Row(employee.user_id, REFRESHER, f"{REFRESHER}:{certification.pk}", title, body, url)])


# Cases (issue 13 §1–2) ------------------------------------------------------------------------------------------
# Keys name (kind, case, [level,] recipient): a rerun of the sweep, a retried task or a second worker writes nothing.

CASE_HANDOFF = "linkage_case_handoff"
CASE_REMINDER = "linkage_case_reminder"
CASE_ESCALATED = "linkage_case_escalated"
CASE_PAST_LEAD = "linkage_case_past_lead"


def _case_rows(case, recipients, kind, key, title, body=lambda: ""):
    """One row per (user id, language), title and body rendered once per language."""
    texts, rows, url = {}, [], reverse("linkage:case", args=[case.pk])
    for user_id, language in recipients:
        language = language or settings.LANGUAGE_CODE
        if language not in texts:
            with translation.override(language):
                texts[language] = (title(), body())
        rows.append(Row(user_id, kind, key(user_id), *texts[language], url))
    return rows


def _person(employee):
    """[(user id, language)] of ``employee`` when she has an active account."""
    if employee is None or employee.user_id is None or not employee.user.is_active:
        return []
    return [(employee.user_id, employee.language)]


def case_handed_off(handoff):
    """Tell the person a step of a case was handed to (a hand-off to a role finds its holders on their list)."""
    case = handoff.case
    return queue_rows(
        _case_rows(
            case,
            _person(handoff.to_employee),
            CASE_HANDOFF,
            lambda user_id: f"{CASE_HANDOFF}:{handoff.pk}",
            lambda: (
                _("Case %(ref)s: a step is handed to you by %(owner)s")
                % {"ref": case.reference, "owner": case.owner.name}
            ),
            lambda: handoff.get_reason_code_display() + (f": {handoff.reason}" if handoff.reason else ""),
        )
    )


def case_reminder(case):
    """Remind the owner before her case breaches its resolution target (once per case)."""
    return queue_rows(
        _case_rows(
            case,
            _person(case.owner),
            CASE_REMINDER,
            lambda user_id: f"{CASE_REMINDER}:{case.pk}",
            lambda: (
                _("Case %(ref)s is due by %(when)s")
                % {"ref": case.reference, "when": timezone.localtime(case.resolution_due_at).strftime("%Y-%m-%d %H:%M")}
            ),
        )
    )


def case_escalated(case, number, recipients):
    """Tell the holders of escalation level ``number`` that ``case`` breached its resolution target (once each)."""
    return queue_rows(
        _case_rows(
            case,
            recipients,
            CASE_ESCALATED,
            lambda user_id: f"{CASE_ESCALATED}:{case.pk}:{number}:{user_id}",
            lambda: (
                _("Escalation level %(n)s: case %(ref)s of %(owner)s breached its resolution target")
                % {"n": number, "ref": case.reference, "owner": case.owner.name}
            ),
        )
    )


def case_escalated_past_lead(case, number, recipients, reason):
    """Tell the holders of level ``number`` that the owner escalated past her team lead (seed 002: 越级反馈)."""
    return queue_rows(
        _case_rows(
            case,
            recipients,
            CASE_PAST_LEAD,
            lambda user_id: f"{CASE_PAST_LEAD}:{case.pk}:{number}:{user_id}",
            lambda: (
                _("%(owner)s escalated case %(ref)s past the team lead")
                % {"owner": case.owner.name, "ref": case.reference}
            ),
            lambda: reason,
        )
    )


# Authority guardrails (issue 13 §3) ------------------------------------------------------------------------------
# Keys name (kind, team or agent, month, recipient): HR is told once per team or agent and month.

GUARDRAIL = "linkage_guardrail"


def _hr_recipients():
    """(user id, language) of the active HR accounts."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from staff.models import Employee
    from staff.permissions import HR_GROUP

    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__name=HR_GROUP) | Q(is_superuser=True))
        .distinct()
        .order_by("pk")
    )
    languages = dict(Employee.objects.filter(user__in=users).values_list("user_id", "language"))
    return [(pk, languages.get(pk) or settings.LANGUAGE_CODE) for pk in users.values_list("pk", flat=True)]


def guardrail_alerts(*, on=None):
    """Daily: tell HR of each team whose payout per complaint case and each agent whose number of issuances passed
    this month's guardrail (settings LINKAGE_GUARDRAIL_*); once per team or agent and month."""
    from .selectors.authority import guardrail_breaches

    on = on or timezone.localdate()
    teams, agents = guardrail_breaches(
        on=on,
        payout_per_complaint=settings.LINKAGE_GUARDRAIL_PAYOUT_PER_COMPLAINT_CNY,
        issuances_per_agent=settings.LINKAGE_GUARDRAIL_ISSUANCES_PER_AGENT_MONTH,
    )
    if not teams and not agents:
        return 0
    month, url = on.strftime("%Y-%m"), reverse("linkage:ledger")
    rows = []
    for user_id, language in _hr_recipients():
        with translation.override(language):
            for team in teams:
                title = _("Guardrail: %(team)s paid %(per)s per complaint this month (guardrail %(limit)s)") % {
                    "team": team.team_name,
                    "per": f"¥{team.per_complaint}",
                    "limit": f"¥{settings.LINKAGE_GUARDRAIL_PAYOUT_PER_COMPLAINT_CNY}",
                }
                body = _("%(paid)s issued over %(n)s complaint cases.") % {
                    "paid": f"¥{team.paid}",
                    "n": team.complaints,
                }
                key = f"{GUARDRAIL}:team:{team.team_id}:{month}:{user_id}"
                rows.append(Row(user_id, GUARDRAIL, key, title, body, f"{url}?team={team.team_id}"))
            for agent in agents:
                title = _("Guardrail: %(agent)s issued %(n)s coupons this month (guardrail %(limit)s)") % {
                    "agent": agent.name,
                    "n": agent.count,
                    "limit": settings.LINKAGE_GUARDRAIL_ISSUANCES_PER_AGENT_MONTH,
                }
                key = f"{GUARDRAIL}:agent:{agent.employee_id}:{month}:{user_id}"
                rows.append(Row(user_id, GUARDRAIL, key, title, "", f"{url}?agent={agent.employee_id}"))
    return queue_rows(rows)
