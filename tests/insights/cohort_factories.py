"""A small centre for the insight pages, with hand-checkable figures (tests/insights/test_cohorts.py says how each
is computed). It is 15 November 2026."""

import datetime
from types import SimpleNamespace

from rest_framework.test import APIClient

from staff.models import Stage
from tests.staff.factories import DepartmentFactory, EmployeeFactory, SiteFactory, TeamFactory, make_hr_user
from training import cycles
from training.models import Batch, Enrollment, EnrollmentEvent, GateCheck, Program

TODAY = datetime.date(2026, 11, 15)
JUNE, MARCH, SEPTEMBER = datetime.date(2026, 6, 1), datetime.date(2026, 3, 2), datetime.date(2026, 9, 1)


def _lead(team, name):
    lead = EmployeeFactory(
        name=name, team=team, stage=Stage.MANAGEMENT, hire_date=datetime.date(2020, 3, 2), user__username=name
    )
    team.supervisor = lead
    team.save(update_fields=["supervisor"])
    return lead


def _enrol(batch, trainee, state=cycles.CYCLE_STATES[1]):
    return Enrollment.objects.create(
        batch=batch,
        trainee=trainee,
        state=state,
        cycle=2,
        cycle_started_on=JUNE,
        due_on=JUNE + datetime.timedelta(days=14),
    )


def _gate(enrollment, cycle, attempt, score):
    return GateCheck.objects.create(
        enrollment=enrollment,
        cycle=cycle,
        attempt=attempt,
        taken_on=JUNE,
        score=score,
        pass_mark=70,
        examiner=enrollment.batch.supervisor.user,
    )


def centre():
    site = SiteFactory(name="Site 1")
    team_a = TeamFactory(name="Team A", department=DepartmentFactory(site=site))
    team_b = TeamFactory(name="Team B", department=team_a.department)
    lead_a, lead_b = _lead(team_a, "lead_a"), _lead(team_b, "lead_b")
    # June: a1 stays; a2 leaves on 15 July; a3 left with no last day recorded; the mover joined A, now in B.
    a1 = EmployeeFactory(name="a1", team=team_a, hire_date=JUNE)
    a2 = EmployeeFactory(name="a2", team=team_a, hire_date=JUNE, stage=Stage.LEFT, left_on=datetime.date(2026, 7, 15))
    a3 = EmployeeFactory(name="a3", team=team_a, hire_date=JUNE, stage=Stage.LEFT, left_on=None)
    mover = EmployeeFactory(name="mover", team=team_a, hire_date=JUNE)
    mover.team = team_b
    mover.save()  # a second history row: the mover's first team stays A
    # A rehire: the first employment (March, left 10 April) and the second (September) are two employee rows.
    first = EmployeeFactory(
        name="rehire", team=team_b, hire_date=MARCH, stage=Stage.LEFT, left_on=datetime.date(2026, 4, 10)
    )
    second = EmployeeFactory(name="rehire", team=team_b, hire_date=SEPTEMBER)
    # June's onboarding: a1 passes cycle 1's gate at once, fails cycle 2's first attempt and passes the second, and
    # was extended once; a2 fails cycle 1's first attempt and withdrew.
    program = Program.objects.create(code="cohort-test", name_en="P", name_zh="P")
    batch = Batch.objects.create(program=program, code="june", name="June batch", start_on=JUNE, supervisor=lead_a)
    e1, e2 = _enrol(batch, a1), _enrol(batch, a2, state=cycles.WITHDRAWN)
    _gate(e1, 1, 1, 80), _gate(e1, 2, 1, 60), _gate(e1, 2, 2, 75), _gate(e2, 1, 1, 50)
    EnrollmentEvent.objects.create(enrollment=e1, move=cycles.EXTEND, from_state="cycle_2", to_state="extended")
    return SimpleNamespace(
        site=site,
        team_a=team_a,
        team_b=team_b,
        lead_a=lead_a,
        lead_b=lead_b,
        a1=a1,
        a2=a2,
        a3=a3,
        mover=mover,
        first=first,
        second=second,
        batch=batch,
        hr=make_hr_user(),
    )


def api(user):
    """An API client authenticated as ``user``."""
    client = APIClient()
    client.force_authenticate(user)
    return client
