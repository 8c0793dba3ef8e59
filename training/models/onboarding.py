"""Four-cycle onboarding (DOMAIN §3): program templates, batches, enrollments moved by
training.services through the state machine in training.cycles, activities, coaching, gates."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from staff.models import Employee, Team

from .. import cycles, idempotency
from .kash import Assessment, Bilingual, Indicator

CYCLE_NUMBER_VALIDATORS = [MinValueValidator(1), MaxValueValidator(cycles.LAST_CYCLE)]


class Program(Bilingual, models.Model):
    """An onboarding program template: pre-job modules and the four cycles."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    pre_job_days = models.PositiveSmallIntegerField(_("pre-job training days"), default=10)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("onboarding program")
        verbose_name_plural = _("onboarding programs")
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self._pick("name")


class PreJobModule(Bilingual, models.Model):
    class Topic(models.TextChoices):
        CULTURE = "culture", _("Culture")
        PROMOTION = "promotion", _("Promotion system")
        PRODUCTS = "products", _("Product knowledge")
        OPERATIONS = "operations", _("Basic operations")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="modules", verbose_name=_("program"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    title_en = models.CharField(_("title (English)"), max_length=160)
    title_zh = models.CharField(_("title (Chinese)"), max_length=160)
    hours = models.PositiveSmallIntegerField(_("hours"), default=4)

    class Meta:
        verbose_name = _("pre-job module")
        verbose_name_plural = _("pre-job modules")
        ordering = ["program", "order"]

    def __str__(self):
        return self.title

    @property
    def title(self):
        return self._pick("title")


class CycleTemplate(Bilingual, models.Model):
    """One of a program's four cycles, with its goals, KASH focus and gate criteria."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="cycles", verbose_name=_("program"))
    number = models.PositiveSmallIntegerField(_("cycle"), validators=CYCLE_NUMBER_VALIDATORS)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    goals_en = models.TextField(_("goals (English)"), blank=True)
    goals_zh = models.TextField(_("goals (Chinese)"), blank=True)
    length_days = models.PositiveSmallIntegerField(_("length in days"), default=14)
    focus_indicators = models.ManyToManyField(
        Indicator, blank=True, related_name="focus_of_cycles", verbose_name=_("KASH focus indicators")
    )
    focus_min_level = models.DecimalField(
        _("focus level required at the gate"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    check_required = models.BooleanField(_("pass-the-gate check required"), default=False)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark"), default=80, validators=[MaxValueValidator(100)])

    class Meta:
        verbose_name = _("cycle template")
        verbose_name_plural = _("cycle templates")
        ordering = ["program", "number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="cycle_template_unique"),
            models.CheckConstraint(condition=models.Q(number__gte=1, number__lte=4), name="cycle_template_1_to_4"),
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"

    @property
    def name(self):
        return self._pick("name")

    @property
    def goals(self):
        return self._pick("goals")


class ActivityKind(models.TextChoices):
    LEARNING = "learning", _("Learning")
    PRACTICE = "practice", _("Practice")
    TEAM = "team", _("Team activity")
    COACHING = "coaching", _("Coaching session")
    DRILL = "drill", _("Drill")
    GATE = "gate", _("Pass-the-gate check")
    REFLECTION = "reflection", _("Reflection")


class ActivityOwner(models.TextChoices):
    TRAINEE = "trainee", _("Trainee")
    MENTOR = "mentor", _("Mentor")
    SUPERVISOR = "supervisor", _("Supervisor")


class Batch(models.Model):
    """A cohort (批次) of new hires who start together under one supervisor."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="batches", verbose_name=_("program"))
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    start_on = models.DateField(_("start date"))
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="batches", verbose_name=_("team")
    )
    supervisor = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="supervised_batches", verbose_name=_("supervisor")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        ordering = ["-start_on", "code"]

    def __str__(self):
        return self.name


