"""The heatmap's cells, rendered in one pass: 50 people × 15 indicators are 750 cells, and three template
variables each would cost more than the rest of the page."""

from django import template
from django.utils.html import format_html_join

register = template.Library()


@register.filter
def heat_cells(cells):
    """<td>s of a HeatmapRow's cells: colour class, tooltip and the gap as shown (all escaped)."""
    return format_html_join("", '<td class="heat {}" title="{}">{}</td>', ((c.css, c.title, c.text) for c in cells))
