"""The default four-cycle onboarding program (DOMAIN §3): shipped by a data migration, re-applied by
load_onboarding_program."""

import copy
import datetime
import importlib
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import translation

from staff.models import Stage
from tests.staff.factories import EmployeeFactory
from training.models import (
    ActivityKind,
    ActivityOwner,
    ActivityTemplate,
    Batch,
    CycleTemplate,
    Indicator,
    PreJobModule,
    Program,
)
from training.programs import DATA_PATH, apply_program, load_program
from training.shipped import Counts

CODE = "default-four-cycles"
MODELS = (Program, PreJobModule, CycleTemplate, ActivityTemplate, Indicator)
FOCUS_DIMENSIONS = {1: {"H"}, 2: {"A"}, 3: {"S", "H"}, 4: {"A"}}


def shipped():
    return Program.objects.get(code=CODE)


def cycle(number):
    return CycleTemplate.objects.get(program__code=CODE, number=number)


def make_batch(program, code="batch-1"):
    supervisor = EmployeeFactory(stage=Stage.MANAGEMENT)
    return Batch.objects.create(
        program=program,
        code=code,
        name=code,
        start_on=datetime.date(2026, 3, 2),
        team=supervisor.team,
        supervisor=supervisor,
    )


def load():
    out = StringIO()
    call_command("load_onboarding_program", stdout=out)
    return out.getvalue()


def row_counts():
    return {
        "programs": Program.objects.count(),
        "modules": PreJobModule.objects.count(),
        "cycles": CycleTemplate.objects.count(),
        "activities": ActivityTemplate.objects.count(),
        "focus": CycleTemplate.focus_indicators.through.objects.count(),
        "program_history": Program.history.count(),
    }


def test_migrations_ship_the_program_with_four_cycles(db):
    program = shipped()

    assert list(program.cycles.values_list("number", flat=True)) == [1, 2, 3, 4]
    assert program.is_active
    assert program.name_en and program.name_zh and program.description_en and program.description_zh


def test_pre_job_modules_cover_culture_promotion_products_and_operations(db):
    modules = list(shipped().modules.all())

    assert {module.topic for module in modules} == set(PreJobModule.Topic.values)
    for module in modules:
        assert module.hours > 0 and module.title_en and module.title_zh, module.order


def test_each_cycle_focuses_on_its_kash_dimensions(db):
    for number, dimensions in FOCUS_DIMENSIONS.items():
        focus = set(cycle(number).focus_indicators.values_list("dimension", flat=True))
        assert focus == dimensions, number


def test_cycles_have_their_lengths_levels_and_gate_criteria(db):
    settings = [
        (c.length_days, c.focus_min_level, c.check_required, c.pass_mark)
        for c in CycleTemplate.objects.filter(program__code=CODE)
    ]

    assert settings == [
        (14, Decimal("2.0"), False, 80),
        (14, Decimal("2.0"), False, 80),
        (21, Decimal("2.5"), True, 80),
        (14, Decimal("2.5"), False, 80),
    ]


def test_each_cycle_has_goals_and_four_to_seven_activities_in_both_languages(db):
    for template in CycleTemplate.objects.filter(program__code=CODE):
        activities = list(template.activities.filter(key=""))  # not counting the published playbooks (issue 12)
        assert template.goals_en and template.goals_zh and template.name_en and template.name_zh
        assert 4 <= len(activities) <= 7, template.number
        for activity in activities:
            assert activity.batch_id is None
            assert activity.title_en and activity.title_zh
            assert activity.kind in ActivityKind.values and activity.owner in ActivityOwner.values
            assert 0 < activity.due_offset_days <= template.length_days, (template.number, activity.order)


def test_each_cycle_has_coaching_before_during_and_after_a_drill_and_a_reflection(db):
    for template in CycleTemplate.objects.filter(program__code=CODE):
        activities = list(template.activities.all())
        kinds = [a.kind for a in activities]
        coaching = [a for a in activities if a.kind == ActivityKind.COACHING]
        assert len(coaching) >= 3, template.number
        assert coaching[0].due_offset_days <= 2 and coaching[-1].due_offset_days == template.length_days
        assert ActivityKind.DRILL in kinds and ActivityKind.REFLECTION in kinds, template.number


def test_only_the_cycle_that_requires_a_check_has_a_gate_activity(db):
    for template in CycleTemplate.objects.filter(program__code=CODE):
        has_gate = template.activities.filter(kind=ActivityKind.GATE, is_required=True).exists()
        assert has_gate == template.check_required, template.number


def test_reapplying_creates_nothing_and_changes_nothing(db):
    before = row_counts()

    data = load_program()
    shipped_rows = 1 + len(data["modules"]) + sum(1 + len(cycle["activities"]) for cycle in data["cycles"])

    assert apply_program(*MODELS) == Counts(created=0, updated=0, unchanged=shipped_rows)
    assert "Already up to date" in load()
    assert row_counts() == before


