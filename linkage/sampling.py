"""QA sampling rules (issue 13 §4, seed 003), pure: which items a weekly spot check picks. A stable hash of
(week, kind, item) makes a rerun — in any process, on any day — pick the same rows; the anomalies are always in."""

import bisect
import datetime
import hashlib
from decimal import Decimal


def draw(week, kind, item_id):
    """A number in [0, 1) fixed by (week, kind, item): blake2b, not hash(), which changes between processes."""
    digest = hashlib.blake2b(f"{week}:{kind}:{item_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def picked(week, kind, item_id, rate):
    """True when the item falls in the sample at ``rate`` (0…1)."""
    return draw(week, kind, item_id) < float(rate)


def agent_rate(base, *, recent_finding=None, new_holder=None):
    """(rate, reason) for an agent: the highest of her grade's base rate, the rate after a recent finding and the
    rate for a new authority holder (each given only when it applies)."""
    best = (Decimal(base), "base")
    for rate, reason in ((recent_finding, "recent_finding"), (new_holder, "new_holder")):
        if rate is not None and Decimal(rate) > best[0]:
            best = (Decimal(rate), reason)
    return best


def repeat_customer(earlier_times, at, *, days, more_than):
    """True when the same customer was served more than ``more_than`` times in the ``days`` up to ``at``
    (``earlier_times`` sorted, ``at`` among them)."""
    start = bisect.bisect_left(earlier_times, at - datetime.timedelta(days=days))
    end = bisect.bisect_right(earlier_times, at)
    return end - start > more_than


def after_raise(issued_at, raised_at, *, days):
    """True when the issuance came within ``days`` after its limit was last raised."""
    return raised_at is not None and raised_at <= issued_at <= raised_at + datetime.timedelta(days=days)


def anomaly(*, at_limit, raised, repeat):
    """The anomaly reason that always puts an issuance in the sample, or ""."""
    if at_limit:
        return "at_limit"
    if raised:
        return "after_raise"
    if repeat:
        return "repeat_customer"
    return ""
