"""Incentives' items on the supervisor's "Today" (staff.today, registered in IncentivesConfig.ready()), from the
Herzberg balance (issue 15 §6): for each team she leads, how many people nobody recognised in 30 days, and the
open pulse alerts of the team on hygiene factors. Two queries whatever the number of teams or people."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from staff import permissions as people
from staff.models import Team
from staff.today import Item, Urgency

from .pulse_rules import FACTOR_LABELS, is_hygiene
from .selectors import balance as balance_selectors
from .selectors import pulse as pulse_selectors


def supervisor_items(user, *, today, now):
    me = people.employee_of(user)
    if me is None or not people.is_supervisor(user):
        return []
    teams = list(Team.objects.filter(supervisor=me).order_by("name", "pk"))
    if not teams:
        return []
    ids = [team.pk for team in teams]
    quiet = balance_selectors.not_recognised_counts(ids, today=today)
    alerts = pulse_selectors.teams_with_open_alerts(ids)
    url = reverse("incentives:balance")
    items = []
    for team in teams:
        n = quiet.get(team.pk, 0)
        if n:
            text = ngettext(
                "%(n)s person not recognised in 30 days",
                "%(n)s people not recognised in 30 days",
                n,
            ) % {"n": n}
            items.append(
                Item(
                    Urgency.WATCH,
                    _("Recognition"),
                    person=team.name,
                    text=text,
                    url=f"{url}?team={team.pk}#quiet",
                    action=_("Open"),
                    due_on=today,
                    key=f"incentives-quiet:{team.pk}",
                )
            )
        factors = sorted({a.factor for a in alerts.get(team.pk, []) if is_hygiene(a.factor)})
        if factors:
            labels = ", ".join(str(FACTOR_LABELS[f]) for f in factors)
            items.append(
                Item(
                    Urgency.WATCH,
                    _("Pulse alert"),
                    person=team.name,
                    text=_("%(factors)s: recognition does not fix hygiene; look at the cause.") % {"factors": labels},
                    url=f"{url}?team={team.pk}#alerts",
                    action=_("Open"),
                    due_on=today,
                    key=f"incentives-pulse-alert:{team.pk}",
                )
            )
    return items
