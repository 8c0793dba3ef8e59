"""HR moves a version on from the admin list: consultation, then publish (through the services), with the kit
items not in place named and a refused move explained."""

import pytest
from django.urls import reverse

from linkage.models import KitItem, PlaybookVersion, VersionStatus
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
