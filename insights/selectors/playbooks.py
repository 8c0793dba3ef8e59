"""Effects of role linkage (issue 16 §2): does a playbook move the KPIs it targets? For each playbook with target
KPIs (HR sets them in the admin) and a published version, the value of each target KPI as improvement's Check
takes it (factor × Σnumerator / Σdenominator of the daily rows: kpis.selectors.results) over four windows:

- before: the BEFORE_DAYS days before the day it was first published; after: from that day to yesterday;
- staged rollout: its pilot teams against the other teams in scope, from the day its version went to pilot to the
  day before publication (no figure when it was never piloted);
- drills: the teams in scope that have run a scored drill of it against those that have not yet, from the day its
  first scored drill in the centre took place (its scheduled time, not when the scores were typed in) to
  yesterday.

The sums come from the nightly aggregate ``PlaybookSums`` (insights.services.aggregates.refresh_playbooks: per
window, one grouped read of the agent days per team and of the queue days per site), so a page adds up a few
hundred rows whatever the length of the history; the figures are those of the last refresh. A supervisor reads
her teams only (queue KPIs: the sites of her teams); a few queries per playbook, PER_PAGE playbooks a page."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Min, Q

from improvement.effects import Window
from kpis.models import Source
from kpis.selectors.results import add_sums, value_of
from linkage.models import Drill, DrillStatus, Playbook, VersionEvent, VersionStatus
from staff.models import Team

from .. import permissions
from ..models import PlaybookSums, PlaybookWindow, RefreshMark

BEFORE_DAYS = 28
PER_PAGE = 10
MARK = "playbook_effects"  # insights.services.aggregates.PLAYBOOKS


@dataclass(frozen=True)
class PlaybookEffect:
    playbook: object
    published_on: datetime.date
    pilot: object  # improvement.effects.Window or None
    drilled_from: datetime.date | None
    drilled_teams: int
    teams: int
    rows: list  # [(kpi, before, after, pilot, control, drilled, not yet drilled)]


def playbooks():
    """The playbooks with target KPIs and a publication, in name order (paginate it; figures: ``effects``)."""
    published = VersionEvent.objects.filter(to_status=VersionStatus.PUBLISHED)
    return (
        Playbook.objects.filter(target_kpis__isnull=False, versions__in=published.values("version"))
        .distinct()
        .order_by("code")
    )


def refreshed_at():
    """When the aggregate was last rewritten (None: never): one query."""
    return RefreshMark.objects.filter(name=MARK).values_list("refreshed_at", flat=True).first()


def windows_of(playbook, *, today):
    """{PlaybookWindow: Window or None} from its versions' moves and its first scored drill (two queries)."""
    yesterday = today - datetime.timedelta(days=1)
    moments = VersionEvent.objects.filter(version__playbook=playbook).aggregate(
        published=Min("at", filter=Q(to_status=VersionStatus.PUBLISHED)),
        piloted=Min("at", filter=Q(to_status=VersionStatus.PILOT)),
    )
    published_on = moments["published"].date()
    pilot = None
    if moments["piloted"] is not None and moments["piloted"].date() < published_on:
        pilot = Window(moments["piloted"].date(), min(published_on - datetime.timedelta(days=1), yesterday))
    first_drill = Drill.objects.filter(version__playbook=playbook, status=DrillStatus.SCORED).aggregate(
        first=Min("scheduled_for")
    )["first"]
    return {
        PlaybookWindow.BEFORE: Window(
            published_on - datetime.timedelta(days=BEFORE_DAYS), published_on - datetime.timedelta(days=1)
        ),
        PlaybookWindow.AFTER: Window(published_on, yesterday),
        PlaybookWindow.PILOT: pilot,
        PlaybookWindow.DRILLS: Window(first_drill.date(), yesterday) if first_drill else None,
    }


def target_kpis(playbook):
    return list(playbook.target_kpis.select_related("numerator", "denominator").order_by("order", "code"))


