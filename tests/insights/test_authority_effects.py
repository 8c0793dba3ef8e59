"""Effects of tiered authority (issue 16 §2): a person's cases in the 30 days before her grade changed against the
30 days after — payout per case and escalation rate, raised and lowered grades apart — hand-computed, the same on
the page and in the API; a first grade is no change; a supervisor reads her teams only."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from linkage.models import Case, Issuance, Scenario
from tests.insights.cohort_factories import api, centre
from tests.linkage.factories import authority_case, grant
from tests.staff.factories import EmployeeFactory

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 16, 10, 0, tzinfo=datetime.UTC)
CHANGED = NOW - datetime.timedelta(days=40)


def case(owner, at, *, escalated=False, paid=None):
    found = authority_case(owner)
    Case.objects.filter(pk=found.pk).update(opened_at=at, escalation_level=1 if escalated else 0)
    if paid is not None:
        Issuance.objects.create(
            case=found,
            scenario=Scenario.objects.get(code="fee-charged-in-error"),
            risk="low",
            amount=Decimal(paid),
            issued_by=owner,
            team=owner.team,
            grade_id=1,
            customer_ref=found.customer_ref,
            issued_at=at,
            on=at.date(),
        )
    return found


@pytest.fixture
def world(time_machine):
    time_machine.move_to(NOW, tick=False)
    w = centre()
    # a1 (Team A) went from G1 to G2 40 days ago. Before: 2 cases, ¥20 and ¥10 paid, one escalated.
    # After: 4 cases, ¥30 paid on one, none escalated.
    grant(w.a1, "g1", since=NOW - datetime.timedelta(days=400))
    grant(w.a1, "g2", since=CHANGED)
    case(w.a1, CHANGED - datetime.timedelta(days=10), escalated=True, paid="20")
    case(w.a1, CHANGED - datetime.timedelta(days=3), paid="10")
    case(w.a1, CHANGED - datetime.timedelta(days=31))  # outside the window
    for days in (1, 5, 9, 20):
        case(w.a1, CHANGED + datetime.timedelta(days=days), paid="30" if days == 1 else None)
    # b1 (Team B) was lowered from G3 to G2: before 1 case escalated; after 1 case not.
    w.b1 = EmployeeFactory(team=w.team_b)
    grant(w.b1, "g3", since=NOW - datetime.timedelta(days=300))
    grant(w.b1, "g2", since=CHANGED)
    case(w.b1, CHANGED - datetime.timedelta(days=2), escalated=True)
    case(w.b1, CHANGED + datetime.timedelta(days=2))
    # A first grade is no change; a change 10 days ago has no full window after it yet.
    grant(EmployeeFactory(team=w.team_a), "g1", since=CHANGED)
    grant(w.lead_a, "g3", since=NOW - datetime.timedelta(days=500))
    grant(w.lead_a, "g4", since=NOW - datetime.timedelta(days=10))
    return w


def test_payout_and_escalation_before_and_after_a_grade_change(client, world):
    client.force_login(world.hr)
    rows = {row.direction: row for row in client.get(reverse("insights:effects")).context["authority"]}
    raised, lowered = rows["raised"], rows["lowered"]
    assert raised.changes == 1
    assert (raised.before.cases, raised.before.payout_per_case, raised.before.escalated) == (2, Decimal("15.00"), 1)
    assert (raised.after.cases, raised.after.payout_per_case, raised.after.escalated) == (4, Decimal("7.50"), 0)
    assert lowered.changes == 1
    assert (lowered.before.escalation.value, lowered.after.escalation.value) == (Decimal(1), Decimal(0))
    assert lowered.before.payout_per_case == Decimal("0.00")


def test_the_page_and_the_api_agree(client, world):
    client.force_login(world.hr)
    html = client.get(reverse("insights:effects")).content.decode()
    row = html[html.index('data-direction="raised"') :].split("</tr>")[0]
    assert "¥15.00" in row and "¥7.50" in row and "50.0%" in row
    raised = next(
        r for r in api(world.hr).get(reverse("insights-effects-list")).json()["authority"] if r["direction"] == "raised"
    )
    assert raised["before"] == {
        "cases": 2,
        "payout": "30.00",
        "payout_per_case": "15.00",
        "escalation": {"numerator": 1, "denominator": 2, "value": "0.5000"},
    }
    assert raised["after"]["payout_per_case"] == "7.50"


def test_a_supervisor_reads_her_teams_only(world):
    rows = {r["direction"]: r for r in api(world.lead_b.user).get(reverse("insights-effects-list")).json()["authority"]}
    assert (rows["raised"]["changes"], rows["lowered"]["changes"]) == (0, 1)
    assert rows["raised"]["before"]["payout_per_case"] is None
