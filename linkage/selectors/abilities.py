"""The four abilities (issue 12 §8): business, service, incident handling and collaboration per person, from the
mapping HR keeps (AbilitySource): a KASH indicator gives her current level of it (training's weighting of
sources, not redone here); the drills of playbooks of a kind give level_for(steps passed, steps scored) over
her scored drills of the last twelve months. An ability is the weighted mean of the inputs that have data.

The team matrix shows a page of people against the target of their roles, in a fixed number of queries."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.utils import timezone

from staff.models import Employee, Stage
from training import kash
from training.selectors import kash as kash_selectors

from .. import permissions
from ..drill_rules import level_for
from ..models import Ability, AbilitySource, AbilityTarget, DrillMode, DrillStatus, StepScore

PER_PAGE = 50
DRILL_MONTHS = 12
ONE_DECIMAL = Decimal("0.1")


def _year_before(today):
    """The same day twelve months earlier (29 February → 28 February)."""
    try:
        return today.replace(year=today.year - DRILL_MONTHS // 12)
    except ValueError:
        return today.replace(year=today.year - DRILL_MONTHS // 12, day=28)


def drill_levels(employee_ids, *, today):
    """{(employee id, playbook kind): level 1–5} from the step scores of her scored drills of the last twelve
    months (practice drills never count). One query."""
    since = timezone.make_aware(datetime.datetime.combine(_year_before(today), datetime.time.min))
    until = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min))
    rows = (
        StepScore.objects.filter(
            participant__employee_id__in=employee_ids,
            drill__mode=DrillMode.SCORED,
            drill__status=DrillStatus.SCORED,
            drill__scheduled_for__gte=since,
            drill__scheduled_for__lt=until,
        )
        .order_by()
        .values_list("participant__employee_id", "drill__version__playbook__kind")
        .annotate(checks=Count("pk"), met=Count("pk", filter=Q(passed=True)))
    )
    return {(employee_id, kind): level_for(met, checks) for employee_id, kind, checks, met in rows}


def _weighted_mean(inputs):
    """The weighted mean of (value, weight) pairs whose value is known, to one decimal; None without any."""
    known = [(Decimal(str(value)), weight) for value, weight in inputs if value is not None]
    if not known:
        return None
    total = sum(value * weight for value, weight in known) / sum(weight for _value, weight in known)
    return total.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def abilities_for(employee_ids, *, today):
    """{employee id: {ability: Decimal | None}} for every ability. Four queries whatever the people or history:
    the mapping, the latest KASH scores, training's source weights, the drill results."""
    employee_ids = list(employee_ids)
    sources = list(AbilitySource.objects.values_list("ability", "indicator_id", "drill_kind", "weight"))
    facts = kash_selectors.latest_facts_by_subject(employee_ids)
    weights = kash_selectors.source_weights()
    drills = drill_levels(employee_ids, today=today)
    result = {}
    for employee_id in employee_ids:
        levels = kash.current_levels(facts.get(employee_id, []), weights)
        inputs = defaultdict(list)
        for ability, indicator_id, drill_kind, weight in sources:
            value = levels.get(indicator_id) if indicator_id else drills.get((employee_id, drill_kind))
            inputs[ability].append((value, weight))
        result[employee_id] = {ability: _weighted_mean(inputs[ability]) for ability in Ability.values}
    return result


def targets_by_position(position_ids):
    """{position id: {ability: target}}: the highest target among the roles the position holds. One query."""
    targets = defaultdict(dict)
    rows = AbilityTarget.objects.filter(role__positions__in=position_ids).values_list(
        "role__positions", "ability", "target"
    )
    for position_id, ability, target in rows:
        current = targets[position_id].get(ability)
        if current is None or target > current:
            targets[position_id][ability] = target
    return targets


@dataclass(frozen=True)
class AbilityCell:
    ability: str
    value: Decimal | None
    target: Decimal | None

    @property
    def is_below(self):
        """Below the target of her role. Not assessed is shown as such, not as below (as on the KASH heatmap)."""
        return self.target is not None and self.value is not None and self.value < self.target


@dataclass
class MatrixRow:
    employee: Employee
    cells: list  # AbilityCell, in Ability order

    @property
    def below(self):
        return sum(1 for cell in self.cells if cell.is_below)


def team_members(user, team_id, *, q=""):
    """The active members of ``team_id`` when ``user`` may see its coverage (none otherwise), by name."""
    members = (
        Employee.objects.filter(team_id=team_id, team__in=permissions.coverage_teams(user))
        .exclude(stage=Stage.LEFT)
        .select_related("position")
        .order_by("name", "pk")
    )
    if q:
        members = members.filter(Q(name__icontains=q) | Q(employee_number__iexact=q))
    return members


def team_matrix(user, team_id, page=1, *, q="", today=None):
    """A page (PER_PAGE people, filtered by name) of the team's members × the four abilities, each with the
    target of her roles and whether she is below it. Seven queries whatever the team size or history."""
    today = today or timezone.localdate()
    page = Paginator(team_members(user, team_id, q=q), PER_PAGE).get_page(page)
    members = list(page.object_list)
    values = abilities_for([m.pk for m in members], today=today)
    targets = targets_by_position({m.position_id for m in members if m.position_id})
    rows = []
    for member in members:
        wanted = targets.get(member.position_id, {})
        cells = [AbilityCell(a, values[member.pk][a], wanted.get(a)) for a in Ability.values]
        rows.append(MatrixRow(member, cells))
    page.object_list = rows
    return page
