"""Demo empowerment for `manage.py seed_demo` (issue 13 §7), through linkage.services and replayed in time: every
tenured person holds an authority grade; three months of cases owned by the agents who took them (a few handed to a
specialist and back, first-contact resolution rising month by month as in seed 003), coupons within authority on
some; one request above a limit waits for the demo supervisor's approval; one case of her team is about to breach;
and the QA sample of last week with a confirmed finding that lowered an agent's grade (linkage.demo_qa)."""

import datetime
import random
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from notifications.models import Notification
from staff.demo import ROLE_SUPERVISOR
from staff.models import Employee, Stage, Team

from .models import (
    Case,
    CaseCategory,
    CaseEvent,
    CaseOutcome,
    Grade,
    Handoff,
    HandoffReason,
    Issuance,
    LinkageRole,
    Risk,
    Scenario,
)
from .services import authority, cases

DAYS = 90
CASES_PER_AGENT_WEEK = 0.4
HANDOFF_SHARE = 0.06
COUPON_SHARE = 0.15
RAISED_WINDOW = datetime.timedelta(days=30)  # insights' authority effects: her cases 30 days before and after a raise
FCR_START, FCR_END = 0.89, 0.96  # of cases not handed off: overall about 84% → 90% (seed 003)
GRADE_OF_POSITION = {"CS-AGENT": "g1", "CS-SENIOR": "g2", "CS-SUP": "g3", "CS-MGR": "g4"}
SUMMARIES = [
    "Annual fee charged on a card the customer says was waived.",
    "Transfer shows as sent but the payee has not received it.",
    "Asked about the terms of a fixed-term deposit.",
    "Card blocked after three wrong PIN entries abroad.",
    "Complained about the waiting time at the branch.",
]
CHANNELS = ["phone", "phone", "phone", "chat", "app"]


def seed(*, hr, today):
    if Case.objects.exists() or not Grade.objects.exists():
        return {"cases": 0, "issuances": 0}
    rng = random.Random(13)
    now = timezone.now()
    before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    _grades(hr, now)
    counts = _history(rng, today, now)
    counts["requests"] = _pending_request(now)
    counts["about_to_breach"] = _about_to_breach(now)
    # The replayed history's notifications were e-mailed long ago (like training.demo's).
    Notification.objects.filter(pk__gt=before).update(emailed_at=F("created_at"))
    return counts


def _grades(hr, now):
    grades = {g.code: g for g in Grade.objects.all()}
    people = Employee.objects.filter(position__code__in=GRADE_OF_POSITION).exclude(
        stage__in=(Stage.LEFT, Stage.PRE_JOB, Stage.ONBOARDING)
    )
    for person in people.select_related("position").order_by("employee_number"):
        grade = grades.get(GRADE_OF_POSITION[person.position.code])
        if grade is not None:
            since = now - datetime.timedelta(days=180)
            authority.set_grade(actor=hr, employee=person, grade=grade, reason="Initial grade", since=since)


def _agents():
    return list(
        Employee.objects.filter(position__code__in=("CS-AGENT", "CS-SENIOR"), team__isnull=False, user__isnull=False)
        .exclude(stage__in=(Stage.LEFT, Stage.PRE_JOB, Stage.ONBOARDING))
        .select_related("user", "team")
        .order_by("employee_number")
    )


def _moment(day, rng):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.randint(9, 17), rng.randint(0, 59))))


