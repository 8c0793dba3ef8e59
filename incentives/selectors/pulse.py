"""Reads of the pulse surveys (issue 15 §5): open waves for a respondent, and results that respect the rule of five.

Every result goes through ``publication(wave)``: the groups of a wave that may be shown (a team of at least five
respondents; a site and the centre likewise; children withheld so no subtraction isolates fewer than five, see
incentives.pulse_rules.published_children). ``group_for_team`` then names the group actually shown for a team —
the team, else its site, else the centre, else nothing — and every figure (all questions, one question, one
factor, a trend point) is read for that group only. The publication set is the same for every viewer, so no
combination of filters or viewers can compose a smaller group."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from staff.models import Site, Team

from .. import pulse_rules as rules
from ..models import PulseAlert, PulseRespondent, PulseTally, Question, Survey, Wave

CENTRE = "centre"


@dataclass(frozen=True)
class Group:
    level: str  # "team", "site" or "centre"
    key: str  # "team:<id>", "site:<id>" or "centre"
    pk: int | None
    respondents: int


@dataclass
class Publication:
    """The groups of one wave that may be shown, with their respondents."""

    wave: Wave
    teams: dict = field(default_factory=dict)  # team id → respondents (shown on their own)
    sites: dict = field(default_factory=dict)  # site id → respondents (shown)
    centre: int = 0  # respondents of the whole wave (shown if at least five)
    site_of_team: dict = field(default_factory=dict)  # team id → site id (teams that answered)

    def group_for_team(self, team_id, site_id=None):
        """The smallest published group holding ``team_id``: the team, its site, the centre; None if none."""
        if team_id in self.teams:
            return Group("team", f"team:{team_id}", team_id, self.teams[team_id])
        site_id = self.site_of_team.get(team_id, site_id)
        if site_id in self.sites:
            return Group("site", f"site:{site_id}", site_id, self.sites[site_id])
        return self.centre_group()

    def group_for_site(self, site_id):
        if site_id in self.sites:
            return Group("site", f"site:{site_id}", site_id, self.sites[site_id])
        return self.centre_group()

    def centre_group(self):
        if rules.is_publishable(self.centre):
            return Group("centre", CENTRE, None, self.centre)
        return None

    def groups(self):
        """Every published group, largest level first."""
        shown = [self.centre_group()] if self.centre_group() else []
        shown += [Group("site", f"site:{pk}", pk, n) for pk, n in sorted(self.sites.items())]
        shown += [Group("team", f"team:{pk}", pk, n) for pk, n in sorted(self.teams.items())]
        return shown


def publication(wave):
    """Which groups of ``wave`` may be shown (one query)."""
    rows = PulseRespondent.objects.filter(wave=wave).values("team_id", "site_id").annotate(n=Count("pk")).order_by()
    by_site = defaultdict(dict)
    site_of_team = {}
    for row in rows:
        by_site[row["site_id"]][row["team_id"]] = row["n"]
        site_of_team[row["team_id"]] = row["site_id"]
    site_totals = {site: sum(teams.values()) for site, teams in by_site.items()}
    centre = sum(site_totals.values())
    result = Publication(wave=wave, centre=centre, site_of_team=site_of_team)
    if not rules.is_publishable(centre):
        return result
    for site in rules.published_children(site_totals, centre):
        result.sites[site] = site_totals[site]
        for team in rules.published_children(by_site[site], site_totals[site]):
            result.teams[team] = by_site[site][team]
    return result


def _group_filter(group):
    if group.level == "team":
        return Q(team_id=group.pk)
    if group.level == "site":
        return Q(site_id=group.pk)
    return Q()


@dataclass(frozen=True)
class Figure:
    question: Question | None
    factor: str
    average: object  # Decimal or None
    respondents: int

    @property
    def factor_label(self):
        return rules.FACTOR_LABELS.get(self.factor, self.factor)

    @property
    def is_hygiene(self):
        return rules.is_hygiene(self.factor)


def _average(tally):
    """A question added during a wave has fewer answers than the wave has respondents: under five, no figure."""
    return rules.average(tally) if sum(tally.values()) >= rules.MIN_GROUP else None


def tallies(wave, group, *, question_id=None, factor=""):
    """``{question id: {score: count}}`` of a published ``group`` (one query). Refuses a group under five."""
    if group is None or not rules.is_publishable(group.respondents):
        raise ValueError("a group under the minimum is never read")
    rows = PulseTally.objects.filter(_group_filter(group), wave=wave)
    if question_id:
        rows = rows.filter(question_id=question_id)
    if factor:
        rows = rows.filter(question__factor=factor)
    result = defaultdict(lambda: defaultdict(int))
    for row in rows.values("question_id", "score").annotate(n=Sum("count")).order_by():
        result[row["question_id"]][row["score"]] += row["n"]
    return result


def question_figures(wave, group, *, question_id=None, factor=""):
    """One figure per question of the wave's survey for the published ``group`` (two queries)."""
    counted = tallies(wave, group, question_id=question_id, factor=factor)
    questions = Question.objects.filter(survey_id=wave.survey_id)
    if question_id:
        questions = questions.filter(pk=question_id)
    if factor:
        questions = questions.filter(factor=factor)
    return [Figure(q, q.factor, _average(counted.get(q.pk, {})), group.respondents) for q in questions]


