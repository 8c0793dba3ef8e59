"""A tiny onboarding program for tests: four cycles with one or two required activities each, a
pass-the-gate check in cycle 3, KASH focus indicators (a level required at the gate of cycle 2),
and batches and enrollments made through training.services, as HR would."""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.utils import timezone

from staff.models import Stage
from tests.staff.factories import EmployeeFactory
from tests.training.factories import IndicatorFactory
from training import cycles, services
from training.models import (
    ActivityKind,
    ActivityOwner,
    ActivityTemplate,
    CycleTemplate,
    Enrollment,
    Indicator,
    Program,
    SourceWeight,
)

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")  # settings.TIME_ZONE: localdate() is the Shanghai date
PRE_JOB_DAYS = 10
CYCLE_DAYS = {1: 14, 2: 14, 3: 21, 4: 14}
CHECK_CYCLE = 3  # the cycle with a pass-the-gate check (pass mark 80)
LEVEL_CYCLE = 2  # the cycle whose gate wants its focus indicator at FOCUS_MIN_LEVEL
FOCUS_MIN_LEVEL = 3

# (cycle, title, kind, owner, due after days): every one is required.
ACTIVITIES = (
    (1, "Time the after-call work", ActivityKind.PRACTICE, ActivityOwner.TRAINEE, 3, "计时话后处理"),
    (1, "First coaching talk", ActivityKind.COACHING, ActivityOwner.MENTOR, 7, "首次辅导谈话"),
    (2, "Team project", ActivityKind.TEAM, ActivityOwner.TRAINEE, 5, "团队项目"),
    (3, "Role-play drill", ActivityKind.DRILL, ActivityOwner.TRAINEE, 10, "角色扮演演练"),
    (3, "One-to-one review", ActivityKind.COACHING, ActivityOwner.SUPERVISOR, 14, "一对一复盘"),
    (4, "Reflection on the low tide", ActivityKind.REFLECTION, ActivityOwner.TRAINEE, 7, "低潮期反思"),
)


def at(day, hour=9):
    """An aware datetime on ``day`` in the project's time zone, for time_machine."""
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


@dataclass
class TinyProgram:
    program: Program
    cycles: dict  # {number: CycleTemplate}
    activities: dict  # {number: [ActivityTemplate]}
    habit: Indicator  # focus of cycles 1 and 3
    attitude: Indicator  # focus of cycles 2 and 4; cycle 2's gate wants FOCUS_MIN_LEVEL
    skill: Indicator  # focus of cycle 3


def make_program(code="tiny"):
    """The program template: four cycles, their activities, focus indicators and gate rules."""
    for source in ("supervisor", "mentor", "exam"):
        SourceWeight.objects.update_or_create(source=source, defaults={"weight": 1})
    habit = IndicatorFactory(dimension="H", name_en="After-call work", name_zh="话后处理")
    attitude = IndicatorFactory(dimension="A", name_en="Belonging", name_zh="归属感")
    skill = IndicatorFactory(dimension="S", name_en="Customer-centric talk", name_zh="以客户为中心的沟通")
    program = Program.objects.create(
        code=code, name_en="Tiny onboarding", name_zh="小型入职培训", pre_job_days=PRE_JOB_DAYS
    )
    focus = {1: [habit], 2: [attitude], 3: [skill, habit], 4: [attitude]}
    templates, activities = {}, {}
    for number in range(1, cycles.LAST_CYCLE + 1):
        template = CycleTemplate.objects.create(
            program=program,
            number=number,
            name_en=f"Cycle {number}",
            name_zh=f"第{number}周期",
            length_days=CYCLE_DAYS[number],
            check_required=number == CHECK_CYCLE,
            pass_mark=80,
            focus_min_level=FOCUS_MIN_LEVEL if number == LEVEL_CYCLE else None,
        )
        template.focus_indicators.set(focus[number])
        templates[number] = template
        activities[number] = [
            ActivityTemplate.objects.create(
                cycle=template,
                order=order,
                title_en=title,
                title_zh=title_zh,
                kind=kind,
                owner=owner,
                due_offset_days=offset,
                is_required=True,
            )
            for order, (cycle, title, kind, owner, offset, title_zh) in enumerate(ACTIVITIES)
            if cycle == number
        ]
    return TinyProgram(program, templates, activities, habit, attitude, skill)


