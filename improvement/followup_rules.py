"""Follow-up rules (issue 14 §4, seed 002: 事前 / 事中 / 事后), pure: what a risk flag is about (its key and detail),
when a flag's follow-up came on time, and what a lead's record says. No database, no clock."""

import datetime

REVIEW_WITHIN_DAYS = 3  # a lead follows up a raised flag with a coaching session within this many days
LEAD_WINDOW_DAYS = 90  # the lead's record covers the flags raised in the last this many days


def kpi_key(kpi_code):
    return f"kpi:{kpi_code}"


def certification_key(playbook_id):
    return f"cert:{playbook_id}"


TASKS_KEY = "tasks"


AT_RISK_BANDS = ("below", "far_below")  # kpis.models.Band values under target


def is_kpi_risk(before, now):
    """A fall is a risk when it takes the KPI under target (meets → below, excellent → far below, …); a fall that
    stays at or above target (excellent → meets) is not."""
    return before != now and now in AT_RISK_BANDS


def kpi_detail(before, now):
    """The bands of a KPI drop, as stored: "meets>below"."""
    return f"{before}>{now}"


def split_kpi_detail(detail):
    before, _sep, now = detail.partition(">")
    return before, now


def followed_up_on_time(raised_on, coached_on, *, days=REVIEW_WITHIN_DAYS):
    """True when a coaching session on ``coached_on`` answers a flag raised on ``raised_on``."""
    return coached_on is not None and raised_on <= coached_on <= raised_on + datetime.timedelta(days=days)


def review_due(raised_on, *, days=REVIEW_WITHIN_DAYS):
    """The last day a flag raised on ``raised_on`` is followed up on time."""
    return raised_on + datetime.timedelta(days=days)


def share(part, whole):
    """``part`` of ``whole`` as a whole percentage, or None when there is nothing to measure."""
    return None if not whole else round(100 * part / whole)
