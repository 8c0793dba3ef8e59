"""Demo data: the customer-contact center of a small Chinese bank (DOMAIN §1), for `manage.py seed_demo`.

`build_plan()` (``plan``) is pure and deterministic (a fixed `random.Random(2026)`), so every run wants the
same organisation, positions (``positions``) and people. `seed_demo()` (``seed``) makes the database match
the plan: rows are keyed on codes, employee numbers and usernames, and a row is saved only when a value
differs, so a second run writes nothing and adds no history rows. Hire dates and passwords are set only
when a row is created; an employee's history starts on her hire date.
"""

from .plan import EMAIL_DOMAIN, ROLE_HR, ROLE_MENTOR, ROLE_SUPERVISOR, ROLE_TRAINEE, PersonPlan, Plan, build_plan
from .seed import CHANGE_REASON, DEMO_PASSWORD, SeedResult, hired_at, seed_demo

__all__ = [
    "CHANGE_REASON",
    "DEMO_PASSWORD",
    "EMAIL_DOMAIN",
    "ROLE_HR",
    "ROLE_MENTOR",
    "ROLE_SUPERVISOR",
    "ROLE_TRAINEE",
    "PersonPlan",
    "Plan",
    "SeedResult",
    "build_plan",
    "hired_at",
    "seed_demo",
]
