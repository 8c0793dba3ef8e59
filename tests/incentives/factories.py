"""Helpers of the incentives tests (issue 15 §1, §2). Recognitions are given through
incentives.services.recognition, so the ledger rows and notifications are the real ones."""

from incentives.models import EntryKind
from incentives.services import recognition as services


def give(giver, *recipients, points=0, motivator="achievement", message="Well done on the hard call.", **kwargs):
    return services.give_recognition(
        user=giver.user, recipients=list(recipients), message=message, motivator=motivator, points=points, **kwargs
    )


def matrix_recognition(world):
    """For tests/test_authorization_matrix.py: the mentor recognises the trainee with 5 points (Team A sees it;
    the grant is the trainee's ledger entry); made once per world."""
    if getattr(world, "incentives_recognition", None) is None:
        world.incentives_recognition = give(world.mentor, world.trainee, points=5)
        world.incentives_entry = world.incentives_recognition.entries.get(kind=EntryKind.GRANT)
    return world


def matrix_card(world):
    """For tests/test_authorization_matrix.py: a welcome card for the trainee on Team A; made once per world."""
    if getattr(world, "incentives_card", None) is None:
        from django.utils import timezone

        from incentives.models import TeamCard

        world.incentives_card = TeamCard.objects.create(
            kind="welcome", employee=world.trainee, team=world.team, on=timezone.localdate()
        )
    return world


def matrix_redemption(world):
    """For tests/test_authorization_matrix.py: the trainee's redemption waiting for HR; made once per world."""
    if getattr(world, "incentives_redemption", None) is None:
        from incentives.models import Reward
        from incentives.services import ledger, rewards

        ledger.record(kind=EntryKind.AWARD, employee=world.trainee, points=5, source_ref="award:matrix-redemption")
        reward = Reward.objects.create(name="Matrix training seat", kind="training_seat", cost=5, stock=1)
        world.incentives_redemption = rewards.redeem(user=world.trainee.user, reward_id=reward.pk)
    return world
