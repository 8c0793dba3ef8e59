"""Organisation health rules (issue 16 §3, seed 004: organisation design and pay analysis), pure: no database.

- Span of control: the active people a supervisor leads directly (the members of her teams, herself excepted). A
  contact-centre team lead coaches, listens to calls and covers the floor; seed 004 sizes a 班组 so that one lead can
  do that for everyone, which in practice is about 8 to 15 agents. Wider than ``SPAN_MAX`` and the coaching thins
  out; narrower than ``SPAN_MIN`` and the lead is a layer more than the work needs. Both are flagged, not forbidden.
- Headcount: a position's planned headcount against the active people holding it; open = planned − filled, never
  below 0 (over-filled is shown as such).
- Turnover over the last 12 months: leavers whose last working day falls in the window, over the average headcount
  ((headcount at the window's start + headcount at its end) / 2, the usual HR formula).
- Pay analysis: people by pay grade × scorecard band. A cell of fewer than ``insights.permissions.SMALL_GROUP``
  people is never shown, and neither is any other cell that would let a reader subtract her way to it from the
  totals shown (complementary suppression, ``suppressed_cells``)."""

from decimal import ROUND_HALF_UP, Decimal

from .figures import rate

SPAN_MIN = 8
SPAN_MAX = 15
WIDE, NARROW, FINE = "wide", "narrow", "fine"


def span_flag(span):
    if span > SPAN_MAX:
        return WIDE
    if span < SPAN_MIN:
        return NARROW
    return FINE


def open_seats(headcount, filled):
    return max(headcount - filled, 0)


def turnover(leavers, headcount_at_start, headcount_at_end):
    """A Rate whose denominator is the average headcount, rounded half up to a whole person (0 with nobody)."""
    average = (Decimal(headcount_at_start) + Decimal(headcount_at_end)) / 2
    return rate(leavers, int(average.quantize(Decimal(1), rounding=ROUND_HALF_UP)))


def suppressed_cells(table, minimum):
    """What to hide of ``table`` ({(row, column): count}) so that no count under ``minimum`` (and over 0) can be
    read or derived from the totals: (hidden cells, hidden lines). Every small cell is hidden; then, while a row or
    a column has exactly one hidden cell, the smallest other non-empty cell of that line is hidden too — or, when it
    has no other, the line's total (a line is ``(axis, key)``: axis 0 a row, 1 a column)."""
    hidden = {cell for cell, n in table.items() if 0 < n < minimum}
    hidden_lines = set()
    changed = True
    while changed:
        changed = False
        for axis in (0, 1):
            for line in sorted({cell[axis] for cell in table}, key=str):
                cells = sorted((cell for cell in table if cell[axis] == line and table[cell] > 0), key=str)
                secret = [cell for cell in cells if cell in hidden]
                if len(secret) != 1:
                    continue
                others = [cell for cell in cells if cell not in hidden]
                if others:
                    hidden.add(min(others, key=lambda cell: (table[cell], str(cell))))
                    changed = True
                elif (axis, line) not in hidden_lines:
                    hidden_lines.add((axis, line))
                    changed = True
    return hidden, hidden_lines
