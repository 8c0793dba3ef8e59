"""My team at scale (issue 9): a page at a time, site/department/team/stage filters and a search."""

import pytest
from django.urls import reverse

from staff.models import Stage
from staff.selectors import PAGE_SIZE
from tests.staff.factories import DepartmentFactory, EmployeeFactory, TeamFactory

MY_TEAM = "staff:my-team"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def login(client, user):
    client.force_login(user, backend=MODEL_BACKEND)
    return client


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize(("role", "expected"), [("hr", 9), ("supervisor", 8)])
def test_my_team_queries_do_not_grow_with_people(client, world, django_assert_num_queries, size, role, expected):
    EmployeeFactory.create_batch(size, team=world.team, position=world.trainee.position, mentor=world.mentor)
    EmployeeFactory.create_batch(size, team=TeamFactory(), position=world.trainee.position)
    login(client, world.hr if role == "hr" else world.supervisor.user)
    with django_assert_num_queries(expected):
        response = client.get(reverse(MY_TEAM), {"q": "", "stage": Stage.ONBOARDING})
    page = response.context["page"]
    assert page.paginator.count == (2 * size + 3 if role == "hr" else size + 2)
    assert len(page) == min(PAGE_SIZE, page.paginator.count)


def test_hr_with_no_filter_gets_the_first_page_only(client, world):
    EmployeeFactory.create_batch(PAGE_SIZE + 5, team=world.other_team, position=world.trainee.position)
    response = login(client, world.hr).get(reverse(MY_TEAM))
    page = response.context["page"]
    assert (page.number, len(page), page.paginator.num_pages) == (1, PAGE_SIZE, 2)
    assert 'href="?page=2"' in response.content.decode()


def test_the_second_page_keeps_the_filters(client, world):
    EmployeeFactory.create_batch(PAGE_SIZE + 1, team=world.team, position=world.trainee.position)
    response = login(client, world.supervisor.user).get(
        reverse(MY_TEAM), {"team": world.team.pk, "stage": Stage.ONBOARDING, "page": 2}
    )
    page = response.context["page"]
    assert (page.number, len(page)) == (2, 3)  # the new people, Trainee A and Inactive
    assert f"?team={world.team.pk}&amp;stage=onboarding&amp;page=1" in response.content.decode()


def test_a_page_past_the_end_shows_the_last_one(client, world):
    response = login(client, world.supervisor.user).get(reverse(MY_TEAM), {"page": "99"})
    assert response.context["page"].number == 1


def test_search_by_name_or_employee_number(client, world):
    login(client, world.supervisor.user)
    by_name = client.get(reverse(MY_TEAM), {"q": "mentor"}).context["page"]
    by_number = client.get(reverse(MY_TEAM), {"q": world.trainee.employee_number}).context["page"]
    assert list(by_name) == [world.mentor]
    assert list(by_number) == [world.trainee]


def test_a_supervisors_search_stays_inside_her_teams(client, world):
    response = login(client, world.supervisor.user).get(reverse(MY_TEAM), {"q": "Trainee"})
    assert list(response.context["page"]) == [world.trainee]


def test_hr_filters_by_department(client, world):
    department = DepartmentFactory(site=world.other_team.department.site)
    newcomer = EmployeeFactory(name="Dept person", team=TeamFactory(department=department))
    response = login(client, world.hr).get(reverse(MY_TEAM), {"department": department.pk})
    assert list(response.context["page"]) == [newcomer]
    assert [team.department_id for team in response.context["scope_teams"]] == [department.pk]


def test_hr_sees_a_bounded_number_of_team_cards(client, world):
    for _ in range(10):
        TeamFactory()
    body = login(client, world.hr).get(reverse(MY_TEAM)).content.decode()
    assert body.count('<div class="fw-semibold">') == 8
    assert "choose a site, department or team to narrow the list" in body
