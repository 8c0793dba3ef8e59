"""The role-linkage defaults (issue 12, seed 000): roles, the signal glossary and the two default playbooks, shipped
by a data migration as published version 1 and re-applied by load_linkage_defaults."""

import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from linkage.defaults import SHIPPED_REASON, apply_defaults
from linkage.models import Branch, LinkageRole, Playbook, PlaybookVersion, Signal, Step, VersionEvent
from linkage.services.playbooks import problems_of_version
from tests.linkage.factories import PlaybookFactory
from tests.staff.factories import PositionFactory

pytestmark = pytest.mark.django_db

CHAINS = {
    "customer-marketing": ("marketing", ["discover", "guide", "explain"]),
    "incident-handling": ("incident", ["early-warning", "mediate", "stabilise"]),
}
ROLES = ["front-line-agent", "second-line-specialist", "supervisor", "floor-manager", "qa", "lobby-staff"]


def shipped_version(code):
    return PlaybookVersion.objects.get(playbook__code=code)


def step(playbook, code):
    return Step.objects.get(version__playbook__code=playbook, code=code)


def reverse_migration():
    """The migration's own reverse function, run with the historical models of its state (after the reverse of
    the later data migrations, whose shipped ability targets, escalation levels and target KPIs point at the shipped
    roles and playbooks)."""
    for name in (
        "0009_playbook_target_kpis",
        "0007_case_defaults",
        "0004_ability_defaults",
    ):  # their rows point at the shipped roles
        later = MigrationLoader(connection).project_state(("linkage", name))
        importlib.import_module(f"linkage.migrations.{name}").remove(later.apps, None)
    state = MigrationLoader(connection).project_state(("linkage", "0002_default_playbooks"))
    module = importlib.import_module("linkage.migrations.0002_default_playbooks")
    module.remove_default_playbooks(state.apps, None)


def test_both_seed_chains_are_shipped_with_their_kind():
    kinds = dict(Playbook.objects.filter(code__in=CHAINS).values_list("code", "kind"))

    assert kinds == {code: kind for code, (kind, _) in CHAINS.items()}


def test_each_shipped_playbook_has_one_version_and_it_is_published_version_1():
    for code in CHAINS:
        versions = list(PlaybookVersion.objects.filter(playbook__code=code))
        assert [(v.number, v.status) for v in versions] == [(1, "published")], code
        assert versions[0].published_at is not None


def test_steps_come_in_the_seed_order():
    for code, (_, steps) in CHAINS.items():
        assert list(shipped_version(code).steps.order_by("order").values_list("code", flat=True)) == steps


def test_each_step_has_exactly_one_owning_role_of_the_shipped_roles():
    owners = dict(Step.objects.filter(version__playbook__code__in=CHAINS).values_list("code", "owner__code"))

    assert owners == {
        "discover": "front-line-agent",
        "guide": "front-line-agent",
        "explain": "second-line-specialist",
        "early-warning": "front-line-agent",
        "mediate": "supervisor",
        "stabilise": "floor-manager",
    }


def test_mediation_is_guidance_only_and_the_other_steps_are_scripted():
    guidance = set(
        Step.objects.filter(version__playbook__code__in=CHAINS, is_scripted=False).values_list("code", flat=True)
    )

    assert guidance == {"mediate"}


def test_shipped_versions_pass_the_step_rules():
    for code in CHAINS:
        assert problems_of_version(shipped_version(code)) == [], code


def test_every_hand_off_names_its_receiving_role_and_signal():
    for row in Step.objects.filter(version__playbook__code__in=CHAINS).exclude(handoff_en=""):
        assert row.handoff_zh and row.receiver_id and row.signal_id, row.code


def test_every_step_has_bilingual_texts_an_expected_duration_and_indicators():
    for row in Step.objects.filter(version__playbook__code__in=CHAINS):
        assert row.name_en and row.name_zh and row.guidance_en and row.guidance_zh, row.code
        assert row.expected_seconds > 0 and row.indicators.exists(), row.code


def test_playbooks_versions_roles_and_signals_are_bilingual():
    for playbook in Playbook.objects.filter(code__in=CHAINS):
        version = playbook.versions.get()
        assert playbook.name_en and playbook.name_zh and version.topic_zh and version.trigger_zh, playbook.code
    assert list(LinkageRole.objects.filter(code__in=ROLES).values_list("name_zh", flat=True)) == [
        "一线坐席",
        "二线专家",
        "班长",
        "现场经理",
        "质检",
        "大堂人员",
    ]
    assert all(s.name_en and s.name_zh and s.meaning_en and s.meaning_zh for s in Signal.objects.all())


def test_the_glossary_has_code_phrases_and_hand_signals():
    kinds = set(Signal.objects.values_list("kind", flat=True))

    assert kinds == {"phrase", "gesture"}


def test_marketing_guide_branches_to_incident_mediation_when_the_customer_turns_angry():
    branch = Branch.objects.get(step=step("customer-marketing", "guide"))

    assert branch.target == step("incident-handling", "mediate")
    assert "angry" in branch.condition_en and branch.condition_zh


def test_each_publication_is_logged_without_an_actor_as_the_shipped_default():
    events = VersionEvent.objects.filter(version__playbook__code__in=CHAINS)

    assert (
        sorted(events.values_list("from_status", "to_status", "actor", "reason"))
        == [("", "published", None, SHIPPED_REASON)] * 2
    )


def test_a_fresh_database_maps_no_role_to_a_position():
    assert not LinkageRole.positions.through.objects.exists()


def test_reapplying_maps_the_roles_to_the_positions_that_now_exist():
    agent, senior = PositionFactory(code="CS-AGENT"), PositionFactory(code="CS-SENIOR")

    apply_defaults(apps)

    assert set(LinkageRole.objects.get(code="front-line-agent").positions.all()) == {agent, senior}
    assert list(LinkageRole.objects.get(code="second-line-specialist").positions.all()) == [senior]


def test_reapplying_keeps_positions_hr_added_to_a_role():
    extra = PositionFactory(code="BRANCH-LOBBY")
    LinkageRole.objects.get(code="lobby-staff").positions.add(extra)

    apply_defaults(apps)

    assert list(LinkageRole.objects.get(code="lobby-staff").positions.all()) == [extra]


def test_reapplying_creates_nothing_and_changes_nothing():
    counts = apply_defaults(apps)

    assert (counts.created, counts.updated) == (0, 0)
    assert "Already up to date" in _load()


def test_reapplying_restores_a_role_name_but_never_touches_a_published_step():
    LinkageRole.objects.filter(code="qa").update(name_en="Quality")
    Step.objects.filter(pk=step("incident-handling", "mediate").pk).update(guidance_en="Changed by hand.")

    apply_defaults(apps)

    assert LinkageRole.objects.get(code="qa").name_en == "QA"
    assert step("incident-handling", "mediate").guidance_en == "Changed by hand."


def test_the_reverse_migration_removes_the_shipped_playbooks_roles_and_signals():
    reverse_migration()

    assert not Playbook.objects.filter(code__in=CHAINS).exists()
    assert not (Step.objects.exists() or Branch.objects.exists() or VersionEvent.objects.exists())
    assert not (LinkageRole.objects.filter(code__in=ROLES).exists() or Signal.objects.exists())


def test_the_reverse_migration_keeps_a_playbook_hr_added():
    own = PlaybookFactory(code="hr-own")

    reverse_migration()

    assert list(Playbook.objects.all()) == [own]


def _load():
    out = StringIO()
    call_command("load_linkage_defaults", stdout=out)
    return out.getvalue()
