"""Follow-up for every agent (issue 14 §4, seed 002: 事前 / 事中 / 事后): the daily risk flags (raised once, reopened,
cleared, the agent and her lead warned once per raising), the follow-up log pages (in-flight corrections with a
target date, after-action reviews with the repeat badge) and each lead's record for the manager."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from improvement import tasks as celery_tasks
from improvement.models import RiskFlag
from improvement.selectors import followup as selectors
from improvement.services.followup import RAISED, raise_risk_flags
from kpis.models import AgentDay
from linkage.models import Certification, Playbook
from notifications.models import Notification
from staff.models import Stage as LifeStage
from tests.improvement.followup_factories import flag, session
from tests.improvement.tasks_factories import StageFactory, TaskFactory
from tests.kpis.factories import AgentDayFactory, TargetFactory
from tests.staff.factories import EmployeeFactory, TeamFactory

TODAY = datetime.date(2026, 11, 15)


def _overdue_stage(owner, *, days=2):
    task = TaskFactory(owner=owner, assignee=owner)
    return StageFactory(task=task, owner=owner, due_on=TODAY - datetime.timedelta(days=days))


def _warned(user):
    return list(Notification.objects.filter(recipient=user, kind=RAISED).values_list("key", flat=True))


@pytest.fixture
def today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 15, 7, tzinfo=datetime.timezone(datetime.timedelta(hours=8))))
    return TODAY


@pytest.mark.django_db
def test_overdue_stages_raise_one_flag_and_warn_the_agent_and_her_lead_once(world, today):
    stage = _overdue_stage(world.trainee)
    _overdue_stage(world.trainee)
    assert raise_risk_flags(on=today) == {"raised": 1, "cleared": 0, "warned": 2}
    found = RiskFlag.objects.get(employee=world.trainee)
    assert (found.kind, found.key, found.detail, found.raised_on, found.cleared_on) == (
        "tasks_overdue",
        "tasks",
        "2",
        today,
        None,
    )
    assert len(_warned(world.trainee.user)) == 1 and len(_warned(world.supervisor.user)) == 1
    assert _warned(world.mentor.user) == []
    # A rerun the same day writes nothing; one stage done changes the detail only.
    assert raise_risk_flags(on=today) == {"raised": 0, "cleared": 0, "warned": 0}
    stage.done_at = timezone.now()
    stage.save()
    assert raise_risk_flags(on=today)["raised"] == 0
    assert RiskFlag.objects.get(employee=world.trainee).detail == "1"


@pytest.mark.django_db
def test_a_flag_clears_when_its_cause_is_gone_and_reopens_with_a_new_warning(world, today):
    stage = _overdue_stage(world.trainee)
    raise_risk_flags(on=today)
    stage.done_at = timezone.now()
    stage.save()
    assert raise_risk_flags(on=today + datetime.timedelta(days=1)) == {"raised": 0, "cleared": 1, "warned": 0}
    assert RiskFlag.objects.get(employee=world.trainee).cleared_on == today + datetime.timedelta(days=1)
    later = today + datetime.timedelta(days=5)
    _overdue_stage(world.trainee, days=1)
    assert raise_risk_flags(on=later)["raised"] == 1
    reopened = RiskFlag.objects.get(employee=world.trainee)
    assert (reopened.raised_on, reopened.cleared_on) == (later, None)
    assert len(_warned(world.trainee.user)) == 2  # one warning per raising


@pytest.mark.django_db
def test_an_expired_certification_flags_until_it_is_renewed(world, today):
    playbook = Playbook.objects.order_by("pk").first()
    Certification.objects.create(
        employee=world.trainee,
        playbook=playbook,
        certified_on=today - datetime.timedelta(days=400),
        expires_on=today - datetime.timedelta(days=35),
    )
    raise_risk_flags(on=today)
    found = RiskFlag.objects.get(employee=world.trainee, kind="certification")
    assert found.key == f"cert:{playbook.pk}" and found.detail == (today - datetime.timedelta(days=35)).isoformat()
    Certification.objects.create(
        employee=world.trainee,
        playbook=playbook,
        certified_on=today,
        expires_on=today + datetime.timedelta(days=365),
    )
    raise_risk_flags(on=today)
    assert RiskFlag.objects.get(pk=found.pk).cleared_on == today


@pytest.mark.django_db
def test_a_kpi_band_drop_flags_the_agent(world, today):
    from kpis.selectors.results import active_kpis

    fcr = next(k for k in active_kpis() if k.code == "fcr")
    TargetFactory(kpi=fcr, target="0.80", excellent_at="0.90", far_below_at="0.60")
    AgentDayFactory(employee=world.trainee, on=datetime.date(2026, 11, 3), inbound_handled=10, fcr_resolved=9)
    AgentDayFactory(employee=world.trainee, on=datetime.date(2026, 11, 12), inbound_handled=10, fcr_resolved=7)
    raise_risk_flags(on=today)
    found = RiskFlag.objects.get(employee=world.trainee, kind="kpi_drop")
    assert (found.key, found.detail) == ("kpi:fcr", "excellent>below")
    text = selectors.flag_text(found, selectors.kpi_names())
    assert "Excellent" in text and "Below" in text
    AgentDay.objects.filter(employee=world.trainee).delete()
    raise_risk_flags(on=today)
    assert RiskFlag.objects.get(pk=found.pk).cleared_on == today


@pytest.mark.django_db
def test_a_leaver_gets_no_flag(world, today):
    _overdue_stage(world.other_trainee)
    world.other_trainee.stage = LifeStage.LEFT
    world.other_trainee.left_on = today - datetime.timedelta(days=1)
    world.other_trainee.save()
    assert raise_risk_flags(on=today)["raised"] == 0


@pytest.mark.django_db
def test_the_daily_task_runs_the_check(world, today):
    _overdue_stage(world.trainee)
    assert celery_tasks.raise_risk_flags.apply().get()["raised"] == 1


# -- pages


@pytest.mark.django_db
def test_an_in_flight_correction_needs_a_target_date_and_is_marked_done(client, world):
    client.force_login(world.supervisor.user)
    url = reverse("improvement:followup-log", args=[world.trainee.pk])
    when = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"phase": "during", "scheduled_at": when, "agreed_actions": "Read back the amount"})
    assert response.status_code == 200 and "An in-flight correction needs a target date." in response.text
    target = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client.post(
        url, {"phase": "during", "scheduled_at": when, "agreed_actions": "Read back the amount", "follow_up_on": target}
    )
    assert response.status_code == 302
    logged = world.trainee.coaching_sessions.get(phase="during", agreed_actions="Read back the amount")
    page = client.get(reverse("improvement:followup-person", args=[world.trainee.pk]))
    assert "Read back the amount" in page.text and target in page.text
    client.post(reverse("improvement:followup-correction-done", args=[logged.pk]))
    logged.refresh_from_db()
    assert logged.corrected_at is not None


@pytest.mark.django_db
def test_an_after_action_review_names_cause_and_remedy_and_a_repeat_is_flagged(client, world):
    client.force_login(world.supervisor.user)
    url = reverse("improvement:followup-log", args=[world.trainee.pk])
    when = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"phase": "after", "scheduled_at": when})
    assert response.status_code == 200
    assert "An after-action review names the cause." in response.text
    review = {"phase": "after", "scheduled_at": when, "error_kind": "process", "cause": "Skipped the check"}
    assert client.post(url, {**review, "remedy": "Checklist on screen"}).status_code == 302
    assert client.post(url, {**review, "remedy": "Checklist again"}).status_code == 302
    first, second = world.trainee.coaching_sessions.filter(phase="after").order_by("pk")
    assert (first.is_repeat, second.is_repeat) == (False, True)
    page = client.get(reverse("improvement:followup-person", args=[world.trainee.pk]))
    assert page.text.count('data-repeat="1"') == 1


@pytest.mark.django_db
def test_the_agent_sees_her_own_follow_up_and_acknowledges(client, world):
    flag(world.trainee)
    logged = session(world.trainee, world.supervisor.user, notes="Slow down on the disclosure")
    client.force_login(world.trainee.user)
    response = client.get(reverse("improvement:followup"))
    assert response.status_code == 302 and response["Location"].endswith(f"/follow-up/{world.trainee.pk}/")
    page = client.get(response["Location"])
    assert "My follow-up" in page.text and "Slow down on the disclosure" in page.text
    assert "2 task stages overdue" in page.text
    assert 'id="log-correction"' not in page.text  # she does not coach herself
    client.post(reverse("training:coaching-ack", args=[logged.pk]))
    logged.refresh_from_db()
    assert logged.acknowledged_at is not None


@pytest.mark.django_db
def test_the_list_puts_flagged_people_first_and_filters(client, world):
    flag(world.mentor)
    client.force_login(world.supervisor.user)
    page = client.get(reverse("improvement:followup"))
    people = [row.employee_number for row, _flags in page.context["rows"]]
    assert people[0] == world.mentor.employee_number
    assert world.other_trainee.employee_number not in people and world.supervisor.employee_number not in people
    flagged = client.get(reverse("improvement:followup"), {"flagged": "on"})
    assert [row.pk for row, _flags in flagged.context["rows"]] == [world.mentor.pk]


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_the_list_and_the_leads_record_read_a_fixed_number_of_queries(client, world):
    flag(world.trainee)
    client.force_login(world.hr)
    urls = [reverse("improvement:followup"), reverse("improvement:followup-leads")]
    before = [_queries(client, url) for url in urls]
    for n in range(12):
        team = TeamFactory()
        lead = EmployeeFactory(team=team)
        team.supervisor = lead
        team.save()
        agent = EmployeeFactory(team=team)
        flag(agent)
        session(agent, lead.user, follow_up_on=timezone.localdate() - datetime.timedelta(days=1))
        session(agent, lead.user, phase="after", error_kind="process", cause="c", remedy="r", is_repeat=n % 2 == 0)
    after = [_queries(client, url) for url in urls]
    assert after == before


@pytest.mark.django_db
def test_the_leads_record_counts_reviews_on_time_and_overdue_corrections(client, world):
    today = timezone.localdate()
    on_time = flag(world.trainee, raised_on=today - datetime.timedelta(days=10))
    session(world.trainee, world.supervisor.user, days_ago=9)  # within three days of the flag
    flag(world.mentor, key="cert:1", kind="certification", raised_on=today - datetime.timedelta(days=20))
    flag(world.inactive, raised_on=today - datetime.timedelta(days=200))  # outside the window
    session(world.mentor, world.supervisor.user, follow_up_on=today - datetime.timedelta(days=1))  # overdue
    session(world.mentor, world.supervisor.user, follow_up_on=today + datetime.timedelta(days=1))  # not yet due
    done = session(world.trainee, world.supervisor.user, follow_up_on=today - datetime.timedelta(days=2))
    done.corrected_at = timezone.now()
    done.save()
    session(world.trainee, world.supervisor.user, phase="after", error_kind="process", cause="c", remedy="r")
    session(
        world.trainee, world.supervisor.user, phase="after", error_kind="process", cause="c", remedy="r", is_repeat=True
    )
    client.force_login(world.hr)
    page = client.get(reverse("improvement:followup-leads"))
    rows = {lead.pk: (lead, share) for lead, share in page.context["rows"]}
    lead, share = rows[world.supervisor.pk]
    assert (lead.flags, lead.on_time, share, lead.reviews, lead.repeats, lead.overdue) == (2, 1, 50, 2, 1, 1)
    other, other_share = rows[world.other_supervisor.pk]
    assert (other.flags, other_share, other.overdue) == (0, None, 0)
    assert "no data" in page.text
    assert on_time.pk


@pytest.mark.django_db
def test_the_api_lists_flags_in_scope(client, world):
    mine, theirs = flag(world.trainee), flag(world.other_trainee)
    client.force_login(world.supervisor.user)
    got = client.get(reverse("improvement-risk-flag-list"), {"open": "true"}).json()
    ids = {row["id"] for row in got["results"]}
    assert mine.pk in ids and theirs.pk not in ids


def test_only_a_fall_under_target_is_a_risk():
    from improvement import followup_rules as rules

    assert rules.is_kpi_risk("meets", "below") and rules.is_kpi_risk("excellent", "far_below")
    assert not rules.is_kpi_risk("excellent", "meets")
    assert not rules.is_kpi_risk("below", "below")
