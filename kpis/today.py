"""KPIs' item on the supervisor's "Today" (staff.today, registered in KpisConfig.ready()): the members who fell a
band on some KPI this week — the last seven days against the seven before, as the rows of the teams she leads
name them. Read through kpis.selectors.results in a fixed number of queries whatever the team size."""

from django.urls import reverse
from django.utils.translation import gettext as _

from staff import permissions as people
from staff.today import Item, Urgency

from .permissions import visible_agent_days
from .selectors import results


def supervisor_items(user, *, today, now):
    me = people.employee_of(user)
    if me is None or not people.is_supervisor(user):
        return []
    rows = visible_agent_days(user).filter(team__supervisor=me).exclude(employee=me)
    url = reverse("kpis:team-kpis")
    return [_fall_item(fall, url, today) for fall in results.fallen_members(rows, today=today)]


def _fall_item(fall, url, today):
    text = "; ".join(
        _("%(kpi)s: %(before)s → %(now)s") % {"kpi": kpi.name, "before": before.label, "now": now.label}
        for kpi, before, now in fall.falls
    )
    return Item(
        Urgency.WATCH,
        _("Fell a band"),
        person=fall.employee.name,
        text=text,
        url=f"{url}?team={fall.employee.team_id}" if fall.employee.team_id else url,
        action=_("Open"),
        due_on=today,
        key=f"kpi-fall:{fall.employee.pk}",
    )
