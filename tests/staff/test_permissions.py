from staff import permissions
from staff.models import Employee
from tests.staff.factories import EmployeeFactory, UserFactory


def names(qs):
    return set(qs.values_list("name", flat=True))


def test_hr_sees_everyone(world):
    assert names(permissions.visible_employees(world.hr)) == set(Employee.objects.values_list("name", flat=True))


def test_supervisor_sees_own_team_only(world):
    assert names(permissions.visible_employees(world.supervisor.user)) == {
        "Supervisor A",
        "Mentor A",
        "Trainee A",
        "Inactive",
    }


def test_supervisor_cannot_see_other_team(world):
    assert not permissions.can_view_employee(world.supervisor.user, world.other_trainee)


def test_mentor_sees_mentees_and_self(world):
    assert names(permissions.visible_employees(world.mentor.user)) == {"Mentor A", "Trainee A"}


def test_trainee_sees_only_self(world):
    assert names(permissions.visible_employees(world.trainee.user)) == {"Trainee A"}
    assert not permissions.can_view_employee(world.trainee.user, world.other_trainee)


def test_inactive_user_sees_nothing(world):
    assert not permissions.visible_employees(world.inactive.user).exists()
    assert not permissions.visible_teams(world.inactive.user).exists()
    assert not permissions.is_hr(world.inactive.user)


def test_user_without_employee_record_sees_nothing(db):
    EmployeeFactory()
    assert not permissions.visible_employees(UserFactory()).exists()


def test_supervisor_of_two_teams_sees_both(world):
    world.other_team.supervisor = world.supervisor
    world.other_team.save()
    assert "Trainee B" in names(permissions.visible_employees(world.supervisor.user))


def test_visible_teams_follow_membership_and_leadership(world):
    assert set(permissions.visible_teams(world.trainee.user)) == {world.team}
    assert set(permissions.visible_teams(world.other_supervisor.user)) == {world.other_team}
    assert permissions.visible_teams(world.hr).count() == 2


def test_home_route_by_role(world):
    assert permissions.home_route(world.hr) == "staff:hr-home"
    assert permissions.home_route(world.supervisor.user) == "staff:today"
    assert permissions.home_route(world.mentor.user) == "staff:my-mentees"
    assert permissions.home_route(world.trainee.user) == "staff:my-profile"


def test_superuser_counts_as_hr(db):
    assert permissions.is_hr(UserFactory(is_superuser=True))


def test_a_supervisor_leads_the_people_of_her_team(world):
    assert permissions.leads(world.supervisor.user, world.trainee)


def test_a_supervisor_does_not_lead_another_teams_people(world):
    assert not permissions.leads(world.other_supervisor.user, world.trainee)


def test_hr_leads_nobody_by_being_hr(world):
    assert not permissions.leads(world.hr, world.trainee)


def test_an_inactive_supervisor_leads_nobody(world):
    world.supervisor.user.is_active = False
    assert not permissions.leads(world.supervisor.user, world.trainee)


def test_the_mentor_mentors_her_mentee(world):
    assert permissions.mentors(world.mentor.user, world.trainee)


def test_the_supervisor_is_not_the_mentor(world):
    assert not permissions.mentors(world.supervisor.user, world.trainee)


def test_is_self_is_the_users_own_record(world):
    assert permissions.is_self(world.trainee.user, world.trainee)


def test_is_self_is_not_someone_elses_record(world):
    assert not permissions.is_self(world.mentor.user, world.trainee)