def _history(rng, today, now):
    categories = list(CaseCategory.objects.filter(is_active=True))
    scenarios = list(Scenario.objects.filter(is_active=True))
    specialist = LinkageRole.objects.filter(code="second-line-specialist").first()
    agents = _agents()
    seniors = {}
    for person in agents:
        if person.position_id and person.position.code == "CS-SENIOR":
            seniors.setdefault(person.team_id, []).append(person)
    made = {"cases": 0, "issuances": 0}
    start = today - datetime.timedelta(days=DAYS)
    for offset in range(DAYS):
        day = start + datetime.timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        fcr = FCR_START + (FCR_END - FCR_START) * offset / DAYS
        for agent in agents:
            if rng.random() >= CASES_PER_AGENT_WEEK / 5:
                continue
            opened = _moment(day, rng)
            case = cases.open_case(
                actor=agent.user,
                customer_ref=f"13{rng.randint(100000000, 999999999)}",
                channel=rng.choice(CHANNELS),
                category=rng.choice(categories),
                summary=rng.choice(SUMMARIES),
                opened_at=opened,
            )
            cases.record_first_response(actor=agent.user, case_id=case.pk)
            handed = None
            helpers = [s for s in seniors.get(agent.team_id, []) if s.pk != agent.pk]
            if specialist is not None and helpers and rng.random() < HANDOFF_SHARE:
                handed = cases.hand_off(
                    actor=agent.user,
                    case_id=case.pk,
                    to_role=specialist,
                    to_employee=rng.choice(helpers),
                    reason_code=HandoffReason.SPECIALIST,
                    reason="Needs the specialist's product knowledge.",
                )
                cases.hand_back(actor=handed.to_employee.user, handoff_id=handed.pk, note="Explained; back to you.")
            if scenarios and rng.random() < COUPON_SHARE:
                made["issuances"] += _coupon(agent, case, rng.choice(scenarios), rng, day)
            if handed is not None:
                outcome = CaseOutcome.LATER
            else:
                outcome = CaseOutcome.FIRST_CONTACT if rng.random() < fcr else CaseOutcome.LATER
            cases.close_case(actor=agent.user, case_id=case.pk, outcome=outcome)
            _replay(case, opened, handed, first_contact=outcome == CaseOutcome.FIRST_CONTACT, rng=rng, now=now)
            made["cases"] += 1
    return made


def _coupon(agent, case, scenario, rng, day):
    amount = (scenario.standard_min + (scenario.standard_max - scenario.standard_min) * Decimal("0.4")).quantize(
        Decimal("1")
    )
    try:
        issued = authority.issue(actor=agent.user, case=case, scenario=scenario, risk=Risk.LOW, amount=amount)
    except ValidationError:  # beyond her limit this month: she would have asked; the demo moves on
        return 0
    Issuance.objects.filter(pk=issued.pk).update(issued_at=_moment(day, rng), on=day)
    return 1


def _replay(case, opened, handed, *, first_contact, rng, now):
    """Put the case's times back on its day: answered within minutes, closed within the hour at first contact,
    else within a day or two (a few past the target)."""
    minutes = rng.randint(2, 12)
    closed = opened + (
        datetime.timedelta(minutes=rng.randint(8, 40))
        if first_contact
        else datetime.timedelta(hours=rng.randint(2, case.category.resolution_hours + 6))
    )
    closed = min(closed, now)
    Case.objects.filter(pk=case.pk).update(
        first_response_at=opened + datetime.timedelta(minutes=minutes), closed_at=closed
    )
    events = list(CaseEvent.objects.filter(case=case).order_by("pk").values_list("pk", flat=True))
    step = (closed - opened) / max(len(events), 1)
    for index, event_id in enumerate(events):
        CaseEvent.objects.filter(pk=event_id).update(at=opened + step * index if index < len(events) - 1 else closed)
    if handed is not None:
        Handoff.objects.filter(pk=handed.pk).update(handed_at=opened + step, returned_at=opened + step * 2)


def _supervisor_team():
    return Team.objects.filter(supervisor__user__username=ROLE_SUPERVISOR).first()


def _pending_request(now):
    """An agent of the demo supervisor's team asks for more than her limit on an open case."""
    team = _supervisor_team()
    scenario = Scenario.objects.filter(is_active=True).order_by("-standard_max").first()
    agent = next((a for a in _agents() if team and a.team_id == team.pk and a.position.code == "CS-AGENT"), None)
    if agent is None or scenario is None:
        return 0
    case = cases.open_case(
        actor=agent.user,
        customer_ref="13912345678",
        channel="phone",
        category=CaseCategory.objects.filter(is_complaint=True).first() or CaseCategory.objects.first(),
        summary="Charged twice for the same transfer; asks for compensation for the trouble.",
    )
    cases.record_first_response(actor=agent.user, case_id=case.pk)
    authority.request_approval(
        actor=agent.user,
        case=case,
        scenario=scenario,
        risk=Risk.MEDIUM,
        amount=scenario.standard_max,
        reason="Second time this month; the customer is a long-standing client.",
    )
    return 1


