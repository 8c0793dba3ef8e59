"""Effects (issue 16 §2), the parts built so far: every initiative's computed Check listed together (improvement's
effects, never recomputed here), and recognition and the hygiene pulse against attrition per team.

Recognition per head counts the recognitions received in the last 90 days by the team's active people over its
active headcount. The hygiene score is the team's average over the hygiene-factor questions of the latest closed
wave, shown only when the pulse survey publishes the team on its own (the rule of five and its merge rule:
incentives.selectors.pulse.publication). Attrition is the turnover of organisation health (leavers of 12 months
over the average headcount)."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, Sum

from improvement import effects as improvement_effects
from improvement.models import InitiativeStatus
from improvement.selectors.initiatives import initiative_list
from incentives.models import PulseTally, RecognitionRecipient, Wave
from incentives.pulse_rules import HYGIENE
from incentives.selectors.pulse import publication
from staff.models import Stage

from .. import health_rules, permissions
from .health import WINDOW_DAYS, employed_on

PER_PAGE = 10
RECOGNITION_DAYS = 90
CHECKED = (InitiativeStatus.DO, InitiativeStatus.CHECK, InitiativeStatus.ACT, InitiativeStatus.CLOSED)


def initiatives(user):
    """The initiatives in ``user``'s scope that have gone live (paginate it; each page's Checks: ``checks``)."""
    return initiative_list(user).filter(status__in=CHECKED)


def checks(page, *, today):
    """[(initiative, Check)] of one page: a few queries per initiative, PER_PAGE at most."""
    return [(initiative, improvement_effects.check_of(initiative, today=today)) for initiative in page]


@dataclass(frozen=True)
class TeamMotivation:
    team: object
    headcount: int
    recognitions: int
    hygiene: Decimal | None  # None: not published on its own (fewer than five, or merged upward)
    respondents: int
    attrition: object  # figures.Rate

    @property
    def per_head(self):
        if not self.headcount:
            return None
        return (Decimal(self.recognitions) / Decimal(self.headcount)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def latest_wave(*, today):
    return Wave.objects.filter(closes_on__lt=today).order_by("-closes_on", "-pk").first()


def team_motivation(user, *, today):
    """One row per team in scope (four queries and the pulse publication's one, whatever the number of teams)."""
    since = today - datetime.timedelta(days=RECOGNITION_DAYS)
    start = today - datetime.timedelta(days=WINDOW_DAYS)
    teams = permissions.insight_teams(user).order_by("name", "pk")
    rows = teams.annotate(
        headcount=Count("members", filter=~Q(members__stage=Stage.LEFT), distinct=True),
        leavers=Count(
            "members", filter=Q(members__stage=Stage.LEFT, members__left_on__range=(start, today)), distinct=True
        ),
        at_start=Count("members", filter=employed_on(start, "members__"), distinct=True),
        at_end=Count("members", filter=employed_on(today, "members__"), distinct=True),
    )
    received = dict(
        RecognitionRecipient.objects.filter(employee__team__in=teams, recognition__created_at__date__gte=since)
        .exclude(employee__stage=Stage.LEFT)
        .values_list("employee__team")
        .annotate(n=Count("pk"))
        .order_by()
    )
    wave = latest_wave(today=today)
    hygiene, shown = {}, {}
    if wave is not None:
        shown = publication(wave).teams
        tallies = (
            PulseTally.objects.filter(wave=wave, team__in=list(shown), question__factor__in=HYGIENE)
            .values("team")
            .annotate(total=Sum(F("score") * F("count")), n=Sum("count"))
            .order_by()
        )
        hygiene = {
            t["team"]: (Decimal(t["total"]) / Decimal(t["n"])).quantize(Decimal("0.01"), ROUND_HALF_UP)
            for t in tallies
            if t["n"]
        }
    return [
        TeamMotivation(
            team=team,
            headcount=team.headcount,
            recognitions=received.get(team.pk, 0),
            hygiene=hygiene.get(team.pk),
            respondents=shown.get(team.pk, 0),
            attrition=health_rules.turnover(team.leavers, team.at_start, team.at_end),
        )
        for team in rows
    ], wave
