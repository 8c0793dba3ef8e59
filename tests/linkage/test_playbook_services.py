"""linkage.services.playbooks: starting versions, editing drafts, consultation and rollout (issue 12 §2–§3)."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from linkage.models import Branch, Comment, KitItem, PlaybookVersion, Step, VersionEvent
from linkage.services import playbooks as services
from notifications.models import Notification
from tests.linkage.factories import LinkageRoleFactory, PlaybookFactory, PlaybookVersionFactory, StepFactory
from tests.training.factories import IndicatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(world):
    version = PlaybookVersionFactory(created_by=world.hr)
    agent, lead = LinkageRoleFactory(code="agent"), LinkageRoleFactory(code="lead")
    warn = StepFactory(version=version, order=1, code="warn", owner=agent, receiver=lead, handoff_en="Voice rises")
    StepFactory(version=version, order=2, code="mediate", owner=lead)
    Branch.objects.create(step=warn, target=version.steps.get(code="mediate"), condition_en="Angry", condition_zh="怒")
    return version


def _published(world, version):
    services.open_consultation(actor=world.hr, version=version, days=7)
    return services.publish(actor=world.hr, version=version).version


def _statuses(*versions):
    return [PlaybookVersion.objects.get(pk=v.pk).status for v in versions]


def _events(version):
    return list(VersionEvent.objects.filter(version=version).values_list("from_status", "to_status", "reason"))


# Starting versions -----------------------------------------------------------------------------------------------


def test_a_first_version_starts_as_a_draft_numbered_one_with_an_event(world):
    fields = {"topic_en": "T", "topic_zh": "主题", "trigger_en": "X", "trigger_zh": "X"}
    version = services.start_version(actor=world.hr, playbook=PlaybookFactory(), **fields)
    assert (version.number, version.status, version.created_by) == (1, "draft", world.hr)
    assert _events(version) == [("", "draft", "")]


def test_a_second_version_needs_a_reason(world, draft):
    _published(world, draft)
    with pytest.raises(ValidationError, match="a reason is required"):
        services.start_version(actor=world.hr, playbook=draft.playbook, from_version=draft)
    assert draft.playbook.versions.count() == 1


def test_a_version_is_not_started_while_another_is_in_work(world, draft):
    with pytest.raises(ValidationError, match="Version 1 is still a draft"):
        services.start_version(actor=world.hr, playbook=draft.playbook, reason="Why")


def test_a_new_draft_copies_the_steps_with_their_indicators(world, draft):
    indicator = IndicatorFactory()
    draft.steps.get(code="warn").indicators.add(indicator)
    _published(world, draft)
    copy = services.start_version(actor=world.hr, playbook=draft.playbook, from_version=draft, reason="Clearer")
    assert copy.number == 2 and copy.topic_en == draft.topic_en
    assert list(copy.steps.values_list("order", "code", "owner__code", "receiver__code")) == [
        (1, "warn", "agent", "lead"),
        (2, "mediate", "lead", None),
    ]
    assert list(copy.steps.get(code="warn").indicators.all()) == [indicator]


def test_a_new_draft_repoints_its_own_branches_to_the_copies(world, draft):
    _published(world, draft)
    copy = services.start_version(actor=world.hr, playbook=draft.playbook, from_version=draft, reason="Clearer")
    branch = Branch.objects.get(step__version=copy)
    assert (branch.step.code, branch.target.code, branch.target.version_id) == ("warn", "mediate", copy.pk)


def test_a_new_draft_keeps_branches_to_another_playbooks_steps(world, draft):
    target = StepFactory(code="calm")
    _published(world, target.version)
    Branch.objects.create(step=draft.steps.get(code="mediate"), target=target, condition_en="c", condition_zh="c")
    _published(world, draft)
    copy = services.start_version(actor=world.hr, playbook=draft.playbook, from_version=draft, reason="Clearer")
    assert Branch.objects.get(step__version=copy, step__code="mediate").target == target


# Editing a draft -----------------------------------------------------------------------------------------------


def test_a_draft_step_is_saved_with_one_owner(world, draft):
    step = services.save_step(
        actor=world.hr,
        version=draft,
        order=3,
        code="calm",
        name_en="Calm",
        name_zh="稳控",
        owner=LinkageRoleFactory(code="manager"),
        guidance_en="g",
        guidance_zh="g",
    )
    assert Step.objects.get(pk=step.pk).owner.code == "manager"


def test_a_step_with_two_owners_is_refused(world, draft):
    roles = [LinkageRoleFactory(code="a"), LinkageRoleFactory(code="b")]
    with pytest.raises(ValidationError, match="has 2 owning roles"):
        services.save_step(
            actor=world.hr,
            version=draft,
            order=3,
            code="x",
            name_en="x",
            name_zh="x",
            owner=roles,
            guidance_en="g",
            guidance_zh="g",
        )
    assert draft.steps.count() == 2


def test_a_step_without_an_owner_is_refused(world, draft):
    with pytest.raises(ValidationError, match="has no owning role"):
        services.save_step(
            actor=world.hr,
            version=draft,
            order=3,
            code="x",
            name_en="x",
            name_zh="x",
            owner=None,
            guidance_en="g",
            guidance_zh="g",
        )
    assert draft.steps.count() == 2


def test_a_step_reusing_an_order_is_refused(world, draft):
    with pytest.raises(ValidationError, match="Order 1 is used"):
        services.save_step(actor=world.hr, version=draft, step=draft.steps.get(code="mediate"), order=1)
    assert draft.steps.get(code="mediate").order == 2


def test_a_branch_to_a_step_of_another_draft_is_refused(world, draft):
    elsewhere = StepFactory()  # a step of another playbook's draft
    with pytest.raises(ValidationError, match="neither in this version"):
        services.save_branch(
            actor=world.hr, step=draft.steps.get(code="warn"), target=elsewhere, condition_en="c", condition_zh="c"
        )
    assert Branch.objects.filter(target=elsewhere).count() == 0


def test_a_branch_to_another_playbooks_published_step_is_saved(world, draft):
    other = PlaybookVersionFactory()
    target = StepFactory(version=other)
    _published(world, other)
    services.save_branch(
        actor=world.hr, step=draft.steps.get(code="mediate"), target=target, condition_en="c", condition_zh="c"
    )
    assert Branch.objects.filter(target=target).count() == 1


def test_deleting_a_draft_step_removes_the_branches_to_it(world, draft):
    services.delete_step(actor=world.hr, step=draft.steps.get(code="mediate"))
    assert (draft.steps.count(), Branch.objects.filter(step__version=draft).count()) == (1, 0)


@pytest.mark.parametrize(
    "write",
    [
        lambda w, v: services.update_draft(actor=w.hr, version=v, topic_en="Changed"),
        lambda w, v: services.save_step(actor=w.hr, version=v, step=v.steps.get(code="warn"), name_en="Changed"),
        lambda w, v: services.save_step(
            actor=w.hr,
            version=v,
            order=9,
            code="new",
            name_en="n",
            name_zh="n",
            owner=LinkageRoleFactory(code="c"),
            guidance_en="g",
            guidance_zh="g",
        ),
        lambda w, v: services.delete_step(actor=w.hr, step=v.steps.get(code="mediate")),
        lambda w, v: services.save_branch(
            actor=w.hr,
            step=v.steps.get(code="mediate"),
            target=v.steps.get(code="warn"),
            condition_en="c",
            condition_zh="c",
        ),
        lambda w, v: services.delete_branch(actor=w.hr, branch=Branch.objects.get(step__version=v)),
    ],
    ids=["update_draft", "change_step", "add_step", "delete_step", "save_branch", "delete_branch"],
)
def test_a_published_version_cannot_be_changed_by_any_writer(world, draft, write):
    _published(world, draft)
    before = (list(Step.objects.values_list()), list(Branch.objects.values_list()), draft.topic_en)
    with pytest.raises(ValidationError, match="This version is published: only a draft can be changed"):
        write(world, PlaybookVersion.objects.get(pk=draft.pk))
    after = (
        list(Step.objects.values_list()),
        list(Branch.objects.values_list()),
        PlaybookVersion.objects.get(pk=draft.pk).topic_en,
    )
    assert after == before


def test_a_version_in_consultation_cannot_be_changed(world, draft):
    services.open_consultation(actor=world.hr, version=draft, days=7)
    with pytest.raises(ValidationError, match="This version is in consultation"):
        services.update_draft(actor=world.hr, version=draft, topic_en="Changed")


# Consultation --------------------------------------------------------------------------------------------------


def test_opening_consultation_sets_its_end_and_writes_an_event(world, draft):
    services.open_consultation(actor=world.hr, version=draft, days=10, today=datetime.date(2026, 12, 1))
    draft.refresh_from_db()
    assert (draft.status, draft.consultation_ends_on) == ("consultation", datetime.date(2026, 12, 11))
    assert _events(draft) == [("draft", "consultation", "")]


def test_a_draft_with_step_problems_does_not_open_for_consultation(world, draft):
    draft.steps.filter(code="warn").update(receiver=None)
    with pytest.raises(ValidationError, match="hand-off criterion but no receiving role"):
        services.open_consultation(actor=world.hr, version=draft, days=7)
    assert _statuses(draft) == ["draft"]


def test_consultation_cannot_close_with_an_unanswered_comment(world, draft):
    services.open_consultation(actor=world.hr, version=draft, days=7)
    services.add_comment(user=world.trainee.user, version=draft, body="Step 2 is unclear")
    with pytest.raises(ValidationError, match="1 comment is not answered yet"):
        services.publish(actor=world.hr, version=draft)
    assert _statuses(draft) == ["consultation"]


def test_consultation_closes_once_the_comment_is_answered(world, draft):
    services.open_consultation(actor=world.hr, version=draft, days=7)
    comment = services.add_comment(user=world.trainee.user, version=draft, body="Step 2 is unclear")
    services.answer_comment(actor=world.hr, comment=comment, answer="Clarified in the guidance")
    services.publish(actor=world.hr, version=draft)
    assert _statuses(draft) == ["published"]
    assert Comment.objects.get().answered_by == world.hr


def test_a_comment_on_a_draft_is_refused(world, draft):
    with pytest.raises(ValidationError, match="only while a version is in consultation"):
        services.add_comment(user=world.trainee.user, version=draft, body="Too early")
    assert Comment.objects.count() == 0


def test_a_comment_after_the_consultation_ended_is_refused(world, draft):
    services.open_consultation(actor=world.hr, version=draft, days=7, today=datetime.date(2026, 12, 1))
    with pytest.raises(ValidationError, match="The consultation has ended"):
        services.add_comment(user=world.trainee.user, version=draft, body="Late", today=datetime.date(2026, 12, 9))
    assert Comment.objects.count() == 0


def test_a_pilot_goes_to_its_teams(world, draft):
    services.open_consultation(actor=world.hr, version=draft, days=7)
    services.start_pilot(actor=world.hr, version=draft, teams=[world.team])
    assert _statuses(draft) == ["pilot"]
    assert list(draft.pilot_teams.all()) == [world.team]
    assert _events(draft)[-1] == ("consultation", "pilot", "")


def test_a_pilot_without_a_team_is_refused(world, draft):
    services.open_consultation(actor=world.hr, version=draft, days=7)
    with pytest.raises(ValidationError, match="Choose at least one pilot team"):
        services.start_pilot(actor=world.hr, version=draft, teams=[])
    assert _statuses(draft) == ["consultation"]


def test_a_consultation_of_no_days_is_refused(world, draft):
    with pytest.raises(ValidationError, match="at least one day"):
        services.open_consultation(actor=world.hr, version=draft, days=0)
    assert _statuses(draft) == ["draft"]


def test_someone_without_an_employee_record_cannot_comment(world, draft):
    services.open_consultation(actor=world.hr, version=draft, days=7)
    with pytest.raises(ValidationError, match="Only the people this version will apply to"):
        services.add_comment(user=world.hr, version=draft, body="From the back office")
    assert Comment.objects.count() == 0


def test_a_comment_is_not_answered_once_the_version_is_published(world, draft):
    services.open_consultation(actor=world.hr, version=draft, days=7)
    comment = services.add_comment(user=world.trainee.user, version=draft, body="Unclear")
    services.answer_comment(actor=world.hr, comment=comment, answer="Clarified")
    services.publish(actor=world.hr, version=draft)
    with pytest.raises(ValidationError, match="answered only while the version is in consultation"):
        services.answer_comment(actor=world.hr, comment=comment, answer="Changed my mind")
    assert Comment.objects.get().answer == "Clarified"


def test_a_second_version_keeps_its_reason_while_a_draft(world, draft):
    _published(world, draft)
    second = services.start_version(actor=world.hr, playbook=draft.playbook, from_version=draft, reason="New law")
    with pytest.raises(ValidationError, match="a reason is required"):
        services.update_draft(actor=world.hr, version=second, reason=" ")
    assert PlaybookVersion.objects.get(pk=second.pk).reason == "New law"


# Publishing ----------------------------------------------------------------------------------------------------


def test_a_new_version_supersedes_the_published_one_with_its_reason(world, draft):
    _published(world, draft)
    second = services.start_version(actor=world.hr, playbook=draft.playbook, from_version=draft, reason="New law")
    result = (
        services.open_consultation(actor=world.hr, version=second, days=7),
        services.publish(actor=world.hr, version=second),
    )[1]
    second.refresh_from_db()
    assert _statuses(draft, second) == ["retired", "published"]
    assert (result.retired.pk, second.supersedes_id, second.reason) == (draft.pk, draft.pk, "New law")
    assert second.published_at is not None
    assert _events(draft)[-1] == ("published", "retired", "New law")
    assert _events(second)[-1] == ("consultation", "published", "")


def test_publishing_twice_is_a_noop(world, draft):
    _published(world, draft)
    services.publish(actor=world.hr, version=draft)
    assert VersionEvent.objects.filter(version=draft, to_status="published").count() == 1


def test_a_draft_cannot_be_published_without_consultation(world, draft):
    with pytest.raises(ValidationError, match="This version is a draft: it cannot be published"):
        services.publish(actor=world.hr, version=draft)
    assert _statuses(draft) == ["draft"]


def test_retiring_needs_a_reason_and_writes_it(world, draft):
    _published(world, draft)
    with pytest.raises(ValidationError, match="Say why the version is retired"):
        services.retire(actor=world.hr, version=draft, reason="")
    services.retire(actor=world.hr, version=draft, reason="Product withdrawn")
    assert _statuses(draft) == ["retired"]
    assert _events(draft)[-1] == ("published", "retired", "Product withdrawn")


def test_publishing_tells_the_members_only_after_commit(world, draft, django_capture_on_commit_callbacks):
    services.open_consultation(actor=world.hr, version=draft, days=7)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.publish(actor=world.hr, version=draft)
    assert Notification.objects.filter(kind="linkage_published").count() == 0
    callbacks[0]()
    assert Notification.objects.filter(kind="linkage_published", recipient=world.trainee.user).count() == 1


def test_a_pilot_tells_only_the_pilot_teams_members(world, draft, django_capture_on_commit_callbacks):
    services.open_consultation(actor=world.hr, version=draft, days=7)
    with django_capture_on_commit_callbacks(execute=True):
        services.start_pilot(actor=world.hr, version=draft, teams=[world.other_team])
    recipients = set(Notification.objects.filter(kind="linkage_piloted").values_list("recipient", flat=True))
    assert world.other_trainee.user_id in recipients and world.trainee.user_id not in recipients


def test_publishing_warns_of_the_kit_items_missing_at_the_sites(world, draft):
    site = world.team.department.site
    KitItem.objects.create(site=site, playbook=draft.playbook, kind="signage", name="Queue sign", status="missing")
    KitItem.objects.create(site=site, playbook=draft.playbook, kind="layout", name="Desk", status="in_place")
    services.open_consultation(actor=world.hr, version=draft, days=7)
    result = services.publish(actor=world.hr, version=draft)
    assert [(gap.site, gap.name) for gap in result.kit_gaps] == [(site, "Queue sign")]


def _at_once(*calls):
    """Run ``calls`` in threads released together, each on its own database connection."""
    barrier, errors = threading.Barrier(len(calls)), []

    def run(call):
        try:
            barrier.wait(timeout=30)
            call()
        except BaseException as exc:  # re-raised below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]


@pytest.mark.postgres(reason="two publishes at the same moment need real concurrent transactions")
@pytest.mark.django_db(transaction=True)
def test_two_publishes_of_two_versions_at_once_end_with_one_published(world, draft):
    _published(world, draft)
    second = PlaybookVersionFactory(playbook=draft.playbook, number=2, reason="A", status="consultation")
    third = PlaybookVersionFactory(playbook=draft.playbook, number=3, reason="B", status="consultation")
    _at_once(
        lambda: services.publish(actor=world.hr, version=second),
        lambda: services.publish(actor=world.hr, version=third),
    )
    statuses = _statuses(draft, second, third)
    assert statuses.count("published") == 1 and statuses.count("retired") == 2
    assert VersionEvent.objects.filter(version__playbook=draft.playbook, to_status="published").count() == 3
