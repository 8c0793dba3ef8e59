"""Template filters of the initiative page: a change in a KPI's unit ("+3.1 points" for a percentage), a value to
4 decimals (the figure effects.py computed), and the permissions the page's buttons follow."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kpis.models import Unit
from kpis.templatetags.kpi_results import DECIMALS, PREFIX, SUFFIX

from .. import effects, initiative_rules

register = template.Library()


@register.filter
def kpi_change(difference, kpi):
    """A difference as a supervisor reads it: percentage points for a percentage, else the unit; signed."""
    if difference is None:
        return "—"
    sign = "+" if difference > 0 else "−" if difference < 0 else "±"
    size = abs(difference)
    if kpi.unit == Unit.PERCENT:
        return _("%(sign)s%(n)s points") % {"sign": sign, "n": number_format(size * 100, 1)}
    shown = number_format(size, DECIMALS.get(kpi.unit, 2))
    return f"{sign}{PREFIX.get(kpi.unit, '')}{shown}{SUFFIX.get(kpi.unit, '')}"


@register.filter
def relative(value):
    """A relative change in % with one decimal, signed."""
    if value is None:
        return "—"
    return f"{'+' if value > 0 else ''}{number_format(value, 1)}%"


@register.filter
def four(value):
    """The value to 4 decimal places (as a plain string, for data attributes and tests)."""
    found = effects.quantised(value)
    return "" if found is None else str(found)


@register.filter
def improved_by(effect, change):
    """True when ``change`` went the KPI's good way, False the bad way, None when unknown."""
    return effect.improved(change)


@register.filter
def status_label(status):
    return initiative_rules.STATUS_LABELS.get(status, status)
