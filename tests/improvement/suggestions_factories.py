"""Factories of suggestions (issue 14 §1). Rows are written straight for tests that need a state; behaviour is
tested through improvement.services.suggestions."""

import datetime

import factory
from django.utils import timezone

from improvement.models import Campaign, Category, Suggestion
from tests.staff.factories import EmployeeFactory


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    title = factory.Sequence(lambda n: f"Campaign {n}")
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=3))


class SuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Suggestion

    author = factory.SubFactory(EmployeeFactory)
    category = Category.SYSTEM
    title = factory.Sequence(lambda n: f"Suggestion {n}")
    what = "Show the order history on the first screen."


def matrix_suggestion(world):
    """For tests/test_authorization_matrix.py: a private suggestion of the trainee (seen by her, her supervisor and
    HR only); made once per world."""
    if getattr(world, "improvement_suggestion", None) is None:
        world.improvement_suggestion = SuggestionFactory(author=world.trainee, is_public=False, title="Matrix idea")
        world.improvement_campaign = CampaignFactory(title="Matrix campaign")
    return world
