"""Helpers of the PK tests (issue 15 §4): competitions made through incentives.services.pk, agent days, and closed
cases and hand-offs written directly (the linkage services are tested in tests/linkage)."""

import datetime
import itertools

from django.utils import timezone

from incentives.services import pk as services
from kpis.models import Kpi
from linkage.models import Case, Handoff
from tests.kpis.factories import AgentDayFactory, IngestFactory
from tests.linkage.factories import LinkageRoleFactory, case_category

START = datetime.date(2026, 11, 1)
END = datetime.date(2026, 11, 30)
_refs = itertools.count(1)


def competition(user, teams, *, metric="kpi", kpi_code="fcr", kind="team", **kwargs):
    values = {
        "name": "November FCR PK",
        "kind": kind,
        "starts_on": START,
        "ends_on": END,
        "metric": metric,
        "kpi": Kpi.objects.get(code=kpi_code) if metric == "kpi" else None,
        "teams": teams if kind != "site" else (),
        "sites": teams if kind == "site" else (),
    }
    values.update(kwargs)
    return services.create_competition(user=user, **values)


def days(employee, *, on=START, ingest=None, **counts):
    return AgentDayFactory(employee=employee, on=on, ingest=ingest or IngestFactory(), **counts)


def closed_case(owner, *, outcome="first_contact", at=None, team=None):
    at = at or timezone.make_aware(datetime.datetime(2026, 11, 10, 10))
    return Case.objects.create(
        reference=f"PK{next(_refs):06d}",
        customer_ref="138****0000",
        channel="phone",
        category=case_category(),
        summary="PK test case",
        owner=owner,
        team=team or owner.team,
        status="closed",
        outcome=outcome,
        opened_at=at,
        first_response_due_at=at,
        resolution_due_at=at + datetime.timedelta(days=2),
        closed_at=at + datetime.timedelta(hours=1),
    )


def handoff(case, to_employee, *, at=None):
    return Handoff.objects.create(
        case=case,
        to_role=LinkageRoleFactory(),
        to_employee=to_employee,
        reason_code="specialist",
        handed_at=at or case.opened_at,
        handed_by=case.owner.user,
    )


def matrix_pk(world):
    """For tests/test_authorization_matrix.py: HR's team PK between Team A and Team B on FCR in November, with its
    board stored, and HR's external project PK between them (results by hand); made once per world."""
    if getattr(world, "pk_competition", None) is None:
        world.pk_competition = competition(world.hr, [world.team, world.other_team])
        services.refresh_standings(world.pk_competition.pk)
        world.pk_standing = world.pk_competition.standings.first()
        world.pk_external = competition(
            world.hr, [world.team, world.other_team], kind="external", metric="manual", name="Matrix external PK"
        )
    return world
