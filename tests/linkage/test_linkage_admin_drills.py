"""HR's back office for drills, levels, abilities and role models (issue 12 §6–9): every page loads for HR with a
number of queries that does not grow with the rows; drills and certifications are only looked at (they are
written on the pages, through the services); the settings are one row; the ability mapping refuses a bad row
in words, not with a constraint's name; role models are shown or hidden, never typed in."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from linkage.models import AbilitySource, AbilityTarget, LinkageSettings, RoleModel
from tests.linkage.factories import CertificationFactory, drill_version, scored_drill_rows
from tests.staff.factories import EmployeeFactory
from tests.training.factories import IndicatorFactory

pytestmark = pytest.mark.django_db

MODELS = ["drill", "certification", "linkagesettings", "abilitysource", "abilitytarget", "rolemodel"]


def url(model, action, *args):
    return reverse(f"admin:linkage_{model}_{action}", args=args)


@pytest.fixture
def rows(world):
    """Adds a drill with its cast and scores, a certification and a role model each time it is called."""
    kit = drill_version()

    def add():
        agent, specialist = EmployeeFactory(team=world.team), EmployeeFactory(team=world.team)
        results = [(agent, kit.agent, [(kit.spot, True)]), (specialist, kit.specialist, [(kit.explain, False)])]
        drill = scored_drill_rows(kit.version, world.team, world.supervisor, results)
        CertificationFactory(employee=agent, playbook=kit.playbook, drill=drill, confirmed_by=world.hr)
        RoleModel.objects.create(
            playbook=kit.playbook, employee=agent, drill=drill, what_they_did="Clear signal.", marked_by=world.hr
        )
        AbilityTarget.objects.get_or_create(role=kit.agent, ability="service", defaults={"target": 3})
        return drill

    return add


def queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("model", MODELS)
def test_hr_opens_every_list_with_queries_that_do_not_grow(client, hr, rows, model):
    rows()
    queries(client, url(model, "changelist"))  # warm the caches a first request fills
    few = queries(client, url(model, "changelist"))
    for _ in range(3):
        rows()

    assert queries(client, url(model, "changelist")) == few


def test_a_drill_page_shows_its_cast_and_scores_read_only_in_fixed_queries(client, hr, rows):
    drill = rows()
    page = client.get(url("drill", "change", drill.pk))

    assert page.status_code == 200
    names = [inline.formset.model.__name__ for inline in page.context["inline_admin_formsets"]]
    assert names == ["DrillParticipant", "StepScore"]
    assert all(not inline.has_change_permission for inline in page.context["inline_admin_formsets"])
    assert client.post(url("drill", "change", drill.pk), {"notes": "typed"}).status_code == 403
    assert queries(client, url("drill", "change", drill.pk)) == queries(client, url("drill", "change", rows().pk))


@pytest.mark.parametrize("model", ["drill", "certification"])
def test_drills_and_certifications_are_written_on_the_pages_never_here(client, hr, rows, model):
    rows()

    assert client.get(url(model, "add")).status_code == 403
    row = {"drill": rows(), "certification": None}[model]
    row = row or CertificationFactory()
    assert client.post(url(model, "delete", row.pk), {"post": "yes"}).status_code == 403


def test_the_certification_list_filters_by_expiry(client, hr, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 20, 8, 0, tzinfo=datetime.UTC), tick=False)
    valid = CertificationFactory(certified_on=datetime.date(2026, 6, 1))
    expired = CertificationFactory(certified_on=datetime.date(2025, 6, 1))

    def shown(value):
        page = client.get(url("certification", "changelist"), {"expires": value})
        return {row.pk for row in page.context["cl"].result_list}

    assert shown("active") == {valid.pk}
    assert shown("expired") == {expired.pk}


def test_the_settings_are_one_row_added_once_and_never_deleted(client, hr):
    assert client.get(url("linkagesettings", "add")).status_code == 200
    response = client.post(
        url("linkagesettings", "add"),
        {"certification_months": 6, "refresher_notice_days": 14, "min_certified_owners": 2},
    )

    assert response.status_code == 302
    assert LinkageSettings.current().pk == 1 and LinkageSettings.current().certification_months == 6
    assert client.get(url("linkagesettings", "add")).status_code == 403
    assert client.post(url("linkagesettings", "delete", 1), {"post": "yes"}).status_code == 403
    assert LinkageSettings.objects.count() == 1


def source_form(**fields):
    return {"ability": "service", "indicator": "", "drill_kind": "", "weight": 1, **fields}


def test_an_ability_source_takes_an_indicator_or_drills_said_in_words(client, hr):
    indicator = IndicatorFactory()

    both = client.post(url("abilitysource", "add"), source_form(indicator=indicator.pk, drill_kind="incident"))
    neither = client.post(url("abilitysource", "add"), source_form())

    assert "not both" in both.content.decode() and "Constraint" not in both.content.decode()
    assert "Choose a KASH indicator or a kind of drills." in neither.content.decode()
    assert not AbilitySource.objects.filter(ability="service", indicator=indicator).exists()
    created = client.post(url("abilitysource", "add"), source_form(indicator=indicator.pk))
    assert created.status_code == 302
    assert AbilitySource.objects.filter(ability="service", indicator=indicator).count() == 1


def test_an_ability_source_is_taken_once_per_ability(client, hr):
    AbilitySource.objects.get_or_create(ability="incident", drill_kind="incident")  # shipped, or added here

    again = client.post(url("abilitysource", "add"), source_form(ability="incident", drill_kind="incident"))

    assert "already takes the drills of this kind" in again.content.decode()
    assert "Constraint" not in again.content.decode()
    assert AbilitySource.objects.filter(ability="incident", drill_kind="incident").count() == 1


def test_a_role_has_one_target_per_ability(client, hr):
    kit = drill_version()
    AbilityTarget.objects.create(role=kit.agent, ability="service", target=3)

    again = client.post(url("abilitytarget", "add"), {"role": kit.agent.pk, "ability": "service", "target": "4"})
    out_of_range = client.post(url("abilitytarget", "add"), {"role": kit.agent.pk, "ability": "business", "target": 7})

    assert "already has a target for this ability" in again.content.decode()
    assert out_of_range.status_code == 200
    assert not AbilityTarget.objects.filter(role=kit.agent, ability="business").exists()
    assert AbilityTarget.objects.get(role=kit.agent, ability="service").target == 3


def test_hr_hides_a_role_model_and_cannot_show_two_for_one_person(client, hr, rows):
    drill = rows()
    shown = RoleModel.objects.get(drill=drill)

    assert client.get(url("rolemodel", "add")).status_code == 403
    client.post(url("rolemodel", "change", shown.pk), {"is_active": ""})
    shown.refresh_from_db()
    assert shown.is_active is False

    newer = RoleModel.objects.create(
        playbook=shown.playbook, employee=shown.employee, what_they_did="Again.", marked_by=hr
    )
    response = client.post(url("rolemodel", "change", shown.pk), {"is_active": "on"})

    assert "already shown as a role model" in response.content.decode()
    shown.refresh_from_db()
    assert (shown.is_active, newer.is_active) == (False, True)
