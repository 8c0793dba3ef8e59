"""The sweep benchmark's generator and measurement on a tiny scale, in the test database, so they cannot rot."""

import dataclasses
import datetime

import pytest

from bench import sweep
from notifications.models import Notification
from training import cycles
from training.models import Activity, Batch, Enrollment, EnrollmentEvent, GateCheck

TINY = sweep.Scale(enrollments=50, small=10, batch_size=5, batches_per_team=2, mentors_per_team=2)
TODAY = datetime.date(2026, 11, 20)


@pytest.fixture
def counts(db):
    return sweep.generate(TINY, today=TODAY)


def test_generate_makes_every_enrollment_due_in_a_mix_of_states(counts):
    assert counts.enrollments == Enrollment.objects.count() == sweep.due_count(TODAY) == 50
    assert counts.batches == Batch.objects.count() == 10
    assert set(counts.by_state) == set(cycles.DUE)
    assert counts.activities == Activity.objects.count() > 0
    assert Activity.objects.filter(done_at__isnull=True).exists() and Activity.objects.filter(done_at__isnull=False)
    assert counts.gate_checks == GateCheck.objects.count() > 0
    assert sweep.due_count(TODAY - datetime.timedelta(days=4)) == 0


def test_measure_sweeps_every_due_row_and_a_rerun_changes_nothing(counts):
    run = sweep.measure(TODAY, baseline_runs=1)
    assert run.due == run.baseline_rows == run.moves["claimed"] == 50
    assert run.floor_rows["events"] == run.floor_rows["enrollments (the UPDATE)"] == 50
    assert run.floor_rows["activities"] > 0 and run.floor_rows["notifications (mentor)"] == 50
    assert run.moves[cycles.START] and run.moves[cycles.ADVANCE] and run.moves[cycles.EXTEND]
    assert run.written["events"] == EnrollmentEvent.objects.count() == 50
    assert run.written["activities"] == Activity.objects.count() - counts.activities > 0
    assert run.written["notifications"] == Notification.objects.count() > 50
    assert run.parts_s["notify"] > 0 and run.parts_s["activities"] > 0 and run.queries > 0
    assert run.floor_rows["employee history rows"] == run.floor_rows["employees (stage)"] > 0
    assert run.rss_peak_mb > 0
    assert run.rerun_moves["claimed"] == run.rerun_changes == run.rerun_notifications == 0
    assert sweep.due_count(TODAY) == 0


def test_the_baseline_update_and_the_set_based_writes_are_rolled_back(counts):
    rows, times = sweep.baseline_update(TODAY, runs=2)
    assert rows == 50 and len(times) == 2
    times, rows = sweep.set_based_floor(TODAY)
    assert set(times) == set(rows) and rows["notifications (trainee)"] == 50
    assert sweep.due_count(TODAY) == 50 and not Enrollment.objects.filter(state=cycles.COMPLETED).exists()
    assert not EnrollmentEvent.objects.exists() and not Notification.objects.exists()
    assert Activity.objects.count() == counts.activities


def test_keep_due_leaves_a_share_of_the_rows_due(counts):
    due = sweep.keep_due(TODAY, every=5)
    assert due == sweep.due_count(TODAY) == Enrollment.objects.filter(id__iregex=r"[05]$").count()
    assert 0 < due < 50 and Enrollment.objects.count() == 50


def test_report_and_failures(counts):
    run = sweep.measure(TODAY, baseline_runs=1, profile=True)
    text = sweep.report(run, run, heading="Onboarding sweep benchmark", profiled=run)
    assert "| **Sweep**" in text and "## Where the sweep's time goes" in text and "tottime" in text
    slow = dataclasses.replace(run, sweep_s=run.floor_total_ms / 1000 * 2.5, rerun_s=0.0)
    assert [m for m in sweep.failures(slow) if "set-based SQL" in m and "target ≤ 2×" in m]
    fast = dataclasses.replace(run, sweep_s=run.floor_total_ms / 1000 * 1.5, rerun_s=0.0)
    assert not [m for m in sweep.failures(fast) if "set-based SQL" in m]
    fat = dataclasses.replace(run, rss_start_mb=0.0, rss_peak_mb=500.0)
    lean = dataclasses.replace(run, rss_start_mb=0.0, rss_peak_mb=10.0)
    assert [m for m in sweep.failures(lean, fat) if "memory" in m] == []
    assert [m for m in sweep.failures(fat, lean) if "memory must not grow" in m]
