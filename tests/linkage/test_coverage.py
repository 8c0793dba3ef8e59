"""Team coverage (issue 12 §8): certified owners per scripted step against HR's minimum, the weakest links in red
and on the supervisor's "Today", in a fixed number of queries whatever the team size or history."""

import datetime

import pytest
from django.urls import reverse

from linkage.models import LinkageSettings
from linkage.selectors.coverage import team_coverage, weak_links
from staff import today as staff_today
from staff.models import Stage
from tests.linkage.factories import CertificationFactory, LinkageRoleFactory, StepFactory, version_in
from tests.staff.factories import EmployeeFactory, PositionFactory, TeamFactory

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
TODAY = datetime.date(2026, 12, 4)


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 4, 8, 0, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def fixture(world):
    """Playbook X (published) in Team A, minimum 2 certified owners per step.

    Steps: "spot" (scripted, owner: agent), "explain" (scripted, owner: specialist), "greet" (guidance only,
    owner: agent — never listed). Positions: P-agent holds the agent role, P-senior the specialist role.
    Team A: Ann, Bea, Cat (P-agent), Sam (P-senior), Lea (P-agent, left). Team B: Bob (P-agent).
    Certifications of X: Ann until 2027-06-01 and renewed on 2026-12-01 (two unexpired rows: counted once);
    Bea expired on 2026-11-30; Cat until 2026-12-20; Lea (left) and Bob unexpired; Sam none.

    Known answer on 2026-12-04, Team A: spot = Ann + Cat = 2 (not weak); explain = 0 (weak: Sam holds the role).
    Team B: spot = Bob = 1 (weak); explain = 0 but nobody in Team B holds the specialist role: shown, not weak.
    """
    LinkageSettings.objects.create(pk=1, min_certified_owners=2)
    agent_position, senior_position = PositionFactory(code="P-agent"), PositionFactory(code="P-senior")
    agent, specialist = LinkageRoleFactory(code="agent"), LinkageRoleFactory(code="specialist")
    agent.positions.set([agent_position])
    specialist.positions.set([senior_position])
    version = version_in("published")
    version.steps.all().delete()
    world.spot = StepFactory(version=version, order=1, code="spot", owner=agent)
    world.explain = StepFactory(version=version, order=2, code="explain", owner=specialist)
    StepFactory(version=version, order=3, code="greet", owner=agent, is_scripted=False)
    playbook = version.playbook

    def member(name, team, position, **kwargs):
        return EmployeeFactory(name=name, team=team, position=position, stage=Stage.GROWTH, **kwargs)

    world.ann = member("Ann", world.team, agent_position)
    world.bea = member("Bea", world.team, agent_position)
    world.cat = member("Cat", world.team, agent_position)
    world.sam = member("Sam", world.team, senior_position)
    lea = EmployeeFactory(name="Lea", team=world.team, position=agent_position, stage=Stage.LEFT)
    world.bob = member("Bob", world.other_team, agent_position)
    cert = CertificationFactory
    cert(employee=world.ann, playbook=playbook, certified_on=datetime.date(2026, 6, 1))
    cert(employee=world.ann, playbook=playbook, certified_on=datetime.date(2026, 12, 1))
    cert(employee=world.bea, playbook=playbook, certified_on=datetime.date(2025, 11, 30))
    cert(
        employee=world.cat,
        playbook=playbook,
        certified_on=datetime.date(2025, 12, 20),
        expires_on=datetime.date(2026, 12, 20),
    )
    cert(employee=lea, playbook=playbook, certified_on=datetime.date(2026, 6, 1))
    cert(employee=world.bob, playbook=playbook, certified_on=datetime.date(2026, 6, 1))
    world.version = version
    return world


def figures(team_ids, version, today=TODAY):
    """{team id: {step code: (certified, is_weak, owners)}} for ``version`` only (the shipped playbooks are
    published too)."""
    return {
        team_id: {r.step.code: (r.certified, r.is_weak, r.owners) for r in rows if r.version == version}
        for team_id, rows in team_coverage(team_ids, today=today).items()
    }


def login(client, user):
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def test_known_answer(fixture):
    got = figures([fixture.team.pk, fixture.other_team.pk], fixture.version)
    assert got[fixture.team.pk] == {"spot": (2, False, ("Ann", "Cat")), "explain": (0, True, ())}
    assert got[fixture.other_team.pk] == {"spot": (1, True, ("Bob",)), "explain": (0, False, ())}
    LinkageSettings.objects.all().delete()  # HR's setting gone: the default minimum, 1
    assert figures([fixture.other_team.pk], fixture.version)[fixture.other_team.pk]["spot"] == (1, False, ("Bob",))


