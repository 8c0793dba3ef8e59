"""Reads of PK competitions (issue 15 §4): each participant's result from the data in a fixed number of set-based
queries per competition (a KPI: one aggregate through kpis.selectors.results; a linkage outcome: one count of cases
and one of head count and calls; external: the results entered by hand), and the winner's workload per person
(three aggregates and the people)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from kpis.models import AgentDay, QueueDay, Source
from kpis.selectors import results as kpi_results

from .. import pk_rules as rules
from ..models import MetricSource, PkKind, Standing

PER_PAGE = 25
STANDINGS_PER_PAGE = 50
SCREEN_ROWS = 20


def _group(competition):
    """'team' or 'site': what the participants are."""
    return "site" if competition.kind == PkKind.SITE else "team"


def _day_span(competition):
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(competition.starts_on, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(competition.ends_on + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return start, end


def participant_keys(participants, group):
    """{team or site id: participant}."""
    return {(p.site_id if group == "site" else p.team_id): p for p in participants}


def _kpi_results(competition, keys, group):
    kpi = competition.kpi
    model = QueueDay if kpi.numerator.source == Source.QUEUE else AgentDay
    rows = model.objects.filter(on__range=(competition.starts_on, competition.ends_on))
    rows = rows.filter(**{f"{group}_id__in": list(keys)})
    sums = kpi_results.measure_sums([kpi], rows, group_by=group)
    found = {}
    for key in keys:
        measured = sums.get((key, None), {})
        found[key] = rules.Result(
            key, kpi_results.value_of(kpi, measured), Decimal(measured.get(kpi.denominator.code) or 0)
        )
    return found


def _case_team_field(group):
    return "team__department__site_id" if group == "site" else "team_id"


def _outcome_results(competition, keys, group):
    from linkage.models import Case

    start, end = _day_span(competition)
    field = _case_team_field(group)
    counts = dict(
        Case.objects.filter(
            status="closed",
            outcome=competition.metric,
            closed_at__gte=start,
            closed_at__lt=end,
            **{f"{field}__in": keys},
        )
        .order_by()
        .values_list(field)
        .annotate(n=Count("pk"))
    )
    bases = {
        row[f"{group}_id"]: row
        for row in AgentDay.objects.filter(
            on__range=(competition.starts_on, competition.ends_on), **{f"{group}_id__in": keys}
        )
        .order_by()
        .values(f"{group}_id")
        .annotate(people=Count("employee_id", distinct=True), calls=Sum("inbound_handled"))
    }
    found = {}
    for key in keys:
        base = bases.get(key, {})
        value, volume = rules.normalise(
            counts.get(key, 0),
            per=competition.normalisation,
            head_count=base.get("people", 0),
            contacts=base.get("calls", 0),
        )
        if competition.normalisation == "none" and not counts.get(key) and not base:
            value = None
        found[key] = rules.Result(key, value, volume)
    return found


def _manual_results(participants, group):
    return {
        key: rules.Result(key, p.manual_value, Decimal(p.manual_volume or 0))
        for key, p in participant_keys(participants, group).items()
    }


def results(competition, participants):
    """{team or site id: pk_rules.Result} for the participants, from the data of the competition's period."""
    group = _group(competition)
    keys = participant_keys(participants, group)
    if not keys:
        return {}
    if competition.metric == MetricSource.MANUAL:
        return _manual_results(participants, group)
    if competition.metric == MetricSource.KPI:
        return _kpi_results(competition, list(keys), group)
    return _outcome_results(competition, list(keys), group)


def standings(competition):
    """The stored standings in board order, with their participants."""
    return (
        Standing.objects.filter(competition=competition)
        .select_related("participant__team", "participant__site")
        .order_by("position", "pk")
    )


# The winner's workload ----------------------------------------------------------------------------------------


@dataclass
class Worker:
    employee: object
    role: str
    work: rules.Work


def workload(competition, participant):
    """The people who carried the winner's work in the period, with their counts: calls handled on the winner's
    days (AgentDay), cases of the winner owned, and hand-off steps of the winner's cases carried (to a person, whoever
    her team: the roles that carried the work, seed 000). Five queries."""
    from linkage.models import Case, Handoff, LinkageRole
    from staff.models import Employee

    group = _group(competition)
    key = participant.site_id if group == "site" else participant.team_id
    start, end = _day_span(competition)
    field = _case_team_field(group)
    calls = dict(
        AgentDay.objects.filter(on__range=(competition.starts_on, competition.ends_on), **{f"{group}_id": key})
        .order_by()
        .values_list("employee_id")
        .annotate(n=Sum("inbound_handled"))
    )
    cases = dict(
        Case.objects.filter(opened_at__gte=start, opened_at__lt=end, **{field: key})
        .order_by()
        .values_list("owner_id")
        .annotate(n=Count("pk"))
    )
    steps = dict(
        Handoff.objects.filter(
            handed_at__gte=start, handed_at__lt=end, to_employee__isnull=False, **{f"case__{field}": key}
        )
        .order_by()
        .values_list("to_employee_id")
        .annotate(n=Count("pk"))
    )
    ids = {pk for pk, n in calls.items() if n} | set(cases) | set(steps)
    people = list(Employee.objects.filter(pk__in=ids).select_related("position", "user").order_by("name", "pk"))
    positions = {p.position_id for p in people if p.position_id}
    role_of = {}
    for role in LinkageRole.objects.filter(positions__in=positions).prefetch_related("positions").order_by("order"):
        for position in role.positions.all():
            role_of.setdefault(position.pk, role.name)
    return [
        Worker(
            person,
            role_of.get(person.position_id) or (person.position.title if person.position_id else ""),
            rules.Work(person.pk, cases.get(person.pk, 0), steps.get(person.pk, 0), calls.get(person.pk, 0) or 0),
        )
        for person in people
    ]


def split_by_role(awards):
    """[(role, share, amount units, people)] of the awards, largest share first."""
    roles = {}
    for award in awards:
        share, amount, people = roles.get(award.role, (0, 0, 0))
        roles[award.role] = (share + award.share, amount + award.amount_units, people + 1)
    return sorted(((role, *v) for role, v in roles.items()), key=lambda row: (-row[1], row[0]))


def competitions(user, *, status="", kind=""):
    from .. import permissions

    rows = permissions.visible_competitions(user).select_related("kpi")
    if status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    return rows.annotate(n_participants=Count("participants")).order_by("-starts_on", "-pk")


def running_ids(today):
    """Open competitions whose period has begun: the 30-minute refresh."""
    from ..models import PkCompetition

    return list(
        PkCompetition.objects.filter(status=rules.Status.OPEN, starts_on__lte=today)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def due_ids(today):
    """Open competitions whose period has ended: closed by the sweep."""
    from ..models import PkCompetition

    return list(
        PkCompetition.objects.filter(Q(status=rules.Status.OPEN) & Q(ends_on__lt=today))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
