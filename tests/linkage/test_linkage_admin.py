"""HR's back office for role linkage (issue 12): every page loads for HR; a version that left draft — its fields,
steps and branches — is read-only there, and a POST cannot change it; a draft's content is edited through the
services; comments, events and acknowledgements are only looked at."""

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils.html import escape

from linkage.models import Branch, KitItem, Playbook, PlaybookVersion, Step, VersionEvent
from tests.staff.factories import SiteFactory

pytestmark = pytest.mark.django_db

MODELS = ["linkagerole", "signal", "playbook", "playbookversion", "step", "versionevent", "comment", "kititem"]
MODELS += ["acknowledgement"]
ADDABLE = {"linkagerole", "signal", "playbook", "playbookversion", "kititem"}


def url(model, action, *args):
    return reverse(f"admin:linkage_{model}_{action}", args=args)


def post_data(response):
    """The data the admin page would post as it is: its main form, and each inline formset with its management
    form."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += [formset.management_form, *formset.forms]
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            if isinstance(value, (list, tuple)):
                data[form.add_prefix(name)] = [getattr(v, "pk", v) for v in value]
            else:
                data[form.add_prefix(name)] = "on" if value is True else getattr(value, "pk", value)
    return data


@pytest.mark.parametrize("model", MODELS)
def test_hr_opens_every_changelist(client, hr, model):
    assert client.get(url(model, "changelist")).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_hr_adds_what_is_typed_in_and_only_looks_at_what_pages_write(client, hr, model):
    expected = 200 if model in ADDABLE else 403

    assert client.get(url(model, "add")).status_code == expected


@pytest.mark.parametrize("model", ["linkagerole", "signal", "playbook", "playbookversion", "step", "versionevent"])
def test_hr_opens_a_shipped_row(client, hr, model):
    row = apps.get_model("linkage", model).objects.order_by("pk").first()

    assert client.get(url(model, "change", row.pk)).status_code == 200


def test_a_published_version_page_has_no_editable_field_nor_step_field(client, hr, published):
    response = client.get(url("playbookversion", "change", published.pk))

    html = response.content.decode()
    assert 'name="topic_en"' not in html and 'name="steps-0-guidance_en"' not in html
    assert escape(published.steps.first().guidance_en) in html  # shown, read-only


def test_a_post_cannot_change_a_published_version_or_its_steps(client, hr, published, draft):
    data = post_data(client.get(url("playbookversion", "change", draft.pk)))
    data = {key.replace(str(draft.pk), str(published.pk)): value for key, value in data.items()}
    data["topic_en"] = "Changed"

    response = client.post(url("playbookversion", "change", published.pk), data)

    assert response.status_code == 403
    published.refresh_from_db()
    assert published.topic_en != "Changed" and published.status == "published"


def test_a_post_cannot_change_a_published_step(client, hr, published):
    step = published.steps.get(code="discover")

    response = client.post(url("step", "change", step.pk), {"guidance_en": "Changed", "order": 1, "code": "discover"})

    assert response.status_code == 403
    assert Step.objects.get(pk=step.pk).guidance_en != "Changed"


def test_a_published_step_page_shows_its_branch_read_only(client, hr, published):
    step = published.steps.get(code="guide")

    html = client.get(url("step", "change", step.pk)).content.decode()

    assert 'name="branches-0-condition_en"' not in html and "turns angry" in html


def test_a_version_cannot_be_deleted_once_it_left_draft(client, hr, published):
    assert client.post(url("playbookversion", "delete", published.pk), {"post": "yes"}).status_code == 403
    assert PlaybookVersion.objects.filter(pk=published.pk).exists()


def test_hr_edits_a_drafts_step_in_the_admin(client, hr, draft):
    response = client.get(url("playbookversion", "change", draft.pk))
    data = post_data(response)
    index = next(i for i in range(3) if data[f"steps-{i}-code"] == "guide")
    data[f"steps-{index}-guidance_en"] = "Name the product family in one sentence."

    response = client.post(url("playbookversion", "change", draft.pk), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert draft.steps.get(code="guide").guidance_en == "Name the product family in one sentence."


def test_the_status_of_a_draft_is_read_only_in_the_admin(client, hr, draft):
    data = post_data(client.get(url("playbookversion", "change", draft.pk)))
    assert "status" not in data
    data.update(status="published", topic_en="A new topic")

    client.post(url("playbookversion", "change", draft.pk), data)

    draft.refresh_from_db()
    assert (draft.status, draft.topic_en) == ("draft", "A new topic")


def test_a_hand_off_without_a_receiving_role_is_refused_in_the_admin(client, hr, draft):
    data = post_data(client.get(url("playbookversion", "change", draft.pk)))
    index = next(i for i in range(3) if data[f"steps-{i}-code"] == "guide")
    del data[f"steps-{index}-receiver"]

    response = client.post(url("playbookversion", "change", draft.pk), data)

    assert response.status_code == 200
    assert "no receiving role" in response.content.decode()
    assert draft.steps.get(code="guide").receiver_id is not None


def test_hr_removes_a_drafts_branch_on_its_step_page(client, hr, draft):
    step = draft.steps.get(code="guide")
    data = post_data(client.get(url("step", "change", step.pk)))
    data["branches-0-DELETE"] = "on"

    response = client.post(url("step", "change", step.pk), data)

    assert response.status_code == 302
    assert not Branch.objects.filter(step=step).exists()
    assert Branch.objects.filter(step__code="guide", step__version__status="published").exists()


def test_adding_a_version_starts_a_draft_copy_numbered_next_with_its_event(client, hr, published):
    data = {
        "playbook": published.playbook_id,
        "copy_from": published.pk,
        "topic_en": published.topic_en,
        "topic_zh": published.topic_zh,
        "trigger_en": published.trigger_en,
        "trigger_zh": published.trigger_zh,
        "reason": "Agents asked for a shorter guide step.",
    }

    response = client.post(url("playbookversion", "add"), data)

    assert response.status_code == 302
    version = PlaybookVersion.objects.get(playbook=published.playbook, number=2)
    assert (version.status, version.steps.count(), version.created_by) == ("draft", 3, hr)
    assert VersionEvent.objects.filter(version=version, to_status="draft", actor=hr).exists()


def test_adding_a_second_version_without_a_reason_is_refused(client, hr, published):
    data = {"playbook": published.playbook_id, "topic_en": "t", "topic_zh": "t", "trigger_en": "t", "trigger_zh": "t"}

    response = client.post(url("playbookversion", "add"), data)

    assert response.status_code == 200
    assert not PlaybookVersion.objects.filter(number=2).exists()


def test_a_shipped_playbook_cannot_be_deleted(client, hr):
    playbook = Playbook.objects.get(code="incident-handling")

    assert client.post(url("playbook", "delete", playbook.pk), {"post": "yes"}).status_code == 403


def test_the_kit_list_edits_status_in_place(client, hr):
    item = KitItem.objects.create(
        site=SiteFactory(), playbook=Playbook.objects.get(code="incident-handling"), kind="signage", name="Sign"
    )

    html = client.get(url("kititem", "changelist")).content.decode()

    assert 'name="form-0-status"' in html and item.name in html


def test_a_step_page_refuses_an_order_another_step_of_the_version_has(client, hr, draft):
    step = draft.steps.get(code="guide")
    data = post_data(client.get(url("step", "change", step.pk)))
    data["order"] = draft.steps.get(code="discover").order

    response = client.post(url("step", "change", step.pk), data)

    assert response.status_code == 200 and "used by more than one step" in response.content.decode()
    assert Step.objects.get(pk=step.pk).order == step.order
