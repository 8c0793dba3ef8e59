"""Onboarding activities kept by another part of the product under a key (issue 12 §5: each published playbook is
a cycle-3 activity — linkage is part of 4C communication). The other app says what the activity is; training
gives it to the trainees in that cycle now and to those entering it later, and marks it done when told."""

import datetime

from django.db import transaction

from .. import cycles
from ..models import Activity, ActivityKind, ActivityOwner, ActivityTemplate, CycleTemplate, Enrollment
from .onboarding import complete_activity


@transaction.atomic
def keep_program_activity(*, key, cycle_number, title_en, title_zh, link="", kind=ActivityKind.LEARNING, active=True):
    """Upsert the activity ``key`` in cycle ``cycle_number`` of every program (trainee-owned, required, due a week
    into the cycle). While active, the enrollments now in that cycle get it at once (once: the activity is unique
    per enrollment and template); inactive, new cycles no longer get it and the ones given stay as they are.
    Returns the number of activities given."""
    given = 0
    for cycle in CycleTemplate.objects.filter(number=cycle_number).select_for_update():
        template, _created = ActivityTemplate.objects.update_or_create(
            cycle=cycle,
            key=key,
            batch=None,
            defaults={
                "title_en": title_en[:160],
                "title_zh": title_zh[:160],
                "link": link,
                "kind": kind,
                "owner": ActivityOwner.TRAINEE,
                "is_active": active,
            },
        )
        if active:
            given += _give_now(template, cycle)
    return given


def _give_now(template, cycle):
    enrollments = Enrollment.objects.filter(
        batch__program_id=cycle.program_id,
        cycle=cycle.number,
        state__in=(cycles.cycle_state(cycle.number), cycles.EXTENDED, cycles.ON_HOLD),
    ).exclude(activities__template=template)
    created = Activity.objects.bulk_create(
        [
            Activity(
                enrollment=e,
                template=template,
                cycle=cycle.number,
                due_on=e.cycle_started_on + datetime.timedelta(days=template.due_offset_days),
            )
            for e in enrollments.only("pk", "cycle_started_on")
        ],
        ignore_conflicts=True,
    )
    return len(created)


def complete_kept_activity(*, actor, employee, key, note=""):
    """Mark done ``employee``'s open activities kept under ``key`` (by ``actor``, the trainee herself: the
    permission of complete_activity applies). Returns how many were marked."""
    open_ones = Activity.objects.filter(
        enrollment__trainee=employee, template__key=key, done_at__isnull=True, enrollment__state__in=cycles.DUE
    ).values_list("pk", flat=True)
    done = 0
    for activity_id in list(open_ones):
        complete_activity(actor=actor, activity_id=activity_id, note=note)
        done += 1
    return done