def _about_to_breach(now):
    """A case of the demo supervisor's team whose resolution target falls in 40 minutes."""
    team = _supervisor_team()
    agent = next((a for a in _agents() if team and a.team_id == team.pk), None)
    category = CaseCategory.objects.filter(is_active=True).order_by("resolution_hours").first()
    if agent is None or category is None:
        return 0
    opened = now - datetime.timedelta(hours=category.resolution_hours) + datetime.timedelta(minutes=40)
    case = cases.open_case(
        actor=agent.user,
        customer_ref="13787654321",
        channel="phone",
        category=category,
        summary="The replacement card has not arrived; the customer travels tomorrow.",
        opened_at=opened,
    )
    cases.record_first_response(actor=agent.user, case_id=case.pk)
    cases.add_follow_up(actor=agent.user, case_id=case.pk, due_at=now + datetime.timedelta(minutes=20))
    return 1


def seed_qa(*, hr, today):
    """The QA samples of the past four weeks; HR reviews a sampled issuance and finds it above the standard; her
    supervisor confirms the finding, which lowers the agent's grade (seed 003: the spot checks did find abuse)."""
    from .models import Finding

    if Finding.objects.exists():
        return {"samples": 0, "findings": 0}
    before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    found = _qa_story(hr, today)
    Notification.objects.filter(pk__gt=before).update(emailed_at=F("created_at"))  # history, already e-mailed
    return found


def _raised_at(agent):
    """When the QA story's agent was promoted: an hour before the latest of her cases that has another case in
    the 30 days before it, so insights' authority effects set cases after the raise against cases before it (it
    counts a change once its 30 days after have passed); three weeks ago if she has no such pair."""
    now, hour = timezone.now(), datetime.timedelta(hours=1)
    opened = list(Case.objects.filter(owner=agent).order_by("opened_at").values_list("opened_at", flat=True))
    pairs = [
        later
        for earlier, later in zip(opened, opened[1:], strict=False)
        if hour < later - earlier < RAISED_WINDOW and later <= now - RAISED_WINDOW
    ]
    return pairs[-1] - hour if pairs else now - datetime.timedelta(weeks=3)


def _qa_story(hr, today):
    from .models import Finding, QASample
    from .services import qa

    monday = today - datetime.timedelta(days=today.weekday() + 7)
    samples = 0
    for weeks_back in range(4, 0, -1):
        samples += qa.draw_weekly_sample(week=today - datetime.timedelta(days=today.weekday() + 7 * weeks_back))
    sampled = QASample.objects.filter(issuance__isnull=False, week__lte=monday).order_by("-week", "pk")
    sample = sampled.first()
    if sample is None:
        return {"samples": samples, "findings": 0}
    grade = authority.current_grade(sample.agent)
    higher = Grade.objects.filter(rank__gt=grade.rank).order_by("rank").first() if grade else None
    if higher is not None:  # she was given a higher grade some weeks ago: the finding takes it back
        authority.set_grade(
            actor=hr,
            employee=sample.agent,
            grade=higher,
            reason="Promoted after a good quarter.",
            since=_raised_at(sample.agent),
        )
    qa.review(
        actor=hr,
        sample_id=sample.pk,
        result="finding",
        kind="over_standard",
        severity="major",
        evidence="The coupon was given for a delay the case notes do not show; above the scenario's standard.",
    )
    finding = Finding.objects.get(review__sample=sample)
    supervisor = sample.agent.team.supervisor if sample.agent.team_id else None
    qa.decide_finding(
        actor=supervisor.user if supervisor is not None and supervisor.user_id else hr,
        finding_id=finding.pk,
        confirm=True,
        note="Discussed with the agent; she accepts it.",
        lower_grade=True,
    )
    return {"samples": samples, "findings": 1}
