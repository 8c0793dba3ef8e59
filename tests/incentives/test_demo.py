"""The demo's recognition (issue 15 §10): three months inside every team with a realistic motivator mix, some
points on the ledger (balances are sums), reactions, the implemented suggestions recognised, the demo trainee
recognised this week, and the replayed notifications already e-mailed."""

import datetime
from collections import Counter

from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone

from incentives.models import EntryKind, PointsEntry, Reaction, Recognition
from incentives.services.recognition import RECOGNISED
from notifications.models import Notification
from staff.demo.plan import ROLE_TRAINEE


def test_three_months_of_recognition_with_more_achievement_than_advancement(demo_world, db):
    assert Recognition.objects.count() >= 100
    oldest = Recognition.objects.order_by("created_at").first().created_at
    assert timezone.now() - oldest > datetime.timedelta(days=70)
    mix = Counter(Recognition.objects.values_list("motivator", flat=True))
    assert set(mix) == {"achievement", "recognition", "work_itself", "responsibility", "advancement", "growth"}
    assert mix["achievement"] > mix["advancement"] and mix["recognition"] > mix["advancement"]
    assert Reaction.objects.exists()


def test_points_are_on_the_ledger(demo_world, db):
    with_points = Recognition.objects.filter(points__gt=0)
    assert with_points.exists() and Recognition.objects.filter(points=0).exists()
    grants = PointsEntry.objects.filter(kind=EntryKind.GRANT)
    assert grants.count() >= with_points.count()
    for recognition in with_points[:20]:
        entry = recognition.entries.first()
        assert entry.created_at == recognition.created_at  # restamped with its recognition


def test_implemented_suggestions_are_recognised(demo_world, db):
    assert Recognition.objects.filter(earned_by_kind="suggestion").exists()


def test_the_demo_trainee_sees_her_points(demo_world, db, client):
    recognition = Recognition.objects.filter(recipients__user__username=ROLE_TRAINEE).order_by("-created_at").first()
    assert recognition is not None
    trainee = recognition.recipients.get(user__username=ROLE_TRAINEE)
    client.force_login(trainee.user)
    response = client.get(reverse("incentives:my-points"))
    expected = PointsEntry.objects.filter(employee=trainee).aggregate(total=Sum("points"))["total"]
    assert response.context["balance"] == expected > 0
    assert client.get(reverse("incentives:wall")).status_code == 200


def test_replayed_notifications_were_emailed_when_sent(demo_world, db):
    rows = Notification.objects.filter(kind=RECOGNISED)
    assert rows.exists()
    assert rows.filter(emailed_at=F("created_at")).count() == rows.count()


def test_a_catalogue_and_redemptions_in_every_state(demo_world, db):
    from incentives.models import Redemption, Reward

    assert Reward.objects.filter(kind="training_seat").exists() and Reward.objects.filter(kind="team_building").exists()
    assert set(Redemption.objects.values_list("status", flat=True)) == {"pending", "approved", "rejected"}
    assert PointsEntry.objects.filter(kind=EntryKind.REVERSAL).count() == 1
