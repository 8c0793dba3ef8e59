"""The cycle-4 low tide (issue 15 §9): the weekly mood check-in of trainees in cycle 4 — the falling-trend rule on a
table of cases, the check-in page and service (answering again the same week changes the answer), the Monday
question (only cycle-4 trainees, once a week), who sees the answers, the badge on the batch board at a fixed
query count, and the supervisor's "Today"."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import Notification
from staff.today import Urgency
from tests.training.onboarding_factories import (
    at,
    enrollment_of,
    make_program,
    make_trainee,
    open_batch,
    walk_to,
)
from training import cycles, mood_rules, permissions, services, tasks, today
from training.models import CycleTemplate, Enrollment, Indicator, MoodCheckIn, RubricLevel
from training.selectors import mood as mood_selectors

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
MONDAY = datetime.date(2026, 3, 2)
START = MONDAY - datetime.timedelta(days=80)


def weeks(n):
    return MONDAY + datetime.timedelta(weeks=n)


def login(client, user):
    client.force_login(user, backend=MODEL_BACKEND)
    return client


# The five emotional-intelligence indicators, cycle 4's focus -------------------------------------

EQ_MIGRATION = importlib.import_module("training.migrations.0009_emotional_intelligence")
CYCLE_4_FOCUS = {"resilience", "service-attitude", *EQ_MIGRATION.EQ_CODES}


def cycle_4_focus():
    cycle = CycleTemplate.objects.get(program__code=EQ_MIGRATION.PROGRAM, number=4)
    return set(cycle.focus_indicators.values_list("code", flat=True))


def test_a_fresh_install_focuses_cycle_4_on_the_five_and_what_it_had(db):
    assert cycle_4_focus() == CYCLE_4_FOCUS
    eq = Indicator.objects.filter(code__in=EQ_MIGRATION.EQ_CODES)
    assert set(eq.values_list("dimension", flat=True)) == {"A"}
    assert RubricLevel.objects.filter(indicator__in=eq).count() == 25


def test_the_migration_adds_the_five_to_an_older_install_once_and_nothing_else(db):
    Indicator.objects.filter(code__in=EQ_MIGRATION.EQ_CODES).delete()  # as before issue 15
    Indicator.objects.filter(code="resilience").update(weight=2, name_en="Resilience (ours)")
    others = list(Indicator.objects.order_by("code").values_list("code", "weight", "name_en"))
    focus = {c.number: set(c.focus_indicators.values_list("code", flat=True)) for c in CycleTemplate.objects.all()}

    EQ_MIGRATION.add_emotional_intelligence(apps, None)
    EQ_MIGRATION.add_emotional_intelligence(apps, None)  # again: nothing more

    assert cycle_4_focus() == CYCLE_4_FOCUS
    assert Indicator.objects.filter(code__in=EQ_MIGRATION.EQ_CODES).count() == 5
    assert RubricLevel.objects.filter(indicator__code__in=EQ_MIGRATION.EQ_CODES).count() == 25
    assert (
        list(
            Indicator.objects.exclude(code__in=EQ_MIGRATION.EQ_CODES)
            .order_by("code")
            .values_list("code", "weight", "name_en")
        )
        == others
    )
    for cycle in CycleTemplate.objects.exclude(number=4):
        assert set(cycle.focus_indicators.values_list("code", flat=True)) == focus[cycle.number]


def test_the_migration_reversed_takes_the_five_out_of_cycle_4(db):
    EQ_MIGRATION.remove_emotional_intelligence(apps, None)
    assert cycle_4_focus() == {"resilience", "service-attitude"}
    assert not Indicator.objects.filter(code__in=EQ_MIGRATION.EQ_CODES).exists()


# The rule ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moods", "falling", "kind"),
    [
        ([], False, ""),
        ([1], False, ""),  # one answer: nothing to compare with
        ([5, 4], False, ""),  # two answers, 4 is not low
        ([4, 3, 2], True, mood_rules.STREAK_KIND),  # three answers falling strictly
        ([5, 5, 4, 3, 2], True, mood_rules.STREAK_KIND),
        ([5, 4, 3], True, mood_rules.STREAK_KIND),  # falling strictly from high is a streak too
        ([4, 3, 3], False, ""),  # not strictly
        ([3, 4, 3, 2], True, mood_rules.STREAK_KIND),  # a rise first does not matter: the last three fall
        ([3, 2, 3, 2], False, ""),  # no streak, and 2 is only 0.7 below her average of 2.7
        ([2, 3, 2], False, ""),  # rises, then falls back
        ([4, 4, 2], True, mood_rules.DROP_KIND),  # 2 is 2 below her average of 4
        ([5, 1], True, mood_rules.DROP_KIND),  # one earlier answer is enough for a drop
        ([3, 3, 2], False, ""),  # 2 is only 1 below her average of 3
        ([4, 3, 1], True, mood_rules.STREAK_KIND),  # both: the streak is named
        ([3, 4, 5, 4, 3, 3, 1], True, mood_rules.DROP_KIND),  # 1 is 2.7 below her average of 3.7
        ([5, 5, 5, 3], False, ""),  # a big drop, but 3 is not low
        ([2, 2, 2, 2], False, ""),  # always low is not falling: her own average
        ([1, 1, 1, 1], False, ""),
    ],
)
def test_the_falling_rule(moods, falling, kind):
    trend = mood_rules.trend(moods)
    assert (trend.is_falling, trend.kind) == (falling, kind)
    assert mood_rules.is_falling(moods) is falling


def test_a_streak_counts_every_week_of_the_falling_run():
    assert mood_rules.trend([5, 4, 3, 2]).weeks == 4
    assert mood_rules.trend([4, 4, 3, 2]).weeks == 3


def test_a_drop_knows_the_average_of_the_earlier_answers():
    trend = mood_rules.trend([4, 3, 5, 2])
    assert (trend.kind, trend.last, trend.earlier_average) == (mood_rules.DROP_KIND, 2, 4.0)


@pytest.mark.parametrize("offset", range(7))
def test_a_check_in_belongs_to_the_monday_of_its_week(offset):
    assert mood_rules.week_of(MONDAY + datetime.timedelta(days=offset)) == MONDAY


@pytest.mark.parametrize(
    ("state", "cycle", "asked"),
    [
        (cycles.cycle_state(4), 4, True),
        (cycles.EXTENDED, 4, True),
        (cycles.EXTENDED, 3, False),
        (cycles.cycle_state(3), 3, False),
        (cycles.PRE_JOB, 0, False),
        (cycles.ON_HOLD, 4, False),
        (cycles.COMPLETED, 4, False),
        (cycles.WITHDRAWN, 4, False),
    ],
)
def test_only_an_enrollment_in_cycle_4_is_asked(state, cycle, asked):
    assert mood_rules.is_asked(state, cycle) is asked


# A batch with a trainee in cycle 4 and one in cycle 3 -----------------------------------------


@pytest.fixture
def clock(time_machine):
    def to(day, hour=9):
        time_machine.move_to(at(day, hour), tick=False)

    to(START)
    return to


@pytest.fixture
def tiny(db):
    return make_program()


@pytest.fixture
def batch(world, tiny, clock):
    """The world's trainee in cycle 4, a batch mate in cycle 3; the world's supervisor supervises the batch."""
    world.mate = make_trainee(world.team, mentor=world.mentor, name="Trainee C")
    batch = open_batch(
        tiny, hr=world.hr, supervisor=world.supervisor, trainees=[world.trainee, world.mate], start_on=START
    )
    world.enrollment = walk_to(enrollment_of(batch, world.trainee), cycles.cycle_state(4), actor=world.hr)
    world.mate_enrollment = walk_to(enrollment_of(batch, world.mate), cycles.cycle_state(3), actor=world.hr)
    clock(MONDAY)
    return batch


def answer(world, mood, day, enrollment=None, note=""):
    enrollment = enrollment or world.enrollment
    return services.check_in(
        actor=enrollment.trainee.user, enrollment_id=enrollment.pk, mood=mood, note=note, today=day
    )


def answers(world, moods, enrollment=None):
    for n, mood in enumerate(moods):
        answer(world, mood, weeks(n - len(moods) + 1), enrollment)


# Checking in -------------------------------------------------------------------------------


def test_a_trainee_in_cycle_4_checks_in_for_this_week(world, batch):
    checkin = answer(world, 4, MONDAY + datetime.timedelta(days=2), note="  Busy but fine.  ")
    assert (checkin.enrollment_id, checkin.week, checkin.mood, checkin.note) == (
        world.enrollment.pk,
        MONDAY,
        4,
        "Busy but fine.",
    )


def test_answering_again_the_same_week_changes_the_answer(world, batch):
    first = answer(world, 4, MONDAY)
    again = answer(world, 2, MONDAY + datetime.timedelta(days=4), note="A hard complaint on Friday.")
    assert again.pk == first.pk
    assert list(MoodCheckIn.objects.values_list("week", "mood", "note")) == [(MONDAY, 2, "A hard complaint on Friday.")]


def test_the_same_answer_twice_writes_one_row(world, batch):
    answer(world, 3, MONDAY)
    answer(world, 3, MONDAY)
    assert MoodCheckIn.objects.count() == 1


def test_next_week_is_a_new_answer(world, batch):
    answer(world, 4, MONDAY)
    answer(world, 3, weeks(1))
    assert list(MoodCheckIn.objects.order_by("week").values_list("week", "mood")) == [(MONDAY, 4), (weeks(1), 3)]


def test_a_trainee_in_cycle_3_cannot_check_in(world, batch):
    with pytest.raises(PermissionDenied):
        answer(world, 3, MONDAY, enrollment=world.mate_enrollment)
    assert not MoodCheckIn.objects.exists()


def test_nobody_answers_for_the_trainee(world, batch):
    for user in (world.mentor.user, world.supervisor.user, world.hr):
        with pytest.raises(PermissionDenied):
            services.check_in(actor=user, enrollment_id=world.enrollment.pk, mood=3, today=MONDAY)
    assert not MoodCheckIn.objects.exists()


@pytest.mark.parametrize("mood", [0, 6])
def test_a_mood_outside_1_to_5_is_refused(world, batch, mood):
    with pytest.raises(ValidationError):
        answer(world, mood, MONDAY)


def test_the_page_asks_one_question_with_five_labelled_answers(client, world, batch):
    response = login(client, world.trainee.user).get(reverse("training:my-mood"))
    content = response.content.decode()
    assert "How was your week?" in content
    assert content.count('class="btn-check" type="radio" name="mood"') == 5
    for label in ("Very hard", "Hard", "Okay", "Good", "Great"):
        assert f"{label}</label>" in content


def test_the_page_saves_the_answer_and_answering_again_updates_it(client, world, batch):
    login(client, world.trainee.user)
    url = reverse("training:my-mood")
    assert client.post(url, {"mood": "2", "note": "Tired."}).status_code == 302
    response = client.post(url, {"mood": "4", "note": ""}, follow=True)
    assert list(MoodCheckIn.objects.values_list("mood", "note")) == [(4, "")]
    assert "You answered" in response.content.decode()


def test_the_page_refuses_a_missing_answer(client, world, batch):
    response = login(client, world.trainee.user).post(reverse("training:my-mood"), {"note": "?"})
    assert response.status_code == 200
    assert response.context["form"].errors["mood"]
    assert not MoodCheckIn.objects.exists()


def test_the_page_tells_a_trainee_in_cycle_3_there_is_nothing_to_answer(client, world, batch):
    response = login(client, world.mate.user).post(reverse("training:my-mood"), {"mood": "3"})
    assert response.status_code == 200
    assert 'id="not-asked"' in response.content.decode()
    assert not MoodCheckIn.objects.exists()


def test_my_onboarding_links_the_check_in_in_cycle_4_only(client, world, batch):
    assert 'id="mood-link"' in login(client, world.trainee.user).get(reverse("training:my-onboarding")).content.decode()
    assert (
        'id="mood-link"' not in login(client, world.mate.user).get(reverse("training:my-onboarding")).content.decode()
    )


# The Monday question -------------------------------------------------------------------------


def asked():
    return list(Notification.objects.filter(kind=services.mood.ASKED_KIND).values_list("recipient_id", "key"))


def test_on_monday_only_the_trainee_in_cycle_4_is_asked(world, batch):
    assert tasks.ask_for_mood_checkins.delay().get() == 1
    assert asked() == [(world.trainee.user_id, f"mood_checkin_asked:{world.enrollment.pk}:{MONDAY.isoformat()}")]
    notification = Notification.objects.get(kind=services.mood.ASKED_KIND)
    assert notification.url == reverse("training:my-mood")


def test_a_second_run_the_same_week_sends_nothing(world, batch, clock):
    tasks.ask_for_mood_checkins.delay()
    clock(MONDAY, hour=10)  # beat fired twice
    assert tasks.ask_for_mood_checkins.delay().get() == 0
    clock(MONDAY + datetime.timedelta(days=3))
    assert tasks.ask_for_mood_checkins.delay().get() == 0
    assert len(asked()) == 1


def test_the_next_week_asks_again(world, batch, clock):
    tasks.ask_for_mood_checkins.delay()
    clock(weeks(1))
    assert tasks.ask_for_mood_checkins.delay().get() == 1
    assert len(asked()) == 2


def test_a_trainee_who_answered_this_week_is_not_asked(world, batch):
    answer(world, 4, MONDAY)
    assert tasks.ask_for_mood_checkins.delay().get() == 0


def test_a_trainee_on_hold_in_cycle_4_is_not_asked(world, batch):
    services.move_enrollment(
        actor=world.hr, enrollment_id=world.enrollment.pk, move=cycles.HOLD, from_state=cycles.cycle_state(4)
    )
    assert tasks.ask_for_mood_checkins.delay().get() == 0


# Who sees the answers ------------------------------------------------------------------------


@pytest.fixture
def batch_lead(world, batch):
    """The batch's supervisor leads the trainee's team too (the world's supervisor); here another team's supervisor
    is made the batch's, so both the team lead and the batch supervisor are checked."""
    from tests.staff.factories import EmployeeFactory, TeamFactory

    team = TeamFactory(name="Team C")
    lead = EmployeeFactory(name="Supervisor C", team=team, user__username="sup_c")
    team.supervisor = lead
    team.save()
    batch.supervisor = lead
    batch.save()
    return lead


def test_the_trainee_her_mentor_supervisors_and_hr_see_her_answers(world, batch, batch_lead):
    answer(world, 3, MONDAY)
    for user in (world.trainee.user, world.mentor.user, world.supervisor.user, batch_lead.user, world.hr):
        assert permissions.visible_mood_checkins(user).count() == 1, user


def test_another_trainee_and_another_supervisor_see_no_answer(world, batch):
    answer(world, 3, MONDAY)
    for user in (world.other_trainee.user, world.other_supervisor.user, world.mate.user):
        assert not permissions.visible_mood_checkins(user).exists(), user


@pytest.mark.parametrize("who", ["trainee", "mentor", "supervisor", "hr"])
def test_the_enrollment_page_shows_the_mood_history(client, world, batch, who):
    answers(world, [4, 3, 2])
    user = world.hr if who == "hr" else getattr(world, who).user
    response = login(client, user).get(reverse("training:enrollment-detail", args=[world.enrollment.pk]))
    content = response.content.decode()
    assert [m.mood for m in response.context["detail"].moods] == [4, 3, 2]
    assert content.count("data-mood-week=") == 3
    assert 'data-flag="mood-falling"' in content


@pytest.mark.parametrize("who", ["other_trainee", "other_supervisor"])
def test_the_enrollment_page_is_404_to_another_trainee_and_another_supervisor(client, world, batch, who):
    answers(world, [4, 3, 2])
    response = login(client, getattr(world, who).user).get(
        reverse("training:enrollment-detail", args=[world.enrollment.pk])
    )
    assert response.status_code == 404


def test_the_enrollment_page_of_a_cycle_3_trainee_has_no_mood_section(client, world, batch):
    response = login(client, world.supervisor.user).get(
        reverse("training:enrollment-detail", args=[world.mate_enrollment.pk])
    )
    assert 'id="mood"' not in response.content.decode()


# The batch board and "Today" ----------------------------------------------------------------


def _board(client, world, batch):
    login(client, world.supervisor.user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("training:batch-board"), {"batch": batch.pk})
    assert response.status_code == 200
    return response, len(ctx)


def _card_of(response, enrollment):
    for _key, _label, cards in response.context["columns"]:
        for card in cards:
            if card.enrollment.pk == enrollment.pk:
                return card
    raise AssertionError(enrollment)


def test_the_batch_board_flags_a_falling_mood(client, world, batch):
    answers(world, [4, 3, 2])
    response, _count = _board(client, world, batch)
    assert _card_of(response, world.enrollment).mood.is_falling
    assert _card_of(response, world.mate_enrollment).mood is None
    assert response.content.decode().count('data-flag="mood-falling"') == 1


def test_the_batch_board_does_not_flag_a_steady_mood(client, world, batch):
    answers(world, [3, 4, 3])
    response, _count = _board(client, world, batch)
    assert _card_of(response, world.enrollment).mood is None
    assert 'data-flag="mood-falling"' not in response.content.decode()


def test_the_batch_board_reads_the_moods_in_one_query_whatever_the_batch(client, world, batch, tiny):
    answers(world, [4, 3, 2])
    _response, few = _board(client, world, batch)
    for n, moods in enumerate(([5, 4, 3], [4, 4, 2], [3, 3, 3], [2])):
        trainee = make_trainee(world.team, mentor=world.mentor, name=f"Trainee {n}")
        services.enroll_trainee(actor=world.hr, batch=batch, trainee=trainee)
        enrollment = walk_to(enrollment_of(batch, trainee), cycles.cycle_state(4), actor=world.hr)
        answers(world, moods, enrollment)
    response, many = _board(client, world, batch)
    assert few == many
    assert response.content.decode().count('data-flag="mood-falling"') == 3  # [3, 3, 3] and [2] are not falling


def test_a_board_without_a_cycle_4_trainee_reads_no_mood(world, batch):
    Enrollment.objects.filter(pk=world.enrollment.pk).update(state=cycles.cycle_state(3), cycle=3)
    with CaptureQueriesContext(connection) as ctx:
        assert mood_selectors.falling(list(Enrollment.objects.all())) == {}
    assert len(ctx) == 1  # the enrollments above; no check-ins read


def test_the_supervisors_today_lists_a_trainee_whose_mood_falls(client, world, batch):
    answers(world, [4, 3, 2])
    items = today.supervisor_items(world.supervisor.user, today=MONDAY, now=at(MONDAY))
    (item,) = [i for i in items if i.key.startswith("mood-falling:")]
    assert (item.key, item.person, item.urgency) == (f"mood-falling:{world.enrollment.pk}", "Trainee A", Urgency.WATCH)
    assert "3 weeks" in item.text
    assert item.url == reverse("training:enrollment-detail", args=[world.enrollment.pk]) + "#mood"
    page = login(client, world.supervisor.user).get(reverse("staff:today")).content.decode()
    assert "Mood falling" in page


def test_the_supervisors_today_names_a_sharp_drop(world, batch):
    answers(world, [4, 5, 1])
    (item,) = [
        i
        for i in today.supervisor_items(world.supervisor.user, today=MONDAY, now=at(MONDAY))
        if i.key.startswith("mood-falling:")
    ]
    assert "Mood 1 of 5 this week" in item.text and "4.5" in item.text


def test_the_supervisors_today_has_no_mood_item_for_a_steady_trainee(world, batch):
    answers(world, [3, 3, 3])
    items = today.supervisor_items(world.supervisor.user, today=MONDAY, now=at(MONDAY))
    assert not [i for i in items if i.key.startswith("mood-falling:")]


def test_another_supervisors_today_has_no_mood_item(world, batch):
    answers(world, [4, 3, 2])
    items = today.supervisor_items(world.other_supervisor.user, today=MONDAY, now=at(MONDAY))
    assert not [i for i in items if i.key.startswith("mood-falling:")]


def test_the_question_is_scheduled_on_monday_mornings(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["onboarding-mood-checkins"]
    assert entry["task"] == "training.tasks.ask_for_mood_checkins"
    schedule = entry["schedule"]
    assert (schedule.day_of_week, schedule.hour, schedule.minute) == ({1}, {9}, {0})
