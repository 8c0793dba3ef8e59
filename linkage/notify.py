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
