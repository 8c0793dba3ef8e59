"""Reads of recognition (issue 15 §1): the team wall, newest first, with recipients, reaction counts and the
caller's own reaction in a fixed number of queries."""

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce

from staff.models import Employee

from .. import permissions
from ..models import Reaction, ReactionLabel

PER_PAGE = 20


def _reaction_count(label):
    counted = (
        Reaction.objects.filter(recognition=OuterRef("pk"), label=label)
        .order_by()
        .values("recognition")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def annotated(rows, user):
    me = permissions.staff_permissions.employee_of(user)
    mine = Reaction.objects.filter(recognition=OuterRef("pk"), employee_id=me.pk if me else 0).values("label")[:1]
    return (
        rows.select_related("giver")
        .prefetch_related(Prefetch("recipients", queryset=Employee.objects.order_by("name", "pk")))
        .annotate(my_reaction=Subquery(mine), **{f"n_{label}": _reaction_count(label) for label in ReactionLabel})
    )


def wall(user, team=None):
    """The recognitions ``user`` sees, of ``team`` (given or received by one of its people) when named. A team's
    wall is open to whoever may open it (permissions.wall_teams: HR, its lead, its members), and everything on it is
    theirs to see, so the team's own union is the whole filter (python -m bench incentives)."""
    if team is None:
        rows = permissions.visible_recognitions(user)
    else:
        may_open = Exists(permissions.wall_teams(user).filter(pk=team.pk))
        rows = permissions.recognitions_involving(Employee.objects.filter(team=team)).filter(may_open)
    return annotated(rows, user).order_by("-created_at", "-pk")
