"""Each site's support kit for a playbook (issue 12 §4, seed 000): what is not in place, to name when publishing,
and the one writer of a kit item."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from linkage.models import KitItem, Playbook
from linkage.services.kit import kit_gaps, set_kit_item
from tests.staff.factories import EmployeeFactory, SiteFactory

pytestmark = pytest.mark.django_db

PLANNED_ON = datetime.date(2027, 1, 15)


@pytest.fixture
def playbook():
    return Playbook.objects.get(code="incident-handling")


@pytest.fixture
def sites():
    return SiteFactory(name="Alpha"), SiteFactory(name="Beta")


def item(site, playbook, kind, name, status, **kwargs):
    return KitItem.objects.create(site=site, playbook=playbook, kind=kind, name=name, status=status, **kwargs)


def test_gaps_name_missing_and_planned_items_per_site_but_not_those_in_place(playbook, sites):
    alpha, beta = sites
    owner = EmployeeFactory()
    item(alpha, playbook, "signage", "Quiet-room sign", "missing", owner=owner)
    item(alpha, playbook, "calling_system", "Supervisor call button", "in_place")
    item(beta, playbook, "glossary", "Signal cards at each seat", "planned", planned_on=PLANNED_ON)

    gaps = kit_gaps(playbook=playbook, sites=[alpha, beta])

    assert [(g.site, g.kind_label, g.name, g.status, g.planned_on, g.owner) for g in gaps] == [
        (alpha, "Signage", "Quiet-room sign", "missing", None, owner),
        (beta, "Signal glossary", "Signal cards at each seat", "planned", PLANNED_ON, None),
    ]


def test_a_site_whose_kit_is_all_in_place_has_no_gap(playbook, sites):
    item(sites[0], playbook, "layout", "Seats of the supervisors in sight", "in_place")

    assert kit_gaps(playbook=playbook, sites=[sites[0]]) == []


def test_gaps_only_cover_the_sites_asked_for(playbook, sites):
    item(sites[1], playbook, "materials", "Leaflets", "missing")

    assert kit_gaps(playbook=playbook, sites=[sites[0]]) == []


def test_gaps_only_cover_the_playbook_asked_for(playbook, sites):
    other = Playbook.objects.get(code="customer-marketing")
    item(sites[0], other, "materials", "Product leaflets", "missing")

    assert kit_gaps(playbook=playbook, sites=sites) == []


def test_gaps_are_read_in_one_query(playbook, sites, django_assert_num_queries):
    for site in sites:
        for n in range(3):
            item(site, playbook, "materials", f"Leaflet {n}", "missing", owner=EmployeeFactory())

    with django_assert_num_queries(1):
        gaps = kit_gaps(playbook=playbook, sites=sites)
        assert [gap.owner.name for gap in gaps]


def test_set_kit_item_creates_then_updates_the_same_item(playbook, sites):
    owner = EmployeeFactory()
    first, created = set_kit_item(
        site=sites[0],
        playbook=playbook,
        kind="signage",
        name="Quiet-room sign",
        status="planned",
        planned_on=PLANNED_ON,
    )
    second, created_again = set_kit_item(
        site=sites[0], playbook=playbook, kind="signage", name="Quiet-room sign", status="in_place", owner=owner
    )

    assert (created, created_again, second.pk) == (True, False, first.pk)
    assert KitItem.objects.values_list("status", "planned_on", "owner").get() == ("in_place", None, owner.pk)


def test_set_kit_item_refuses_a_planned_item_without_its_date(playbook, sites):
    with pytest.raises(ValidationError):
        set_kit_item(site=sites[0], playbook=playbook, kind="signage", name="Sign", status="planned")

    assert not KitItem.objects.exists()
