"""Role models (树标杆, issue 12 §9): HR or the supervisor marks a person (or her part in a drill) as a model for a
playbook with what she did; the playbook's gallery shows her to every reader; marking twice shows her once."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from linkage.models import RoleModel
from linkage.selectors.role_models import gallery
from linkage.services.drills import schedule_drill, score_drill
from linkage.services.role_models import mark_role_model, remove_role_model
from staff.models import Stage
from tests.linkage.factories import drill_version, step_result

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
WHEN = datetime.datetime(2026, 11, 20, 2, 0, tzinfo=datetime.UTC)
STORY = "Spotted the fund question and handed over with the code phrase in ten seconds."


@pytest.fixture
def drill(world, kit):
    drill = schedule_drill(
        actor=world.supervisor.user,
        version=kit.version,
        team=world.team,
        scheduled_for=WHEN,
        cast=[(world.trainee, kit.agent), (world.mentor, kit.specialist)],
    )
    scores = {kit.spot.pk: step_result(), kit.explain.pk: step_result(signal_ok=True)}
    return score_drill(actor=world.supervisor.user, drill_id=drill.pk, scores=scores)


def as_user(client, user):
    client.force_login(user, backend=MODEL_BACKEND)
    return client


# The service ----------------------------------------------------------------------------------------------------


def test_the_supervisor_marks_her_agent_for_her_part_in_a_drill(world, kit, drill):
    model = mark_role_model(
        actor=world.supervisor.user, playbook=kit.playbook, employee=world.trainee, what_they_did=STORY, drill=drill
    )
    assert (model.employee, model.drill, model.marked_by, model.is_active) == (
        world.trainee,
        drill,
        world.supervisor.user,
        True,
    )
    assert gallery(kit.playbook) == [model]


def test_marking_twice_with_the_same_story_makes_one_row(world, kit):
    first = mark_role_model(actor=world.hr, playbook=kit.playbook, employee=world.trainee, what_they_did=STORY)
    again = mark_role_model(actor=world.hr, playbook=kit.playbook, employee=world.trainee, what_they_did=STORY)
    assert again.pk == first.pk and RoleModel.objects.count() == 1


def test_a_new_story_replaces_the_shown_one_and_keeps_the_old(world, kit):
    old = mark_role_model(actor=world.hr, playbook=kit.playbook, employee=world.trainee, what_they_did=STORY)
    new = mark_role_model(actor=world.hr, playbook=kit.playbook, employee=world.trainee, what_they_did="Calmed it.")
    old.refresh_from_db()
    assert (old.is_active, new.is_active) == (False, True)
    assert gallery(kit.playbook) == [new]


def test_another_teams_supervisor_cannot_mark_our_agent(world, kit):
    with pytest.raises(PermissionDenied):
        mark_role_model(
            actor=world.other_supervisor.user, playbook=kit.playbook, employee=world.trainee, what_they_did=STORY
        )
    assert not RoleModel.objects.exists()


@pytest.mark.parametrize("problem", ["no story", "drill of another playbook", "not in the drill", "left"])
def test_a_mark_is_refused_with_its_reason(world, kit, drill, problem):
    kwargs = {"actor": world.hr, "playbook": kit.playbook, "employee": world.trainee, "what_they_did": STORY}
    if problem == "no story":
        kwargs["what_they_did"] = "   "
    elif problem == "drill of another playbook":
        kwargs.update(playbook=drill_version().playbook, drill=drill)
    elif problem == "not in the drill":
        kwargs.update(employee=world.supervisor, drill=drill)
    else:
        world.trainee.stage = Stage.LEFT
        world.trainee.save(update_fields=["stage"])
    with pytest.raises(ValidationError):
        mark_role_model(**kwargs)
    assert not RoleModel.objects.exists()


def test_removing_hides_it_and_twice_changes_nothing(world, kit):
    model = mark_role_model(actor=world.hr, playbook=kit.playbook, employee=world.trainee, what_they_did=STORY)
    with pytest.raises(PermissionDenied):
        remove_role_model(actor=world.trainee.user, role_model_id=model.pk)
    remove_role_model(actor=world.supervisor.user, role_model_id=model.pk)
    remove_role_model(actor=world.supervisor.user, role_model_id=model.pk)
    model.refresh_from_db()
    assert model.is_active is False and gallery(kit.playbook) == []


# The pages ------------------------------------------------------------------------------------------------------


def test_the_supervisor_marks_from_the_drill_result_and_agents_see_the_gallery(client, world, kit, drill):
    page = as_user(client, world.supervisor.user).get(reverse("linkage:drill", args=[drill.pk]))
    assert {p.employee_id for p in page.context["participants"] if p.can_mark} == {world.trainee.pk, world.mentor.pk}
    url = reverse("linkage:role-model-new", args=[kit.playbook.code]) + f"?employee={world.trainee.pk}&drill={drill.pk}"
    assert client.get(url).status_code == 200

    response = client.post(url, {"employee": world.trainee.pk, "what_they_did": STORY})

    assert response.status_code == 302
    assert RoleModel.objects.get().drill == drill
    shown = as_user(client, world.other_trainee.user).get(reverse("linkage:playbook", args=[kit.playbook.code]))
    html = shown.content.decode()
    assert STORY in html and "Trainee A" in html
    assert "Remove from the gallery" not in html  # an agent of another team only learns from it


def test_the_supervisor_removes_a_role_model_from_the_gallery(client, world, kit):
    model = mark_role_model(actor=world.hr, playbook=kit.playbook, employee=world.trainee, what_they_did=STORY)
    page = as_user(client, world.supervisor.user).get(reverse("linkage:playbook", args=[kit.playbook.code]))
    assert "Remove from the gallery" in page.content.decode()
    client.post(reverse("linkage:role-model-remove", args=[model.pk]))
    model.refresh_from_db()
    assert model.is_active is False


def test_an_agent_can_neither_mark_nor_remove(client, world, kit):
    model = mark_role_model(actor=world.hr, playbook=kit.playbook, employee=world.trainee, what_they_did=STORY)
    as_user(client, world.trainee.user)
    url = reverse("linkage:role-model-new", args=[kit.playbook.code]) + f"?employee={world.trainee.pk}"
    assert client.get(url).status_code == 404
    assert client.post(url, {"employee": world.trainee.pk, "what_they_did": "Me!"}).status_code == 404
    assert client.post(reverse("linkage:role-model-remove", args=[model.pk])).status_code == 404
    model.refresh_from_db()
    assert model.is_active is True and RoleModel.objects.count() == 1


def test_another_teams_supervisor_cannot_open_the_form_for_our_agent(client, world, kit):
    url = reverse("linkage:role-model-new", args=[kit.playbook.code]) + f"?employee={world.trainee.pk}"
    assert as_user(client, world.other_supervisor.user).get(url).status_code == 404
    page = client.get(reverse("linkage:role-model-new", args=[kit.playbook.code]))
    assert world.trainee not in page.context["form"].fields["employee"].queryset
