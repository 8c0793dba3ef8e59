"""One gate, read everywhere (training.gates): the move service, the sweep's loader, the trainee's page,
the detail page and the batch board agree on every gate, over randomised facts; a failed gate check
shows on the board at once; approving is offered only when the gate is met, and the page says why not."""

import datetime
import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from tests.training.onboarding_factories import (
    at,
    enrollment_of,
    give_levels,
    make_program,
    make_trainee,
    open_batch,
)
from training import cycles, gates, services
from training.models import EnrollmentEvent

TODAY = datetime.date(2026, 3, 3)
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(at(TODAY), tick=False)


@pytest.fixture
def tiny(db):
    return make_program()


@pytest.fixture
def batch(tiny, world):
    return open_batch(tiny, hr=world.hr, supervisor=world.supervisor, start_on=TODAY - datetime.timedelta(days=10))


def as_user(client, employee):
    client.force_login(employee.user, backend=MODEL_BACKEND)
    return client


def in_cycle_1(batch, world, name):
    """A new trainee of the batch, started in cycle 1 through the services."""
    trainee = make_trainee(world.team, mentor=world.mentor, name=name, user__username=name.lower())
    services.enroll_trainee(actor=world.hr, batch=batch, trainee=trainee)
    enrollment = enrollment_of(batch, trainee)
    services.move_enrollment(actor=world.hr, enrollment_id=enrollment.pk, move=cycles.START, from_state="pre_job")
    enrollment.refresh_from_db()
    return enrollment


def service_advances(world, enrollment):
    """Whether move_enrollment approves the gate now (rolled back either way)."""
    with transaction.atomic():
        try:
            services.move_enrollment(
                actor=world.hr, enrollment_id=enrollment.pk, move=cycles.ADVANCE, from_state=enrollment.state
            )
        except ValidationError:
            return False
        transaction.set_rollback(True)
        return True


def board_card(client, world, enrollment):
    response = as_user(client, world.supervisor).get(reverse("training:batch-board"), {"batch": enrollment.batch_id})
    return next(c for _key, _label, cards in response.context["columns"] for c in cards if c.enrollment == enrollment)


def detail(client, world, enrollment):
    return as_user(client, world.supervisor).get(reverse("training:enrollment-detail", args=[enrollment.pk]))


def verdicts(client, world, enrollment):
    """Met or not, as each reader sees the gate of ``enrollment``."""
    page = detail(client, world, enrollment)
    mine = as_user(client, enrollment.trainee).get(reverse("training:my-onboarding"))
    swept = gates.load([gates.subject_of(enrollment)])[enrollment.pk]  # what the sweep reads
    return {
        "detail page": page.context["detail"].gate.passed,
        "approve offered": cycles.ADVANCE in [m for m, _label, _form in page.context["moves"]],
        "my onboarding": mine.context["page"].gate.passed,
        "batch board": board_card(client, world, enrollment).is_gate_met,
        "sweep": swept.passed,
        "service": service_advances(world, enrollment),
    }


def randomise(rng, tiny, world, enrollment):
    """Random gate rules for cycle 1 and random facts for the trainee: activities done, checks, KASH."""
    template = tiny.cycles[1]
    template.check_required = rng.random() < 0.5
    template.pass_mark = rng.choice((70, 80, 90))
    # the edges weigh more: no level required, a level of 0 (assessed at all), the usual 3
    level = rng.choice((None, None, "0", "0", "1", "2.5", "3", "3", "4.5"))
    template.focus_min_level = None if level is None else Decimal(level)
    template.save()
    template.focus_indicators.set(rng.sample([tiny.habit, tiny.attitude, tiny.skill], rng.randint(0, 3)))
    for activity in enrollment.activities.filter(cycle=1):
        if rng.random() < 0.85:
            services.complete_activity(actor=world.hr, activity_id=activity.pk)
    for _ in range(rng.choice((0, 0, 1, 2))):
        services.record_gate_check(actor=world.hr, enrollment_id=enrollment.pk, score=rng.choice((60, 76, 80, 85, 95)))
    indicators = [tiny.habit, tiny.attitude, tiny.skill]
    for _ in range(rng.choice((0, 1, 2))):
        chosen = rng.sample(indicators, rng.randint(1, 3))
        # a self-assessment weighs nothing in this program: a fact, yet no level
        source, assessor = rng.choice(
            (("supervisor", world.supervisor), ("mentor", world.mentor), ("self", enrollment.trainee))
        )
        give_levels(enrollment.trainee, chosen, level=rng.randint(1, 5), actor=assessor.user, source=source)
    if rng.random() < 0.3:
        services.move_enrollment(
            actor=world.hr,
            enrollment_id=enrollment.pk,
            move=cycles.EXTEND,
            from_state=enrollment.state,
            remediation_plan="Practise with the mentor.",
            due_on=TODAY + datetime.timedelta(days=5),
        )
    enrollment.refresh_from_db()


