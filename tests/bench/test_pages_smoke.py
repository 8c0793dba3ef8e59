"""The navigation-pages benchmark on a tiny world, so discovery and measurement cannot rot."""

import datetime

import pytest

from bench import kash, pages
from tests import worlds

TINY = kash.Scale(people=60, team_size=25, months=2, teams_per_department=2)


@pytest.fixture(scope="module")
def tiny_world(django_db_setup, django_db_blocker):
    with worlds.shared_by_module(django_db_blocker):
        with django_db_blocker.unblock():
            kash.generate(TINY, today=datetime.date(2026, 11, 20))
        yield


def test_nav_links_keeps_only_site_links_inside_nav():
    html = '<a href="/out/">x</a><nav><a href="/a/">a</a><a href="/a/?x=1">a</a><a href="https://e.com/">e</a>'
    html += '<a href="/i18n/setlang/">l</a></nav>'
    assert pages.nav_links(html) == ["/a/"]


def test_every_nav_page_is_discovered_and_measured_for_hr_and_a_supervisor(tiny_world, db, client):
    measured = pages.measure(runs=1, warmup=0, client=client)
    for role in ("HR", "supervisor"):
        mine = [p for p in measured if p.role == role and not p.is_trivial]
        assert len(mine) >= 2, role
        assert all(p.status == 200 and p.queries > 0 and p.html_bytes > 0 for p in mine), mine
    assert "| HR |" in pages.report(measured)


def test_a_growing_query_count_is_a_missed_target():
    base = pages.Page("HR", "/t/", 200, 3, 10, [1.0], is_trivial=True)
    grows = pages.Page("HR", "/p/", 200, 9, 10, [2.0], small_queries=5)
    assert any("grows" in m for m in pages.failures([base, grows]))
