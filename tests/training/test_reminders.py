"""Reminders (training.notify.send_reminders) under frozen time: each kind goes out on the right day,
to the right person, in that person's language, exactly once, and not on other days."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from notifications.models import Notification
from tests.training.onboarding_factories import (
    at,
    enrollment_of,
    make_program,
    make_trainee,
    meet_gate,
    open_batch,
    walk_to,
)
from training import cycles, notify, services

TODAY = datetime.date(2026, 3, 3)  # a Tuesday: cycle 1 starts today
MONDAY = datetime.date(2026, 3, 9)


def days(n):
    return TODAY + datetime.timedelta(days=n)


def has_chinese(text):
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def rendered(language, text, **values):
    """What ``text`` reads like in ``language`` (the catalogue may or may not translate it yet)."""
    with translation.override(language):
        return translation.gettext(text) % values


@pytest.fixture(autouse=True)
def clock(time_machine):
    def to(day):
        time_machine.move_to(at(day), tick=False)

    to(TODAY)
    return to


@pytest.fixture
def tiny(db):
    return make_program()


@pytest.fixture
def people(world):
    """The trainee reads English; her mentor and supervisor read Chinese."""
    for employee, language in ((world.trainee, "en"), (world.mentor, "zh-hans"), (world.supervisor, "zh-hans")):
        employee.language = language
        employee.save()
    return world


@pytest.fixture
def enrollment(tiny, people):
    """Trainee A, in cycle 1 since TODAY: her practice is due TODAY+3, the mentor's coaching TODAY+7."""
    batch = open_batch(tiny, hr=people.hr, supervisor=people.supervisor, trainees=[people.trainee], start_on=TODAY)
    return walk_to(enrollment_of(batch, people.trainee), "cycle_1", actor=people.hr)


def remind(on, clock):
    clock(on)
    return notify.send_reminders()


def sent(kind):
    return {
        n.recipient.username: n
        for n in Notification.objects.filter(kind=kind).select_related("recipient").order_by("pk")
    }


def practice(enrollment):
    return enrollment.activities.get(template__owner="trainee", cycle=1)


def coaching(enrollment):
    return enrollment.activities.get(template__owner="mentor", cycle=1)


# Activity due tomorrow -----------------------------------------------------------------------------


def test_an_activity_due_tomorrow_reminds_its_owner_the_day_before(enrollment, clock):
    assert practice(enrollment).due_on == days(3)
    remind(days(2), clock)
    reminders = sent("activity_due")
    assert set(reminders) == {"trainee_a"}
    assert reminders["trainee_a"].title == "Due tomorrow: Trainee A · Time the after-call work"
    assert reminders["trainee_a"].url == f"/training/onboarding/enrollments/{enrollment.pk}/"


def test_a_mentors_activity_due_tomorrow_reminds_the_mentor_in_chinese(enrollment, clock):
    assert coaching(enrollment).due_on == days(7)
    remind(days(6), clock)
    reminders = sent("activity_due")
    assert set(reminders) == {"mentor_a"}
    assert "首次辅导谈话" in reminders["mentor_a"].title
    assert reminders["mentor_a"].title == rendered(
        "zh-hans", "Due tomorrow: %(activity)s", activity="Trainee A · 首次辅导谈话"
    )


def test_an_activity_due_tomorrow_is_reminded_once(enrollment, clock):
    assert remind(days(2), clock) == 1
    assert remind(days(2), clock) == 0
    assert len(sent("activity_due")) == 1


@pytest.mark.parametrize("day", [0, 1, 3, 4])
def test_an_activity_is_not_reminded_as_due_on_other_days(enrollment, clock, day):
    remind(days(day), clock)
    assert "trainee_a" not in sent("activity_due")


def test_a_done_activity_is_not_reminded(enrollment, clock, people):
    services.complete_activity(actor=people.trainee.user, activity_id=practice(enrollment).pk)
    remind(days(2), clock)
    assert sent("activity_due") == {}


def test_an_activity_of_an_enrollment_on_hold_is_not_reminded(enrollment, clock, people):
    services.move_enrollment(actor=people.hr, enrollment_id=enrollment.pk, move=cycles.HOLD, from_state="cycle_1")
    remind(days(2), clock)
    assert sent("activity_due") == {}


# Overdue -----------------------------------------------------------------------------------------------


def test_an_overdue_activity_reminds_its_owner_and_the_supervisor_each_in_their_language(enrollment, clock):
    remind(days(4), clock)
    reminders = sent("activity_overdue")
    assert set(reminders) == {"trainee_a", "sup_a"}
    assert reminders["trainee_a"].title == "Overdue: Trainee A · Time the after-call work"
    assert "计时话后处理" in reminders["sup_a"].title
    assert reminders["sup_a"].title == rendered("zh-hans", "Overdue: %(activity)s", activity="Trainee A · 计时话后处理")


