"""The navigation-pages benchmark on a tiny world, so discovery and measurement cannot rot."""

import datetime

import pytest

from bench import kash, pages, sweep
from tests import worlds

TINY = kash.Scale(people=60, team_size=25, months=2, teams_per_department=2)
TINY_ONBOARDING = sweep.Scale(enrollments=30, small=0, batch_size=10)
ROLES = ("HR", "supervisor", "batch supervisor", "mentor", "trainee")


@pytest.fixture(scope="module")
def tiny_world(django_db_setup, django_db_blocker):
    with worlds.shared_by_module(django_db_blocker):
        with django_db_blocker.unblock():
            pages.generate(TINY, TINY_ONBOARDING, today=datetime.date(2026, 11, 20))
        yield


def test_nav_links_keeps_only_site_links_inside_nav():
    html = '<a href="/out/">x</a><nav><a href="/a/">a</a><a href="/a/?x=1">a</a><a href="https://e.com/">e</a>'
    html += '<a href="/i18n/setlang/">l</a></nav>'
    assert pages.nav_links(html) == ["/a/"]


def test_a_world_of_people_is_a_fifth_trainees():
    people, onboarding = pages.scales(10_000)
    assert (people.people, onboarding.enrollments) == (8_000, 2_000)


def test_every_nav_page_is_discovered_and_measured_for_every_role(tiny_world, db, client):
    measured = pages.measure(runs=1, warmup=0, client=client)
    for role in ROLES:
        mine = [p for p in measured if p.role == role and not p.is_trivial]
        assert mine, role
        assert all(p.status == 200 and p.queries > 0 and p.html_bytes > 0 for p in mine), mine
    batch_pages = {p.url for p in measured if p.role in ("HR", "batch supervisor")}
    assert any("batches" in url for url in batch_pages), batch_pages
    assert "| trainee |" in pages.report(measured)


def test_a_growing_query_count_is_a_missed_target():
    base = pages.Page("HR", "/t/", 200, 3, 10, [1.0], is_trivial=True)
    grows = pages.Page("HR", "/p/", 200, 9, 10, [2.0], small_queries=5)
    assert any("grows" in m for m in pages.failures([base, grows]))