def factor_figures(wave, group, *, question_id=None, factor=""):
    """One figure per factor asked (the average over its questions' answers)."""
    counted = tallies(wave, group, question_id=question_id, factor=factor)
    factors = dict(Question.objects.filter(survey_id=wave.survey_id).values_list("pk", "factor"))
    merged = defaultdict(lambda: defaultdict(int))
    for question, scores in counted.items():
        if sum(scores.values()) < rules.MIN_GROUP:
            continue  # withheld on its own, so never mixed in where a subtraction would reveal it
        for score, n in scores.items():
            merged[factors[question]][score] += n
    order = {value: i for i, value in enumerate(rules.FACTORS)}
    return [Figure(None, f, _average(merged[f]), group.respondents) for f in sorted(merged, key=lambda f: order[f])]


def factor_averages_by_group(wave, pub):
    """``{group key: {factor: average}}`` for every published group of ``wave`` (one query): for alerts."""
    rows = (
        PulseTally.objects.filter(wave=wave)
        .values("team_id", "site_id", "question_id", "question__factor", "score")
        .annotate(n=Sum("count"))
        .order_by()
    )
    shown = {group.key for group in pub.groups()}
    by_question = defaultdict(lambda: defaultdict(int))  # (group, factor, question) → {score: n}
    for row in rows:
        for key in (CENTRE, f"site:{row['site_id']}", f"team:{row['team_id']}"):
            if key in shown:
                by_question[(key, row["question__factor"], row["question_id"])][row["score"]] += row["n"]
    merged = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for (key, factor, _question), scores in by_question.items():
        if sum(scores.values()) >= rules.MIN_GROUP:
            for score, n in scores.items():
                merged[key][factor][score] += n
    return {key: {f: rules.average(t) for f, t in factors.items()} for key, factors in merged.items()}


def open_waves_for(employee, today):
    """The waves open today whose survey asks ``employee`` and that she has not answered yet."""
    if employee is None or employee.team_id is None:
        return Wave.objects.none()
    site_id = employee.team.department.site_id
    answered = PulseRespondent.objects.filter(employee=employee).values("wave_id")
    return (
        Wave.objects.filter(opens_on__lte=today, closes_on__gte=today, survey__is_active=True)
        .filter(Q(survey__site__isnull=True) | Q(survey__site_id=site_id))
        .exclude(pk__in=answered)
        .select_related("survey")
        .order_by("closes_on", "pk")
    )


def waves_with_results(surveys=None):
    rows = Wave.objects.select_related("survey").order_by("-opens_on", "-pk")
    if surveys is not None:
        rows = rows.filter(survey__in=surveys)
    return rows


