"""Reads about suggestions (issue 14 §1, §5): the box (filtered, paginated, fixed queries), one suggestion with its
history, the triage board per status, participation per team for HR. Scoped by improvement.permissions."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from staff.models import Employee, Team

from .. import permissions, suggestion_rules
from ..models import Follow, Suggestion, SuggestionComment, SuggestionStatus, Support

PER_PAGE = 20
BOARD_LIMIT = 50  # cards shown per status column


def box(user, *, category="", status="", campaign=None, mine=False, supported=False, q=""):
    """The suggestions ``user`` sees, newest first, each with ``supported_by_me`` (one query per page)."""
    me = permissions.staff_permissions.employee_of(user)
    rows = permissions.visible_suggestions(user).select_related("author", "campaign")
    if category:
        rows = rows.filter(category=category)
    if status:
        rows = rows.filter(status=status)
    if campaign:
        rows = rows.filter(campaign=campaign)
    if mine and me is not None:
        rows = rows.filter(author=me)
    my_support = Support.objects.filter(suggestion=OuterRef("pk"), employee_id=me.pk if me else 0)
    rows = rows.annotate(supported_by_me=Exists(my_support))
    if supported:
        rows = rows.filter(supported_by_me=True)
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(what__icontains=q) | Q(why__icontains=q))
    return rows.order_by("-created_at", "-pk")


def detail(user, pk):
    """One visible suggestion with its events, comments and flags for ``user``; DoesNotExist outside her scope."""
    me = permissions.staff_permissions.employee_of(user)
    return (
        permissions.visible_suggestions(user)
        .select_related("author__team", "campaign", "merged_into", "reviewer")
        .annotate(
            supported_by_me=Exists(Support.objects.filter(suggestion=OuterRef("pk"), employee_id=me.pk if me else 0)),
            followed_by_me=Exists(Follow.objects.filter(suggestion=OuterRef("pk"), user_id=user.pk)),
        )
        .prefetch_related(
            "events__actor",
            Prefetch("comments", queryset=SuggestionComment.objects.select_related("author")),
        )
        .get(pk=pk)
    )


def board(user):
    """[(status, label, count, cards)] for the statuses a reviewer acts on; oldest new first. Fixed queries."""
    rows = permissions.reviewable_suggestions(user)
    counts = dict(rows.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n"))
    columns = []
    for status in (SuggestionStatus.NEW, SuggestionStatus.UNDER_REVIEW, SuggestionStatus.ACCEPTED):
        cards = list(rows.filter(status=status).select_related("author").order_by("created_at", "pk")[:BOARD_LIMIT])
        columns.append((status, status.label, counts.get(status, 0), cards))
    return columns, counts


def participation(*, active_only=True):
    """Per team: headcount, suggestions, authors, accepted, implemented, declined and the two rates. Three queries
    whatever the number of teams."""
    teams = list(Team.objects.order_by("name", "pk").values("pk", "name"))
    people = Employee.objects.filter(team__isnull=False)
    if active_only:
        people = people.exclude(stage="left")
    heads = dict(people.order_by().values("team").annotate(n=Count("pk")).values_list("team", "n"))
    stats = {
        row["author__team"]: row
        for row in Suggestion.objects.filter(author__team__isnull=False)
        .order_by()
        .values("author__team")
        .annotate(
            suggestions=Count("pk"),
            authors=Count("author", distinct=True),
            accepted=Count("pk", filter=Q(status="accepted")),
            implemented=Count("pk", filter=Q(status="implemented")),
            declined=Count("pk", filter=Q(status="declined")),
        )
    }
    out = []
    for team in teams:
        row = stats.get(team["pk"], {})
        n = {k: row.get(k, 0) for k in ("suggestions", "authors", "accepted", "implemented", "declined")}
        out.append(
            {
                "team": team["name"],
                "headcount": heads.get(team["pk"], 0),
                **n,
                "participation": suggestion_rules.participation_rate(
                    authors=n["authors"], headcount=heads.get(team["pk"], 0)
                ),
                "adoption": suggestion_rules.adoption_rate(
                    accepted=n["accepted"], implemented=n["implemented"], declined=n["declined"]
                ),
            }
        )
    return out
