"""Writes of PK competitions (issue 15 §4): organising one, entering external results, refreshing the standings
(set-based: a fixed number of queries per competition, one upsert of every standing), and closing at the period's end
exactly once — a compare-and-set on the status, so beat firing twice (or two workers at once) closes once — with the
final ranks, the winner's honour and the reward pool split by workload share (pk_rules), written to the points
ledger when the pool is points."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import Message, queue

from .. import permissions
from .. import pk_rules as rules
from ..models import (
    EntryKind,
    MetricSource,
    PkAward,
    PkCompetition,
    PkHonour,
    PkKind,
    PkParticipant,
    PoolUnit,
    Standing,
)
from ..selectors import pk as selectors
from . import ledger

PK_WON = "incentives_pk_won"


def _check(*, kind, metric, kpi, starts_on, ends_on, pool, pool_unit, cap, teams, sites):
    errors = []
    if ends_on < starts_on:
        errors.append(_("The period ends before it starts."))
    if metric == MetricSource.KPI and kpi is None:
        errors.append(_("Choose the KPI."))
    if kind == PkKind.EXTERNAL and metric != MetricSource.MANUAL:
        errors.append(_("An external project PK takes results entered by hand."))
    if kind != PkKind.EXTERNAL and metric == MetricSource.MANUAL:
        errors.append(_("Results by hand are for an external project PK."))
    if kind == PkKind.TEAM and metric == MetricSource.KPI and kpi is not None and kpi.numerator.source == "queue":
        errors.append(_("This KPI is measured per site: choose a site PK."))
    participants = sites if kind == PkKind.SITE else teams
    if len(participants) < 2:
        errors.append(_("Choose at least two participants."))
    if pool < 0 or (cap is not None and cap <= 0):
        errors.append(_("The pool and the cap must be positive."))
    if pool_unit == PoolUnit.POINTS and (pool != int(pool) or (cap is not None and cap != int(cap))):
        errors.append(_("Points are whole numbers."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_competition(
    *,
    user,
    name,
    kind,
    starts_on,
    ends_on,
    metric,
    kpi=None,
    is_lower_better=False,
    normalisation="agent",
    minimum_volume=0,
    pool_unit=PoolUnit.CNY,
    pool=0,
    cap_per_person=None,
    teams=(),
    sites=(),
    idempotency_key="",
):
    """``user`` (HR, or a supervisor for team and external PKs) organises a PK between teams or sites. The same
    ``idempotency_key`` again returns the first one."""
    if not permissions.can_create_pk(user) or kind not in permissions.pk_kinds(user):
        raise PermissionDenied
    if idempotency_key:
        done = PkCompetition.objects.filter(created_by=user, idempotency_key=idempotency_key).first()
        if done is not None:
            return done
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Name the competition."))
    teams, sites = list(teams), list(sites)
    pool, cap = Decimal(pool or 0), (Decimal(cap_per_person) if cap_per_person not in (None, "") else None)
    _check(
        kind=kind,
        metric=metric,
        kpi=kpi,
        starts_on=starts_on,
        ends_on=ends_on,
        pool=pool,
        pool_unit=pool_unit,
        cap=cap,
        teams=teams,
        sites=sites,
    )
    allowed_teams = set(permissions.pk_teams(user).filter(pk__in=[t.pk for t in teams]).values_list("pk", flat=True))
    allowed_sites = set(permissions.pk_sites(user).filter(pk__in=[s.pk for s in sites]).values_list("pk", flat=True))
    if kind == PkKind.SITE and len(allowed_sites) != len({s.pk for s in sites}):
        raise ValidationError(_("You may not enter one of these sites."))
    if kind != PkKind.SITE and len(allowed_teams) != len({t.pk for t in teams}):
        raise ValidationError(_("You may not enter one of these teams."))
    competition = PkCompetition.objects.create(
        name=name,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        metric=metric,
        kpi=kpi if metric == MetricSource.KPI else None,
        is_lower_better=is_lower_better,
        normalisation=normalisation,
        minimum_volume=Decimal(minimum_volume or 0),
        pool_unit=pool_unit,
        pool=pool,
        cap_per_person=cap,
        created_by=user,
        idempotency_key=idempotency_key or "",
    )
    if kind == PkKind.SITE:
        PkParticipant.objects.bulk_create(PkParticipant(competition=competition, site_id=pk) for pk in allowed_sites)
    else:
        PkParticipant.objects.bulk_create(PkParticipant(competition=competition, team_id=pk) for pk in allowed_teams)
    return competition


@transaction.atomic
def enter_result(*, user, participant_id, value, volume=None):
    """The organiser (or HR) enters an external project's result for one participant; the board is ranked again."""
    participant = PkParticipant.objects.select_related("competition").select_for_update(of=("self",))
    participant = participant.get(pk=participant_id)
    competition = participant.competition
    if not permissions.can_manage_pk(user, competition):
        raise PermissionDenied
    if competition.metric != MetricSource.MANUAL:
        raise ValidationError(_("This competition's results come from the data."))
    if competition.status != rules.Status.OPEN:
        raise ValidationError(_("This competition is closed: its results are final."))
    if value is None:
        raise ValidationError(_("Enter the result."))
    if volume is not None and volume < 0:
        raise ValidationError(_("The volume cannot be negative."))
    participant.manual_value, participant.manual_volume = value, volume
    participant.entered_by, participant.entered_at = user, timezone.now()
    participant.save(update_fields=["manual_value", "manual_volume", "entered_by", "entered_at"])
    refresh_standings(competition.pk)
    return participant


