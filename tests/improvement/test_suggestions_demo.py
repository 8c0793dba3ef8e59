"""The demo's suggestions (issue 14 §1, §6): about forty in every status, one merged with its supporters moved,
an open and a closed campaign, and the demo trainee reads why hers was declined."""

from django.urls import reverse

from improvement.models import Campaign, Suggestion, Support
from staff.demo.plan import ROLE_TRAINEE


def test_suggestions_in_every_status(demo_world, db):
    assert 35 <= Suggestion.objects.count() <= 50
    assert set(Suggestion.objects.values_list("status", flat=True)) == {
        "new",
        "under_review",
        "accepted",
        "implemented",
        "declined",
        "merged",
    }
    assert not Suggestion.objects.filter(status="declined", answer="").exists()
    assert Suggestion.objects.filter(status="implemented", implemented_at__isnull=True).count() == 0


def test_the_merged_one_moved_its_supporters(demo_world, db):
    merged = Suggestion.objects.get(status="merged")
    assert not Support.objects.filter(suggestion=merged).exists()
    target = merged.merged_into
    assert target.support_count == Support.objects.filter(suggestion=target).count() > 0


def test_an_open_and_a_closed_campaign(demo_world, db):
    from django.utils import timezone

    today = timezone.localdate()
    assert Campaign.objects.filter(opens_on__lte=today, closes_on__gte=today).exists()
    assert Campaign.objects.filter(closes_on__lt=today).exists()


def test_the_demo_trainee_reads_why_hers_was_declined(demo_world, db, client):
    mine = Suggestion.objects.select_related("author__user").get(author__user__username=ROLE_TRAINEE, status="declined")
    client.force_login(mine.author.user)
    page = client.get(reverse("improvement:suggestion", args=[mine.pk])).content.decode()
    assert mine.answer in page
