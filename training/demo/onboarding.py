"""The onboarding demo (DOMAIN §3): a batch per team of new hires, replayed from its first day to today.

Each agent team's new hires form a batch (批次) under the team's supervisor, opened by the HR demo login
on the day they were hired. The replay then lives through every day from the first batch's start to today
with the services and their date arguments: the sweep moves people on when a gate is met (and
extends them when it is not), the 07:30 reminders write notifications, and in the daytime trainees,
mentors and supervisors do what is due: activities with a short note, coaching before, during and after
(事前 / 事中 / 事后) with the coach's review of the cycle's KASH focus, gate checks, an extension and a
withdrawal. A few people leave the plain path on purpose (see _Story), so every page has something to show.

The services stamp their rows with the current time, so the replay moves those stamps (events,
notifications, coaching sessions, assessments, done and acknowledged times) back to the replayed moment.
Notifications older than READ_AFTER_DAYS count as read, and every replayed one as e-mailed: a worker
started later sends no history. A second run finds the batches and adds nothing."""

from collections import Counter

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from staff.demo import ROLE_HR, ROLE_TRAINEE
from staff.models import Employee, Stage

from ..models import Batch, Program
from .onboarding_replay import _batch_code, _Replay
from .onboarding_story import ONBOARDING_PROGRAM


def _new_hire_groups(today):
    """[(team, start day, [Employee])]: each agent team's new hires, who started together on their hire date."""
    new_hires = (
        Employee.objects.filter(stage=Stage.ONBOARDING, team__supervisor__user__isnull=False, user__is_active=True)
        .filter(hire_date__lte=today)
        .select_related("user", "mentor__user", "team__supervisor__user")
        .order_by("team__code", "hire_date", "employee_number")
    )
    groups = {}
    for employee in new_hires:
        groups.setdefault((employee.team.code, employee.hire_date), (employee.team, employee.hire_date, []))[2].append(
            employee
        )
    return list(groups.values())


def seed_onboarding_demo(*, today, stdout=None):
    """Open a batch per team of new hires and replay it from the first day to ``today``; skipped when the
    batches exist already."""
    User = get_user_model()
    program = Program.objects.filter(code=ONBOARDING_PROGRAM, is_active=True).first()
    hr = User.objects.filter(username=ROLE_HR, is_active=True).first()
    groups = _new_hire_groups(today)
    counts = Counter()
    if program is None:
        if stdout is not None:
            stdout.write(_("Onboarding demo skipped: load the onboarding program first (load_onboarding_program)."))
        return counts
    if hr is None or not groups:
        return counts  # nobody to enroll, or no HR login to open the batches
    if Batch.objects.filter(code__in=[_batch_code(team, start) for team, start, _employees in groups]).exists():
        if stdout is not None:
            stdout.write(_("Onboarding demo: the demo batches exist already; nothing added."))
        return counts
    trainee_user_id = User.objects.filter(username=ROLE_TRAINEE).values_list("pk", flat=True).first()
    counts = _Replay(program=program, hr=hr, groups=groups, today=today, trainee_user_id=trainee_user_id).run()
    if stdout is not None:
        stdout.write(
            _(
                "Onboarding demo: %(batches)d batches with %(enrollments)d trainees; %(activities)d activities "
                "done, %(sessions)d coaching sessions, %(gate_checks)d gate checks, %(notifications)d "
                "notifications."
            )
            % counts
        )
    return counts
