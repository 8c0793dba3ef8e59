"""QA sampling rules (issue 13 §4, seed 003), pure: which items a weekly spot check picks. A stable hash of
(week, kind, item) makes a rerun — in any process, on any day — pick the same rows; the anomalies are always in.

The hash is the first ``DIGITS`` hex digits of MD5 over ``key(week, kind, item)``, and an item is picked when
that hex string sorts below ``threshold(rate)``: a comparison the database makes the same way (MD5 and a
byte-order comparison of equal-length hex strings), so the weekly sample is drawn inside one INSERT … SELECT
(linkage.services.qa) and this module stays the rule the tests check it against."""

import bisect
import datetime
import hashlib
import math
from decimal import Decimal

DIGITS = 15  # hex digits of the hash compared: 60 bits
SCALE = 16**DIGITS
ABOVE_ALL = "g"  # sorts after every hex string: the threshold of a rate of 1 or more


def key(week, kind, item_id):
    """The text hashed for an item: the week (ISO date), the kind ("issuance" or "case") and the item's id."""
    return f"{week}:{kind}:{item_id}"


def digest(week, kind, item_id):
    """The item's fixed hex string of ``DIGITS`` digits (MD5, not hash(), which changes between processes)."""
    return hashlib.md5(key(week, kind, item_id).encode(), usedforsecurity=False).hexdigest()[:DIGITS]


def draw(week, kind, item_id):
    """A number in [0, 1) fixed by (week, kind, item)."""
    return int(digest(week, kind, item_id), 16) / SCALE


def threshold(rate):
    """The hex string an item's digest must sort below to be picked at ``rate`` (0…1): "" picks nothing."""
    rate = Decimal(rate)
    if rate >= 1:
        return ABOVE_ALL
    if rate <= 0:
        return ""
    return f"{math.ceil(rate * SCALE):0{DIGITS}x}"


def picked(week, kind, item_id, rate):
    """True when the item falls in the sample at ``rate`` (0…1)."""
    return digest(week, kind, item_id) < threshold(rate)


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
