"""The demo's weekly mood check-ins (issue 15 §9), on a small world of our own: every trainee in cycle 4 answered
each week since she entered it, one of them is falling (the batch board and "Today" flag her), nobody else
answered, nothing is in the future, and a second run adds nothing."""

import datetime

import pytest
from django.utils import timezone

from tests.training.onboarding_factories import at, enrollment_of, make_program, make_trainee, open_batch, walk_to
from training import cycles, mood_rules
from training.demo import seed_mood_demo
from training.models import Enrollment, MoodCheckIn
from training.selectors import mood as mood_selectors

TODAY = datetime.date(2026, 3, 11)  # a Wednesday
ENTERED = datetime.date(2026, 2, 20)  # cycle 4 entered on a Friday: weeks of 16 Feb, 23 Feb, 2 Mar, 9 Mar


@pytest.fixture
def batch(world, time_machine):
    time_machine.move_to(at(ENTERED), tick=False)
    tiny = make_program()
    world.mates = [make_trainee(world.team, mentor=world.mentor, name=f"Trainee {n}") for n in range(3)]
    batch = open_batch(
        tiny,
        hr=world.hr,
        supervisor=world.supervisor,
        trainees=[world.trainee, *world.mates],
        start_on=ENTERED - datetime.timedelta(days=70),
    )
    for trainee in [world.trainee, *world.mates[:2]]:
        walk_to(enrollment_of(batch, trainee), cycles.cycle_state(4), actor=world.hr)
    walk_to(enrollment_of(batch, world.mates[2]), cycles.cycle_state(3), actor=world.hr)
    time_machine.move_to(at(TODAY), tick=False)
    return batch


def test_each_trainee_in_cycle_4_answered_every_week_since_she_entered_it(world, batch):
    assert seed_mood_demo(today=TODAY) == {"mood_checkins": 12}
    weeks = [mood_rules.week_of(ENTERED) + datetime.timedelta(weeks=n) for n in range(4)]
    for enrollment in Enrollment.objects.filter(cycle=4):
        assert list(enrollment.mood_checkins.order_by("week").values_list("week", flat=True)) == weeks


def test_one_trainee_of_the_demo_is_falling(world, batch):
    seed_mood_demo(today=TODAY)
    enrollments = list(Enrollment.objects.all())
    falling = mood_selectors.falling(enrollments)
    assert len(falling) == 1
    (pk,) = falling
    assert Enrollment.objects.get(pk=pk).mood_checkins.exclude(note="").exists()  # she says why


def test_nobody_outside_cycle_4_answered_and_nothing_is_in_the_future(world, batch):
    seed_mood_demo(today=TODAY)
    assert not MoodCheckIn.objects.exclude(enrollment__cycle=4).exists()
    assert not MoodCheckIn.objects.filter(week__gt=TODAY).exists()
    assert not MoodCheckIn.objects.filter(created_at__gt=timezone.now()).exists()


def test_a_second_run_and_a_later_run_add_nothing(world, batch):
    seed_mood_demo(today=TODAY)
    before = list(MoodCheckIn.objects.order_by("pk").values_list("enrollment_id", "week", "mood", "note"))
    assert seed_mood_demo(today=TODAY) == {"mood_checkins": 0}
    assert seed_mood_demo(today=TODAY + datetime.timedelta(days=14)) == {"mood_checkins": 0}
    assert list(MoodCheckIn.objects.order_by("pk").values_list("enrollment_id", "week", "mood", "note")) == before
