"""Reads about drills (issue 12 §6): who drilled with whom (pair familiarity, 默契) and a person's recent drills."""

from collections import Counter, defaultdict
from itertools import combinations

from ..models import DrillParticipant, DrillStatus


def pair_familiarity(employee_ids):
    """{(a, b): count} with a < b: how many scored or practice drills (status scored) the two people among
    ``employee_ids`` took part in together. One query whatever the history."""
    ids = set(employee_ids)
    if not ids:
        return {}
    rows = DrillParticipant.objects.filter(employee_id__in=ids, drill__status=DrillStatus.SCORED).values_list(
        "drill_id", "employee_id"
    )
    by_drill = defaultdict(set)
    for drill_id, employee_id in rows.order_by():
        by_drill[drill_id].add(employee_id)
    counts = Counter()
    for members in by_drill.values():
        counts.update(combinations(sorted(members), 2))
    return dict(counts)


def recent_drills(employee, playbook_ids, *, per_playbook=3):
    """{playbook_id: [DrillParticipant]} her latest drills of each playbook (scheduled, scored or cancelled),
    newest first, the drill and its version loaded. One query."""
    rows = (
        DrillParticipant.objects.filter(employee=employee, drill__version__playbook_id__in=list(playbook_ids))
        .select_related("drill__version", "role")
        .order_by("-drill__scheduled_for", "-drill_id")
    )
    latest = defaultdict(list)
    for row in rows[: 50 * per_playbook]:
        mine = latest[row.drill.version.playbook_id]
        if len(mine) < per_playbook:
            mine.append(row)
    return dict(latest)
