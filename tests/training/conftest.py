import pytest

from tests.training.factories import IndicatorFactory, PositionTargetFactory
from training.models import Indicator, SourceWeight


@pytest.fixture
def indicators(db):
    """A small framework of our own: two indicators, the shipped ones retired for the test."""
    Indicator.objects.update(is_active=False)
    SourceWeight.objects.all().delete()
    SourceWeight.objects.bulk_create(
        [SourceWeight(source=s, weight=w) for s, w in (("supervisor", 1), ("mentor", 1), ("self", 0.5), ("exam", 1))]
    )
    return [IndicatorFactory(dimension="S", code="talk"), IndicatorFactory(dimension="H", code="notes")]


@pytest.fixture
def targets(world, indicators):
    return [PositionTargetFactory(position=world.trainee.position, indicator=i, level=4) for i in indicators]
