"""The one writer of onboarding moves (DOMAIN §3, STYLE §2): apply_changes writes what
training.cycles.plan said, for one enrollment (move_enrollment: a chunk of one) or for a chunk of
the sweep, set-based — one UPDATE of the enrollments (a few grouped ones on SQLite), one INSERT
of events, one INSERT … SELECT of the new cycles' activities, the employees' stages through
staff.services.change_people (with history rows) and one insert of notifications: a fixed number of
statements whatever the chunk's size. Runs inside the caller's transaction, rows already locked."""

from collections import defaultdict

from django.db import connection
from django.db.models import Case, F, TextField, Value, When
from django.utils import timezone

from config import bulk
from staff import services as staff_services

from . import notify
from .models import Activity, ActivityTemplate, Batch, CycleAdjustment, CycleTemplate, Enrollment, EnrollmentEvent


def cycle_days(batch_ids, templates):
    """{batch id: {cycle number: days}}: each cycle's length for each batch, adjustments included.
    ``templates``: {(program id, number): CycleTemplate}; batches given as {batch id: program id}."""
    extra = {(a.batch_id, a.cycle_number): a.extra_days for a in CycleAdjustment.objects.filter(batch_id__in=batch_ids)}
    return {
        batch_id: {
            number: template.length_days + extra.get((batch_id, number), 0)
            for (program, number), template in templates.items()
            if program == program_id
        }
        for batch_id, program_id in batch_ids.items()
    }


def apply_changes(changes, *, actor, today):
    """Write ``changes`` (cycles.Change, one per enrollment). The caller holds the rows' locks."""
    if not changes:
        return
    now = timezone.now()
    _update_enrollments(changes, now)
    _create_activities([c for c in changes if c.enters_cycle], today)
    _insert_events(changes, actor, now)
    _change_stages(changes, actor, now)
    notify.moves_made(changes, actor=actor, today=today)


OPTIONAL = ("cycle_started_on", "due_on", "is_gate_failed", "remediation_plan")  # set where a Change says


def _update_enrollments(changes, now):
    if connection.vendor == "postgresql":
        _update_from_arrays(changes, now)
    else:
        _update_grouped(changes, now)


def _update_from_arrays(changes, now):
    """PostgreSQL: one UPDATE for the whole chunk, its new values joined from arrays (unnest); a NULL
    keeps the column as it is (a hold changes no date)."""
    quote = connection.ops.quote_name
    arrays = [
        [c.enrollment_id for c in changes],
        [c.after.state for c in changes],
        [c.after.cycle for c in changes],
        [c.after.held_from for c in changes],
        *([c.fields.get(name) for c in changes] for name in OPTIONAL),
    ]
    kept = ", ".join(f"{name} = COALESCE(v.{name}, e.{name})" for name in OPTIONAL)
    sql = (
        f"UPDATE {quote(Enrollment._meta.db_table)} AS e SET state = v.state, cycle = v.cycle, "
        f"held_from = v.held_from, {kept}, updated_at = %s "
        "FROM unnest(%s::bigint[], %s::text[], %s::integer[], %s::text[], %s::date[], %s::date[], %s::boolean[], "
        f"%s::text[]) AS v(id, state, cycle, held_from, {', '.join(OPTIONAL)}) WHERE e.id = v.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, *map(bulk.array_literal, arrays)])


def _update_grouped(changes, now):
    """Elsewhere (SQLite): one UPDATE per distinct set of new values (most of a batch moves together);
    remediation plans (the gate's reasons) differ more: one CASE arm per distinct plan."""
    groups = defaultdict(lambda: defaultdict(list))
    for change in changes:
        fields = dict(change.fields)
        plan = fields.pop("remediation_plan", None)
        after = change.after
        values = (("state", after.state), ("cycle", after.cycle), ("held_from", after.held_from))
        groups[values + tuple(sorted(fields.items()))][plan].append(change.enrollment_id)
    for values, by_plan in groups.items():
        columns = dict(values, updated_at=now)
        if list(by_plan) != [None]:
            plans = {text: ids for text, ids in by_plan.items() if text is not None}
            if len(plans) == 1 and None not in by_plan:
                columns["remediation_plan"] = next(iter(plans))
            else:
                arms = [When(pk__in=ids, then=Value(text)) for text, ids in plans.items()]
                columns["remediation_plan"] = Case(*arms, default=F("remediation_plan"), output_field=TextField())
        Enrollment.objects.filter(pk__in=[pk for ids in by_plan.values() for pk in ids]).update(**columns)


def _create_activities(entering, today):
    """The activities of the cycle each enrollment just entered, from its templates (the program's and
    the batch's extras), due ``due_offset_days`` into the cycle: one INSERT … SELECT."""
    if not entering:
        return
    quote = connection.ops.quote_name
    table = {m: quote(m._meta.db_table) for m in (Activity, Enrollment, Batch, CycleTemplate, ActivityTemplate)}
    if connection.vendor == "postgresql":
        due = "CAST(%s AS date) + t.due_offset_days"
    else:
        due = "date(%s, '+' || t.due_offset_days || ' days')"
    ids = [c.enrollment_id for c in entering]
    sql = (
        f"INSERT INTO {table[Activity]} (enrollment_id, template_id, cycle, due_on, done_at, done_by_id, note) "
        f"SELECT e.id, t.id, e.cycle, {due}, NULL, NULL, '' FROM {table[Enrollment]} e "
        f"JOIN {table[Batch]} b ON b.id = e.batch_id "
        f"JOIN {table[CycleTemplate]} c ON c.program_id = b.program_id AND c.number = e.cycle "
        f"JOIN {table[ActivityTemplate]} t ON t.cycle_id = c.id AND (t.batch_id IS NULL OR t.batch_id = e.batch_id) "
        f"AND t.is_active "
        f"WHERE e.id IN ({', '.join(['%s'] * len(ids))}) ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [today.isoformat(), *ids])


def _insert_events(changes, actor, now):
    bulk.insert_rows(
        EnrollmentEvent,
        ("enrollment_id", "actor_id", "move", "from_state", "to_state", "reason", "at"),
        [
            (c.enrollment_id, actor.pk if actor else None, c.move, c.before.state, c.after.state, c.reason, now)
            for c in changes
        ],
    )


def _change_stages(changes, actor, now):
    """The trainees' life-cycle stages (DOMAIN §1), through staff so each change has a history row."""
    groups = defaultdict(list)
    for change in changes:
        if change.stage is not None:
            groups[change.stage].append(change.trainee_id)
    for (from_stages, stage, reason), trainee_ids in groups.items():
        staff_services.change_people(
            actor=actor, employee_ids=trainee_ids, stage=stage, from_stages=from_stages, reason=reason, changed_at=now
        )