def _stored(page):
    """{playbook id: {window: [(team id, site id, sums)]}} for a page of playbooks: one query."""
    found = defaultdict(lambda: defaultdict(list))
    rows = PlaybookSums.objects.filter(playbook__in=[playbook.pk for playbook in page])
    for playbook_id, window, team_id, site_id, sums in rows.values_list("playbook", "window", "team", "site", "sums"):
        found[playbook_id][window].append((team_id, site_id, {code: Decimal(v) for code, v in sums.items()}))
    return found


def _scope(user):
    """(team ids, site ids) in scope: (None, None) for the whole centre (HR and floor managers)."""
    if permissions.is_centre_viewer(user):
        return None, None
    teams = permissions.insight_teams(user)
    return (
        frozenset(teams.values_list("pk", flat=True)),
        frozenset(teams.values_list("department__site", flat=True)),
    )


def _effect_of(playbook, *, today, stored, scope):
    """One playbook's effect from its stored sums ({window: [(team, site, sums)]}) within ``scope`` (``_scope``)."""
    team_ids, site_ids = scope
    windows = windows_of(playbook, today=today)
    teams = set(Team.objects.values_list("pk", flat=True)) if team_ids is None else set(team_ids)
    drilled = set(
        Drill.objects.filter(version__playbook=playbook, status=DrillStatus.SCORED, team__in=teams)
        .values_list("team", flat=True)
        .distinct()
    )
    pilot_teams = frozenset()
    if windows[PlaybookWindow.PILOT] is not None:
        piloted = playbook.versions.filter(events__to_status=VersionStatus.PILOT).order_by("number").first()
        pilot_teams = frozenset(piloted.pilot_teams.values_list("pk", flat=True)) & frozenset(teams)
    published_on = windows[PlaybookWindow.AFTER].start
    kpis = target_kpis(playbook)
    if team_ids is not None and not teams:  # no team of her own: nothing to show (an empty scope is the centre)
        rows = [(kpi, None, None, None, None, None, None) for kpi in kpis]
        return PlaybookEffect(playbook, published_on, None, None, 0, 0, rows)

    def total(window, source, keep=lambda team: True):
        """Σ over the window's rows in scope of one source that ``keep`` (agent rows: by team) accepts."""
        if source == Source.QUEUE:
            return add_sums(
                s for team, site, s in stored[window] if site is not None and (site_ids is None or site in site_ids)
            )
        return add_sums(
            s
            for team, site, s in stored[window]
            if site is None and (team_ids is None or team in team_ids) and keep(team)
        )

    rows = []
    for kpi in kpis:
        source = kpi.numerator.source
        before = value_of(kpi, total(PlaybookWindow.BEFORE, source))
        after = value_of(kpi, total(PlaybookWindow.AFTER, source))
        pilot = control = drilled_value = not_drilled = None
        if source == Source.AGENT and pilot_teams:
            pilot = value_of(kpi, total(PlaybookWindow.PILOT, source, lambda team: team in pilot_teams))
            control = value_of(kpi, total(PlaybookWindow.PILOT, source, lambda team: team not in pilot_teams))
        if source == Source.AGENT and drilled and windows[PlaybookWindow.DRILLS] is not None:
            drilled_value = value_of(kpi, total(PlaybookWindow.DRILLS, source, lambda team: team in drilled))
            if drilled != teams:
                not_drilled = value_of(kpi, total(PlaybookWindow.DRILLS, source, lambda team: team not in drilled))
        rows.append((kpi, before, after, pilot, control, drilled_value, not_drilled))
    drills = windows[PlaybookWindow.DRILLS]
    return PlaybookEffect(
        playbook,
        published_on,
        windows[PlaybookWindow.PILOT],
        drills.start if drills else None,
        len(drilled),
        len(teams),
        rows,
    )


def effects(page, user, *, today):
    page = list(page)
    stored, scope = _stored(page), _scope(user)
    return [_effect_of(playbook, today=today, stored=stored[playbook.pk], scope=scope) for playbook in page]