def test_command_restores_a_changed_goal_and_a_deleted_activity(db):
    shipped_goals = cycle(2).goals_zh
    CycleTemplate.objects.filter(pk=cycle(2).pk).update(goals_zh="已修改")
    cycle(4).activities.get(order=3).delete()

    assert "Created 1 rows, updated 1." in load()

    assert cycle(2).goals_zh == shipped_goals
    assert cycle(4).activities.get(order=3).kind == ActivityKind.DRILL


def test_command_keeps_the_settings_and_focus_hr_changed(db):
    third = cycle(3)
    CycleTemplate.objects.filter(pk=third.pk).update(length_days=28, pass_mark=85, check_required=False)
    third.focus_indicators.remove(Indicator.objects.get(code="time-management"))
    Program.objects.filter(code=CODE).update(pre_job_days=15, is_active=False)

    load()

    third = cycle(3)
    assert (third.length_days, third.pass_mark, third.check_required) == (28, 85, False)
    assert not third.focus_indicators.filter(code="time-management").exists()
    assert (shipped().pre_job_days, shipped().is_active) == (15, False)


def test_command_keeps_activities_hr_added_to_the_program(db):
    added = ActivityTemplate.objects.create(
        cycle=cycle(1), order=8, title_en="Shadow QA", title_zh="跟听质检", kind=ActivityKind.PRACTICE
    )

    assert "Already up to date" in load()

    added.refresh_from_db()
    assert added.title_en == "Shadow QA"


def test_reapplying_never_touches_a_batch_extra(db):
    batch = make_batch(shipped())
    extra = ActivityTemplate.objects.create(
        cycle=cycle(1),
        batch=batch,
        order=1,
        title_en="Night-shift briefing",
        title_zh="夜班说明会",
        kind=ActivityKind.LEARNING,
        due_offset_days=2,
    )

    counts = apply_program(*MODELS)
    assert (counts.created, counts.updated) == (0, 0)

    extra.refresh_from_db()
    assert (extra.title_en, extra.title_zh, extra.kind, extra.due_offset_days) == (
        "Night-shift briefing",
        "夜班说明会",
        ActivityKind.LEARNING,
        2,
    )
    assert cycle(1).activities.filter(batch=None, order=1).count() == 1


def test_names_follow_the_active_language(db):
    program, first = shipped(), cycle(1)
    module = program.modules.get(order=1)
    activity = first.activities.get(order=5)

    with translation.override("zh-hans"):
        assert (program.name, first.name, module.title) == ("新人坐席四周期培养方案", "习惯养成与建立", module.title_zh)
        assert activity.title.startswith("话后处理演练")
    with translation.override("en"):
        assert (program.name, first.name) == ("Four-cycle onboarding for new agents", "Habit building")
        assert activity.title.startswith("Wrap-up drill")


def test_reverse_migration_removes_the_program_no_batch_uses(db):
    migration = importlib.import_module("training.migrations.0004_default_program")

    migration.remove_default_program(apps, None)

    assert not Program.objects.filter(code=CODE).exists()
    assert not CycleTemplate.objects.exists() and not ActivityTemplate.objects.exists()
    assert Indicator.objects.filter(code="time-management").exists()


def test_reverse_migration_keeps_the_program_a_batch_uses(db):
    migration = importlib.import_module("training.migrations.0004_default_program")
    make_batch(shipped())

    migration.remove_default_program(apps, None)

    assert shipped().cycles.count() == 4


def test_applying_refuses_a_program_whose_focus_indicator_is_missing(db):
    data = copy.deepcopy(load_program())
    data["code"] = "other-program"
    data["cycles"][0]["focus_indicators"] = ["time-management", "no-such-indicator"]

    with pytest.raises(ValueError, match="no-such-indicator"):
        apply_program(*MODELS, data=data)

    assert not Program.objects.filter(code="other-program").exists()


def test_shipped_data_with_an_activity_due_after_its_cycle_is_refused(tmp_path):
    data = json.loads(DATA_PATH.read_text(encoding="utf-8"))
    data["cycles"][1]["activities"][0]["due_offset_days"] = 30
    path = tmp_path / "program.json"
    path.write_text(json.dumps(data), encoding="utf-8")

    with pytest.raises(ValueError, match="due after its end"):
        load_program(path)


def test_shipped_data_that_requires_a_check_without_a_gate_activity_is_refused(tmp_path):
    data = json.loads(DATA_PATH.read_text(encoding="utf-8"))
    data["cycles"][0]["check_required"] = True
    path = tmp_path / "program.json"
    path.write_text(json.dumps(data), encoding="utf-8")

    with pytest.raises(ValueError, match="no gate activity"):
        load_program(path)
