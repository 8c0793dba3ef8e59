"""Demo role linkage for `manage.py seed_demo` (issue 12): the shipped roles mapped to the demo's positions, the
shipped versions gone live in the past (incident handling a week before its first drill, more than a year ago;
marketing piloted in two teams for three weeks, then published a week before its first drill), the
marketing playbook in a second version published after a consultation (one agent's comment answered by HR),
and the playbooks acknowledged by most people, with a few still due in each team so the supervisor sees who;
drills over the past months (some practice), certifications (a few expired, so refreshers are due), and the
demo supervisor's team without a certified specialist for the marketing step "explain" — its weakest link — with
a drill scheduled for tomorrow that can close it.

Every move goes through linkage.services; a second run finds version 2 and adds nothing.
"""

import datetime
import random

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.demo import ROLE_HR, ROLE_SUPERVISOR, ROLE_TRAINEE
from staff.models import Employee, Stage, Team

from . import demo_cases, demo_drills
from .defaults import apply_defaults
from .models import Acknowledgement, Playbook, PlaybookVersion, VersionEvent, VersionStatus
from .services import playbooks

MARKETING = "customer-marketing"
INCIDENT = "incident-handling"
PILOT_TEAMS = 2
NOT_YET_READ = 0.25  # share of people who have not acknowledged yet


@transaction.atomic
def seed_demo_extra(*, today, stdout=None):
    """Map the roles, publish the marketing playbook's version 2 after a consultation, and acknowledge."""
    apply_defaults(apps)  # the demo's positions exist now: map the roles to them
    User = get_user_model()
    hr = User.objects.filter(username=ROLE_HR).first()
    marketing = Playbook.objects.filter(code=MARKETING).first()
    if hr is None or marketing is None or marketing.versions.filter(number__gt=1).exists():
        return {}
    _went_live_in_the_past(marketing, hr, today)
    counts = {"versions": _second_version(marketing, hr, today)}
    counts["acknowledgements"] = _acknowledge(today)
    counts.update(demo_drills.seed(hr=hr, today=today))
    counts.update(demo_cases.seed(hr=hr, today=today))
    counts.update(demo_cases.seed_qa(hr=hr, today=today))
    if stdout is not None:
        stdout.write(
            _(
                "Linkage demo: %(acknowledgements)d acknowledgements, %(drills)d drills, %(certified)d certifications, "
                "%(cases)d cases, %(issuances)d coupons."
            )
            % counts
        )
    return counts


def _at(day, hour=9):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _went_live_in_the_past(marketing, hr, today):
    """The shipped versions were published when the migration ran (demo day); in the demo's story they went live
    before their first drills (demo_drills), so insights can show each playbook's before and after, its pilot
    against the other teams, and drilled against not yet drilled teams. Only the versions' dates and the
    marketing pilot's teams change; every drill, case and figure of the linkage demo stays as it was."""
    marketing_first = today - datetime.timedelta(weeks=demo_drills.WEEKS_BETWEEN_DRILLS * demo_drills.DRILLS_PER_TEAM)
    live = {
        INCIDENT: today - datetime.timedelta(days=demo_drills.EXPIRED_DAYS_AGO + 7),
        MARKETING: marketing_first - datetime.timedelta(days=7),
    }
    versions = PlaybookVersion.objects.filter(playbook__code__in=live, number=1, status=VersionStatus.PUBLISHED)
    for version in versions.select_related("playbook"):
        published = _at(live[version.playbook.code])
        PlaybookVersion.objects.filter(pk=version.pk).update(published_at=published)
        events = VersionEvent.objects.filter(version=version, to_status=VersionStatus.PUBLISHED)
        if version.playbook_id != marketing.pk:
            events.update(at=published)
            continue
        teams = Team.objects.filter(supervisor__user__isnull=False).select_related("supervisor__user")
        # the demo supervisor's team first, then the others in code order
        pilot = sorted(teams.order_by("code"), key=lambda team: team.supervisor.user.username != ROLE_SUPERVISOR)
        version.pilot_teams.set(pilot[:PILOT_TEAMS])
        piloted = VersionEvent.objects.create(
            version=version, to_status=VersionStatus.PILOT, actor=hr, reason=_("Piloted in two teams first.")
        )
        VersionEvent.objects.filter(pk=piloted.pk).update(at=published - datetime.timedelta(weeks=3))
        events.update(at=published, from_status=VersionStatus.PILOT)


def _second_version(playbook, hr, today):
    first = playbook.versions.get(status=VersionStatus.PUBLISHED)
    version = playbooks.start_version(
        actor=hr,
        playbook=playbook,
        from_version=first,
        reason=_("Agents asked for the hand-off phrase to be said before the customer is transferred."),
    )
    playbooks.open_consultation(actor=hr, version=version, days=7, today=today)
    agent = Employee.objects.filter(user__username=ROLE_TRAINEE).select_related("user").first()
    if agent is not None:
        comment = playbooks.add_comment(
            user=agent.user,
            version=version,
            body=_("Can the specialist greet the customer by name when she takes over?"),
            today=today,
        )
        playbooks.answer_comment(
            actor=hr, comment=comment, answer=_("Yes: the hand-off phrase now includes the customer's name.")
        )
    playbooks.publish(actor=hr, version=version)
    return 1


def _acknowledge(today):
    """Most active people with a team have read the published versions; a quarter have not yet."""
    rng = random.Random(2026)
    published = list(PlaybookVersion.objects.filter(status=VersionStatus.PUBLISHED))
    people = Employee.objects.filter(team__isnull=False).exclude(stage=Stage.LEFT).order_by("employee_number")
    now = timezone.now()
    rows = [
        Acknowledgement(version=version, employee=person, acknowledged_at=now)
        for person in people
        for version in published
        if rng.random() >= NOT_YET_READ
    ]
    return len(Acknowledgement.objects.bulk_create(rows, ignore_conflicts=True))