def test_weak_rows_come_first_and_weak_links_lists_only_them(fixture):
    rows = [r for r in team_coverage([fixture.team.pk], today=TODAY)[fixture.team.pk] if r.version == fixture.version]
    assert [r.step.code for r in rows] == ["explain", "spot"]
    weak = weak_links([fixture.team.pk], today=TODAY)[fixture.team.pk]
    assert fixture.explain in [r.step for r in weak] and fixture.spot not in [r.step for r in weak]


def test_an_expired_certification_stops_counting(fixture, time_machine):
    assert figures([fixture.team.pk], fixture.version)[fixture.team.pk]["spot"][0] == 2
    time_machine.move_to(datetime.datetime(2026, 12, 21, 8, 0, tzinfo=datetime.UTC), tick=False)
    from django.utils import timezone

    later = figures([fixture.team.pk], fixture.version, today=timezone.localdate())
    assert later[fixture.team.pk]["spot"] == (1, True, ("Ann",))  # Cat's expired on 2026-12-20


def test_moving_team_or_position_moves_the_count(fixture):
    fixture.cat.team = fixture.other_team
    fixture.cat.save()
    got = figures([fixture.team.pk, fixture.other_team.pk], fixture.version)
    assert got[fixture.team.pk]["spot"][0] == 1 and got[fixture.other_team.pk]["spot"] == (2, False, ("Bob", "Cat"))
    fixture.bob.position = fixture.sam.position  # now a specialist: she owns "explain", no longer "spot"
    fixture.bob.save()
    got = figures([fixture.other_team.pk], fixture.version)[fixture.other_team.pk]
    assert got == {"spot": (1, True, ("Cat",)), "explain": (1, True, ("Bob",))}


def test_names_are_capped_and_the_count_is_not(fixture):
    from linkage.selectors.coverage import NAMES_SHOWN

    agent_position = fixture.ann.position
    for n in range(NAMES_SHOWN + 2):
        person = EmployeeFactory(name=f"Zed {n}", team=fixture.team, position=agent_position, stage=Stage.GROWTH)
        CertificationFactory(employee=person, playbook=fixture.version.playbook)
    certified, _weak, owners = figures([fixture.team.pk], fixture.version)[fixture.team.pk]["spot"]
    assert certified == 2 + NAMES_SHOWN + 2
    assert owners[:2] == ("Ann", "Cat") and len(owners) == NAMES_SHOWN


def test_query_count_does_not_grow(fixture, django_assert_num_queries):
    team_ids = [fixture.team.pk, fixture.other_team.pk]
    with django_assert_num_queries(5):
        team_coverage(team_ids, today=TODAY)
    playbook, position = fixture.version.playbook, fixture.ann.position
    for team in [fixture.team, fixture.other_team, TeamFactory()]:
        for n in range(15):
            person = EmployeeFactory(team=team, position=position, stage=Stage.GROWTH)
            for year in (2024, 2025, 2026):  # history: expired and current certifications
                CertificationFactory(employee=person, playbook=playbook, certified_on=datetime.date(year, 3, n + 1))
    with django_assert_num_queries(5):
        coverage = team_coverage(team_ids, today=TODAY)
    assert [r.certified for r in coverage[fixture.team.pk] if r.step == fixture.spot] == [17]


# The page ---------------------------------------------------------------------------------------------------


def test_page_shows_the_weakest_link_in_red_with_a_label(client, fixture):
    response = login(client, fixture.supervisor.user).get(reverse("linkage:coverage"))
    assert response.status_code == 200
    html = response.content.decode()
    row = html.split('data-step="explain"')[0].rsplit("<tr", 1)[1]
    assert 'class="table-danger"' in row
    assert "Weakest link" in html.split('data-step="explain"')[1].split("</tr>")[0]
    spot = html.split('data-step="spot"')[1].split("</tr>")[0]
    assert "Ann, Cat" in spot and "Weakest link" not in spot


def test_agent_gets_404_and_a_supervisor_sees_only_her_teams(client, fixture):
    assert login(client, fixture.trainee.user).get(reverse("linkage:coverage")).status_code == 404
    assert login(client, fixture.trainee.user).get(reverse("linkage:abilities")).status_code == 404
    other = login(client, fixture.other_supervisor.user)
    for name in ("linkage:coverage", "linkage:abilities"):
        assert other.get(reverse(name), {"team": fixture.team.pk}).status_code == 404
        assert other.get(reverse(name), {"team": "99999999999999999999"}).status_code == 404
        assert other.get(reverse(name), {"team": fixture.other_team.pk}).status_code == 200


