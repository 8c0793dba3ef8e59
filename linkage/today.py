"""Linkage's item on the supervisor's "Today" (staff.today, registered in LinkageConfig.ready()): the members of
the teams she leads who have not acknowledged a published playbook (issue 12 §5). Two queries whatever the team
size (linkage.selectors.unacknowledged_counts). And the weak links of her teams (issue 12 §8)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

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


def case_items(user, *, today, now):
    """The open cases of the teams she leads that breached their resolution target or will within the hour
    (issue 13 §6), nearest first. One query whatever the team size."""
    from . import case_rules
    from .selectors import cases as case_selectors

    me = people.employee_of(user)
    if me is None or not people.is_supervisor(user):
        return []
    items = []
    for case in case_selectors.at_risk(me, now):
        breached = case_rules.breach_state(case.resolution_due_at, now) == "breached"
        minutes = abs(case_rules.minutes_left(case.resolution_due_at, now))
        items.append(
            Item(
                Urgency.OVERDUE if breached else Urgency.DUE,
                _("Case"),
                person=case.owner.name,
                text=(
                    _("%(ref)s (%(category)s) breached its target %(n)s min ago")
                    if breached
                    else _("%(ref)s (%(category)s) breaches its target in %(n)s min")
                )
                % {"ref": case.reference, "category": case.category.name, "n": minutes},
                url=reverse("linkage:case", args=[case.pk]),
                action=_("Open"),
                key=f"linkage-case:{case.pk}",
            )
        )
    return items


def approval_items(user, *, today, now):
    """One item for the coupon requests waiting for her decision (issue 13 §3): within her teams and her grade's
    rank. Three queries whatever the number of requests."""
    from .selectors.authority import approval_inbox

    if people.employee_of(user) is None or not people.is_supervisor(user):
        return []
    waiting = approval_inbox(user).count()
    if not waiting:
        return []
    return [
        Item(
            Urgency.DECIDE,
            _("Approval"),
            person=people.employee_of(user).name,
            text=ngettext(
                "%(n)s coupon request waits for your decision", "%(n)s coupon requests wait for your decision", waiting
            )
            % {"n": waiting},
            url=reverse("linkage:approvals"),
            action=pgettext("button", "Decide"),
            key="linkage-approvals",
        )
    ]