def test_an_overdue_activity_is_reminded_once(enrollment, clock):
    remind(days(4), clock)
    assert remind(days(4), clock) == 0
    remind(days(5), clock)
    assert Notification.objects.filter(kind="activity_overdue").count() == 2


@pytest.mark.parametrize("day", [0, 2, 3])
def test_an_activity_is_not_overdue_until_its_due_day_has_passed(enrollment, clock, day):
    remind(days(day), clock)
    assert sent("activity_overdue") == {}


# Coaching tomorrow ---------------------------------------------------------------------------------


@pytest.fixture
def session(enrollment, people):
    """A coaching session with the mentor on TODAY+2 at 14:00."""
    return services.log_coaching(
        actor=people.mentor.user, enrollment_id=enrollment.pk, phase="before", scheduled_at=at(days(2), hour=14)
    )


def test_a_coaching_session_tomorrow_reminds_the_trainee_and_the_coach_each_in_their_language(session, clock):
    """Each is told whom she meets: the trainee her coach, never her own name; the coach the trainee."""
    remind(days(1), clock)
    reminders = sent("coaching_tomorrow")
    assert set(reminders) == {"trainee_a", "mentor_a"}
    text = "Coaching session tomorrow with %(name)s"
    assert reminders["trainee_a"].title == "Coaching session tomorrow with Mentor A"
    assert reminders["mentor_a"].title == rendered("zh-hans", text, name="Trainee A")


def test_the_trainees_coaching_reminder_names_her_coach_in_chinese_too(session, people, clock):
    people.trainee.language = "zh-hans"
    people.trainee.save()
    remind(days(1), clock)
    title = sent("coaching_tomorrow")["trainee_a"].title
    assert "Mentor A" in title
    assert "Trainee A" not in title


def test_a_coaching_session_is_reminded_once(session, clock):
    remind(days(1), clock)
    assert remind(days(1), clock) == 0
    assert len(sent("coaching_tomorrow")) == 2


@pytest.mark.parametrize("day", [0, 2])
def test_a_coaching_session_is_not_reminded_on_other_days(session, clock, day):
    remind(days(day), clock)
    assert sent("coaching_tomorrow") == {}


def test_an_early_morning_session_is_reminded_the_day_before_in_local_time(enrollment, people, clock):
    """07:00 in Shanghai is 23:00 UTC the day before: the reminder follows the local date."""
    services.log_coaching(
        actor=people.mentor.user, enrollment_id=enrollment.pk, phase="during", scheduled_at=at(days(2), hour=7)
    )
    remind(days(0), clock)
    assert sent("coaching_tomorrow") == {}
    remind(days(1), clock)
    assert set(sent("coaching_tomorrow")) == {"trainee_a", "mentor_a"}


# Gate check coming ---------------------------------------------------------------------------------


@pytest.fixture
def in_cycle_3(enrollment, people):
    """Trainee A walked to cycle 3 on TODAY: it ends (with a pass-the-gate check) on TODAY+21."""
    walk_to(enrollment, "cycle_3", actor=people.hr)
    return enrollment


def test_a_gate_check_two_days_ahead_reminds_trainee_mentor_and_supervisor(in_cycle_3, clock):
    assert in_cycle_3.due_on == days(21)
    remind(days(19), clock)
    reminders = sent("gate_coming")
    assert set(reminders) == {"trainee_a", "mentor_a", "sup_a"}
    text = "Gate check of cycle %(cycle)d for %(name)s is due on %(date)s"
    values = {"cycle": 3, "name": "Trainee A", "date": "2026-03-24"}
    assert reminders["trainee_a"].title == "Gate check of cycle 3 for Trainee A is due on 2026-03-24"
    assert reminders["mentor_a"].title == rendered("zh-hans", text, **values)


def test_a_gate_check_reminder_goes_out_once(in_cycle_3, clock):
    remind(days(19), clock)
    assert remind(days(19), clock) == 0
    assert len(sent("gate_coming")) == 3


@pytest.mark.parametrize("day", [18, 20, 21])
def test_a_gate_check_is_not_reminded_on_other_days(in_cycle_3, clock, day):
    remind(days(day), clock)
    assert sent("gate_coming") == {}


def test_a_cycle_without_a_check_gets_no_gate_reminder(enrollment, clock):
    assert enrollment.due_on == days(14)
    remind(days(12), clock)
    assert sent("gate_coming") == {}


# Weekly digest ---------------------------------------------------------------------------------------


@pytest.fixture
def two_trainees(enrollment, tiny, people):
    """Trainee A in cycle 1 and Trainee C in pre-job training, both under the supervisor and mentor.
    The supervisor reads English here, the mentor Chinese."""
    people.supervisor.language = "en"
    people.supervisor.save()
    trainee_c = make_trainee(people.team, mentor=people.mentor, name="Trainee C", user__username="trainee_c")
    open_batch(tiny, hr=people.hr, supervisor=people.supervisor, trainees=[trainee_c], start_on=MONDAY, code="batch-2")
    return enrollment


