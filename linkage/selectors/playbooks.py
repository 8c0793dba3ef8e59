"""Reads shared by the linkage pages, API, notifications and tasks: scoped through linkage.permissions, each in
a fixed number of queries whatever the number of people, playbooks or versions (the library is opened mid-call)."""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404

from staff import permissions as people
from staff.models import Employee, Stage

from .. import permissions
from ..models import Acknowledgement, Branch, Comment, KitItem, PlaybookKind, PlaybookVersion, Step, VersionStatus

LIBRARY_PER_PAGE = 20
MEMBERS_PER_PAGE = 50


# The library ------------------------------------------------------------------------------------


def current_versions(user):
    """One version per playbook for ``user``'s library: for a person the pilot of her team where there is one,
    otherwise the published version; HR every version still in play (not retired)."""
    versions = permissions.applicable_versions(user)
    if people.is_hr(user):
        return versions.exclude(status=VersionStatus.RETIRED)
    piloted = versions.filter(status=VersionStatus.PILOT, playbook=OuterRef("playbook"))
    return versions.exclude(Q(status=VersionStatus.PUBLISHED) & Exists(piloted))


def _matches(q):
    """The scenario, trigger, keywords, topic and step names, in both languages."""
    steps = Step.objects.filter(version=OuterRef("pk")).filter(Q(name_en__icontains=q) | Q(name_zh__icontains=q))
    return (
        Q(playbook__name_en__icontains=q)
        | Q(playbook__name_zh__icontains=q)
        | Q(playbook__code__icontains=q)
        | Q(topic_en__icontains=q)
        | Q(topic_zh__icontains=q)
        | Q(trigger_en__icontains=q)
        | Q(trigger_zh__icontains=q)
        | Q(keywords__icontains=q)
        | Exists(steps)
    )


def library(user, *, q="", kind="", page=1):
    """A page of the versions that apply to ``user`` matching the search ``q`` (every word) and ``kind``,
    each annotated with its step count and whether she has acknowledged it. Two queries."""
    versions = current_versions(user).select_related("playbook")
    for word in q.split()[:5]:
        versions = versions.filter(_matches(word))
    if kind in PlaybookKind.values:
        versions = versions.filter(playbook__kind=kind)
    me = people.employee_of(user)
    acknowledged = Acknowledgement.objects.filter(version=OuterRef("pk"), employee=me) if me else None
    steps = Step.objects.filter(version=OuterRef("pk")).order_by().values("version").annotate(n=Count("pk"))
    versions = versions.annotate(
        step_count=steps.values("n"),
        is_acknowledged=Exists(acknowledged) if me else Value(False),
    ).order_by("playbook__kind", "playbook__code", "-number")
    return Paginator(versions, LIBRARY_PER_PAGE).get_page(page)


# A playbook's page ------------------------------------------------------------------------------


