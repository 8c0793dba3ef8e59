"""The SLA sweep (issue 13 §2) under frozen time: the owner reminded once before the breach, each escalation level
once and in order after it, a second run writes nothing, a closed case stops escalating."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linkage.models import Case, CaseEvent, EscalationLevel, EventKind, LinkageRole
from linkage.services import cases as services
from linkage.services.case_sweep import sweep_cases
from linkage.tasks import sweep_cases as sweep_task
from notifications.models import Notification
from tests.linkage.factories import case_category, open_case_for
from tests.staff.factories import EmployeeFactory, PositionFactory

OPENED = datetime.datetime(2026, 12, 1, 2, 0, tzinfo=datetime.UTC)


@pytest.fixture
def kit(world, time_machine):
    """A card case of the trainee (resolved within 24 h, reminded 60 min before), a floor manager; the shipped
    levels: 1 the supervisor at the breach, 2 the floor manager 120 min after it."""
    time_machine.move_to(OPENED, tick=False)
    category = case_category("card")
    case = open_case_for(world.trainee, category=category)
    manager = EmployeeFactory(position=PositionFactory())
    LinkageRole.objects.get(code="floor-manager").positions.add(manager.position)
    return case, manager


def _at(time_machine, when):
    time_machine.move_to(when, tick=False)
    return sweep_cases()


def _keys(case):
    return list(CaseEvent.objects.filter(case=case).exclude(key="").exclude(key="opened").values_list("key", flat=True))


def test_shipped_levels(db):
    assert list(EscalationLevel.objects.values_list("number", "role__code", "role__scope", "after_minutes")) == [
        (1, "supervisor", "team", 0),
        (2, "floor-manager", "centre", 120),
    ]


def test_the_owner_is_reminded_once_before_the_breach(world, kit, time_machine):
    case, _manager = kit
    breach = case.resolution_due_at
    assert _at(time_machine, breach - datetime.timedelta(minutes=61)) == {"reminded": 0, "escalated": 0}
    assert _at(time_machine, breach - datetime.timedelta(minutes=60))["reminded"] == 1
    assert _at(time_machine, breach - datetime.timedelta(minutes=30))["reminded"] == 0
    assert _keys(case) == ["reminded"]
    assert Notification.objects.filter(recipient=world.trainee.user, kind="linkage_case_reminder").count() == 1


def test_each_level_once_in_order_and_a_second_run_writes_nothing(world, kit, time_machine):
    case, manager = kit
    breach = case.resolution_due_at
    assert _at(time_machine, breach) == {"reminded": 1, "escalated": 1}
    assert Case.objects.get(pk=case.pk).escalation_level == 1
    assert list(Notification.objects.filter(kind="linkage_case_escalated").values_list("recipient", flat=True)) == [
        world.supervisor.user_id
    ]
    assert _at(time_machine, breach + datetime.timedelta(minutes=119)) == {"reminded": 0, "escalated": 0}
    assert _at(time_machine, breach + datetime.timedelta(minutes=120)) == {"reminded": 0, "escalated": 1}
    assert _keys(case) == ["reminded", "escalated:1", "escalated:2"]
    told = Notification.objects.filter(kind="linkage_case_escalated").order_by("pk")
    assert list(told.values_list("recipient", flat=True)) == [world.supervisor.user_id, manager.user_id]
    events, notes = CaseEvent.objects.count(), Notification.objects.count()
    assert _at(time_machine, breach + datetime.timedelta(days=3)) == {"reminded": 0, "escalated": 0}
    assert (CaseEvent.objects.count(), Notification.objects.count()) == (events, notes)
    assert Case.objects.get(pk=case.pk).escalation_level == 2


def test_a_late_sweep_reaches_every_due_level_in_order_at_once(world, kit, time_machine):
    case, _manager = kit
    assert _at(time_machine, case.resolution_due_at + datetime.timedelta(hours=5)) == {"reminded": 1, "escalated": 2}
    levels = CaseEvent.objects.filter(case=case, kind=EventKind.ESCALATED).order_by("pk")
    assert [event.data["level"] for event in levels] == [1, 2]


def test_a_closed_case_stops_escalating(world, kit, time_machine):
    case, _manager = kit
    _at(time_machine, case.resolution_due_at)
    services.close_case(actor=world.trainee.user, case_id=case.pk, outcome="later")
    assert _at(time_machine, case.resolution_due_at + datetime.timedelta(hours=5)) == {"reminded": 0, "escalated": 0}
    assert _keys(case) == ["reminded", "escalated:1"]


def test_the_task_runs_the_sweep(world, kit, time_machine):
    case, _manager = kit
    time_machine.move_to(case.resolution_due_at, tick=False)
    assert sweep_task.delay().get() == {"reminded": 1, "escalated": 1}


def test_the_sweep_reads_a_fixed_number_of_queries_when_nothing_is_due(world, kit, time_machine):
    case, _manager = kit
    _at(time_machine, case.resolution_due_at + datetime.timedelta(days=1))
    for _ in range(5):
        open_case_for(world.trainee, category=case_category("card"))
    time_machine.move_to(OPENED + datetime.timedelta(hours=1), tick=False)
    with CaptureQueriesContext(connection) as few:
        sweep_cases()
    for _ in range(20):
        open_case_for(world.trainee, category=case_category("card"))
    with CaptureQueriesContext(connection) as more:
        sweep_cases()
    assert len(few) == len(more)


@pytest.mark.django_db(transaction=True)
def test_a_flush_brings_the_shipped_categories_and_levels_back():
    from django.core.management import call_command

    from linkage.models import CaseCategory

    call_command("flush", interactive=False, verbosity=0)
    assert set(CaseCategory.objects.values_list("code", flat=True)) == {
        "fee-dispute",
        "card",
        "complaint",
        "product-enquiry",
    }
    assert CaseCategory.objects.get(code="complaint").name_zh == "投诉"
    assert list(EscalationLevel.objects.values_list("number", "role__code")) == [
        (1, "supervisor"),
        (2, "floor-manager"),
    ]


def test_hr_set_up_stays_hers_after_migrate_signals(db):
    from linkage.apps import restore_case_defaults
    from linkage.models import CaseCategory

    CaseCategory.objects.filter(code="card").delete()
    restore_case_defaults(sender=None)
    assert not CaseCategory.objects.filter(code="card").exists()
