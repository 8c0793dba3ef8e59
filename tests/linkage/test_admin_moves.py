"""HR moves a version on from the admin list: consultation, then publish (through the services), with the kit
items not in place named and a refused move explained."""

import pytest
from django.urls import reverse

from linkage.models import KitItem, PlaybookVersion, VersionEvent, VersionStatus
from linkage.services import playbooks as services
from tests.staff.factories import EmployeeFactory, SiteFactory, TeamFactory

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:linkage_playbookversion_changelist")


def act(client, action, version):
    return client.post(CHANGELIST, {"action": action, "_selected_action": [version.pk]}, follow=True)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_hr_opens_the_consultation_of_a_draft(client, draft):
    response = act(client, "open_consultation", draft)

    draft.refresh_from_db()
    assert draft.status == VersionStatus.CONSULTATION and draft.consultation_ends_on is not None
    assert any("open for comments" in message for message in messages_of(response))


def test_publishing_retires_the_published_version_and_names_the_missing_kit(client, hr, draft, published):
    site = SiteFactory()
    TeamFactory(department__site=site)
    KitItem.objects.create(site=site, playbook=draft.playbook, kind="signage", name="Lobby sign", status="missing")
    services.open_consultation(actor=hr, version=draft, days=7)

    response = act(client, "publish", draft)

    draft.refresh_from_db()
    published.refresh_from_db()
    assert (draft.status, published.status) == (VersionStatus.PUBLISHED, VersionStatus.RETIRED)
    assert any("Lobby sign" in message for message in messages_of(response))


def test_a_version_with_an_unanswered_comment_is_not_published_and_hr_is_told_why(client, hr, draft):
    services.open_consultation(actor=hr, version=draft, days=7)
    agent = EmployeeFactory()
    services.add_comment(user=agent.user, version=draft, body="Which signal do I use?")

    response = act(client, "publish", draft)

    assert PlaybookVersion.objects.get(pk=draft.pk).status == VersionStatus.CONSULTATION
    assert any("not answered" in message for message in messages_of(response))


# Start a pilot and retire: each asks first on an intermediate page ------------------------------------------------


def ask(client, action, version, **data):
    return client.post(CHANGELIST, {"action": action, "_selected_action": [version.pk], **data}, follow=True)


def test_start_pilot_asks_for_the_teams_first_and_moves_nothing_yet(client, hr, draft):
    services.open_consultation(actor=hr, version=draft, days=7)
    team = TeamFactory(name="Pilot team")

    response = ask(client, "start_pilot", draft)

    assert response.templates[0].name == "admin/linkage/start_pilot.html"
    assert team.name in response.content.decode()
    assert PlaybookVersion.objects.get(pk=draft.pk).status == VersionStatus.CONSULTATION


def test_start_pilot_without_a_team_is_refused_on_the_page(client, hr, draft):
    services.open_consultation(actor=hr, version=draft, days=7)

    response = ask(client, "start_pilot", draft, apply="1")

    assert response.templates[0].name == "admin/linkage/start_pilot.html"
    assert "Choose at least one pilot team." in response.content.decode()
    assert PlaybookVersion.objects.get(pk=draft.pk).status == VersionStatus.CONSULTATION


def test_start_pilot_publishes_to_the_chosen_teams_through_the_service(client, hr, draft):
    services.open_consultation(actor=hr, version=draft, days=7)
    chosen, other = TeamFactory(), TeamFactory()

    response = ask(client, "start_pilot", draft, apply="1", teams=[chosen.pk])

    draft.refresh_from_db()
    assert draft.status == VersionStatus.PILOT
    assert list(draft.pilot_teams.all()) == [chosen]
    event = VersionEvent.objects.get(version=draft, to_status=VersionStatus.PILOT)
    assert (event.from_status, event.actor) == (VersionStatus.CONSULTATION, hr)
    assert any("in pilot" in message for message in messages_of(response))
    assert other not in draft.pilot_teams.all()


def test_start_pilot_refused_by_the_rules_says_why(client, hr, draft):
    team = TeamFactory()

    response = ask(client, "start_pilot", draft, apply="1", teams=[team.pk])  # still a draft

    assert PlaybookVersion.objects.get(pk=draft.pk).status == VersionStatus.DRAFT
    assert any("cannot go to a pilot" in message for message in messages_of(response))


def test_retire_asks_for_a_reason_first(client, hr, published):
    response = ask(client, "retire", published)

    assert response.templates[0].name == "admin/linkage/retire.html"
    assert PlaybookVersion.objects.get(pk=published.pk).status == VersionStatus.PUBLISHED


def test_retire_without_a_reason_is_refused(client, hr, published):
    response = ask(client, "retire", published, apply="1", reason="   ")

    assert "Say why the version is retired." in response.content.decode()
    assert PlaybookVersion.objects.get(pk=published.pk).status == VersionStatus.PUBLISHED


def test_retire_with_a_reason_retires_through_the_service_and_keeps_the_reason(client, hr, published):
    response = ask(client, "retire", published, apply="1", reason="The product was withdrawn.")

    published.refresh_from_db()
    assert published.status == VersionStatus.RETIRED
    event = VersionEvent.objects.get(version=published, to_status=VersionStatus.RETIRED)
    assert (event.reason, event.actor) == ("The product was withdrawn.", hr)
    assert any("is retired" in message for message in messages_of(response))
