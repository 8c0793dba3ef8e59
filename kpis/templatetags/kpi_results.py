"""Template filters for KPI results: a value in its unit, and the KPI pages' permissions (templates never check
roles inline)."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html

from kpis import permissions
from kpis.models import Unit

register = template.Library()

DECIMALS = {Unit.PERCENT: 1, Unit.SECONDS: 0, Unit.PER_HOUR: 2, Unit.CNY: 2, Unit.NUMBER: 2}
SUFFIX = {Unit.PERCENT: "%", Unit.SECONDS: " s"}
PREFIX = {Unit.CNY: "¥"}


@register.filter
def kpi_value(value, kpi):
    """A value (or target) as the pages show it: percent × 100 with one decimal, seconds whole, "—" for none;
    rounded half up (number_format alone would cut 76.66 % to 76.6 %)."""
    if value is None:
        return "—"
    shown = Decimal(str(value)) * 100 if kpi.unit == Unit.PERCENT else Decimal(str(value))
    places = DECIMALS.get(kpi.unit, 2)
    shown = shown.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{PREFIX.get(kpi.unit, '')}{number_format(shown, places)}{SUFFIX.get(kpi.unit, '')}"


@register.filter
def can_view_own_results(user):
    return permissions.can_view_own_results(user)


@register.filter
def can_view_team_kpis(user):
    return permissions.can_view_team_kpis(user)


@register.filter
def can_view_centre(user):
    return permissions.can_view_centre(user)


@register.filter
def kpi_cell(cell):
    """A table cell of a value in its band's colour (a filter, not an include: a team page has hundreds)."""
    if cell.band:
        return format_html(
            '<td class="text-end text-nowrap table-{}" title="{}" data-band="{}">{}</td>',
            cell.colour.css,
            cell.band.label,
            cell.band,
            kpi_value(cell.value, cell.kpi),
        )
    return format_html('<td class="text-end text-nowrap" data-band="">{}</td>', kpi_value(cell.value, cell.kpi))