def trend(survey, team_id, site_id, *, waves=6, factors=rules.HYGIENE):
    """The last ``waves`` waves of ``survey`` for the group shown for a team, oldest first: ``[(wave, group,
    {factor: average})]``; a wave whose group is under five shows ``group`` None and no figures. Two queries per
    wave at most (waves are few: a bounded number)."""
    points = []
    for wave in reversed(list(survey.waves.order_by("-number")[:waves])):
        pub = publication(wave)
        group = pub.group_for_team(team_id, site_id)
        if group is None:
            points.append((wave, None, {}))
            continue
        figures = {f.factor: f.average for f in factor_figures(wave, group) if f.factor in factors}
        points.append((wave, group, figures))
    return points


def latest_survey_for_site(site_id):
    """The active survey that asks ``site_id`` with the most recent wave (None if none)."""
    return (
        Survey.objects.filter(Q(site__isnull=True) | Q(site_id=site_id), waves__isnull=False)
        .order_by("-waves__opens_on", "-pk")
        .first()
    )


def alerts_for_team(team):
    """The alerts of the latest evaluated wave for the group shown for ``team``: its own, or its site's or the
    centre's when the team was merged upward (a fixed number of queries)."""
    site_id = team.department.site_id
    mine = PulseAlert.objects.filter(Q(team=team) | Q(site_id=site_id) | Q(group_key=CENTRE))
    latest = mine.order_by("-wave__closes_on", "-wave_id").values_list("wave_id", flat=True).first()
    if latest is None:
        return PulseAlert.objects.none()
    wave = Wave.objects.get(pk=latest)
    group = publication(wave).group_for_team(team.pk, site_id)
    if group is None:
        return PulseAlert.objects.none()
    return mine.filter(wave=wave, group_key=group.key).select_related("wave__survey").order_by("factor")


def teams_with_open_alerts(team_ids):
    """``{team id: alerts}`` among ``team_ids``: team-level alerts of each survey's latest evaluated wave."""
    latest = {}
    for wave_id, survey_id in (
        Wave.objects.filter(evaluated_at__isnull=False).order_by("survey_id", "-number").values_list("pk", "survey_id")
    ):
        latest.setdefault(survey_id, wave_id)
    rows = PulseAlert.objects.filter(wave_id__in=latest.values(), team_id__in=team_ids).select_related("team")
    result = defaultdict(list)
    for alert in rows:
        result[alert.team_id].append(alert)
    return result


def team_site(team_id):
    return Team.objects.filter(pk=team_id).values_list("department__site_id", flat=True).first()


@dataclass(frozen=True)
class Results:
    """What a results view shows: the group actually shown (None when even the centre has fewer than five) and
    its figures, filtered by question or factor."""

    wave: Wave
    group: Group | None
    requested: str  # "team", "site" or "centre"
    factors: list
    questions: list

    @property
    def is_merged(self):
        return self.group is not None and self.group.level != self.requested


def results(wave, *, team=None, site_id=None, question_id=None, factor=""):
    """The results of ``wave`` for a team (or a site, or the centre), merged upward under the rule of five; the
    caller has checked that the viewer may ask for that team or site."""
    pub = publication(wave)
    if team is not None:
        requested, group = "team", pub.group_for_team(team.pk, team.department.site_id)
    elif site_id:
        requested, group = "site", pub.group_for_site(site_id)
    else:
        requested, group = "centre", pub.centre_group()
    if group is None:
        return Results(wave, None, requested, [], [])
    filters = {"question_id": question_id, "factor": factor}
    return Results(
        wave, group, requested, factor_figures(wave, group, **filters), question_figures(wave, group, **filters)
    )


def group_name(group):
    """A readable name of a published group."""
    if group is None:
        return ""
    if group.level == "team":
        return Team.objects.filter(pk=group.pk).values_list("name", flat=True).first() or ""
    if group.level == "site":
        return Site.objects.filter(pk=group.pk).values_list("name", flat=True).first() or ""
    return _("The whole centre")