class ActivityTemplate(Bilingual, models.Model):
    """An activity of a cycle. With ``batch`` set it is an extra added for that batch only."""

    cycle = models.ForeignKey(
        CycleTemplate, on_delete=models.CASCADE, related_name="activities", verbose_name=_("cycle")
    )
    batch = models.ForeignKey(
        Batch,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="extra_activities",
        verbose_name=_("only for batch"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_en = models.CharField(_("title (English)"), max_length=160)
    title_zh = models.CharField(_("title (Chinese)"), max_length=160)
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    owner = models.CharField(_("owner"), max_length=20, choices=ActivityOwner.choices, default=ActivityOwner.TRAINEE)
    due_offset_days = models.PositiveSmallIntegerField(_("due after (days into the cycle)"), default=7)
    is_required = models.BooleanField(_("required"), default=True)
    key = models.CharField(
        _("kept by"),
        max_length=80,
        blank=True,
        editable=False,
        help_text=_("Set when another part of the product keeps this activity (e.g. a published playbook)."),
    )
    link = models.CharField(_("link"), max_length=200, blank=True, editable=False)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("An inactive activity is no longer given to new cycles.")
    )

    class Meta:
        verbose_name = _("activity template")
        verbose_name_plural = _("activity templates")
        ordering = ["cycle", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "key"], condition=~models.Q(key=""), name="activity_template_key_once_per_cycle"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self):
        return self._pick("title")


class CycleAdjustment(models.Model):
    """One batch's change to a cycle's length, without touching the template."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="adjustments", verbose_name=_("batch"))
    cycle_number = models.PositiveSmallIntegerField(_("cycle"), validators=CYCLE_NUMBER_VALIDATORS)
    extra_days = models.SmallIntegerField(_("extra days"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("cycle adjustment")
        verbose_name_plural = _("cycle adjustments")
        constraints = [models.UniqueConstraint(fields=["batch", "cycle_number"], name="cycle_adjustment_unique")]

    def __str__(self):
        return f"{self.batch} · {self.cycle_number}: {self.extra_days:+d}"


EnrollmentState = models.TextChoices(
    "EnrollmentState", [(state, (state, label)) for state, label in cycles.STATE_LABELS.items()]
)


class Enrollment(models.Model):
    """A trainee in a batch. Its state changes only through training.services (STYLE §2)."""

    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("batch"))
    trainee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("trainee")
    )
    # The mentor is the trainee's (staff.Employee.mentor): one mentor per trainee, one place.
    state = models.CharField(
        _("state"), max_length=20, choices=EnrollmentState.choices, default=cycles.PRE_JOB, db_index=True
    )
    cycle = models.PositiveSmallIntegerField(_("cycle"), default=0)
    held_from = models.CharField(_("held from"), max_length=20, blank=True)
    cycle_started_on = models.DateField(_("cycle started on"))
    due_on = models.DateField(_("due on"), db_index=True)
    remediation_plan = models.TextField(_("remediation plan"), blank=True)
    is_gate_failed = models.BooleanField(_("gate failed"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        ordering = ["batch", "trainee__name"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "trainee"], name="enrollment_unique_per_batch"),
            models.CheckConstraint(condition=models.Q(cycle__gte=0, cycle__lte=4), name="enrollment_cycle_0_to_4"),
            models.CheckConstraint(condition=models.Q(state__in=cycles.STATES), name="enrollment_state_known"),
        ]
        indexes = [models.Index(fields=["state", "due_on"], name="enrollment_due_idx")]

    def __str__(self):
        return f"{self.trainee} · {self.batch}"

    @property
    def placement(self):
        return cycles.Placement(self.state, self.cycle, self.held_from)


class EnrollmentEvent(models.Model):
    """Every move of an enrollment: actor, from, to, reason, time."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="events", verbose_name=_("enrollment")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("actor")
    )
    move = models.CharField(_("move"), max_length=20)
    from_state = models.CharField(_("from"), max_length=20, choices=EnrollmentState.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=EnrollmentState.choices)
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("enrollment event")
        verbose_name_plural = _("enrollment events")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.enrollment}: {self.from_state} → {self.to_state}"