def test_hr_picks_any_team(client, fixture):
    response = login(client, fixture.hr).get(reverse("linkage:coverage"), {"team": fixture.other_team.pk})
    assert response.status_code == 200
    assert response.context["team"] == fixture.other_team
    assert 'data-step="spot"' in response.content.decode()


def test_page_queries_do_not_grow_with_the_team(client, fixture, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    page = login(client, fixture.supervisor.user)
    with CaptureQueriesContext(connection) as small:
        page.get(reverse("linkage:coverage"))
    for _n in range(30):
        person = EmployeeFactory(team=fixture.team, position=fixture.ann.position, stage=Stage.GROWTH)
        CertificationFactory(employee=person, playbook=fixture.version.playbook)
    with CaptureQueriesContext(connection) as big:
        page.get(reverse("linkage:coverage"))
    assert len(big) == len(small)


# Today -------------------------------------------------------------------------------------------------------


def weak_items(user):
    return [
        item
        for section in staff_today.sections(user, today=TODAY)
        for item in section.items
        if item.key.startswith("linkage-weak-link:")
    ]


def test_today_lists_a_weak_team_and_drops_it_once_covered(fixture):
    for version in fixture.version.__class__.objects.exclude(pk=fixture.version.pk).filter(status="published"):
        version.steps.update(is_scripted=False)  # only playbook X counts here
    items = weak_items(fixture.supervisor.user)
    assert [item.key for item in items] == [f"linkage-weak-link:{fixture.team.pk}"]
    assert "explain" in items[0].text and reverse("linkage:coverage") in items[0].url
    for name in ("Sid", "Sue"):
        person = EmployeeFactory(name=name, team=fixture.team, position=fixture.sam.position, stage=Stage.GROWTH)
        CertificationFactory(employee=person, playbook=fixture.version.playbook)
    assert weak_items(fixture.supervisor.user) == []
    assert weak_items(fixture.trainee.user) == []


def test_a_step_of_a_centre_role_counts_its_certified_owners_across_the_centre(fixture):
    """Floor managers serve every team and belong to none: the shipped incident step "stabilise" (owner: floor
    manager, a centre role) is covered for both teams by the one certified floor manager; a floor manager who
    has left, or whose certification expired, does not count."""
    from linkage.models import Playbook, RoleScope, Step

    stabilise = Step.objects.get(
        version__playbook__code="incident-handling", version__status="published", code="stabilise"
    )
    assert stabilise.owner.scope == RoleScope.CENTRE
    manager_position = PositionFactory(code="P-manager")
    stabilise.owner.positions.add(manager_position)
    incident = Playbook.objects.get(code="incident-handling")
    for name, stage, certified_on in [
        ("Mei", Stage.MANAGEMENT, datetime.date(2026, 6, 1)),
        ("Old", Stage.LEFT, datetime.date(2026, 6, 1)),
        ("Lapsed", Stage.MANAGEMENT, datetime.date(2025, 6, 1)),
    ]:
        person = EmployeeFactory(name=name, team=None, position=manager_position, stage=stage)
        CertificationFactory(employee=person, playbook=incident, certified_on=certified_on)

    coverage = team_coverage([fixture.team.pk, fixture.other_team.pk], today=TODAY)

    for team_id in (fixture.team.pk, fixture.other_team.pk):  # nobody in either team is a floor manager
        (row,) = [r for r in coverage[team_id] if r.step == stabilise]
        assert (row.certified, row.owners, row.is_centre, row.is_weak) == (1, ("Mei",), True, True)  # minimum 2


def test_a_step_whose_role_nobody_in_the_team_holds_is_shown_but_never_weak(fixture):
    """Team B has no specialist: "explain" is listed as not held and not weak; once Bob moves to the senior
    position (which holds the specialist role) it is held and, with nobody certified, weak."""
    (explain,) = [
        r
        for r in team_coverage([fixture.other_team.pk], today=TODAY)[fixture.other_team.pk]
        if r.step == fixture.explain
    ]
    assert (explain.is_held, explain.is_weak) == (False, False)

    fixture.bob.position = fixture.sam.position
    fixture.bob.save()

    (explain,) = [
        r
        for r in team_coverage([fixture.other_team.pk], today=TODAY)[fixture.other_team.pk]
        if r.step == fixture.explain
    ]
    assert (explain.is_held, explain.is_weak) == (True, True)
