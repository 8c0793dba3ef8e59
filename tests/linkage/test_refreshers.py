"""The refresher sweep (issue 12 §7, seed 002): tenured staff whose certification expires within HR's notice are
reminded once and set one scored refresher drill; new hires and certifications not yet due are left alone."""

import datetime

import pytest
from django.conf import settings

from linkage import tasks
from linkage.models import Certification, Drill, DrillMode, LinkageSettings
from linkage.services.levels import sweep_refreshers
from notifications.models import Notification
from staff.models import Stage
from tests.linkage.factories import drill_version
from tests.staff.factories import EmployeeFactory

TODAY = datetime.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 20, 8, 0, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def kit(world):
    kit = drill_version()
    world.veteran = EmployeeFactory(name="Veteran", team=world.team, stage=Stage.GROWTH)
    kit.agent.positions.add(world.veteran.position, world.trainee.position)
    return kit


def certified(person, kit, *, expires_on, certified_on=datetime.date(2025, 12, 1)):
    return Certification.objects.create(
        employee=person, playbook=kit.playbook, certified_on=certified_on, expires_on=expires_on
    )


def refreshers():
    return Notification.objects.filter(kind="linkage_refresher")


def test_a_due_certification_is_reminded_and_given_a_refresher_once(world, kit):
    cert = certified(world.veteran, kit, expires_on=datetime.date(2026, 12, 1))

    assert sweep_refreshers() == 1
    cert.refresh_from_db()
    assert cert.reminded_on == TODAY
    drill = cert.refresher
    assert (drill.is_refresher, drill.mode, drill.version, drill.team, drill.examiner) == (
        True,
        DrillMode.SCORED,
        kit.version,
        world.team,
        world.supervisor,
    )
    assert list(drill.participants.values_list("employee_id", "role_id")) == [(world.veteran.pk, kit.agent.pk)]
    # The earlier of the expiry (1 Dec) and a week from today (27 Nov), at 10:00 in Shanghai.
    assert drill.scheduled_for == datetime.datetime(2026, 11, 27, 2, 0, tzinfo=datetime.UTC)
    assert list(refreshers().values_list("recipient_id", "key")) == [
        (world.veteran.user_id, f"linkage_refresher:{cert.pk}")
    ]

    assert sweep_refreshers() == 0
    assert tasks.sweep_refreshers() == 0
    assert (refreshers().count(), Drill.objects.count()) == (1, 1)


def test_a_refresher_is_never_set_after_the_expiry(world, kit):
    cert = certified(world.veteran, kit, expires_on=datetime.date(2026, 11, 22))
    sweep_refreshers()
    cert.refresh_from_db()
    assert cert.refresher.scheduled_for == datetime.datetime(2026, 11, 22, 2, 0, tzinfo=datetime.UTC)


def test_onboarding_staff_are_left_alone(world, kit):
    assert world.trainee.stage == Stage.ONBOARDING
    cert = certified(world.trainee, kit, expires_on=datetime.date(2026, 12, 1))
    assert sweep_refreshers() == 0
    cert.refresh_from_db()
    assert (cert.reminded_on, cert.refresher) == (None, None)
    assert not refreshers().exists() and not Drill.objects.exists()


def test_nothing_before_the_notice_window(world, kit, time_machine):
    LinkageSettings.objects.create(pk=1, refresher_notice_days=30)
    cert = certified(world.veteran, kit, expires_on=datetime.date(2027, 1, 10))
    assert sweep_refreshers() == 0
    assert sweep_refreshers(today=datetime.date(2026, 12, 10)) == 0  # 31 days before
    assert not refreshers().exists() and not Drill.objects.exists()

    time_machine.move_to(datetime.datetime(2026, 12, 11, 8, 0, tzinfo=datetime.UTC), tick=False)
    assert sweep_refreshers() == 1
    cert.refresh_from_db()
    assert cert.reminded_on == datetime.date(2026, 12, 11)


def test_only_the_latest_certification_counts(world, kit):
    old = certified(world.veteran, kit, expires_on=datetime.date(2026, 12, 1))
    certified(world.veteran, kit, certified_on=datetime.date(2026, 11, 1), expires_on=datetime.date(2027, 11, 1))
    assert sweep_refreshers() == 0
    old.refresh_from_db()
    assert old.reminded_on is None


def test_the_sweep_runs_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["linkage-refreshers"]
    assert entry["task"] == "linkage.tasks.sweep_refreshers"
    assert tasks.sweep_refreshers.name == entry["task"]
