"""Where each role lands costs the same number of queries with 2 trainees as with 12 (STYLE: query counts of
pages must not grow with data): the supervisor's Today, the mentor's My mentees, the trainee's My onboarding
and HR's overview. Each trainee brings the things those pages list: overdue activities, coaching sessions
not acknowledged and due, failed gate checks, gates at risk, other teams and batches."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.staff.factories import TeamFactory
from tests.training.onboarding_factories import make_program, make_trainee, open_batch, walk_to
from training import cycles, services
from training.models import Activity, CoachingSession, Enrollment

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
STATES = (cycles.PRE_JOB, cycles.cycle_state(1), cycles.cycle_state(2), cycles.cycle_state(3))

# Every page: session, user, the roles query, the unread badge's count; then its own reads. The marker is an
# attribute each listed thing carries, so the test also sees the page list more at the larger size.
EXPECTED = {
    "supervisor": ("staff:today", 27, "data-key="),  # issue 11: KPIs; issues 12, 13: weak links, cases, approvals
    # issue 15: + 3, incentives' items (the teams she leads, people not recognised in 30 days, open pulse alerts)
    # issue 12: + 1, the members who have not acknowledged a published playbook (linkage.today)
    "mentor": ("staff:my-mentees", 7, "data-mentee="),
    "trainee": ("training:my-onboarding", 13, '/acknowledge/"'),  # a form per session to acknowledge
    "hr": ("staff:hr-home", 12, "data-batch="),
}


@pytest.fixture
def tiny(db):
    return make_program()


def add_batch(world, tiny, code, size):
    """A batch of ``size`` trainees supervised by the world's supervisor and mentored by its mentor, half of
    them in a new team, spread over pre-job and cycles 1–3, each with overdue work and coaching to follow up."""
    today, now = timezone.localdate(), timezone.now()
    other_team = TeamFactory(name=f"Team {code}")
    trainees = [
        make_trainee(world.team if n % 2 else other_team, mentor=world.mentor, name=f"{code} {n}") for n in range(size)
    ]
    batch = open_batch(
        tiny, hr=world.hr, supervisor=world.supervisor, trainees=trainees, start_on=today, code=code, team=world.team
    )
    for n, enrollment in enumerate(Enrollment.objects.filter(batch=batch).order_by("pk")):
        state = STATES[n % len(STATES)]
        if state != cycles.PRE_JOB:
            enrollment = walk_to(enrollment, state, actor=world.hr)
        if state == cycles.cycle_state(3):
            services.record_gate_check(actor=world.hr, enrollment_id=enrollment.pk, score=50)
        Enrollment.objects.filter(pk=enrollment.pk).update(due_on=today + datetime.timedelta(days=1))
        for coach, at in ((world.mentor.user, now - datetime.timedelta(days=5)), (world.supervisor.user, now)):
            CoachingSession.objects.create(
                employee=enrollment.trainee,
                enrollment=enrollment,
                coach=coach,
                phase="during",
                scheduled_at=at + datetime.timedelta(hours=2),
            )
    Activity.objects.filter(enrollment__batch=batch, done_at__isnull=True).update(
        due_on=today - datetime.timedelta(days=2)
    )
    return batch


def count_queries(client, user, url_name, django_assert_num_queries, expected):
    client.force_login(user, backend=MODEL_BACKEND)
    with django_assert_num_queries(expected):
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("who", list(EXPECTED))
def test_a_landing_costs_the_same_queries_with_2_and_with_12_trainees(
    client, world, tiny, who, django_assert_num_queries
):
    url_name, expected, marker = EXPECTED[who]
    first = add_batch(world, tiny, "small", 2)
    user = world.hr if who == "hr" else getattr(world, who).user
    if who == "trainee":  # one of the batch: her batch mates and her own coaching history grow
        mine = Enrollment.objects.filter(batch=first, state=cycles.cycle_state(1)).get()
        user = mine.trainee.user
    small = count_queries(client, user, url_name, django_assert_num_queries, expected)
    add_batch(world, tiny, "large", 10)
    if who == "trainee":
        for days in range(1, 11):
            at = timezone.now() - datetime.timedelta(days=days)
            CoachingSession.objects.create(
                employee=mine.trainee, enrollment=mine, coach=world.mentor.user, phase="during", scheduled_at=at
            )
    large = count_queries(client, user, url_name, django_assert_num_queries, expected)
    assert small.content.decode().count(marker) < large.content.decode().count(marker)
