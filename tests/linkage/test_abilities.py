"""The four abilities (issue 12 §8): a weighted mean of the current KASH levels and drill results HR maps to each
ability, against the highest target of the person's roles; the team matrix paged, filtered by name, in a fixed
number of queries whatever the team size or history; and the shipped defaults."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from linkage.ability_defaults import SOURCES, TARGETS
from linkage.models import AbilitySource, AbilityTarget, LinkageRole
from linkage.selectors.abilities import PER_PAGE, abilities_for, team_matrix
from staff.models import Stage
from tests.linkage.factories import LinkageRoleFactory, PlaybookFactory, StepFactory, scored_drill_rows, version_in
from tests.staff.factories import EmployeeFactory, PositionFactory
from tests.training.factories import AssessmentFactory, IndicatorFactory, ScoreFactory
from training.models import Indicator, SourceWeight

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
TODAY = datetime.date(2026, 12, 4)


def at(day):
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)


def score(person, indicator, level, on, source="supervisor"):
    assessment = AssessmentFactory(subject=person, source=source, assessed_on=on)
    ScoreFactory(assessment=assessment, indicator=indicator, level=level)


@pytest.fixture
def fixture(world):
    """Mapping: business ← indicator I1 (weight 2) + marketing drills (weight 1); service ← I2; incident ←
    incident drills; collaboration ← nothing. Source weights: supervisor 2, self 1.
    Targets: role "agent" business 3.5, service 3.0; role "lead" business 3.0, incident 4.0; position P-agent
    holds both, so her targets are business 3.5, service 3.0, incident 4.0.

    Ann: I1 supervisor 2 (May) then 4 (October), self 1 (November) → current (4×2 + 1×1) / 3 = 3.0.
    Marketing drills in the last twelve months: 2 of 2 steps passed (November) and 1 of 2 (June) → 3 of 4 →
    level_for = 1 + round(4 × 0.75) = 4; a practice drill (2 of 2) and a scored drill of 2024 (0 of 2) do not
    count. Business = (3.0×2 + 4×1) / 3 = 3.33 → 3.3 (below 3.5); service None (I2 not assessed); incident None;
    collaboration None. Bea: one incident drill, 1 of 1 passed → level 5: incident 5.0 (not below 4.0),
    business None.
    """
    AbilitySource.objects.all().delete()
    AbilityTarget.objects.all().delete()
    SourceWeight.objects.update_or_create(source="supervisor", defaults={"weight": 2})
    SourceWeight.objects.update_or_create(source="self", defaults={"weight": 1})
    i1, i2 = IndicatorFactory(), IndicatorFactory()
    AbilitySource.objects.create(ability="business", indicator=i1, weight=2)
    AbilitySource.objects.create(ability="business", drill_kind="marketing", weight=1)
    AbilitySource.objects.create(ability="service", indicator=i2, weight=1)
    AbilitySource.objects.create(ability="incident", drill_kind="incident", weight=1)
    position = PositionFactory(code="P-agent")
    agent, lead = LinkageRoleFactory(code="agent"), LinkageRoleFactory(code="lead")
    agent.positions.set([position])
    lead.positions.set([position])
    AbilityTarget.objects.create(role=agent, ability="business", target=Decimal("3.5"))
    AbilityTarget.objects.create(role=agent, ability="service", target=Decimal("3.0"))
    AbilityTarget.objects.create(role=lead, ability="business", target=Decimal("3.0"))
    AbilityTarget.objects.create(role=lead, ability="incident", target=Decimal("4.0"))
    ann = EmployeeFactory(name="Ann", team=world.team, position=position, stage=Stage.GROWTH)
    bea = EmployeeFactory(name="Bea", team=world.team, position=position, stage=Stage.GROWTH)
    score(ann, i1, 2, datetime.date(2026, 5, 1))
    score(ann, i1, 4, datetime.date(2026, 10, 1))
    score(ann, i1, 1, datetime.date(2026, 11, 1), source="self")
    marketing = version_in("published")
    s1, s2 = marketing.steps.get(), StepFactory(version=marketing, order=2, owner=agent)
    examiner = world.supervisor
    drill = scored_drill_rows
    drill(marketing, world.team, examiner, [(ann, agent, [(s1, True), (s2, True)])], on=at(datetime.date(2026, 11, 2)))
    drill(marketing, world.team, examiner, [(ann, agent, [(s1, True), (s2, False)])], on=at(datetime.date(2026, 6, 1)))
    drill(marketing, world.team, examiner, [(ann, agent, [(s1, True), (s2, True)])], on=at(TODAY), mode="practice")
    drill(
        marketing, world.team, examiner, [(ann, agent, [(s1, False), (s2, False)])], on=at(datetime.date(2024, 12, 1))
    )
    incident = version_in("published", playbook=PlaybookFactory(kind="incident"))
    drill(incident, world.team, examiner, [(bea, lead, [(incident.steps.get(), True)])], on=at(TODAY))
    world.ann, world.bea, world.i1, world.position, world.marketing, world.steps = (
        ann,
        bea,
        i1,
        position,
        marketing,
        (s1, s2),
    )
    return world


def test_known_answer(fixture):
    got = abilities_for([fixture.ann.pk, fixture.bea.pk], today=TODAY)
    assert got[fixture.ann.pk] == {
        "business": Decimal("3.3"),
        "service": None,
        "incident": None,
        "collaboration": None,
    }
    assert got[fixture.bea.pk] == {"business": None, "service": None, "incident": Decimal("5.0"), "collaboration": None}


def test_matrix_marks_below_target_against_the_highest_target_of_her_roles(fixture):
    page = team_matrix(fixture.hr, fixture.team.pk, 1, today=TODAY)
    rows = {row.employee.pk: {c.ability: (c.value, c.target, c.is_below) for c in row.cells} for row in page}
    assert rows[fixture.ann.pk] == {
        "business": (Decimal("3.3"), Decimal("3.5"), True),
        "service": (None, Decimal("3.0"), False),
        "incident": (None, Decimal("4.0"), False),
        "collaboration": (None, None, False),
    }
    assert rows[fixture.bea.pk]["incident"] == (Decimal("5.0"), Decimal("4.0"), False)


def test_matrix_is_empty_for_a_team_the_user_may_not_see(fixture):
    assert list(team_matrix(fixture.other_supervisor.user, fixture.team.pk, 1, today=TODAY)) == []


def test_drills_older_than_twelve_months_drop_out(fixture):
    later = datetime.date(2027, 6, 2)  # the June 2026 drill (1 of 2) is out; November's 2 of 2 → level 5
    assert abilities_for([fixture.ann.pk], today=later)[fixture.ann.pk]["business"] == Decimal("3.7")  # (6+5)/3


def test_queries_do_not_grow_with_people_or_history(fixture, django_assert_num_queries):
    with django_assert_num_queries(4):
        abilities_for([fixture.ann.pk], today=TODAY)
    s1, s2 = fixture.steps
    people = [EmployeeFactory(team=fixture.team, position=fixture.position) for _n in range(20)]
    for n, person in enumerate(people):
        score(person, fixture.i1, 1 + n % 5, datetime.date(2026, 9, 1))
        agent = LinkageRole.objects.get(code="agent")
        scored_drill_rows(
            fixture.marketing, fixture.team, fixture.supervisor, [(person, agent, [(s1, True), (s2, n % 2 == 0)])]
        )
    with django_assert_num_queries(4):
        abilities_for([fixture.ann.pk, *(p.pk for p in people)], today=TODAY)


def login(client, user):
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def test_page_is_paged_filtered_and_its_queries_do_not_grow(client, fixture):
    page = login(client, fixture.supervisor.user)
    with CaptureQueriesContext(connection) as small:
        response = page.get(reverse("linkage:abilities"))
    assert response.status_code == 200
    html = response.content.decode()
    ann = html.split(f'data-member="{fixture.ann.pk}"')[1].split("</tr>")[0]
    assert "Below target" in ann and "3.3" in ann
    for n in range(PER_PAGE + 5):
        person = EmployeeFactory(name=f"Zed {n:02d}", team=fixture.team, position=fixture.position)
        score(person, fixture.i1, 3, datetime.date(2026, 9, 1))
    with CaptureQueriesContext(connection) as big:
        response = page.get(reverse("linkage:abilities"), {"page": 2})
    assert len(big) == len(small)
    assert response.context["page"].paginator.num_pages == 2
    found = page.get(reverse("linkage:abilities"), {"team": fixture.team.pk, "q": "ann"}).context["page"]
    assert [row.employee for row in found] == [fixture.ann]


def shipped_sources():
    """The shipped sources whose input exists: every drill kind, and the KASH indicators present."""
    codes = set(Indicator.objects.values_list("code", flat=True))
    return sum(1 for inputs in SOURCES.values() for name, _w in inputs if name.startswith("drills:") or name in codes)


def test_shipped_defaults_come_back_after_a_flush(transactional_db):
    """Migration 0004 ships the mapping; a flush empties it and post_migrate restores what it can (the KASH
    framework is training's: its indicators are mapped when they are there). An earlier flush in this worker may
    already have emptied the framework, so the count is checked against the indicators present."""
    assert AbilitySource.objects.count() == shipped_sources()
    shipped_roles = LinkageRole.objects.filter(code__in=TARGETS).count()
    assert shipped_roles and AbilityTarget.objects.count() == 4 * shipped_roles
    call_command("flush", interactive=False, verbosity=0)
    assert AbilitySource.objects.filter(drill_kind="").count() + 4 == AbilitySource.objects.count()
    assert AbilitySource.objects.count() == shipped_sources()
    assert AbilityTarget.objects.filter(role__code="front-line-agent", ability="service").get().target == Decimal("3.5")
