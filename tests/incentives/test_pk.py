"""PK competitions through incentives.services.pk and the Celery tasks (issue 15 §4): standings from the data
(direction, minimum volume, normalised counts, external results), the close that runs once, and the reward split
that equals the formula and sums exactly to the pool."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incentives import pk_rules as rules
from incentives import tasks
from incentives.models import PkAward, PkCompetition, PkHonour, PointsEntry, Standing
from incentives.services import pk as services
from tests.incentives.pk_factories import END, START, closed_case, competition, days, handoff
from tests.kpis.factories import IngestFactory
from tests.staff.factories import EmployeeFactory, TeamFactory

AFTER = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def fcr(world):
    """Team A 85% FCR on 200 calls (trainee 80/100, mentor 90/100); Team B 70% on 100."""
    ingest = IngestFactory()
    days(world.trainee, ingest=ingest, inbound_handled=100, fcr_resolved=80, handle_seconds=30000)
    days(world.mentor, ingest=ingest, inbound_handled=100, fcr_resolved=90, handle_seconds=20000)
    days(world.other_trainee, ingest=ingest, inbound_handled=100, fcr_resolved=70, handle_seconds=24000)
    return world


def board(competition):
    return [
        (s.participant.team.name, s.rank, s.not_ranked)
        for s in Standing.objects.filter(competition=competition).select_related("participant__team")
    ]


def test_standings_rank_a_higher_is_better_kpi(fcr):
    pk = competition(fcr.hr, [fcr.team, fcr.other_team])
    services.refresh_standings(pk.pk)
    assert board(pk) == [("Team A", 1, ""), ("Team B", 2, "")]
    assert Standing.objects.get(participant__team=fcr.team).value == Decimal("0.85")


def test_standings_honour_a_lower_is_better_kpi(fcr):
    # Average handle time: Team A 250 s, Team B 240 s — lower wins.
    pk = competition(fcr.hr, [fcr.team, fcr.other_team], kpi_code="aht")
    services.refresh_standings(pk.pk)
    assert board(pk) == [("Team B", 1, ""), ("Team A", 2, "")]


def test_a_team_below_the_minimum_volume_is_not_ranked(fcr):
    pk = competition(fcr.hr, [fcr.team, fcr.other_team], minimum_volume=150)
    services.refresh_standings(pk.pk)
    assert board(pk) == [("Team A", 1, ""), ("Team B", None, "low_volume")]


def test_a_count_metric_is_divided_by_head_count(fcr):
    # Team A: 3 cases resolved at first contact by 2 agents = 1.5; Team B: 2 by 1 agent = 2.
    for _ in range(3):
        closed_case(fcr.trainee)
    for _ in range(2):
        closed_case(fcr.other_trainee)
    closed_case(fcr.other_trainee, outcome="later")
    pk = competition(fcr.hr, [fcr.team, fcr.other_team], metric="first_contact", normalisation="agent")
    services.refresh_standings(pk.pk)
    assert board(pk) == [("Team B", 1, ""), ("Team A", 2, "")]
    assert Standing.objects.get(participant__team=fcr.team).value == Decimal("1.5")


def test_refreshing_twice_keeps_one_standing_per_participant(fcr):
    pk = competition(fcr.hr, [fcr.team, fcr.other_team])
    services.refresh_standings(pk.pk)
    services.refresh_standings(pk.pk)
    assert Standing.objects.filter(competition=pk).count() == 2


def test_refresh_queries_do_not_grow_with_participants(fcr):
    small = competition(fcr.hr, [fcr.team, fcr.other_team])
    teams = [TeamFactory() for _ in range(8)]
    for team in teams:
        days(EmployeeFactory(team=team), inbound_handled=50, fcr_resolved=40)
    large = competition(fcr.hr, [fcr.team, fcr.other_team, *teams], idempotency_key="large")
    counts = []
    for pk in (small, large):
        with CaptureQueriesContext(connection) as queries:
            services.refresh_standings(pk.pk)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert Standing.objects.filter(competition=large).count() == 10


def test_external_results_entered_by_hand_are_ranked_the_same_way(world):
    pk = competition(world.hr, [world.team, world.other_team], kind="external", metric="manual", minimum_volume=10)
    a, b = pk.participants.order_by("pk")
    services.enter_result(user=world.hr, participant_id=a.pk, value=Decimal("92.5"), volume=Decimal(20))
    services.enter_result(user=world.hr, participant_id=b.pk, value=Decimal("95"), volume=Decimal(5))
    assert board(pk) == [("Team A", 1, ""), ("Team B", None, "low_volume")]


def test_only_the_organiser_or_hr_enters_results(world):
    pk = competition(world.hr, [world.team, world.other_team], kind="external", metric="manual")
    with pytest.raises(PermissionDenied):
        services.enter_result(user=world.trainee.user, participant_id=pk.participants.first().pk, value=Decimal(1))


def test_a_supervisor_may_not_organise_a_site_pk(world):
    with pytest.raises(PermissionDenied):
        competition(world.supervisor.user, [world.team.department.site, world.other_team.department.site], kind="site")


def test_a_supervisor_enters_only_teams_of_her_sites(world):
    with pytest.raises(ValidationError):
        competition(world.supervisor.user, [world.team, world.other_team])


def test_a_competition_needs_two_participants_and_a_period_in_order(world):
    with pytest.raises(ValidationError) as error:
        competition(world.hr, [world.team], ends_on=START - datetime.timedelta(days=1))
    assert len(error.value.messages) == 2
    assert not PkCompetition.objects.exists()


def test_the_same_idempotency_key_makes_one_competition(world):
    first = competition(world.hr, [world.team, world.other_team], idempotency_key="k1")
    again = competition(world.hr, [world.team, world.other_team], idempotency_key="k1")
    assert first == again and PkCompetition.objects.count() == 1


# Closing ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def won(fcr):
    """Team A wins; its work: the trainee owns 3 cases, the mentor 1, and Team B's other trainee (a specialist)
    carried 2 hand-off steps of Team A's cases."""
    cases = [closed_case(fcr.trainee) for _ in range(3)] + [closed_case(fcr.mentor)]
    handoff(cases[0], fcr.other_trainee)
    handoff(cases[1], fcr.other_trainee)
    return fcr