def make_trainee(team, *, mentor=None, language="en", **kwargs):
    """A new hire in pre-job training, with a user account."""
    return EmployeeFactory(team=team, mentor=mentor, stage=Stage.PRE_JOB, language=language, **kwargs)


def open_batch(tiny, *, hr, supervisor, trainees=(), start_on, code="batch-1", team=None):
    """Open a batch through the service, as HR; its trainees start in pre-job training."""
    return services.open_batch(
        actor=hr,
        program=tiny.program,
        code=code,
        name=f"Batch {code}",
        start_on=start_on,
        supervisor=supervisor,
        team=team if team is not None else supervisor.team,
        trainees=trainees,
    )


def enrollment_of(batch, trainee):
    return Enrollment.objects.get(batch=batch, trainee=trainee)


def meet_gate(enrollment, *, actor):
    """Do whatever the gate of the enrollment's current cycle asks, through the services: every
    required activity done, a passing check where one is required, focus levels where required."""
    enrollment.refresh_from_db()
    for activity in enrollment.activities.filter(cycle=enrollment.cycle, done_at__isnull=True):
        services.complete_activity(actor=actor, activity_id=activity.pk)
    template = CycleTemplate.objects.get(program=enrollment.batch.program, number=enrollment.cycle)
    if template.check_required:
        services.record_gate_check(actor=actor, enrollment_id=enrollment.pk, score=90)
    if template.focus_min_level is not None:
        give_levels(enrollment.trainee, template.focus_indicators.all(), level=4, actor=actor)


def give_levels(trainee, indicators, *, level, actor, source="supervisor", on=None):
    """A submitted assessment of ``trainee`` at ``level`` on every one of ``indicators``."""
    return services.create_assessment(
        actor=actor,
        subject=trainee,
        source=source,
        assessed_on=on or timezone.localdate(),
        scores={i.pk: (level, "") for i in indicators},
        submit=True,
    )


def walk_to(enrollment, state, *, actor):
    """Move an enrollment forward through the services (START, then gates met and ADVANCE)."""
    assert state in (*cycles.CYCLE_STATES, cycles.COMPLETED), state
    enrollment.refresh_from_db()
    if enrollment.state == cycles.PRE_JOB:
        services.move_enrollment(actor=actor, enrollment_id=enrollment.pk, move=cycles.START, from_state=cycles.PRE_JOB)
        enrollment.refresh_from_db()
    for _ in range(cycles.LAST_CYCLE):
        if enrollment.state == state:
            break
        meet_gate(enrollment, actor=actor)
        services.move_enrollment(
            actor=actor, enrollment_id=enrollment.pk, move=cycles.ADVANCE, from_state=enrollment.state
        )
        enrollment.refresh_from_db()
    assert enrollment.state == state, (enrollment.state, state)
    return enrollment


def in_cycle_one_with_records(world, *, code):
    """The world's trainee in cycle 1 of the default program (batch ``code``, supervised by the world's batch
    supervisor), with an activity, a coaching session and a gate check set on ``world`` for the tests to read."""
    batch = services.open_batch(
        actor=world.hr,
        program=Program.objects.get(code="default-four-cycles"),
        code=code,
        name=f"{code.capitalize()} batch",
        start_on=datetime.date(2026, 11, 2),
        supervisor=world.batch_supervisor,
        team=world.team,
        trainees=[world.trainee],
    )
    enrollment = batch.enrollments.get()
    world.enrollment = services.move_enrollment(
        actor=world.hr, enrollment_id=enrollment.pk, move=cycles.START, from_state=cycles.PRE_JOB
    )
    world.activity = world.enrollment.activities.first()
    world.session = services.log_coaching(
        actor=world.mentor.user,
        enrollment_id=enrollment.pk,
        phase="before",
        scheduled_at=datetime.datetime(2026, 11, 20, 10, tzinfo=datetime.UTC),
    )
    world.gate_check = services.record_gate_check(actor=world.mentor.user, enrollment_id=enrollment.pk, score=85)
    return world
