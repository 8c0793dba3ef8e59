"""Factories of the honour system (issue 15 §3). Programmes are HR's configuration, written straight; nominations
and decisions go through incentives.services.honours where the behaviour matters (``nominate``/``decide`` here)."""

import datetime

import factory
from django.utils import timezone

from incentives.models import AwardProgramme, Deciders, Nomination, Nominators, ProgrammeKind
from incentives.services import honours as services


def _today():
    return timezone.localdate()


class ProgrammeFactory(factory.django.DjangoModelFactory):
    """A monthly award of the whole centre, its window open today, decided by HR, one winner, no points."""

    class Meta:
        model = AwardProgramme

    kind = ProgrammeKind.MONTHLY_AWARD
    name = factory.Sequence(lambda n: f"Award {n}")
    name_zh = factory.Sequence(lambda n: f"奖项 {n}")
    starts_on = factory.LazyFunction(lambda: _today().replace(day=1))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + datetime.timedelta(days=27))
    opens_on = factory.LazyFunction(lambda: _today() - datetime.timedelta(days=1))
    closes_on = factory.LazyFunction(lambda: _today() + datetime.timedelta(days=5))
    nominators = Nominators.EVERYONE
    decided_by = Deciders.HR
    winners = 1
    points = 0


def nominate(user, programme, nominee, reason="Solved every complaint call this week.", **kwargs):
    return services.nominate(user=user, programme_id=programme.pk, nominee_id=nominee.pk, reason=reason, **kwargs)


def decide(user, nomination, won=True, note=""):
    return services.decide(user=user, nomination_id=nomination.pk, won=won, note=note)


def closed_nomination(programme, nominator_user, nominee, reason="Earlier nomination."):
    """A nomination written straight (its window may be history)."""
    return Nomination.objects.create(programme=programme, nominator=nominator_user, nominee=nominee, reason=reason)


def matrix_honours(world):
    """For tests/test_authorization_matrix.py: Team A's monthly award (window open, HR decides) and the mentor's
    nomination of the trainee, undecided; made once per world."""
    if getattr(world, "honours_programme", None) is None:
        world.honours_programme = ProgrammeFactory(name="Matrix award", team=world.team)
        world.honours_nomination = nominate(world.mentor.user, world.honours_programme, world.trainee)
    return world
