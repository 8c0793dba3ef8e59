"""The KASH demo: position targets and about a year of assessments, written in bulk past the services
(seed data: a few thousand service calls would take minutes). The rows still keep the model's rules."""

import random
from collections import Counter

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from staff.demo import CHANGE_REASON, ROLE_TRAINEE
from staff.models import Employee, Position, Stage

from ..models import Assessment, Indicator, PositionTarget, Score
from .kash_data import DEMO_TAG, TARGETS
from .kash_plan import _assessors, _Planner


def _sync_targets(indicators):
    """Make the demo positions' targets match TARGETS; returns (created, updated)."""
    positions = {p.code: p for p in Position.objects.filter(code__in={code for code, *_ in TARGETS})}
    wanted = {}
    for code, stage, levels in TARGETS:
        if code not in positions:
            continue
        for indicator in indicators:
            level = levels.get(indicator.code, levels.get(indicator.dimension))
            if level is not None:
                wanted[(positions[code].pk, indicator.pk, stage)] = level
    existing = {
        (t.position_id, t.indicator_id, t.stage): t
        for t in PositionTarget.objects.filter(position__in=positions.values())
    }
    new, updated = [], 0
    for (position_id, indicator_id, stage), level in wanted.items():
        target = existing.get((position_id, indicator_id, stage))
        if target is None:
            new.append(PositionTarget(position_id=position_id, indicator_id=indicator_id, stage=stage, level=level))
        elif target.level != level:
            target.level = level
            target._change_reason = CHANGE_REASON
            target.save(update_fields=["level"])
            updated += 1
    bulk_create_with_history(new, PositionTarget, default_change_reason=CHANGE_REASON)
    return len(new), updated


def seed_kash_demo(*, today, stdout=None):
    """Position targets and about a year of assessments of everyone in a team."""
    rng = random.Random(2026)
    indicators = list(Indicator.objects.filter(is_active=True).order_by("order", "code"))
    counts = Counter()
    counts["targets"], counts["updated"] = _sync_targets(indicators)

    employees = list(
        Employee.objects.select_related("position", "mentor", "team__supervisor", "team__department__site")
        .exclude(user=None)
        .order_by("employee_number")
    )
    trainee_user = get_user_model().objects.filter(username=ROLE_TRAINEE).values_list("pk", flat=True).first()
    done = set(Assessment.objects.filter(context__contains=DEMO_TAG).values_list("subject_id", flat=True).distinct())
    planner = _Planner(rng, today, indicators, _assessors(employees))
    first, second = [], []  # corrections go in a second batch: they need the id of what they correct
    if indicators:
        for employee in employees:
            if employee.team is None or employee.stage == Stage.LEFT:
                continue
            # Plan everyone, even people already seeded, so the random stream is the same on every run.
            growth, planned = planner.plan(employee)
            extras = planner.trainee_extras(employee, growth, planned) if employee.user_id == trainee_user else []
            if employee.pk in done:
                continue
            first += planned + [p for p in extras if p.corrects is None]
            second += [p for p in extras if p.corrects is not None]

    scores = []
    for batch in (first, second):
        rows = Assessment.objects.bulk_create([p.to_row() for p in batch])
        for planned, row in zip(batch, rows, strict=True):
            planned.row = row
            scores += [
                Score(assessment_id=row.pk, indicator_id=indicator_id, level=level, evidence=evidence)
                for indicator_id, level, evidence in planned.scores
            ]
    Score.objects.bulk_create(scores, batch_size=2000)
    counts["assessments"], counts["scores"] = len(first) + len(second), len(scores)

    if stdout is not None:
        stdout.write(
            _(
                "KASH demo: %(targets)d position targets added, %(updated)d updated; "
                "%(assessments)d assessments with %(scores)d scores added."
            )
            % counts
        )
    return counts
