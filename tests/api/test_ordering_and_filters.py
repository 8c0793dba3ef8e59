"""Lists order and filter only by what they declare, so a field a reader may not see never steers a list.

Every list × role: ``?ordering=<f>`` and ``?ordering=-<f>`` for every field of the model that the list does not
declare leaves the default order; every declared ordering field is one the role reads in the answer. The
world's two assessments have private notes sorted against their dates, so ordering or filtering by the note
would change the answer. Filters by an id that names nothing visible answer an empty list (not 400).
"""

import pytest
from django.urls import resolve, reverse

from tests.api.conftest import ROLES, api_client

LISTS = [
    "employee-list",
    "team-list",
    "position-list",
    "kash-indicator-list",
    "kash-profile-list",
    "kash-assessment-list",
    "onboarding-enrollment-list",
    "onboarding-activity-list",
    "onboarding-coaching-list",
    "onboarding-gate-check-list",
    "linkage-drill-list",
]
READERS = [role for role in ROLES if role != "anonymous"]
# The id filters of each list: an id that names nothing the caller may see finds nothing.
ID_FILTERS = {
    "employee-list": ["team", "position", "mentor"],
    "team-list": ["department", "supervisor"],
    "position-list": ["department"],
    "kash-profile-list": ["team"],
    "kash-assessment-list": ["subject"],
    "onboarding-enrollment-list": ["batch", "trainee"],
    "onboarding-activity-list": ["enrollment"],
    "onboarding-coaching-list": ["enrollment"],
    "onboarding-gate-check-list": ["enrollment"],
    "linkage-drill-list": ["team"],
}
NOT_AN_ID = ["999999", "0", "-3", "1.5", str(10**30)]


def view_class(name):
    return resolve(reverse(name)).func.cls


def model_fields(name):
    view = view_class(name)
    model = view.serializer_class.Meta.model if hasattr(view.serializer_class, "Meta") else None
    model = model or view.filterset_class.Meta.model
    return sorted({field.name for field in model._meta.get_fields() if field.concrete})


def items(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def ids(response):
    return [item.get("id", item.get("employee")) for item in items(response)]


@pytest.mark.parametrize("name", LISTS)
def test_a_list_orders_only_by_declared_fields_the_role_reads(api_world, name):
    url = reverse(name)
    declared = view_class(name).ordering_fields
    undeclared = set(model_fields(name)) - set(declared)
    for role in READERS:
        client = api_client(api_world, role)
        default = ids(client.get(url))
        for field in declared:
            for item in items(client.get(url, {"ordering": f"-{field}"})):
                assert field in item, f"{name} orders by {field}, which {role} does not read"
        for field in undeclared:
            for ordering in (field, f"-{field}"):
                assert ids(client.get(url, {"ordering": ordering})) == default, (role, ordering)


@pytest.mark.parametrize("name", LISTS)
def test_a_list_ignores_filters_it_does_not_declare(api_world, name):
    url = reverse(name)
    declared = set(view_class(name).filterset_class.base_filters)
    for role in ("trainee", "mentor", "hr"):
        client = api_client(api_world, role)
        default = ids(client.get(url))
        for field in set(model_fields(name)) - declared:
            for query in ({field: "a"}, {field: "1"}, {f"{field}__icontains": "a"}, {f"{field}__isnull": "true"}):
                assert ids(client.get(url, query)) == default, (role, query)


@pytest.mark.parametrize("role", ["trainee", "mentor"])
def test_private_notes_never_order_the_assessments_of_those_who_may_not_read_them(api_world, role):
    client = api_client(api_world, role)
    url = reverse("kash-assessment-list")
    noted = [api_world.newer.pk, api_world.older.pk]  # newest first; their notes sort the other way
    assert [pk for pk in ids(client.get(url)) if pk in noted] == noted
    for ordering in ("private_note", "-private_note", "private_note,-assessed_on", "-private_note,-assessed_on"):
        answer = client.get(url, {"ordering": ordering})
        assert [pk for pk in ids(answer) if pk in noted] == noted, ordering
        assert "private_note" not in str(answer.json())


@pytest.mark.parametrize("role", ["trainee", "mentor", "other_trainee"])
@pytest.mark.parametrize(
    "query",
    [
        {"private_note": "a: watch her breaks"},
        {"private_note__icontains": "watch"},
        {"private_note__startswith": "z"},
        {"search": "watch"},
        {"subject__assessments__private_note": "z: ready for the queue"},
    ],
)
def test_private_notes_never_filter_the_assessments_of_those_who_may_not_read_them(api_world, role, query):
    client = api_client(api_world, role)
    url = reverse("kash-assessment-list")
    assert ids(client.get(url, query)) == ids(client.get(url))


def test_the_supervisor_may_read_notes_yet_not_order_by_them_either(api_world):
    client = api_client(api_world, "supervisor")
    url = reverse("kash-assessment-list")
    answer = client.get(url, {"ordering": "-private_note", "subject": api_world.trainee.pk})
    notes = [item["private_note"] for item in items(answer) if item["private_note"]]
    assert notes == ["a: watch her breaks", "z: ready for the queue"]


@pytest.mark.parametrize("name", sorted(ID_FILTERS))
def test_an_unknown_or_invisible_id_filters_to_an_empty_list(api_world, name):
    invisible = api_world.other_trainee.pk if name == "kash-assessment-list" else 999999
    for role in READERS:
        client = api_client(api_world, role)
        for parameter in ID_FILTERS[name]:
            for value in [*NOT_AN_ID, invisible]:
                if value == invisible and role == "hr":
                    continue  # HR sees everyone; the other trainee simply has no assessment
                assert items(client.get(reverse(name), {parameter: value})) == [], (role, parameter, value)


def test_a_visible_id_still_filters(api_world):
    client = api_client(api_world, "supervisor")
    answer = client.get(reverse("kash-assessment-list"), {"subject": api_world.trainee.pk})
    assert {api_world.newer.pk, api_world.older.pk} <= set(ids(answer))
    assert not items(client.get(reverse("kash-assessment-list"), {"subject": api_world.mentor.pk}))
    answer = client.get(reverse("onboarding-activity-list"), {"enrollment": api_world.enrollment.pk})
    assert api_world.activity.pk in ids(answer)


def test_every_list_declares_its_ordering_and_filter_fields():
    for name in LISTS:
        view = view_class(name)
        assert view.ordering_fields and view.ordering_fields != "__all__", name
        assert view.filterset_class and not getattr(view, "filterset_fields", None), name