def version_for(user, playbook, number=None):
    """The version of ``playbook`` the page shows ``user``: the one asked for (``number``) among those she may
    open, else the one that applies to her (her team's pilot, the published one, a consultation open to her);
    HR the published one, else the newest. 404 when she may open none."""
    versions = permissions.visible_versions(user).filter(playbook=playbook)
    if number is not None:
        versions = versions.filter(number=number)
    first = VersionStatus.PUBLISHED if people.is_hr(user) else VersionStatus.PILOT
    preference = Case(
        When(status=first, then=Value(0)),
        When(status=VersionStatus.PUBLISHED, then=Value(1)),
        When(status=VersionStatus.PILOT, then=Value(1)),
        When(status=VersionStatus.CONSULTATION, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    version = versions.select_related("playbook").order_by(preference, "-number").first()
    if version is None:
        raise Http404
    return version


@dataclass
class PlaybookPage:
    version: object
    steps: list
    history: list
    comments: list
    kit: list
    acknowledgement: object = None
    team_pending: list = field(default_factory=list)


def _steps(version):
    branches = Branch.objects.select_related("target__version__playbook").order_by("pk")
    return list(
        version.steps.select_related("owner", "receiver", "signal")
        .prefetch_related("indicators", Prefetch("branches", queryset=branches))
        .order_by("order")
    )


def _history(user, version):
    """The playbook's versions with their events, newest first; a person sees no drafts."""
    versions = version.playbook.versions.prefetch_related("events__actor").order_by("-number")
    if not people.is_hr(user):
        versions = versions.exclude(status=VersionStatus.DRAFT)
    openable = set(permissions.visible_versions(user).filter(playbook=version.playbook_id).values_list("pk", flat=True))
    history = list(versions)
    for row in history:
        row.can_open = row.pk in openable
    return history


def _kit(user, version):
    """The support kit of the playbook per site: HR every site; others the site of their team."""
    items = KitItem.objects.filter(playbook=version.playbook_id).select_related("site", "owner")
    if not people.is_hr(user):
        me = people.employee_of(user)
        if me is None or me.team_id is None:
            return []
        items = items.filter(site__departments__teams=me.team_id)
    sites = {}
    for item in items.order_by("site__name", "kind", "name"):
        sites.setdefault(item.site, []).append(item)
    return list(sites.items())


def pending_members(version, members):
    """``members`` (an Employee queryset) to whom ``version`` applies and who have not acknowledged it."""
    acknowledged = Acknowledgement.objects.filter(version=version, employee=OuterRef("pk"))
    return (
        permissions.members_of(version)
        .filter(pk__in=members.values("pk"))
        .exclude(Exists(acknowledged))
        .select_related("team")
        .order_by("team__name", "name", "pk")
    )


def playbook_page(user, version):
    """Everything the playbook page shows, in a fixed number of queries."""
    me = people.employee_of(user)
    comments = list(
        Comment.objects.filter(version=version).select_related("author", "answered_by", "step").order_by("created_at")
    )
    acknowledgement = Acknowledgement.objects.filter(version=version, employee=me).first() if me else None
    team_pending = []
    if me is not None and people.is_supervisor(user) and version.status in permissions.ACKNOWLEDGED_STATUSES:
        led = Employee.objects.filter(team__supervisor=me).exclude(pk=me.pk)
        team_pending = list(pending_members(version, led)[:MEMBERS_PER_PAGE])
    return PlaybookPage(
        version=version,
        steps=_steps(version),
        history=_history(user, version),
        comments=comments,
        kit=_kit(user, version),
        acknowledgement=acknowledgement,
        team_pending=team_pending,
    )


# My linkage and the team's acknowledgements -----------------------------------------------------


def my_linkage(employee):
    """The versions that apply to ``employee`` with her acknowledgement (L1 read), and the consultations
    open to her."""
    mine = Acknowledgement.objects.filter(version=OuterRef("pk"), employee=employee)
    versions = (
        permissions.versions_for_employee(employee)
        .select_related("playbook")
        .annotate(acknowledged_at=mine.values("acknowledged_at")[:1])
        .order_by("playbook__kind", "playbook__code", "-number")
    )
    consultations = (
        permissions.consultations_for_employee(employee).select_related("playbook").order_by("consultation_ends_on")
    )
    return list(versions), list(consultations)


@dataclass
class TeamAcknowledgements:
    team: object
    versions: list  # the versions that apply to the team, each with .acknowledged (count) and .members (count)
    page: object  # a page of members, each with .pending: the versions she has not acknowledged
    pending_total: int


def team_versions(team):
    """The versions that apply to ``team``'s members: published ones and the team's pilots."""
    pilots = PlaybookVersion.pilot_teams.through.objects.filter(team_id=team.pk).values("playbookversion_id")
    return PlaybookVersion.objects.filter(
        Q(status=VersionStatus.PUBLISHED) | Q(status=VersionStatus.PILOT, pk__in=pilots)
    ).select_related("playbook")


def team_members(team):
    return Employee.objects.filter(team=team).exclude(stage=Stage.LEFT)


def team_acknowledgements(team, *, page=1, only_pending=False):
    """The team's members × the versions that apply to them: who has not acknowledged which. Five queries."""
    members = team_members(team)
    versions = list(
        team_versions(team)
        .annotate(
            acknowledged=Count(
                "acknowledgements", filter=Q(acknowledgements__employee__in=members.values("pk")), distinct=True
            )
        )
        .order_by("playbook__kind", "playbook__code", "-number")
    )
    member_count = members.count()
    version_ids = [v.pk for v in versions]
    for version in versions:
        version.members = member_count
    pending_total = member_count * len(versions) - sum(v.acknowledged for v in versions)
    done = Acknowledgement.objects.filter(employee=OuterRef("pk"), version__in=version_ids)
    done_count = done.order_by().values("employee").annotate(n=Count("pk")).values("n")
    listed = members.annotate(acknowledged_count=done_count).order_by("name", "pk")
    if only_pending:
        listed = listed.filter(~Q(acknowledged_count=len(versions)) | Q(acknowledged_count__isnull=True))
    members_page = Paginator(listed, MEMBERS_PER_PAGE).get_page(page)
    rows = list(members_page.object_list)
    acknowledged = set(
        Acknowledgement.objects.filter(employee__in=[m.pk for m in rows], version__in=version_ids).values_list(
            "employee_id", "version_id"
        )
    )
    for member in rows:
        member.pending = [v for v in versions if (member.pk, v.pk) not in acknowledged]
    members_page.object_list = rows
    return TeamAcknowledgements(team=team, versions=versions, page=members_page, pending_total=pending_total)


def unacknowledged_counts(supervisor):
    """For "Today": members of the teams ``supervisor`` leads with how many published versions they have not
    acknowledged (only those with at least one). One query."""
    published = PlaybookVersion.objects.filter(status=VersionStatus.PUBLISHED).order_by()
    total = published.values("status").annotate(n=Count("pk")).values("n")
    done = (
        Acknowledgement.objects.filter(employee=OuterRef("pk"), version__status=VersionStatus.PUBLISHED)
        .order_by()
        .values("employee")
        .annotate(n=Count("pk"))
        .values("n")
    )
    members = (
        Employee.objects.filter(team__supervisor=supervisor)
        .exclude(stage=Stage.LEFT)
        .exclude(pk=supervisor.pk)
        .annotate(missing=Coalesce(Subquery(total), 0) - Coalesce(Subquery(done), 0))
        .filter(missing__gt=0)
        .order_by("name", "pk")
    )
    return [(member, member.missing) for member in members]
