"""The points ledger (issue 15 §2): a retried grant credits once, a balance is the sum of the entries after a
reversal, one reversal per entry, and no entry changes or disappears — through the model, the admin or the API."""

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse

from incentives.models import EntryKind, LedgerIsAppendOnly, PointsEntry
from incentives.selectors import ledger as selectors
from incentives.services import ledger
from tests.api.conftest import api_client
from tests.incentives.factories import give

pytestmark = pytest.mark.django_db


def _grant(employee, ref="recognition:1:1", points=10):
    return ledger.record(kind=EntryKind.GRANT, employee=employee, points=points, source_ref=ref)


def test_a_retried_grant_with_the_same_source_ref_credits_once(world):
    first, created = _grant(world.trainee)
    again, created_again = _grant(world.trainee)
    assert created and not created_again
    assert first.pk == again.pk
    assert selectors.balance(world.trainee) == 10


def test_a_retry_returns_the_first_entry_even_with_other_values(world):
    first, _created = _grant(world.trainee)
    again, created = _grant(world.mentor, points=99)
    assert not created and again.pk == first.pk
    assert selectors.balance(world.mentor) == 0


def test_a_balance_equals_the_sum_of_entries_after_a_reversal(world):
    recognition = give(world.supervisor, world.trainee, points=15)
    _grant(world.trainee, ref="award:monthly:1", points=30)
    grant = recognition.entries.get()
    reversal = ledger.reverse(user=world.hr, entry_id=grant.pk, note="Given by mistake")
    assert (reversal.kind, reversal.points, reversal.reverses_id) == (EntryKind.REVERSAL, -15, grant.pk)
    total = PointsEntry.objects.filter(employee=world.trainee).aggregate(total=Sum("points"))["total"]
    assert selectors.balance(world.trainee) == total == 30


def test_an_entry_is_reversed_once(world):
    grant, _created = _grant(world.trainee)
    first = ledger.reverse(user=world.hr, entry_id=grant.pk)
    again = ledger.reverse(user=world.hr, entry_id=grant.pk)
    assert first.pk == again.pk
    assert selectors.balance(world.trainee) == 0
    with pytest.raises(ValidationError):
        ledger.reverse(user=world.hr, entry_id=first.pk)


def test_only_hr_reverses(world):
    grant, _created = _grant(world.trainee)
    with pytest.raises(PermissionDenied):
        ledger.reverse(user=world.supervisor.user, entry_id=grant.pk)


def test_the_database_refuses_a_second_reversal_of_one_entry(world):
    grant, _created = _grant(world.trainee)
    ledger.reverse(user=world.hr, entry_id=grant.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        PointsEntry.objects.create(
            kind=EntryKind.REVERSAL, employee=world.trainee, points=-10, source_ref="other", reverses=grant
        )


def test_an_entry_is_never_updated_nor_deleted_through_the_model(world):
    grant, _created = _grant(world.trainee)
    grant.points = 1000
    with pytest.raises(LedgerIsAppendOnly):
        grant.save()
    with pytest.raises(LedgerIsAppendOnly):
        grant.delete()
    assert PointsEntry.objects.get(pk=grant.pk).points == 10


def test_the_admin_is_read_only(world, client):
    grant, _created = _grant(world.trainee)
    model_admin = admin.site._registry[PointsEntry]
    client.force_login(world.hr)
    request = client.get(reverse("admin:incentives_pointsentry_changelist")).wsgi_request
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, grant)
    assert not model_admin.has_delete_permission(request, grant)
    change = reverse("admin:incentives_pointsentry_change", args=[grant.pk])
    assert client.get(change).status_code == 200
    client.post(change, {"points": 1000, "employee": world.trainee.pk, "kind": "grant", "source_ref": "x"})
    assert client.get(reverse("admin:incentives_pointsentry_delete", args=[grant.pk])).status_code == 403
    assert PointsEntry.objects.get(pk=grant.pk).points == 10


def test_the_api_ledger_is_read_only(world):
    grant, _created = _grant(world.trainee)
    client = api_client(world, "hr")
    url = reverse("incentives-points-entry-detail", args=[grant.pk])
    assert client.get(url).status_code == 200
    assert client.patch(url, {"points": 1}, format="json").status_code == 405
    assert client.delete(url).status_code == 405
    assert client.post(reverse("incentives-points-entry-list"), {}, format="json").status_code == 405
    assert PointsEntry.objects.get(pk=grant.pk).points == 10


def test_the_api_ledger_shows_each_her_own_and_hr_all(world):
    give(world.supervisor, world.trainee, world.mentor, points=3)
    url = reverse("incentives-points-entry-list")
    mine = api_client(world, "trainee").get(url).json()["results"]
    assert [row["employee"] for row in mine] == [world.trainee.pk]
    assert api_client(world, "supervisor").get(url).json()["results"] == []
    assert len(api_client(world, "hr").get(url).json()["results"]) == 2
