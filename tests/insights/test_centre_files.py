"""Issue 16, done when: a centre's raw files in the KPI issue's default format — a roster, the daily agent and queue
files, a revisions file — and two initiatives, loaded through the product's own ingestion on a fresh database, give
on the pages and in the API the monthly connect rate, FCR, escalation rate, CSAT and complaint efficiency, and the
initiatives' before/after and pilot/control effects exactly: to 0.1 on the pages, to 4 decimals in the API.

The expected figures are computed here from the files' text alone (csv.DictReader, the highest revision of each
row, sums, one division), never through the product's code. The centre: two sites, four teams, 24 agents; an agent
moves from GZ-T1 to SZ-T2 on 1 November (the roster is imported again), another leaves on 15 November; a day in
five is a half day with low rates, so a mean of daily rates would differ from the ratio of sums."""

import csv
import datetime
import io
import random
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from improvement.models import Initiative
from improvement.services import initiatives as initiative_services
from kpis import files
from kpis.models import Kpi, Source
from kpis.rows import AGENT_COLUMNS, QUEUE_COLUMNS
from kpis.templatetags.kpi_results import kpi_value
from staff.imports import import_file
from staff.models import Employee, Site, Team
from tests.kpis.factories import QueueFactory
from tests.staff.factories import make_hr_user

pytestmark = pytest.mark.django_db

OCTOBER, NOVEMBER = datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)
DAYS = [OCTOBER + datetime.timedelta(days=n) for n in range(61)]  # 1 Oct – 30 Nov
TEAMS = {"GZ-T1": "GZ", "GZ-T2": "GZ", "SZ-T1": "SZ", "SZ-T2": "SZ"}
QUEUES = {"GZ-Q": "GZ", "SZ-Q": "SZ"}
MOVER, LEAVER, LEFT_ON = "E001", "E002", datetime.date(2026, 11, 15)
# KPI → (numerator column, denominator column, factor), as a spreadsheet would compute them.
AGENT_KPIS = {
    "fcr": ("fcr_resolved", "inbound_handled", 1),
    "csat": ("csat_satisfied", "csat_responses", 1),
    "escalation_rate": ("complaints_escalated", "complaints_received", 1),
    "complaint_efficiency": ("complaints_closed", "complaint_handle_seconds", 3600),
}
QUEUE_KPIS = {"connect_rate": ("answered", "offered", 1)}
ALL_KPIS = {**AGENT_KPIS, **QUEUE_KPIS}


def csv_file(headers, rows):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def roster(moved):
    """The roster file HR exports from the HR system: 24 agents, 6 per team (the mover's team as of that day)."""
    rows = []
    for n in range(1, 25):
        number = f"E{n:03d}"
        team = list(TEAMS)[(n - 1) % 4]
        if number == MOVER and moved:
            team = "SZ-T2"
        stage = "left" if number == LEAVER and moved else "growth"
        rows.append([number, f"坐席{n:02d}", "", "2025-03-03", team, "AGENT", stage, ""])
    return csv_file(["工号", "姓名", "邮箱", "入职日期", "班组", "岗位", "阶段", "导师"], rows)


