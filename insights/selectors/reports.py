"""The reporting system's reads (issue 16 §4): a report's figures, which fill themselves from the same sources as
the insight pages, and the rows every output shows — page, API, PDF and XLSX read ``sections(report)`` so they
show the same numbers.

The figures are plain JSON, language-free (labels are resolved when shown): computed live while the report is
open, frozen by ``services.reports.submit`` so the archive keeps what was submitted. A fixed number of queries:
people (1), gates (1), KPI sums (≤ 2), bands (1), recognitions (1), initiatives (a few per initiative, at most
``INITIATIVES``)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q
from django.utils import translation
from django.utils.translation import gettext as _

from improvement import effects as improvement_effects
from improvement.models import Initiative
from incentives.models import RecognitionRecipient
from kpis.models import AgentDay, Band, QueueDay, Scorecard, Source, Unit
from kpis.selectors.results import active_kpis, measure_sums
from staff.models import Employee, Stage
from training.models import GateCheck

from .. import health_rules
from ..figures import rate
from ..models import ReportKind
from .effects import CHECKED
from .health import employed_on

INITIATIVES = 10
VERSION = 1


def _people(team, start, end):
    people = Employee.objects.all() if team is None else Employee.objects.filter(team=team)
    counts = people.aggregate(
        at_start=Count("pk", filter=employed_on(start)),
        at_end=Count("pk", filter=employed_on(end)),
        joiners=Count("pk", filter=Q(hire_date__range=(start, end))),
        leavers=Count("pk", filter=Q(stage=Stage.LEFT, left_on__range=(start, end))),
    )
    turnover = health_rules.turnover(counts["leavers"], counts["at_start"], counts["at_end"])
    return {
        "headcount": counts["at_end"],
        "joiners": counts["joiners"],
        "leavers": counts["leavers"],
        "turnover": {"numerator": turnover.numerator, "denominator": turnover.denominator},
    }


def _gates(team, start, end):
    checks = GateCheck.objects.filter(taken_on__range=(start, end))
    if team is not None:
        checks = checks.filter(enrollment__trainee__team=team)
    found = checks.aggregate(taken=Count("pk"), passed=Count("pk", filter=Q(score__gte=F("pass_mark"))))
    return {"numerator": found["passed"], "denominator": found["taken"]}


def _text(value):
    return None if value is None else str(value)


def _kpis(team, start, end):
    kpis = active_kpis()
    sums = {}
    agent_rows = AgentDay.objects.filter(on__range=(start, end))
    if team is not None:
        agent_rows = agent_rows.filter(team=team)
    sources = [agent_rows] if team is not None else [agent_rows, QueueDay.objects.filter(on__range=(start, end))]
    for rows in sources:
        for found in measure_sums(kpis, rows).values():
            sums.update(found)
    shown = []
    for kpi in kpis:
        if team is not None and kpi.numerator.source != Source.AGENT:
            continue  # connect rate exists for sites and the centre only
        numerator = sums.get(kpi.numerator.code, 0)
        denominator = sums.get(kpi.denominator.code, 0)
        value = kpi.factor * Decimal(numerator) / Decimal(denominator) if denominator else None
        shown.append(
            {
                "code": kpi.code,
                "name_en": kpi.name_en,
                "name_zh": kpi.name_zh,
                "unit": kpi.unit,
                "numerator": str(numerator),
                "denominator": str(denominator),
                "value": _text(improvement_effects.quantised(value)),
            }
        )
    return shown


def _bands(team, start):
    scorecards = Scorecard.objects.filter(month=start)
    if team is not None:
        scorecards = scorecards.filter(team=team)
    by_band = dict(scorecards.order_by().values_list("band").annotate(n=Count("pk")))
    total = sum(by_band.values())
    return [{"band": band, "numerator": by_band.get(band, 0), "denominator": total} for band in Band.values]


def _recognitions(team, start, end):
    received = RecognitionRecipient.objects.filter(recognition__created_at__date__range=(start, end))
    if team is not None:
        received = received.filter(employee__team=team)
    return received.count()


def _initiatives(team, end):
    initiatives = Initiative.objects.filter(status__in=CHECKED, rollout_start__lte=end)
    if team is not None:
        initiatives = initiatives.filter(scope_teams=team)
    today = end + datetime.timedelta(days=1)
    shown = []
    for initiative in initiatives.order_by("-rollout_start", "pk").distinct()[:INITIATIVES]:
        check = improvement_effects.check_of(initiative, today=today)
        for effect in check.goals:
            shown.append(
                {
                    "id": initiative.pk,
                    "title": initiative.title,
                    "code": effect.kpi.code,
                    "name_en": effect.kpi.name_en,
                    "name_zh": effect.kpi.name_zh,
                    "unit": effect.kpi.unit,
                    **{
                        part: _text(improvement_effects.quantised(getattr(effect, part)))
                        for part in ("before", "after", "pilot", "control")
                    },
                }
            )
    return shown


def compute(kind, team, start, end, *, now):
    """The figures of a report of ``kind`` for ``team`` (None: the centre) over ``start``–``end``."""
    return {
        "version": VERSION,
        "computed_at": now.isoformat(),
        "people": _people(team, start, end),
        "gates": _gates(team, start, end),
        "kpis": _kpis(team, start, end),
        "bands": _bands(team, start) if kind == ReportKind.MONTHLY_CENTRE else [],
        "recognitions": _recognitions(team, start, end),
        "initiatives": _initiatives(team, end),
    }


def figures_of(report, *, now):
    """The frozen figures of a submitted report, the live ones of an open one."""
    if report.figures:
        return report.figures
    return compute(report.kind, report.team, report.period_start, report.period_end, now=now)


# What every output shows ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unitless:
    unit: str


@dataclass(frozen=True)
class Line:
    """One figure: its label, the text the page shows, and (for a rate or a KPI) its numerator, denominator and
    value to 4 decimals; ``unit`` says how a spreadsheet formats ``value`` (a KPI unit, "rate" or "count")."""

    key: str
    label: str
    shown: str
    value: Decimal | int | None
    unit: str
    numerator: str = ""
    denominator: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    lines: list
    columns: tuple = ()  # for a table section (initiatives): its column headings


RATE = "rate"
COUNT = "count"


def _kpi_text(value, unit):
    from kpis.templatetags.kpi_results import kpi_value

    return kpi_value(None if value is None else Decimal(value), Unitless(unit))


def _rate_line(key, label, found):
    share = rate(found["numerator"], found["denominator"])
    shown = _("No data") if share.percent is None else f"{share.percent}%"
    return Line(key, label, shown, share.value, RATE, str(share.numerator), str(share.denominator))


def _count_line(key, label, count):
    return Line(key, label, str(count), count, COUNT)


def _name(found):
    chinese = (translation.get_language() or "").lower().startswith("zh")
    return (found["name_zh"] if chinese else found["name_en"]) or found["name_en"]


def sections(figures):
    """The report's figures as labelled lines in the active language (no query)."""
    people = figures["people"]
    band_labels = dict(Band.choices)
    result = [
        Section(
            "people",
            _("People"),
            [
                _count_line("headcount", _("Headcount at the period's end"), people["headcount"]),
                _count_line("joiners", _("Joined"), people["joiners"]),
                _count_line("leavers", _("Left"), people["leavers"]),
                _rate_line("turnover", _("Turnover (leavers over the average headcount)"), people["turnover"]),
                _rate_line("gates", _("Gate checks passed"), figures["gates"]),
                _count_line("recognitions", _("Recognitions received"), figures["recognitions"]),
            ],
        ),
        Section(
            "kpis",
            _("KPIs"),
            [
                Line(
                    f"kpi:{found['code']}",
                    _name(found),
                    _kpi_text(found["value"], found["unit"]),
                    None if found["value"] is None else Decimal(found["value"]),
                    found["unit"],
                    found["numerator"],
                    found["denominator"],
                )
                for found in figures["kpis"]
            ],
        ),
    ]
    if figures["bands"]:
        result.append(
            Section(
                "bands",
                _("Scorecard bands"),
                [
                    _rate_line(f"band:{found['band']}", str(band_labels.get(found["band"], found["band"])), found)
                    for found in figures["bands"]
                ],
            )
        )
    return result


@dataclass(frozen=True)
class EffectRow:
    initiative_id: int
    title: str
    kpi: str
    unit: str
    cells: list  # [(value or None, text)] for before, after, pilot, control


def effect_rows(figures):
    return [
        EffectRow(
            found["id"],
            found["title"],
            _name(found),
            found["unit"],
            [
                (None if found[part] is None else Decimal(found[part]), _kpi_text(found[part], found["unit"]))
                for part in ("before", "after", "pilot", "control")
            ],
        )
        for found in figures["initiatives"]
    ]


def effect_columns():
    return [_("Before"), _("After"), _("Pilot"), _("Control group")]


def percent_unit(unit):
    return unit in (Unit.PERCENT, RATE)
