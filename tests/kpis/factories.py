import datetime

import factory

from kpis.models import AgentDay, Channel, Ingest, Queue, QueueDay, Source, Target, Weight, WeightSet
from tests.staff.factories import EmployeeFactory, SiteFactory


class IngestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ingest

    source = Source.AGENT
    channel = Channel.API
    status = "done"


class QueueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Queue

    code = factory.Sequence(lambda n: f"Q{n:03d}")
    site = factory.SubFactory(SiteFactory)


class AgentDayFactory(factory.django.DjangoModelFactory):
    """A day of an agent in her current team and its site; pass counts as keyword arguments."""

    class Meta:
        model = AgentDay

    employee = factory.SubFactory(EmployeeFactory)
    on = datetime.date(2026, 11, 2)
    team = factory.LazyAttribute(lambda o: o.employee.team)
    site = factory.LazyAttribute(lambda o: o.team.department.site)
    revision = 1
    ingest = factory.SubFactory(IngestFactory)


class QueueDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QueueDay

    queue = factory.SubFactory(QueueFactory)
    on = datetime.date(2026, 11, 2)
    site = factory.LazyAttribute(lambda o: o.queue.site)
    revision = 1
    ingest = factory.SubFactory(IngestFactory, source=Source.QUEUE)


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    valid_from = datetime.date(2020, 1, 1)


class WeightSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WeightSet

    site = factory.SubFactory(SiteFactory)
    month = datetime.date(2026, 1, 1)


class WeightFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Weight

    weight_set = factory.SubFactory(WeightSetFactory)


def make_weight_set(site, month, weights, **kwargs):
    """A site's weight set from ``month``: ``weights`` maps a default KPI's code to (weight, worst, best)."""
    from decimal import Decimal

    from kpis.models import Kpi

    weight_set = WeightSetFactory(site=site, month=month, **kwargs)
    for code, (weight, worst, best) in weights.items():
        WeightFactory(
            weight_set=weight_set,
            kpi=Kpi.objects.get(code=code),
            weight=weight,
            worst=Decimal(str(worst)),
            best=Decimal(str(best)),
        )
    return weight_set


class ScorecardFactory(factory.django.DjangoModelFactory):
    """An employee's scorecard of a month (get or create), in her current team and site."""

    class Meta:
        model = "kpis.Scorecard"
        django_get_or_create = ("employee", "month")

    employee = factory.SubFactory(EmployeeFactory)
    month = datetime.date(2026, 11, 1)
    team = factory.LazyAttribute(lambda o: o.employee.team)
    site = factory.LazyAttribute(lambda o: o.team.department.site)
    weight_set = factory.LazyAttribute(lambda o: WeightSet.objects.get_or_create(site=o.site, month=o.month)[0])
    components = factory.LazyFunction(list)
    composite = 80
    band = "meets"
    pay_coefficient = 1
    computed_at = factory.LazyFunction(lambda: datetime.datetime(2026, 12, 1, 2, 30, tzinfo=datetime.UTC))
