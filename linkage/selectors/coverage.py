"""Team coverage (issue 12 §8): for each scripted step of each published version, how many active members of a
team are certified owners of it — their position holds the step's owning role and they hold an unexpired
certification of the playbook. A step of a role across the centre (a floor manager, QA) counts its certified owners
centre-wide, the same for every team. A step with fewer than HR's minimum is the team's weakest link — unless nobody
in the team holds its owning role (a QA team has no front-line agents): that row is shown, never weak.

Five queries at most whatever the number of teams, people or certifications: the steps (with HR's minimum), the
team roles' and the centre roles' certified owners counted in SQL (the first few names come in the same rows), and
the roles the teams' positions hold."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Subquery, Value, Window
from django.db.models.functions import Coalesce, RowNumber

from staff.models import Employee, Stage

from ..models import Certification, LinkageRole, LinkageSettings, PlaybookVersion, RoleScope, Step, VersionStatus

_role_positions = LinkageRole.positions.through
NAMES_SHOWN = 5  # a step with this many certified owners or fewer names them all


@dataclass(frozen=True)
class StepCoverage:
    version: PlaybookVersion
    step: Step
    owner_role: LinkageRole
    certified: int
    minimum: int
    is_weak: bool
    owners: tuple = field(default=())  # the names of the first NAMES_SHOWN certified owners, by name
    is_centre: bool = False  # a role across the centre: its owners counted centre-wide, the same for every team
    is_held: bool = True  # someone in the team holds the owning role (always, for a centre role); if not, not weak

    @property
    def more_owners(self):
        """Certified owners beyond the names shown."""
        return max(0, self.certified - len(self.owners))


def published_steps():
    """The scripted steps of every published version, in the library's order, each with HR's minimum of
    certified owners as ``minimum`` (the settings row read in the same query; its default while HR has saved
    none). One query."""
    default = LinkageSettings._meta.get_field("min_certified_owners").default
    saved = LinkageSettings.objects.filter(pk=1).values("min_certified_owners")
    return list(
        Step.objects.filter(version__status=VersionStatus.PUBLISHED, is_scripted=True)
        .select_related("version__playbook", "owner")
        .annotate(minimum=Coalesce(Subquery(saved), Value(default)))
        .order_by("version__playbook__kind", "version__playbook__code", "order")
    )


def _newest_unexpired(today):
    """The newest unexpired certification of each active person and playbook (a renewal is not counted twice)."""
    unexpired = Certification.objects.filter(certified_on__lte=today, expires_on__gte=today)
    newer = unexpired.filter(
        employee=OuterRef("employee"), playbook=OuterRef("playbook"), certified_on__gt=OuterRef("certified_on")
    )
    return unexpired.exclude(employee__stage=Stage.LEFT).exclude(Exists(newer))


def _owning(certifications, scope):
    """Joined to the published scripted steps, owned by a role of ``scope``, whose role her position holds (one
    filter() call: one join of the steps)."""
    return certifications.filter(
        playbook__versions__status=VersionStatus.PUBLISHED,
        playbook__versions__steps__is_scripted=True,
        playbook__versions__steps__owner__scope=scope,
        playbook__versions__steps__owner__positions=F("employee__position_id"),
    )


def _certified_owners(team_ids, *, today):
    """One row per (team, step, certified owner) for the steps of team roles, joined to the team members' newest
    unexpired certifications. Each row carries the step's total and the owner's rank by name; only the first
    NAMES_SHOWN ranks come back."""
    team, step = F("employee__team_id"), F("playbook__versions__steps__id")
    return (
        _owning(_newest_unexpired(today).filter(employee__team_id__in=team_ids), RoleScope.TEAM)
        .annotate(
            team=team,
            step=step,
            total=Window(Count("pk"), partition_by=[team, step]),
            rank=Window(RowNumber(), partition_by=[team, step], order_by=[F("employee__name"), F("employee_id")]),
        )
        .filter(rank__lte=NAMES_SHOWN)
        .order_by()
        .values_list("team", "step", "total", "employee__name")
    )


def _centre_owners(*, today):
    """The same for the steps of centre roles (a floor manager, QA): certified owners anywhere in the centre."""
    step = F("playbook__versions__steps__id")
    return (
        _owning(_newest_unexpired(today), RoleScope.CENTRE)
        .annotate(
            step=step,
            total=Window(Count("pk"), partition_by=[step]),
            rank=Window(RowNumber(), partition_by=[step], order_by=[F("employee__name"), F("employee_id")]),
        )
        .filter(rank__lte=NAMES_SHOWN)
        .order_by()
        .values_list("step", "total", "employee__name")
    )


def _roles_held(team_ids):
    """{team id: ids of the roles that active members' positions hold} (two queries: the teams' positions, and
    the roles of those positions)."""
    team_positions = set(
        Employee.objects.filter(team_id__in=team_ids)
        .exclude(stage=Stage.LEFT)
        .values_list("team_id", "position_id")
        .distinct()
        .order_by()
    )
    links = _role_positions.objects.filter(position_id__in={position for _team, position in team_positions})
    roles_of = defaultdict(set)
    for role_id, position_id in links.values_list("linkagerole_id", "position_id"):
        roles_of[position_id].add(role_id)
    held = defaultdict(set)
    for team_id, position_id in team_positions:
        held[team_id] |= roles_of[position_id]
    return held


def team_coverage(team_ids, *, today):
    """{team id: [StepCoverage]} for every team of ``team_ids``: each scripted step of each published version
    with its certified owners against LinkageSettings.min_certified_owners; weak rows first, then in the
    library's order. Two queries."""
    team_ids = list(team_ids)
    steps = published_steps()
    totals, names, held = {}, defaultdict(list), defaultdict(set)
    if steps and team_ids:
        for team_id, step_id, total, name in _certified_owners(team_ids, today=today):
            totals[(team_id, step_id)] = total
            names[(team_id, step_id)].append(name)
        held = _roles_held(team_ids)
        if any(step.owner.scope == RoleScope.CENTRE for step in steps):
            for step_id, total, name in _centre_owners(today=today):
                for team_id in team_ids:
                    totals[(team_id, step_id)] = total
                    names[(team_id, step_id)].append(name)
    coverage = {}
    for team_id in team_ids:
        rows = []
        for order, step in enumerate(steps):
            certified = totals.get((team_id, step.pk), 0)
            minimum = step.minimum
            is_centre = step.owner.scope == RoleScope.CENTRE
            is_held = is_centre or step.owner_id in held[team_id]
            row = StepCoverage(
                version=step.version,
                step=step,
                owner_role=step.owner,
                certified=certified,
                minimum=minimum,
                is_weak=is_held and certified < minimum,
                owners=tuple(sorted(names[(team_id, step.pk)])),
                is_centre=is_centre,
                is_held=is_held,
            )
            rows.append((not row.is_weak, not row.is_held, order, row))
        coverage[team_id] = [row for *_rank, row in sorted(rows, key=lambda r: r[:3])]
    return coverage


def weak_links(team_ids, *, today):
    """{team id: [StepCoverage]}: only the weak rows, only the teams that have some (for "Today")."""
    return {
        team_id: weak
        for team_id, rows in team_coverage(team_ids, today=today).items()
        if (weak := [row for row in rows if row.is_weak])
    }
