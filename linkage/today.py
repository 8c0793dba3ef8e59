"""Linkage's item on the supervisor's "Today" (staff.today, registered in LinkageConfig.ready()): the members of
the teams she leads who have not acknowledged a published playbook (issue 12 §5). Two queries whatever the team
size (linkage.selectors.unacknowledged_counts)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from staff import permissions as people
from staff.today import Item, Urgency

from . import selectors


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
