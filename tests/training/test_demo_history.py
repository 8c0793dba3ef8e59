"""The onboarding replay dates the employees' stage moves on the replayed day, not at the seeding time."""

import datetime

from django.utils import timezone

from staff import services as people
from staff.models import Stage
from training.demo.onboarding_replay import _Clock
from training.demo.onboarding_story import _at


def test_the_replay_clock_dates_a_stage_move_at_the_replayed_moment(world):
    clock = _Clock(timezone.now())
    people.change_person(actor=world.hr, employee_id=world.trainee.pk, stage=Stage.GROWTH, reason="cycle 4 done")
    moment = _at(datetime.date(2020, 6, 1), 1)
    clock.stamp(moment)
    assert world.trainee.history.order_by("-history_id").first().history_date == moment


def test_the_replay_clock_leaves_history_written_before_the_replay_alone(world):
    created_at = world.trainee.history.get(history_type="+").history_date
    clock = _Clock(timezone.now())
    clock.stamp(_at(datetime.date(2020, 6, 1), 1))
    assert world.trainee.history.get(history_type="+").history_date == created_at