def agent_day(rng, number, team, day):
    is_half = rng.random() < 0.2
    inbound = rng.randint(1, 8) if is_half else rng.randint(60, 120)
    received = rng.randint(0, 4)
    responses = rng.randint(0, inbound // 2)
    return [
        day.isoformat(), number, team, TEAMS[team], "card", 1, 28800, inbound * rng.randint(200, 400), inbound,
        rng.randint(0, 30), rng.randint(0, inbound // 3) if is_half else rng.randint(inbound // 2, inbound),
        rng.randint(0, inbound // 10), received, rng.randint(0, received), rng.randint(0, received),
        received * rng.randint(300, 1500), responses, rng.randint(0, responses), 0, "0.00",
    ]  # fmt: skip


def queue_day(rng, queue, day):
    offered = rng.randint(10, 60) if rng.random() < 0.2 else rng.randint(800, 1500)
    answered = rng.randint(offered * 7 // 10, offered)
    return [day.isoformat(), QUEUES[queue], queue, 1, offered, answered, offered - answered]


def daily_files():
    """{day: (agent file, queue file)} and the revisions file (revision 2 of some rows of 3 and 17 November)."""
    rng = random.Random(16)
    by_day, revised_agent, revised_queue = {}, [], []
    for day in DAYS:
        agents = []
        for n in range(1, 25):
            number = f"E{n:03d}"
            if number == LEAVER and day > LEFT_ON:
                continue
            team = list(TEAMS)[(n - 1) % 4]
            if number == MOVER and day >= NOVEMBER:
                team = "SZ-T2"
            agents.append(agent_day(rng, number, team, day))
        queues = [queue_day(rng, queue, day) for queue in QUEUES]
        by_day[day] = (csv_file(AGENT_COLUMNS, agents), csv_file(QUEUE_COLUMNS, queues))
        if day.month == 11 and day.day in (3, 17):
            for row in agents[:5]:
                again = agent_day(rng, row[1], row[2], day)
                again[5] = 2
                revised_agent.append(again)
            for row in queues[:1]:
                again = queue_day(rng, row[2], day)
                again[3] = 2
                revised_queue.append(again)
    return by_day, csv_file(AGENT_COLUMNS, revised_agent), csv_file(QUEUE_COLUMNS, revised_queue)


def organisation():
    return {
        "site": csv_file(["代码", "名称", "区域", "地址"], [["GZ", "广州职场", "", ""], ["SZ", "深圳职场", "", ""]]),
        "department": csv_file(["代码", "名称", "站点"], [["GZ-D", "广州客服部", "GZ"], ["SZ-D", "深圳客服部", "SZ"]]),
        "team": csv_file(
            ["代码", "名称", "部门", "主管"], [[code, code, f"{site}-D", ""] for code, site in TEAMS.items()]
        ),
        "position": csv_file(
            ["代码", "职位名称", "职系", "职组", "职级"], [["AGENT", "客服代表", "服务", "客户联络", "3"]]
        ),
    }


# The spreadsheet: the files' text, read back --------------------------------------------------------------------


def read(data):
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def latest(rows, key):
    """The highest revision of each row (the platform's rule for a revised day)."""
    best = {}
    for row in rows:
        k = key(row)
        if k not in best or int(row["revision"]) > int(best[k]["revision"]):
            best[k] = row
    return list(best.values())


def ratio(rows, numerator, denominator, factor):
    top, bottom = sum(int(r[numerator]) for r in rows), sum(int(r[denominator]) for r in rows)
    return None if not bottom else Decimal(top * factor) / Decimal(bottom)


def four(value):
    return None if value is None else value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


@pytest.fixture
def centre(time_machine):
    """Everything loaded through the product: the organisation and roster imports, one agent and one queue file a
    day, the revisions file, the roster again after the move and the leave. Returns the files' rows."""
    time_machine.move_to(datetime.datetime(2026, 12, 10, 9, 0), tick=False)
    hr = make_hr_user(username="hr-centre")
    for name, data in organisation().items():
        result = import_file(resource_name=name, data=data, filename=f"{name}.csv", dry_run=False, user=hr)
        assert not result.problems, (name, result.problems)
    result = import_file(resource_name="employee", data=roster(False), filename="roster.csv", dry_run=False, user=hr)
    assert not result.problems, result.problems
    for queue, site in QUEUES.items():  # queues are set up by HR in the admin, once
        QueueFactory(code=queue, site=Site.objects.get(code=site))
    by_day, revised_agent, revised_queue = daily_files()
    agent_rows, queue_rows = [], []
    for day, (agent_file, queue_file) in by_day.items():
        if day == NOVEMBER:
            moved = import_file(
                resource_name="employee", data=roster(True), filename="roster-nov.csv", dry_run=False, user=hr
            )
            assert not moved.problems, moved.problems
        for data, source, kept in ((agent_file, Source.AGENT, agent_rows), (queue_file, Source.QUEUE, queue_rows)):
            ingest = files.ingest_now(
                rows=files.read_rows(data, f"{source}-{day}.csv", source),
                source=source,
                actor=hr,
                file_name=f"{source}-{day}.csv",
            )
            assert ingest.status == "done", (day, source, ingest.problems)
            kept += read(data)
    for data, source, kept in ((revised_agent, Source.AGENT, agent_rows), (revised_queue, Source.QUEUE, queue_rows)):
        ingest = files.ingest_now(
            rows=files.read_rows(data, "revisions.csv", source), source=source, actor=hr, file_name="revisions.csv"
        )
        assert ingest.status == "done", ingest.problems
        kept += read(data)
    agents = latest(agent_rows, lambda r: (r["date"], r["employee_number"], r["line"]))
    queues = latest(queue_rows, lambda r: (r["date"], r["site_code"], r["queue_code"]))
    return hr, agents, queues


def in_month(rows, month):
    return [r for r in rows if r["date"].startswith(month.isoformat()[:7])]


def expected_month(agents, queues, month):
    values = {code: ratio(in_month(agents, month), *spec) for code, spec in AGENT_KPIS.items()}
    values.update({code: ratio(in_month(queues, month), *spec) for code, spec in QUEUE_KPIS.items()})
    return values


def test_the_monthly_figures_of_the_files_on_the_pages_and_in_the_api(client, centre):
    hr, agents, queues = centre
    assert {r["revision"] for r in agents} == {"1", "2"}  # the revisions are in
    api = APIClient()
    api.force_authenticate(hr)
    response = api.get(
        reverse("kpi-values-list"), {"level": "centre", "start": "2026-10-01", "end": "2026-11-30", "grain": "month"}
    )
    assert response.status_code == 200, response.content
    periods = {p["start"]: p["values"] for p in response.json()["periods"]}
    client.force_login(hr)
    for month in (OCTOBER, NOVEMBER):
        expected = expected_month(agents, queues, month)
        got = periods[month.isoformat()]
        for code in ALL_KPIS:
            assert Decimal(str(got[code])).quantize(Decimal("0.0001")) == four(expected[code]), (month, code)
        page = client.get(reverse("kpis:centre"), {"month": month.isoformat()[:7]})
        centre_row, _cells = page.context["results"].latest[0], None
        shown = {cell.kpi.code: cell for cell in centre_row[1]}
        html = page.content.decode()
        for code in ALL_KPIS:
            kpi = Kpi.objects.get(code=code)
            text = page_text(expected[code], kpi)  # percent × 100 to 0.1, per hour to 0.01, rounded half up
            assert kpi_value(shown[code].value, kpi) == text, (month, code)
            assert text in html, (month, code, text)


def page_text(value, kpi):
    """How a page must show ``value``, computed here rather than by the page's own filter."""
    if kpi.unit == "percent":
        return f"{(value * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"
    if kpi.unit == "seconds":
        return f"{value.quantize(Decimal(1), rounding=ROUND_HALF_UP)} s"
    prefix = "¥" if kpi.unit == "cny" else ""
    return f"{prefix}{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}"


def _initiatives(hr):
    teams = {team.code: team for team in Team.objects.all()}
    staged = initiative_services.save_plan(
        actor=hr,
        plan={
            "title": "首问负责制试点",
            "goal": "FCR up",
            "method": "Own the case",
            "owner": Employee.objects.get(employee_number="E010"),
            "baseline_from": OCTOBER,
            "baseline_to": datetime.date(2026, 10, 31),
            "pilot_start": NOVEMBER,
            "rollout_start": datetime.date(2026, 11, 16),
            "after_to": datetime.date(2026, 11, 30),
        },
        scope_teams=list(teams.values()),
        pilot_teams=[teams["GZ-T1"]],
        children={"kpis": [{"kpi": Kpi.objects.get(code="fcr"), "role": "goal"}]},
    )
    site = initiative_services.save_plan(
        actor=hr,
        plan={
            "title": "深圳职场排班优化",
            "goal": "Answer more calls",
            "method": "Rota",
            "owner": Employee.objects.get(employee_number="E010"),
            "baseline_from": OCTOBER,
            "baseline_to": datetime.date(2026, 10, 31),
            "pilot_start": None,
            "rollout_start": NOVEMBER,
            "after_to": datetime.date(2026, 11, 30),
        },
        scope_sites=[Site.objects.get(code="SZ")],
        children={
            "kpis": [
                {"kpi": Kpi.objects.get(code="connect_rate"), "role": "goal"},
                {"kpi": Kpi.objects.get(code="csat"), "role": "goal"},
            ]
        },
    )
    for initiative in (staged, site):  # gone live
        initiative_services.move_status(actor=hr, initiative_id=initiative.pk, to_status="do")
    return staged, site


def window(rows, first, last):
    return [r for r in rows if first.isoformat() <= r["date"] <= last.isoformat()]


def test_the_initiatives_effects_from_the_files(client, centre):
    hr, agents, queues = centre
    staged, site = _initiatives(hr)
    api = APIClient()
    api.force_authenticate(hr)
    oct_end, pilot_end, nov_end = datetime.date(2026, 10, 31), datetime.date(2026, 11, 15), datetime.date(2026, 11, 30)
    rollout = datetime.date(2026, 11, 16)
    fcr = AGENT_KPIS["fcr"]
    # The staged rollout: every team in scope; before = October, after = 16–30 Nov; pilot = GZ-T1's rows of 1–15
    # Nov, control = the other teams' rows of the same days (each row counts in the team it names that day).
    expected = {
        "before": ratio(window(agents, OCTOBER, oct_end), *fcr),
        "after": ratio(window(agents, rollout, nov_end), *fcr),
        "pilot": ratio([r for r in window(agents, NOVEMBER, pilot_end) if r["team_code"] == "GZ-T1"], *fcr),
        "control": ratio([r for r in window(agents, NOVEMBER, pilot_end) if r["team_code"] != "GZ-T1"], *fcr),
    }
    effects = api.get(reverse("improvement-initiative-effects", args=[staged.pk])).json()
    (goal,) = effects["goals"]
    for name, value in expected.items():
        assert Decimal(goal[name]) == four(value), name
    assert Decimal(goal["pilot_minus_control"]) == four(expected["pilot"] - expected["control"])
    # insights lists every initiative's Check together: the same four figures
    listed = api.get(reverse("insights-effects-list")).json()["initiatives"]
    (same,) = [row for row in listed if row["id"] == staged.pk]
    for name, value in expected.items():
        assert Decimal(same["goals"][0][name]) == four(value), name
    # The site's before/after: SZ's rows only (the mover's November rows name SZ-T2, so they count here).
    sz_agents = [r for r in agents if r["site_code"] == "SZ"]
    sz_queues = [r for r in queues if r["site_code"] == "SZ"]
    effects = api.get(reverse("improvement-initiative-effects", args=[site.pk])).json()
    got = {g["kpi"]: g for g in effects["goals"]}
    for code, rows in (("connect_rate", sz_queues), ("csat", sz_agents)):
        spec = ALL_KPIS[code]
        assert Decimal(got[code]["before"]) == four(ratio(window(rows, OCTOBER, oct_end), *spec)), code
        assert Decimal(got[code]["after"]) == four(ratio(window(rows, NOVEMBER, nov_end), *spec)), code
        assert got[code]["pilot"] is None
    # The pages: the initiative's Check shows the same figures to 0.1
    client.force_login(hr)
    html = client.get(reverse("improvement:initiative", args=[staged.pk])).content.decode()
    kpi = Kpi.objects.get(code="fcr")
    effects_page = client.get(reverse("insights:effects")).content.decode()
    for name in ("before", "after", "pilot", "control"):
        assert page_text(expected[name], kpi) in html, name
        assert page_text(expected[name], kpi) in effects_page, name
    assert Initiative.objects.count() == 2
    assert Employee.objects.get(employee_number=MOVER).team.code == "SZ-T2"
