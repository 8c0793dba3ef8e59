"""HR corrects a plan in the admin; the status and the decision stay read-only there (they move through
improvement.services.initiatives), and breaches and the history are only looked at."""

from django.urls import reverse

from tests.improvement.initiatives_factories import InitiativeFactory, guardrail


def test_hr_sees_the_plan_with_status_and_decision_read_only(client, world):
    initiative = InitiativeFactory(owner=world.supervisor, scope_teams=[world.team])
    guardrail(initiative, "connect_rate", "0.89")
    world.hr.is_staff = True
    world.hr.save()
    client.force_login(world.hr, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("admin:improvement_initiative_change", args=[initiative.pk]))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "title" in form.fields and "rollout_start" in form.fields
    assert "status" not in form.fields and "decision" not in form.fields
    assert client.get(reverse("admin:improvement_initiative_delete", args=[initiative.pk])).status_code == 403
    assert client.get(reverse("admin:improvement_guardrailbreach_add")).status_code == 403
    assert client.get(reverse("admin:improvement_initiativeevent_changelist")).status_code == 200
