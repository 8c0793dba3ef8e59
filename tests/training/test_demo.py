"""The KASH demo: seed_demo finds training.demo by discovery and adds targets and a year of assessments."""

import datetime
import re
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from staff.management.commands.seed_demo import demo_extras
from staff.models import Employee, Stage, Team
from training.demo import DEMO_TAG, seed_demo_extra
from training.models import Assessment, AssessmentStatus, Indicator, PositionTarget, Score, Source
from training.selectors import targets_by_employee, team_heatmap

STAFF_DIR = Path(__file__).resolve().parents[2] / "staff"


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def output(db):
    return seed()


def person(username):
    return Employee.objects.get(user__username=username)


def submitted(employee):
    return employee.assessments.filter(status=AssessmentStatus.SUBMITTED)


def counts():
    return {
        "assessments": Assessment.objects.count(),
        "scores": Score.objects.count(),
        "targets": PositionTarget.objects.count(),
        "target_history": PositionTarget.history.count(),
    }


def test_staff_never_imports_training():
    pattern = re.compile(r"^\s*(from|import)\s+training\b", re.MULTILINE)
    offenders = [str(path) for path in STAFF_DIR.rglob("*.py") if pattern.search(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_seed_demo_discovers_the_training_demo_step():
    modules = [step.__module__ for step in demo_extras()]
    assert "training.demo" in modules
    assert "staff.demo" not in modules


def test_seed_demo_prints_the_kash_summary(output):
    assert "KASH demo:" in output
    assert Assessment.objects.filter(context__contains=DEMO_TAG).exists()


def test_demo_trainee_is_assessed_by_three_sources_since_her_first_week(output):
    trainee = person("trainee")
    sources = set(submitted(trainee).values_list("source", flat=True))
    assert len(sources) >= 3
    assert {Source.MENTOR, Source.SUPERVISOR, Source.SELF} <= sources
    first = min(submitted(trainee).values_list("assessed_on", flat=True))
    assert trainee.hire_date <= first <= trainee.hire_date + datetime.timedelta(days=7)


@pytest.mark.parametrize("username", ["mentor", "supervisor"])
def test_tenured_demo_logins_have_ten_months_of_assessments(output, username):
    dates = list(submitted(person(username)).values_list("assessed_on", flat=True))
    assert (max(dates) - min(dates)).days >= 300
    assert len(set(submitted(person(username)).values_list("source", flat=True))) >= 3


def test_demo_trainee_has_a_corrected_assessment(output):
    trainee = person("trainee")
    correction = Assessment.objects.get(subject=trainee, supersedes__isnull=False)
    original = correction.supersedes
    assert original.subject == trainee
    assert original.is_submitted and correction.is_submitted
    assert (original.source, original.assessor_id) == (correction.source, correction.assessor_id)
    assert original.submitted_at < correction.submitted_at
    levels = dict(original.scores.values_list("indicator_id", "level"))
    assert dict(correction.scores.values_list("indicator_id", "level")) != levels


def test_demo_supervisor_has_a_draft_for_the_trainee(output):
    draft = Assessment.objects.get(subject=person("trainee"), status=AssessmentStatus.DRAFT)
    assert draft.assessor.username == "supervisor"
    assert draft.submitted_at is None
    assert draft.scores.exists()


def test_every_employee_with_a_team_and_position_has_targets(output):
    employees = list(Employee.objects.exclude(team=None).exclude(position=None))
    targets = targets_by_employee(employees)
    assert [e.name for e in employees if not targets[e.pk]] == []


def test_onboarding_agents_are_expected_less_on_skills(output):
    trainee = person("trainee")
    agent = Employee.objects.filter(position=trainee.position, stage=Stage.GROWTH).first()
    targets = targets_by_employee([trainee, agent])
    skill = Indicator.objects.get(code="communication-4c").pk
    habit = Indicator.objects.get(code="after-call-work").pk
    assert targets[trainee.pk][skill] < targets[agent.pk][skill]
    assert targets[trainee.pk][habit] == targets[agent.pk][habit]


def test_no_assessment_is_in_the_future_or_before_the_hire_date(output):
    assert not Assessment.objects.filter(assessed_on__gt=timezone.localdate()).exists()
    assert not Assessment.objects.filter(submitted_at__gt=timezone.now()).exists()
    assert not Assessment.objects.filter(assessed_on__lt=F("subject__hire_date")).exists()


def test_only_active_team_members_are_assessed(output):
    assessed = Employee.objects.filter(assessments__isnull=False).distinct()
    assert not assessed.filter(team=None).exists()
    assert not assessed.filter(stage=Stage.LEFT).exists()
    assert not Employee.objects.exclude(team=None).exclude(stage=Stage.LEFT).filter(assessments=None).exists()


def test_private_notes_are_written_by_the_persons_supervisor(output):
    notes = list(Assessment.objects.exclude(private_note="").select_related("subject__team__supervisor"))
    assert len(notes) >= 3
    assert all(a.assessor_id == a.subject.team.supervisor.user_id for a in notes)


def test_second_run_changes_nothing(output):
    before = counts()
    second = seed()
    assert counts() == before
    assert "0 assessments" in second


def test_a_run_on_a_later_day_adds_nothing(output):
    before = counts()
    seed_demo_extra(today=timezone.localdate() + datetime.timedelta(days=40))
    assert counts() == before


def test_supervisor_heatmap_shows_gaps_to_work_on(output):
    user = get_user_model().objects.get(username="supervisor")
    team_ids = list(Team.objects.filter(supervisor__user=user).values_list("pk", flat=True))
    _indicators, rows, needs = team_heatmap(user, team_ids=team_ids)
    assert any(row.total_gap > 0 for row in rows)
    assert needs
