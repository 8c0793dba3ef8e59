"""Issue 14, done when: an initiative created over the KPI data of the KPI issue's Done-when (a month of the default
files for a 130-agent centre, tests/kpis/test_spreadsheet_month.py: one agent moves from GZ-T0 to SZ-T4 on the
16th, one leaves on the 20th) reproduces its before/after and pilot/control figures to 4 decimals, against a
spreadsheet's ratio of sums computed in plain Python over the same generated rows.

The month is split: before = the 1st–7th, pilot window = the 8th–15th (pilot teams GZ-T0 and SZ-T1), go-live on
the 16th, after = the 16th–30th. Scope: site GZ and teams SZ-T1, SZ-T4 (so the mover counts in the pilot group
while in GZ-T0 and in the control group's scope after her move to SZ-T4)."""

import datetime
from decimal import Decimal

from improvement import effects
from kpis.models import AgentDay, QueueDay
from staff.models import Site, Team
from tests.improvement.initiatives_factories import InitiativeFactory, goal
from tests.kpis.test_spreadsheet_month import (
    AGENT_KPIS,
    QUEUE_KPIS,
    api,
    month,  # noqa: F401  (the fixture)
    spreadsheet,
)
from tests.staff.factories import make_hr_user

D = datetime.date
BEFORE = (D(2026, 11, 1), D(2026, 11, 7))
PILOT = (D(2026, 11, 8), D(2026, 11, 15))
AFTER = (D(2026, 11, 16), D(2026, 11, 30))
PILOT_TEAMS = {"GZ-T0", "SZ-T1"}
SCOPE_TEAMS = {"SZ-T1", "SZ-T4"}


def _in(row, window):
    return window[0] <= datetime.date.fromisoformat(row["date"]) <= window[1]


def _in_scope(row):
    return row["site_code"] == "GZ" or row["team_code"] in SCOPE_TEAMS


def _same(got, expected):
    """The 4-decimal figures the page shows (effects.quantised) against the spreadsheet's, rounded alike."""
    if got is None or expected is None:
        return got is None and expected is None
    return effects.quantised(got) == Decimal(repr(round(expected, 4))).quantize(effects.PLACES)


def test_an_initiative_over_the_kpi_month_matches_the_spreadsheet(month):  # noqa: F811
    agent_days, queue_days = month
    client = api(make_hr_user(username="platform"))
    for day in sorted(agent_days):
        assert client.post("/api/kpis/agent-days/", {"rows": agent_days[day]}, format="json").status_code == 201
        assert client.post("/api/kpis/queue-days/", {"rows": queue_days[day]}, format="json").status_code == 201
    assert AgentDay.objects.count() == sum(len(rows) for rows in agent_days.values())
    assert QueueDay.objects.count() == 120

    initiative = InitiativeFactory(
        baseline_from=BEFORE[0],
        baseline_to=BEFORE[1],
        pilot_start=PILOT[0],
        rollout_start=AFTER[0],
        after_to=AFTER[1],
        scope_sites=list(Site.objects.filter(code="GZ")),
        scope_teams=list(Team.objects.filter(code__in=SCOPE_TEAMS)),
        pilot_teams=list(Team.objects.filter(code__in=PILOT_TEAMS)),
    )
    for code in (*AGENT_KPIS, *QUEUE_KPIS):
        goal(initiative, code)
    check = effects.check_of(initiative, today=D(2026, 12, 1))

    agent_rows = [row for rows in agent_days.values() for row in rows if _in_scope(row)]
    # Queues exist per site: the scope's queues are GZ's and those of SZ (the site of SZ-T1 and SZ-T4).
    queue_rows = [row for rows in queue_days.values() for row in rows]

    def sheet(rows, kpis, window, key=lambda row: None):
        return spreadsheet([row for row in rows if _in(row, window)], kpis, key)

    before = {**sheet(agent_rows, AGENT_KPIS, BEFORE)[None], **sheet(queue_rows, QUEUE_KPIS, BEFORE)[None]}
    after = {**sheet(agent_rows, AGENT_KPIS, AFTER)[None], **sheet(queue_rows, QUEUE_KPIS, AFTER)[None]}
    split = sheet(agent_rows, AGENT_KPIS, PILOT, key=lambda row: row["team_code"] in PILOT_TEAMS)
    mismatches = []
    for effect in check.goals:
        code = effect.kpi.code
        expected = {"before": before[code], "after": after[code], "month": after[code]}
        got = {"before": effect.before, "after": effect.after, "month": effect.monthly[0][1]}
        if code in AGENT_KPIS:
            expected |= {"pilot": split[True][code], "control": split[False][code]}
            got |= {"pilot": effect.pilot, "control": effect.control}
        else:
            assert effect.pilot is None and effect.control is None
        mismatches += [(code, what) for what in expected if not _same(got[what], expected[what])]
    assert mismatches == []
    assert len(check.goals) == 5 and [m for m, _v in check.goals[0].monthly] == [D(2026, 11, 1)]
    # The data is not trivial: the pilot and control figures differ, and the mover counts on both sides.
    fcr = next(e for e in check.goals if e.kpi.code == "fcr")
    assert fcr.pilot != fcr.control
    mover = agent_days[BEFORE[0]][0]["employee_number"]  # the generator's first agent moves on the 16th
    mover_rows = [r for rows in agent_days.values() for r in rows if r["employee_number"] == mover]
    assert {r["team_code"] for r in mover_rows} == {"GZ-T0", "SZ-T4"}