def test_the_weekly_digest_goes_to_supervisor_and_mentor_on_monday_each_in_their_language(two_trainees, clock):
    remind(MONDAY, clock)
    digests = sent("weekly_digest")
    assert set(digests) == {"sup_a", "mentor_a"}
    assert digests["sup_a"].title == "Your trainees this week: 2"
    assert sorted(digests["sup_a"].body.splitlines()) == [
        "- Trainee A: Cycle 1: habits (overdue activities)",
        "- Trainee C: Pre-job training",
    ]
    assert digests["sup_a"].url == reverse("training:batch-board")
    assert digests["mentor_a"].url == reverse("staff:my-mentees")
    assert "岗前培训" in digests["mentor_a"].body
    assert digests["mentor_a"].title == rendered("zh-hans", "Your trainees this week: %(count)d", count=2)


def test_the_weekly_digest_goes_out_once_on_monday(two_trainees, clock):
    remind(MONDAY, clock)
    before = Notification.objects.count()
    assert remind(MONDAY, clock) == 0
    assert Notification.objects.count() == before
    assert len(sent("weekly_digest")) == 2


@pytest.mark.parametrize("day", range(1, 7))
def test_the_weekly_digest_is_not_sent_on_other_days(two_trainees, clock, day):
    remind(MONDAY + datetime.timedelta(days=day), clock)
    assert sent("weekly_digest") == {}


def test_the_weekly_digest_flags_a_failed_gate(enrollment, people, clock):
    clock(days(5))
    services.move_enrollment(
        actor=people.hr,
        enrollment_id=enrollment.pk,
        move=cycles.EXTEND,
        from_state="cycle_1",
        remediation_plan="Practise",
        due_on=days(10),
    )
    meet_gate(enrollment, actor=people.hr)
    people.mentor.language = "en"
    people.mentor.save()
    remind(MONDAY, clock)
    assert sent("weekly_digest")["mentor_a"].body == "- Trainee A: Extended · cycle 1 (gate failed)"


def test_each_digest_links_to_a_page_its_reader_can_open(two_trainees, people, clock, client):
    remind(MONDAY, clock)
    for username, employee in (("sup_a", people.supervisor), ("mentor_a", people.mentor)):
        client.force_login(employee.user)
        assert client.get(sent("weekly_digest")[username].url).status_code == 200, username


def test_a_mentor_who_supervises_the_batch_gets_the_batch_board(enrollment, people, clock):
    people.trainee.mentor = people.supervisor
    people.trainee.save()
    remind(MONDAY, clock)
    assert sent("weekly_digest")["sup_a"].url == reverse("training:batch-board")


def test_a_completed_trainee_is_not_in_the_weekly_digest(enrollment, people, clock):
    walk_to(enrollment, "completed", actor=people.hr)
    remind(MONDAY, clock)
    assert sent("weekly_digest") == {}


def test_a_supervisor_who_also_mentors_the_trainee_sees_her_once_in_the_digest(enrollment, people, clock):
    people.trainee.mentor = people.supervisor
    people.trainee.save()
    people.supervisor.language = "en"
    people.supervisor.save()
    remind(MONDAY, clock)
    digest = sent("weekly_digest")["sup_a"]
    assert digest.title == "Your trainees this week: 1"
    assert digest.body == "- Trainee A: Cycle 1: habits (overdue activities)"


# Move notifications ----------------------------------------------------------------------------------


def extend(enrollment, people, *, from_state, due_on):
    services.move_enrollment(
        actor=people.hr,
        enrollment_id=enrollment.pk,
        move=cycles.EXTEND,
        from_state=from_state,
        remediation_plan="Practise",
        due_on=due_on,
    )


def test_an_extension_names_the_cycle_it_extends(enrollment, people):
    extend(enrollment, people, from_state="cycle_1", due_on=days(10))
    assert sent("enrollment_extend")["trainee_a"].title == "Trainee A: Cycle 1: habits → Extended · cycle 1"


def test_a_second_extension_says_again_with_the_new_date_not_the_same_state_twice(enrollment, people, clock):
    extend(enrollment, people, from_state="cycle_1", due_on=days(10))
    clock(days(1))
    extend(enrollment, people, from_state="extended", due_on=days(12))
    again = Notification.objects.filter(kind="enrollment_extend", key__contains=":extended:").select_related(
        "recipient"
    )
    titles = {n.recipient.username: n.title for n in again}
    assert set(titles) == {"trainee_a", "mentor_a", "sup_a"}
    assert titles["trainee_a"] == "Trainee A: Extended · cycle 1 again, now due 2026-03-15"
    assert titles["mentor_a"] == rendered(
        "zh-hans",
        "%(name)s: %(state)s again, now due %(date)s",
        name="Trainee A",
        state=rendered("zh-hans", "Extended · cycle %(n)s", n=1),
        date="2026-03-15",
    )
    assert "→" not in titles["mentor_a"]