def _load(competition_id):
    return PkCompetition.objects.select_related("kpi__numerator", "kpi__denominator").get(pk=competition_id)


def _store(competition, participants, placed, now):
    """One upsert of every standing (position = the board's order)."""
    group = selectors._group(competition)
    by_key = selectors.participant_keys(participants, group)
    rows = [
        Standing(
            competition=competition,
            participant=by_key[place.key],
            rank=place.rank,
            value=place.value,
            volume=place.volume,
            not_ranked=place.reason,
            position=index,
            refreshed_at=now,
        )
        for index, place in enumerate(placed, start=1)
    ]
    Standing.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["participant"],
        update_fields=["rank", "value", "volume", "not_ranked", "position", "refreshed_at"],
    )
    PkCompetition.objects.filter(pk=competition.pk).update(refreshed_at=now)


def _rank(competition, participants):
    found = selectors.results(competition, participants)
    return rules.rank(
        found.values(), lower_is_better=competition.lower_is_better, minimum_volume=competition.minimum_volume
    )


@transaction.atomic
def refresh_standings(competition_id, *, now=None):
    """Rank the participants from the period's data and store the board; a closed competition's board is final
    and is left alone. Returns the places (or None when closed)."""
    competition = _load(competition_id)
    if competition.status != rules.Status.OPEN:
        return None
    participants = list(competition.participants.all())
    placed = _rank(competition, participants)
    _store(competition, participants, placed, now or timezone.now())
    return placed


def _split(competition, winners, now):
    """Honours for the winners and the pool split: equally between tied winners, then by workload share."""
    is_cny = competition.is_cny
    pool = rules.to_units(competition.pool, is_cny=is_cny)
    cap = rules.to_units(competition.cap_per_person, is_cny=is_cny) if competition.cap_per_person else None
    weights = {
        "cases_owned": competition.weight_cases,
        "handoffs_carried": competition.weight_handoffs,
        "calls_handled": competition.weight_calls,
    }
    parts = rules.split_between_winners(pool, [w.pk for w in winners])
    title = _("PK winner: %(name)s") % {"name": competition.name}
    PkHonour.objects.bulk_create(
        PkHonour(competition=competition, participant=w, title=title[:200], awarded_at=now) for w in winners
    )
    awards = []
    for winner in winners:
        workers = selectors.workload(competition, winner)
        by_pk = {worker.employee.pk: worker for worker in workers}
        shares = rules.split_pool(parts[winner.pk], [w.work for w in workers], cap=cap, weights=weights)
        awards += [
            PkAward(
                competition=competition,
                participant=winner,
                employee=by_pk[share.key].employee,
                role=by_pk[share.key].role[:120],
                cases_owned=share.components["cases_owned"],
                handoffs_carried=share.components["handoffs_carried"],
                calls_handled=share.components["calls_handled"],
                share=Decimal(share.share.numerator) / Decimal(share.share.denominator),
                amount_units=share.amount,
                is_capped=share.is_capped,
            )
            for share in shares
        ]
    for award in awards:
        award.share = award.share.quantize(Decimal("0.000001"))
    PkAward.objects.bulk_create(awards)
    return awards


def _pay_points(competition, awards, user):
    for award in awards:
        if award.amount_units:
            ledger.record(
                kind=EntryKind.AWARD,
                employee=award.employee,
                points=award.amount_units,
                source_ref=f"pk:{competition.pk}:{award.employee_id}",
                actor=user,
                note=competition.name,
            )


def _notify(competition, awards):
    url = reverse("incentives:pk-split", args=[competition.pk])
    name = competition.name
    messages = [
        Message(
            recipient=award.employee.user,
            kind=PK_WON,
            key=f"{PK_WON}:{competition.pk}:{award.employee.user_id}",
            title=lambda: _("Your team won the PK: %(name)s") % {"name": name},
            url=url,
        )
        for award in awards
        if award.employee.user_id and award.employee.user.is_active
    ]
    return queue(messages)


@transaction.atomic
def close(*, competition_id, user=None, now=None, early=False):
    """Close a competition once: a compare-and-set from open to closed (a second call, or a concurrent one that
    waited on the row, changes nothing and returns False), then the final board, honours and the reward split.
    The sweep closes only after the period's end; the organiser may close ``early``."""
    now = now or timezone.now()
    if user is not None:
        competition = _load(competition_id)
        if not permissions.can_manage_pk(user, competition):
            raise PermissionDenied
    due = PkCompetition.objects.filter(pk=competition_id, status=rules.Status.OPEN)
    if not early:
        due = due.filter(ends_on__lt=timezone.localdate(now))
    if not due.update(status=rules.Status.CLOSED, closed_at=now, closed_by=user):
        return False
    competition = _load(competition_id)
    participants = list(competition.participants.select_related("team", "site"))
    placed = _rank(competition, participants)
    _store(competition, participants, placed, now)
    by_key = selectors.participant_keys(participants, selectors._group(competition))
    winners = [by_key[key] for key in rules.winners(placed)]
    awards = _split(competition, winners, now) if winners else []
    if competition.pool_unit == PoolUnit.POINTS:
        _pay_points(competition, awards, user)
    _notify(competition, awards)
    return True


def close_due(*, today=None):
    """The sweep: close every open competition whose period has ended (each in its own transaction)."""
    today = today or timezone.localdate()
    return sum(close(competition_id=pk) for pk in selectors.due_ids(today))


def refresh_running(*, today=None):
    """The 30-minute refresh of every running competition's board."""
    today = today or timezone.localdate()
    ids = selectors.running_ids(today)
    for pk in ids:
        refresh_standings(pk)
    return len(ids)