def test_page_board_sweep_and_service_agree_on_every_randomised_gate(client, tiny, world, batch):
    rng = random.Random(20260303)
    seen = set()
    for n in range(60):
        enrollment = in_cycle_1(batch, world, f"Random{n:02d}")
        randomise(rng, tiny, world, enrollment)
        found = verdicts(client, world, enrollment)
        facts = (enrollment.state, tiny.cycles[1].focus_min_level, tiny.cycles[1].check_required)
        assert len(set(found.values())) == 1, (n, facts, found)
        seen.add(found["service"])
    assert seen == {True, False}  # the facts were varied enough to meet some gates and miss others


def test_a_focus_level_of_0_still_needs_the_indicator_assessed(client, tiny, world, batch):
    tiny.cycles[1].focus_min_level = Decimal("0")
    tiny.cycles[1].save()
    enrollment = in_cycle_1(batch, world, "Zero")
    for activity in enrollment.activities.all():
        services.complete_activity(actor=world.hr, activity_id=activity.pk)
    assert set(verdicts(client, world, enrollment).values()) == {False}
    assert "After-call work has not been assessed." in detail(client, world, enrollment).content.decode()
    give_levels(enrollment.trainee, [tiny.habit], level=1, actor=world.hr)
    assert set(verdicts(client, world, enrollment).values()) == {True}


def test_no_focus_level_means_the_focus_is_not_a_gate_criterion(client, tiny, world, batch):
    enrollment = in_cycle_1(batch, world, "NoLevel")
    for activity in enrollment.activities.all():
        services.complete_activity(actor=world.hr, activity_id=activity.pk)
    assert tiny.cycles[1].focus_min_level is None
    assert set(verdicts(client, world, enrollment).values()) == {True}


def test_a_gate_check_below_the_pass_mark_shows_on_the_batch_board_at_once(client, tiny, world, batch):
    enrollment = in_cycle_1(batch, world, "Checked")
    services.record_gate_check(actor=world.mentor.user, enrollment_id=enrollment.pk, score=76)
    card = board_card(client, world, enrollment)
    assert (card.failed_check.check_score, card.failed_check.pass_mark) == (76, 80)
    response = as_user(client, world.supervisor).get(reverse("training:batch-board"), {"batch": batch.pk})
    assert "Gate check 76/80: below the pass mark" in response.content.decode()
    assert not EnrollmentEvent.objects.filter(enrollment=enrollment, move=cycles.EXTEND).exists()  # nobody acted


def test_a_passing_retake_clears_the_failed_check_flag(client, tiny, world, batch):
    enrollment = in_cycle_1(batch, world, "Retaken")
    services.record_gate_check(actor=world.mentor.user, enrollment_id=enrollment.pk, score=76)
    services.record_gate_check(actor=world.mentor.user, enrollment_id=enrollment.pk, score=84)
    assert board_card(client, world, enrollment).failed_check is None


def test_approve_is_not_offered_while_the_gate_is_not_met_and_the_page_says_why(client, tiny, world, batch):
    enrollment = in_cycle_1(batch, world, "Blocked")
    response = detail(client, world, enrollment)
    body = response.content.decode()
    assert cycles.ADVANCE not in [m for m, _label, _form in response.context["moves"]]
    assert response.context["approval_blocked"]
    assert "Not offered until the gate is met. Still missing:" in body
    assert body.count("2 required activities are not done.") == 2  # the gate card and the blocked action


def test_approve_is_offered_once_the_gate_is_met(client, tiny, world, batch):
    enrollment = in_cycle_1(batch, world, "Ready")
    for activity in enrollment.activities.all():
        services.complete_activity(actor=world.hr, activity_id=activity.pk)
    response = detail(client, world, enrollment)
    assert cycles.ADVANCE in [m for m, _label, _form in response.context["moves"]]
    assert not response.context["approval_blocked"]
    assert "Not offered until the gate is met" not in response.content.decode()