def test_the_sweep_does_not_close_before_the_period_ends(won):
    pk = competition(won.hr, [won.team, won.other_team], pool=1000)
    with time_machine.travel(datetime.datetime(2026, 11, 30, 12, tzinfo=datetime.UTC)):
        assert services.close_due() == 0
    assert PkCompetition.objects.get(pk=pk.pk).status == "open"


def test_the_close_runs_once_even_if_the_task_runs_twice(won):
    pk = competition(won.hr, [won.team, won.other_team], pool_unit="points", pool=1000)
    with time_machine.travel(AFTER):
        assert tasks.close_due_pk_competitions.delay().get() == 1
        assert tasks.close_due_pk_competitions.delay().get() == 0
        assert services.close(competition_id=pk.pk) is False
    pk.refresh_from_db()
    assert pk.status == "closed" and pk.closed_at is not None
    assert PkHonour.objects.filter(competition=pk).count() == 1
    assert PkAward.objects.filter(competition=pk).count() == 3
    entries = PointsEntry.objects.filter(source_ref__startswith=f"pk:{pk.pk}:")
    assert entries.count() == 3 and sum(e.points for e in entries) == 1000


def test_a_closed_board_is_final(won):
    pk = competition(won.hr, [won.team, won.other_team], pool=1000)
    with time_machine.travel(AFTER):
        services.close_due()
    days(won.other_trainee, on=END, inbound_handled=1000, fcr_resolved=1000)
    assert services.refresh_standings(pk.pk) is None
    assert board(pk) == [("Team A", 1, ""), ("Team B", 2, "")]


def test_the_split_equals_the_formula_and_sums_exactly_to_the_pool(won):
    pk = competition(won.hr, [won.team, won.other_team], pool=Decimal("1000.00"))
    with time_machine.travel(AFTER):
        services.close_due()
    awards = {a.employee_id: a for a in PkAward.objects.filter(competition=pk)}
    # cases: trainee 3/4, mentor 1/4; steps: other trainee 2/2; calls: trainee 100/200, mentor 100/200.
    expected = {
        won.trainee.pk: (rules.Fraction(3, 4) + 0 + rules.Fraction(1, 2)) / 3,
        won.mentor.pk: (rules.Fraction(1, 4) + 0 + rules.Fraction(1, 2)) / 3,
        won.other_trainee.pk: (0 + 1 + 0) / rules.Fraction(3),
    }
    assert sum(a.amount_units for a in awards.values()) == 100_000  # 1,000.00 yuan, no fen lost
    for employee_id, share in expected.items():
        assert abs(awards[employee_id].amount_units - 100_000 * share) < 1
        assert awards[employee_id].share == Decimal(share.numerator / share.denominator).quantize(Decimal("0.000001"))
    assert awards[won.other_trainee.pk].handoffs_carried == 2
    assert not PointsEntry.objects.filter(source_ref__startswith="pk:").exists()  # a CNY pool is paid by payroll


def test_the_cap_per_person_is_respected(won):
    pk = competition(won.hr, [won.team, won.other_team], pool=Decimal("1000"), cap_per_person=Decimal("400"))
    with time_machine.travel(AFTER):
        services.close_due()
    amounts = list(PkAward.objects.filter(competition=pk).values_list("amount_units", "is_capped"))
    assert max(a for a, _ in amounts) == 40_000
    assert any(capped for _, capped in amounts)
    assert sum(a for a, _ in amounts) == 100_000


def test_the_organiser_may_close_early_and_nobody_else(won):
    pk = competition(won.hr, [won.team, won.other_team], pool=100)
    with pytest.raises(PermissionDenied):
        services.close(competition_id=pk.pk, user=won.supervisor.user, early=True)
    assert services.close(competition_id=pk.pk, user=won.hr, early=True) is True
    assert services.close(competition_id=pk.pk, user=won.hr, early=True) is False


def test_winners_are_told(won):
    from notifications.models import Notification

    competition(won.hr, [won.team, won.other_team], pool=100)
    with time_machine.travel(AFTER):
        services.close_due()
        services.close_due()
    assert Notification.objects.filter(kind=services.PK_WON).count() == 3


def test_the_refresh_task_ranks_running_competitions_only(fcr):
    running = competition(fcr.hr, [fcr.team, fcr.other_team])
    later = competition(
        fcr.hr, [fcr.team, fcr.other_team], starts_on=datetime.date(2027, 1, 1), ends_on=datetime.date(2027, 1, 31)
    )
    with time_machine.travel(datetime.datetime(2026, 11, 15, 9, tzinfo=datetime.UTC)):
        assert tasks.refresh_pk_standings.delay().get() == 1
    assert Standing.objects.filter(competition=running).count() == 2
    assert not Standing.objects.filter(competition=later).exists()
