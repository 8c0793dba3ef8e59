"""The KASH team heatmap at scale (issue 9): a page at a time, filters, one meaning per cell, no withdrawn."""

import datetime

import pytest
from django.urls import reverse

from staff.models import Stage
from staff.selectors import PAGE_SIZE
from tests.staff.factories import EmployeeFactory
from tests.training.factories import AssessmentFactory, ScoreFactory
from training import cycles
from training.models import Batch, Enrollment, PositionTarget, Program
from training.selectors.kash import short_labels

HEATMAP = "training:team-heatmap"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def login(client, user):
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def assess(subject, indicator, level, *, source="supervisor", on=datetime.date(2026, 10, 1)):
    assessment = AssessmentFactory(subject=subject, source=source, assessed_on=on)
    ScoreFactory(assessment=assessment, indicator=indicator, level=level)
    return assessment


def withdraw(world, trainee):
    program = Program.objects.get_or_create(code="heatmap-test", defaults={"name_en": "P", "name_zh": "P"})[0]
    batch = Batch.objects.create(
        program=program,
        code=f"b-{trainee.pk}",
        name="B",
        start_on=datetime.date(2026, 9, 1),
        supervisor=world.supervisor,
    )
    Enrollment.objects.create(
        batch=batch,
        trainee=trainee,
        state=cycles.WITHDRAWN,
        cycle_started_on=datetime.date(2026, 9, 1),
        due_on=datetime.date(2026, 9, 15),
    )


def people(world, count, indicators, *, team):
    """``count`` people of ``team`` with a target and two months of scores from two sources each."""
    members = EmployeeFactory.create_batch(count, team=team, position=world.trainee.position)
    PositionTarget.objects.get_or_create(
        position=world.trainee.position, indicator=indicators[0], defaults={"level": 4}
    )
    for member in members:
        for month in (9, 10):
            for source in ("supervisor", "mentor"):
                assessment = AssessmentFactory(subject=member, source=source, assessed_on=datetime.date(2026, month, 1))
                for indicator in indicators:
                    ScoreFactory(assessment=assessment, indicator=indicator, level=1 + member.pk % 5)
    return members


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize(("role", "expected"), [("hr", 12), ("supervisor", 11)])
def test_heatmap_queries_do_not_grow_with_people_or_history(
    client, world, indicators, django_assert_num_queries, size, role, expected
):
    user = world.hr if role == "hr" else world.supervisor.user
    people(world, size, indicators, team=world.team)
    people(world, size, indicators, team=world.other_team)
    login(client, user)
    with django_assert_num_queries(expected):
        response = client.get(reverse(HEATMAP), {"q": "", "stage": Stage.ONBOARDING})
    assert response.status_code == 200
    page = response.context["rows"]
    # Onboarding: the new people, Trainee A and Inactive (Team A), and for HR Trainee B (Team B) too.
    assert page.paginator.count == (2 * size + 3 if role == "hr" else size + 2)
    assert len(page) == min(PAGE_SIZE, page.paginator.count)


def test_hr_with_no_filter_gets_the_first_page_only(client, world, indicators):
    people(world, PAGE_SIZE + 5, indicators, team=world.other_team)
    response = login(client, world.hr).get(reverse(HEATMAP))
    page = response.context["rows"]
    assert (page.number, len(page), page.paginator.num_pages) == (1, PAGE_SIZE, 2)
    body = response.content.decode()
    assert 'href="?page=2"' in body


def test_page_links_keep_the_filters_and_the_sort(client, world, indicators):
    people(world, PAGE_SIZE + 1, indicators, team=world.team)
    response = login(client, world.supervisor.user).get(
        reverse(HEATMAP), {"team": world.team.pk, "stage": Stage.ONBOARDING, "sort": "gap"}
    )
    assert f"?team={world.team.pk}&amp;stage=onboarding&amp;sort=gap&amp;page=2" in response.content.decode()


def test_search_by_name_or_employee_number(client, world, indicators):
    login(client, world.supervisor.user)
    by_name = client.get(reverse(HEATMAP), {"q": "trainee a"}).context["rows"]
    by_number = client.get(reverse(HEATMAP), {"q": world.mentor.employee_number}).context["rows"]
    assert [r.employee for r in by_name] == [world.trainee]
    assert [r.employee for r in by_number] == [world.mentor]


def test_a_cell_shows_the_gap_with_the_profiles_sign(client, world, indicators, targets):
    assess(world.trainee, indicators[0], 2)
    assess(world.trainee, indicators[1], 5)
    login(client, world.supervisor.user)
    row = next(r for r in client.get(reverse(HEATMAP)).context["rows"] if r.employee == world.trainee)
    profile = client.get(reverse("training:kash-profile", args=[world.trainee.pk])).context["profile"]
    assert [c.gap for c in row.cells] == [r.gap for r in profile.rows] == [2.0, -1.0]
    assert [c.css for c in row.cells] == ["heat-3", "heat-0"]
    assert row.cells[0].title.endswith("now 2.0 → target 4")


def test_a_cell_not_assessed_is_a_dash(client, world, indicators, targets):
    body = login(client, world.supervisor.user).get(reverse(HEATMAP)).content.decode()
    assert '<td class="heat heat-na" title="' in body
    assert ">—</td>" in body
    assert 'id="heat-legend"' in body


def test_averages_have_one_decimal_on_both_pages(client, world, indicators, targets):
    assess(world.trainee, indicators[0], 3)
    assess(world.trainee, indicators[0], 2, source="self")  # 3 × 1 and 2 × 0.5: 2.666…
    login(client, world.supervisor.user)
    row = next(r for r in client.get(reverse(HEATMAP)).context["rows"] if r.employee == world.trainee)
    profile = client.get(reverse("training:kash-profile", args=[world.trainee.pk]))
    assert row.cells[0].gap == profile.context["profile"].rows[0].gap == 1.3
    assert "2.7 → 4" in profile.content.decode()


def test_a_withdrawn_trainee_is_left_out_unless_asked_for_and_never_needs_anything(client, world, indicators, targets):
    assess(world.trainee, indicators[0], 1)
    withdraw(world, world.trainee)
    login(client, world.supervisor.user)
    default = client.get(reverse(HEATMAP))
    assert world.trainee not in [r.employee for r in default.context["rows"]]
    shown = client.get(reverse(HEATMAP), {"withdrawn": "1"})
    row = next(r for r in shown.context["rows"] if r.employee == world.trainee)
    assert row.withdrawn
    assert shown.context["needs"] == []


def test_a_trainee_enrolled_again_after_withdrawing_is_shown(client, world, indicators, targets):
    withdraw(world, world.trainee)
    batch = Batch.objects.create(
        program=Program.objects.get(code="heatmap-test"),
        code="again",
        name="A",
        start_on=datetime.date(2026, 10, 1),
        supervisor=world.supervisor,
    )
    Enrollment.objects.create(
        batch=batch, trainee=world.trainee, cycle_started_on=batch.start_on, due_on=datetime.date(2026, 10, 11)
    )
    rows = login(client, world.supervisor.user).get(reverse(HEATMAP)).context["rows"]
    assert world.trainee in [r.employee for r in rows]


def test_columns_have_short_labels_and_full_names_in_titles(client, world, indicators):
    body = login(client, world.supervisor.user).get(reverse(HEATMAP)).content.decode()
    assert short_labels(indicators) == {indicators[0].pk: "S1", indicators[1].pk: "H1"}
    assert f'<abbr title="Skill · {indicators[0].name}">S1</abbr>' in body