class Activity(models.Model):
    """An activity of one trainee's cycle, created with its due date when the cycle is entered."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="activities", verbose_name=_("enrollment")
    )
    template = models.ForeignKey(
        ActivityTemplate, on_delete=models.PROTECT, related_name="instances", verbose_name=_("template")
    )
    cycle = models.PositiveSmallIntegerField(_("cycle"), validators=CYCLE_NUMBER_VALIDATORS)
    due_on = models.DateField(_("due on"), db_index=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("done by")
    )
    note = models.TextField(_("note or evidence"), blank=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["enrollment", "cycle", "due_on", "template__order"]
        constraints = [models.UniqueConstraint(fields=["enrollment", "template"], name="activity_unique")]
        indexes = [models.Index(fields=["due_on", "done_at"], name="activity_due_idx")]

    def __str__(self):
        return f"{self.enrollment} · {self.template}"

    @property
    def is_done(self):
        return self.done_at is not None


class CoachingPhase(models.TextChoices):
    """事前 / 事中 / 事后 (DOMAIN §3): warn early, correct in flight, review and remedy after."""

    BEFORE = "before", _("Before (warn early)")
    DURING = "during", _("During (correct in flight)")
    AFTER = "after", _("After (review and remedy)")


class ErrorKind(models.TextChoices):
    """What went wrong, in the same words each time, so that an after-action review sees the same error again."""

    KNOWLEDGE = "knowledge", _("Product or policy knowledge")
    PROCESS = "process", _("Process not followed")
    COMPLIANCE = "compliance", _("Compliance or risk")
    COMMUNICATION = "communication", _("Communication with the customer")
    SYSTEM = "system", _("System use")
    ATTITUDE = "attitude", _("Attitude")
    AUTHORITY = "authority", _("Use of authority (coupons)")
    OTHER = "other", _("Other")


class CoachingSession(models.Model):
    """The coaching log (事前 / 事中 / 事后) of any employee: a trainee's (with her enrollment) or any agent's.
    An in-flight correction (during) has a target date (``follow_up_on``) and is done at ``corrected_at``; an
    after-action review names the cause, the remedy and the kind of error, and ``is_repeat`` says the same kind
    was reviewed for her before (set by the service)."""

    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="coaching_sessions", verbose_name=_("employee")
    )
    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="coaching_sessions",
        verbose_name=_("enrollment"),
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="coaching_given", verbose_name=_("coach")
    )
    phase = models.CharField(_("phase"), max_length=10, choices=CoachingPhase.choices)
    scheduled_at = models.DateTimeField(_("scheduled at"), db_index=True)
    focus_indicators = models.ManyToManyField(Indicator, blank=True, verbose_name=_("focus indicators"))
    notes = models.TextField(_("notes"), blank=True)
    agreed_actions = models.TextField(_("agreed actions"), blank=True)
    follow_up_on = models.DateField(_("follow-up date"), null=True, blank=True)
    corrected_at = models.DateTimeField(_("correction done at"), null=True, blank=True)
    cause = models.TextField(_("cause"), blank=True)
    remedy = models.TextField(_("remedy"), blank=True)
    error_kind = models.CharField(_("kind of error"), max_length=20, choices=ErrorKind.choices, blank=True)
    is_repeat = models.BooleanField(_("same error again"), default=False, editable=False)
    acknowledged_at = models.DateTimeField(_("acknowledged by the employee at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    idempotency_key = idempotency.key_field()

    class Meta:
        verbose_name = _("coaching session")
        verbose_name_plural = _("coaching sessions")
        ordering = ["-scheduled_at"]
        indexes = [models.Index(fields=["employee", "-scheduled_at"], name="coaching_employee_idx")]
        constraints = [idempotency.key_constraint("coach", "coaching_session_idempotency_key_unique")]

    def __str__(self):
        return f"{self.employee} · {self.get_phase_display()} · {self.scheduled_at:%Y-%m-%d}"


class GateCheck(models.Model):
    """A pass-the-gate check (通关) attempt; its result also becomes a KASH assessment (source exam)."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="gate_checks", verbose_name=_("enrollment")
    )
    cycle = models.PositiveSmallIntegerField(_("cycle"), validators=CYCLE_NUMBER_VALIDATORS)
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    examiner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="gate_checks_examined",
        verbose_name=_("examiner"),
    )
    taken_on = models.DateField(_("taken on"))
    score = models.PositiveSmallIntegerField(_("score"), validators=[MaxValueValidator(100)])
    pass_mark = models.PositiveSmallIntegerField(_("pass mark"), validators=[MaxValueValidator(100)])
    notes = models.TextField(_("notes"), blank=True)
    assessment = models.OneToOneField(
        Assessment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="gate_check",
        verbose_name=_("assessment"),
    )
    idempotency_key = idempotency.key_field()

    class Meta:
        verbose_name = _("gate check")
        verbose_name_plural = _("gate checks")
        ordering = ["enrollment", "cycle", "attempt"]
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "cycle", "attempt"], name="gate_check_attempt_unique"),
            models.CheckConstraint(condition=models.Q(score__lte=100), name="gate_check_score_max_100"),
            idempotency.key_constraint("examiner", "gate_check_idempotency_key_unique"),
        ]

    def __str__(self):
        return f"{self.enrollment} · {self.cycle} · #{self.attempt}"

    @property
    def passed(self):
        return self.score >= self.pass_mark
