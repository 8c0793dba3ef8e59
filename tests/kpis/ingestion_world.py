"""A small world for the ingestion tests (a site with two teams, another site, two agents, a queue, HR) and
valid rows to change one thing at a time."""

import datetime

from tests.kpis.factories import QueueFactory
from tests.staff.factories import DepartmentFactory, EmployeeFactory, SiteFactory, TeamFactory, make_hr_user

DAY = datetime.date(2026, 11, 2)


class World:
    def __init__(self):
        self.site = SiteFactory(code="GZ")
        department = DepartmentFactory(site=self.site)
        self.team = TeamFactory(code="GZ-T1", department=department)
        self.new_team = TeamFactory(code="GZ-T2", department=department)
        self.other_site = SiteFactory(code="SH")
        self.other_site_team = TeamFactory(code="SH-T1", department=DepartmentFactory(site=self.other_site))
        self.agent = EmployeeFactory(employee_number="E10015", team=self.team, hire_date=datetime.date(2026, 1, 5))
        self.other = EmployeeFactory(employee_number="E10016", team=self.team, hire_date=datetime.date(2026, 1, 5))
        self.queue = QueueFactory(code="GZ-CARD", site=self.site)
        self.hr = make_hr_user(username="hr")


def agent_row(employee_number="E10015", **changes):
    row = {
        "date": "2026-11-02",
        "employee_number": employee_number,
        "team_code": "GZ-T1",
        "site_code": "GZ",
        "line": "card",
        "revision": "1",
        "staffed_seconds": "28800",
        "handle_seconds": "19850",
        "inbound_handled": "92",
        "outbound_handled": "6",
        "fcr_resolved": "81",
        "transfers_l2": "4",
        "complaints_received": "3",
        "complaints_escalated": "1",
        "complaints_closed": "2",
        "complaint_handle_seconds": "2400",
        "csat_responses": "40",
        "csat_satisfied": "37",
        "coupon_count": "1",
        "coupon_amount_cny": "20.50",
    }
    row.update(changes)
    return {key: value for key, value in row.items() if value is not None}


def queue_row(**changes):
    row = {"date": "2026-11-02", "site_code": "GZ", "queue_code": "GZ-CARD", "offered": "500", "answered": "480"}
    row.update({"abandoned": "20", **changes})
    return row
