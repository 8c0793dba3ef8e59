"""Linkage's item on the supervisor's "Today" (staff.today, registered in LinkageConfig.ready()): the members of
the teams she leads who have not acknowledged a published playbook (issue 12 §5). Two queries whatever the team
size (linkage.selectors.unacknowledged_counts). And the weak links of her teams (issue 12 §8)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from staff import permissions as people
from staff.models import Team
from staff.today import Item, Urgency

from .selectors import coverage
from .selectors import playbooks as selectors

WEAK_NAMED = 3  # steps named in the item; the coverage page lists them all


def supervisor_items(user, *, today, now):
    me = people.employee_of(user)
    if me is None or not people.is_supervisor(user):
        return []
    url = reverse("linkage:team-acknowledgements")
    return [
        Item(
            Urgency.FOLLOW_UP,
            _("Playbook"),
            person=member.name,
            text=ngettext(
                "%(n)s published playbook not acknowledged", "%(n)s published playbooks not acknowledged", missing
            )
            % {"n": missing},
            url=f"{url}?team={member.team_id}&pending=1",
            action=_("Open"),
            key=f"linkage-unacknowledged:{member.pk}",
        )
        for member, missing in selectors.unacknowledged_counts(me)
    ]


def weak_link_items(user, *, today, now):
    """One item per team she leads that has a weak link: a scripted step of a published playbook with fewer
    certified owners than HR's minimum (issue 12 §8). Three queries whatever the team size or history."""
    me = people.employee_of(user)
    if me is None or not people.is_supervisor(user):
        return []
    teams = {team.pk: team for team in Team.objects.filter(supervisor=me).order_by("name", "pk")}
    url = reverse("linkage:coverage")
    items = []
    for team_id, weak in coverage.weak_links(teams, today=today).items():
        names = ", ".join(f"{row.version.playbook.name} · {row.step.name}" for row in weak[:WEAK_NAMED])
        if len(weak) > WEAK_NAMED:
            names += " …"
        items.append(
            Item(
                Urgency.WATCH,
                _("Weakest link"),
                person=teams[team_id].name,
                text=ngettext(
                    "%(n)s step with too few certified owners: %(steps)s",
                    "%(n)s steps with too few certified owners: %(steps)s",
                    len(weak),
                )
                % {"n": len(weak), "steps": names},
                url=f"{url}?team={team_id}",
                action=_("Open"),
                key=f"linkage-weak-link:{team_id}",
            )
        )
    return items
