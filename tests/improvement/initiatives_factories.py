import datetime

import factory

from improvement.models import Initiative, InitiativeKpi
from kpis.models import Kpi
from tests.staff.factories import EmployeeFactory


class InitiativeFactory(factory.django.DjangoModelFactory):
    """A plan over September (before), a pilot from October 15 and go-live on December 1 2026."""

    class Meta:
        model = Initiative
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Initiative {n}")
    goal = "Resolve more calls at the first contact."
    owner = factory.SubFactory(EmployeeFactory)
    baseline_from = datetime.date(2026, 9, 1)
    baseline_to = datetime.date(2026, 9, 30)
    pilot_start = datetime.date(2026, 10, 15)
    rollout_start = datetime.date(2026, 12, 1)
    after_to = datetime.date(2027, 1, 31)

    @factory.post_generation
    def scope_teams(self, create, extracted, **kwargs):
        if extracted:
            self.scope_teams.set(extracted)

    @factory.post_generation
    def scope_sites(self, create, extracted, **kwargs):
        if extracted:
            self.scope_sites.set(extracted)

    @factory.post_generation
    def pilot_teams(self, create, extracted, **kwargs):
        if extracted:
            self.pilot_teams.set(extracted)


def goal(initiative, code, **kwargs):
    return InitiativeKpi.objects.create(initiative=initiative, kpi=Kpi.objects.get(code=code), role="goal", **kwargs)


def guardrail(initiative, code, threshold, **kwargs):
    return InitiativeKpi.objects.create(
        initiative=initiative, kpi=Kpi.objects.get(code=code), role="guardrail", threshold=threshold, **kwargs
    )


def matrix_initiatives(world):
    """For tests/test_authorization_matrix.py: an initiative owned by the supervisor, scoped to Team A (so the
    trainee sees it read-only, the other supervisor not); made once per world."""
    if getattr(world, "initiative", None) is None:
        initiative = InitiativeFactory(owner=world.supervisor, scope_teams=[world.trainee.team])
        goal(initiative, "fcr")
        world.initiative = initiative
    return world
