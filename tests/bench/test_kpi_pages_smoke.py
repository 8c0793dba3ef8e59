"""bench/kpi_pages.py on a tiny centre in the test database, so the benchmark's code cannot rot."""

from types import SimpleNamespace

from bench.kpi import build_world
from bench.kpi_pages import part_pages


def test_the_kpi_pages_benchmark_runs_and_finds_one_query_count(db):
    actor = build_world(80)
    lines, missed = part_pages(SimpleNamespace(runs=1, page_runs=1, history_months=2), actor)
    assert missed == []
    rows = [line for line in lines if line.startswith("| ") and "ms" not in line and "---" not in line]
    assert len(rows) == 6
