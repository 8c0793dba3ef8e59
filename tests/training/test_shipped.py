"""The one loader for shipped data (training.shipped): creates what is missing, restores shipped texts,
keeps what HR tunes, and writes nothing when everything is already there."""

from decimal import Decimal

from training.models import Program
from training.shipped import Counts, Loader, read_json

TEXTS = {"name_en": "Pilot", "name_zh": "试点"}


def load(**create_only):
    loader = Loader()
    program, created = loader.upsert(Program, {"code": "pilot"}, TEXTS, create_only)
    return program, created, loader.counts


def test_a_missing_row_is_created_with_its_texts_and_settings(db):
    program, created, counts = load(pre_job_days=7)
    assert created
    assert (program.name_en, program.name_zh, program.pre_job_days) == ("Pilot", "试点", 7)
    assert counts == Counts(created=1, updated=0, unchanged=0)


def test_applying_again_writes_nothing(db):
    program, _, _ = load(pre_job_days=7)
    history = program.history.count()
    _, created, counts = load(pre_job_days=7)
    assert not created
    assert counts == Counts(created=0, updated=0, unchanged=1)
    assert program.history.count() == history


def test_a_changed_text_is_restored_and_a_tuned_setting_kept(db):
    program, _, _ = load(pre_job_days=7)
    Program.objects.filter(pk=program.pk).update(name_zh="改过", pre_job_days=15)
    program, _, counts = load(pre_job_days=7)
    assert (program.name_zh, program.pre_job_days) == ("试点", 15)
    assert counts == Counts(created=0, updated=1, unchanged=0)


def test_json_numbers_with_a_decimal_point_are_read_as_decimals(tmp_path):
    path = tmp_path / "data.json"
    path.write_text('{"weight": 1.5, "hours": 8}', encoding="utf-8")
    assert read_json(path) == {"weight": Decimal("1.5"), "hours": 8}
    assert isinstance(read_json(path)["weight"], Decimal)
