"""The default KASH framework: shipped by a data migration, re-applied by load_kash_framework."""

import importlib
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import translation

from tests.staff.factories import EmployeeFactory
from tests.training.factories import AssessmentFactory, IndicatorFactory, PositionTargetFactory, ScoreFactory
from training.framework import apply_framework, load_data
from training.models import Indicator, RubricLevel, SourceWeight
from training.shipped import Counts

SHIPPED = {
    "K": ["products", "policy-compliance", "systems"],
    "A": [
        "service-attitude",
        "resilience",
        "ownership",
        # issue 15 §9: emotional intelligence in five parts, the focus of cycle 4 (DOMAIN §3)
        "eq-self-awareness",
        "eq-self-regulation",
        "eq-self-motivation",
        "eq-social-awareness",
        "eq-social-skills",
    ],
    "S": ["communication-4c", "problem-solving", "linkage-handoff", "incident-handling", "selling"],
    "H": ["time-management", "data-management", "after-call-work", "learning-routine"],
}
DEFAULT_WEIGHTS = {
    "supervisor": Decimal("1.0"),
    "mentor": Decimal("0.8"),
    "qa": Decimal("1.0"),
    "exam": Decimal("1.0"),
    "imported": Decimal("0.8"),
    "peer": Decimal("0.5"),
    "self": Decimal("0.3"),
}


def load():
    out = StringIO()
    call_command("load_kash_framework", stdout=out)
    return out.getvalue()


def row_counts():
    return {
        "indicators": Indicator.objects.count(),
        "levels": RubricLevel.objects.count(),
        "weights": SourceWeight.objects.count(),
        "indicator_history": Indicator.history.count(),
        "weight_history": SourceWeight.history.count(),
    }


def test_migrations_ship_twenty_indicators_in_the_four_dimensions(db):
    shipped = {
        dimension: list(Indicator.objects.filter(dimension=dimension).values_list("code", flat=True))
        for dimension in "KASH"
    }
    assert shipped == SHIPPED
    assert Indicator.objects.count() == 20  # 15, then the five emotional-intelligence ones (issue 15 §9)
    assert not Indicator.objects.filter(is_active=False).exists()


def test_every_shipped_indicator_has_five_distinct_levels_in_english_and_chinese(db):
    for indicator in Indicator.objects.prefetch_related("levels"):
        levels = list(indicator.levels.all())
        assert [level.level for level in levels] == [1, 2, 3, 4, 5], indicator.code
        for level in levels:
            assert level.description_en.strip() and level.description_zh.strip(), (indicator.code, level.level)
        assert len({level.description_en for level in levels}) == 5, indicator.code
        assert len({level.description_zh for level in levels}) == 5, indicator.code
        assert indicator.name_en and indicator.name_zh and indicator.description_en and indicator.description_zh


def test_migrations_ship_the_default_source_weights(db):
    assert dict(SourceWeight.objects.values_list("source", "weight")) == DEFAULT_WEIGHTS


def test_reapplying_creates_nothing_and_changes_nothing(db):
    before = row_counts()

    data = load_data()
    shipped_rows = sum(1 + len(item["levels"]) for item in data["indicators"]) + len(data["source_weights"])

    assert apply_framework(Indicator, RubricLevel, SourceWeight) == Counts(created=0, updated=0, unchanged=shipped_rows)
    assert "Already up to date" in load()
    assert row_counts() == before


def test_command_restores_a_changed_rubric_text(db):
    level = RubricLevel.objects.get(indicator__code="after-call-work", level=1)
    shipped_en, shipped_zh = level.description_en, level.description_zh
    RubricLevel.objects.filter(pk=level.pk).update(description_en="Edited", description_zh="已修改")

    assert "Created 0 rows, updated 1." in load()

    level.refresh_from_db()
    assert (level.description_en, level.description_zh) == (shipped_en, shipped_zh)
    assert level.description_en == "Notes are late or incomplete; long pauses after emotional calls."


def test_command_restores_a_deleted_rubric_level(db):
    RubricLevel.objects.filter(indicator__code="selling", level=5).delete()

    assert "Created 1 rows, updated 0." in load()

    assert RubricLevel.objects.filter(indicator__code="selling").count() == 5


def test_command_keeps_a_source_weight_hr_tuned(db):
    SourceWeight.objects.filter(source="peer").update(weight=Decimal("0.7"))

    load()

    assert SourceWeight.objects.get(source="peer").weight == Decimal("0.7")


def test_command_adds_a_missing_source_weight(db):
    SourceWeight.objects.filter(source="self").delete()

    load()

    assert SourceWeight.objects.get(source="self").weight == Decimal("0.3")


def test_command_keeps_an_indicator_hr_added(db):
    added = IndicatorFactory(dimension="K", code="mortgage-rules", name_en="Mortgage rules")

    load()

    added.refresh_from_db()
    assert added.name_en == "Mortgage rules"
    assert added.levels.count() == 5
    assert Indicator.objects.count() == 21  # the 20 shipped and hers


def test_command_keeps_weight_order_and_retirement_hr_set_on_a_shipped_indicator(db):
    Indicator.objects.filter(code="selling").update(weight=Decimal("2"), order=1, is_active=False, name_en="Sales")

    load()

    selling = Indicator.objects.get(code="selling")
    assert (selling.weight, selling.order, selling.is_active) == (Decimal("2"), 1, False)
    assert selling.name_en == "Selling"


def test_indicator_name_follows_the_active_language(db):
    ownership = Indicator.objects.get(code="ownership")

    with translation.override("zh-hans"):
        assert ownership.name == "首问负责"
    with translation.override("en"):
        assert ownership.name == "Ownership of the customer's issue"


def test_reverse_migration_keeps_what_scores_or_targets_refer_to(db):
    migration = importlib.import_module("training.migrations.0002_default_framework")
    ScoreFactory(
        assessment=AssessmentFactory(subject=EmployeeFactory()), indicator=Indicator.objects.get(code="products")
    )
    PositionTargetFactory(position=EmployeeFactory().position, indicator=Indicator.objects.get(code="selling"))
    IndicatorFactory(code="mortgage-rules")
    SourceWeight.objects.filter(source="peer").update(weight=Decimal("0.7"))

    migration.remove_default_framework(apps, None)

    assert set(Indicator.objects.values_list("code", flat=True)) == {"products", "selling", "mortgage-rules"}
    assert RubricLevel.objects.count() == 15
    assert dict(SourceWeight.objects.values_list("source", "weight")) == {"peer": Decimal("0.7")}


def test_shipped_data_with_a_missing_level_is_refused(tmp_path):
    path = tmp_path / "framework.json"
    path.write_text('{"indicators": [{"code": "x", "dimension": "K", "levels": [{"level": 1}]}], "source_weights": {}}')

    with pytest.raises(ValueError, match="levels 1 to 5"):
        load_data(path)
