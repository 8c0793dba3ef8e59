"""Organisation, positions with their job descriptions, and employees (DOMAIN §1)."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class Site(models.Model):
    """A region or site of the contact center."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.CharField(_("region"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Department(models.Model):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="departments", verbose_name=_("site"))
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Team(models.Model):
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="teams", verbose_name=_("department")
    )
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    supervisor = models.ForeignKey(
        "Employee",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_teams",
        verbose_name=_("supervisor"),
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Education(models.TextChoices):
    HIGH_SCHOOL = "high_school", _("High school or vocational school")
    JUNIOR_COLLEGE = "junior_college", _("Junior college (大专)")
    BACHELOR = "bachelor", _("Bachelor's degree")
    MASTER = "master", _("Master's degree or above")


class Position(models.Model):
    """A position (岗位) designed for the work, with its full job description (工作说明书)."""

    # Basic data
    code = models.CharField(_("code"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=100)
    job_family = models.CharField(_("job family (职系)"), max_length=100)
    job_group = models.CharField(_("job group (职组)"), max_length=100)
    grade = models.PositiveSmallIntegerField(
        _("grade (职级)"), validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    superior = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subordinate_positions",
        verbose_name=_("direct superior position"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name=_("department"),
    )
    pay_grade = models.CharField(_("pay grade"), max_length=32, blank=True)
    pay_level = models.CharField(_("pay level"), max_length=32, blank=True)
    headcount = models.PositiveIntegerField(_("headcount"), default=1)
    nature_of_work = models.CharField(_("nature of work"), max_length=200, blank=True)
    # Description
    summary = models.TextField(_("summary"), blank=True)
    expected_results = models.TextField(_("expected results"), blank=True)
    related_positions = models.ManyToManyField(
        "self", blank=True, symmetrical=True, verbose_name=_("related positions")
    )
    promotion_paths = models.ManyToManyField(
        "self", blank=True, symmetrical=False, related_name="promoted_from", verbose_name=_("promotion paths")
    )
    transfer_paths = models.ManyToManyField(
        "self", blank=True, symmetrical=False, related_name="transferred_from", verbose_name=_("transfer paths")
    )
    # Qualifications
    min_education = models.CharField(
        _("minimum education"), max_length=20, choices=Education.choices, default=Education.JUNIOR_COLLEGE
    )
    training_hours = models.PositiveIntegerField(_("required training hours"), default=0)
    training_subjects = models.TextField(_("required training subjects"), blank=True)
    years_experience = models.PositiveSmallIntegerField(_("years of experience"), default=0)
    abilities = models.TextField(_("general abilities"), blank=True)
    personality = models.TextField(_("personality"), blank=True)
    physical_demands = models.TextField(_("physical demands"), blank=True)
    # Work environment
    work_place = models.CharField(_("place of work"), max_length=200, blank=True)
    hazards = models.CharField(_("hazards"), max_length=200, blank=True)
    hours_pattern = models.CharField(_("hours pattern"), max_length=200, blank=True)
    workload_balance = models.CharField(_("workload balance"), max_length=200, blank=True)
    comfort = models.CharField(_("comfort"), max_length=200, blank=True)

    history = HistoricalRecords(m2m_fields=[])

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["job_family", "grade", "code"]

    def __str__(self):
        return self.title


class PositionDuty(models.Model):
    """One activity of a position's job description, with its share of time and authority."""

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="duties", verbose_name=_("position"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    activity = models.CharField(pgettext_lazy("job description", "activity"), max_length=200)
    share_percent = models.PositiveSmallIntegerField(
        _("share of time (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    authority = models.CharField(_("authority"), max_length=200, blank=True)
    expected_result = models.CharField(_("expected result"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("duty")
        verbose_name_plural = _("duties")
        ordering = ["position", "order", "pk"]

    def __str__(self):
        return self.activity


class Stage(models.TextChoices):
    """Life-cycle stage of an employee (DOMAIN §1)."""

    PRE_JOB = "pre_job", _("Pre-job training")
    ONBOARDING = "onboarding", _("Onboarding")
    GROWTH = "growth", _("Growth")
    HIGH_PERFORMER = "high_performer", _("High performer")
    MANAGEMENT = "management", _("Management")
    BACK_OFFICE = "back_office", _("Middle/back office")
    LEFT = "left", _("Left")


class Employee(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employee",
        verbose_name=_("user account"),
    )
    employee_number = models.CharField(_("employee number"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("email"), blank=True)
    hire_date = models.DateField(_("hire date"))
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="members", verbose_name=_("team")
    )
    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, null=True, blank=True, related_name="employees", verbose_name=_("position")
    )
    stage = models.CharField(_("life-cycle stage"), max_length=20, choices=Stage.choices, default=Stage.PRE_JOB)
    left_on = models.DateField(_("last working day"), null=True, blank=True)
    mentor = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="mentees", verbose_name=_("mentor")
    )
    language = models.CharField(
        _("language for notifications"), max_length=10, choices=settings.LANGUAGES, default="zh-hans"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["employee_number"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(mentor=models.F("pk")), name="employee_not_own_mentor"),
        ]
        indexes = [models.Index(fields=["team", "stage"])]

    def __str__(self):
        return f"{self.name} ({self.employee_number})"

    @property
    def is_active(self):
        return self.stage != Stage.LEFT


class Heartbeat(models.Model):
    """Last run of a periodic task, so an admin can see that the worker and beat are alive."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    last_run_at = models.DateTimeField(_("last run at"))
    run_count = models.PositiveBigIntegerField(_("runs"), default=0)

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self):
        return self.name

    @property
    def is_fresh(self):
        """Ran within HEARTBEAT_STALE_AFTER_SECONDS: the worker and beat are alive."""
        age = timezone.now() - self.last_run_at
        return age <= datetime.timedelta(seconds=settings.HEARTBEAT_STALE_AFTER_SECONDS)


class ImportJobStatus(models.TextChoices):
    """A big import's steps: its preview and its import each run on the worker (``staff.import_jobs``)."""

    PREVIEW_QUEUED = "preview_queued", _("Waiting to be checked")
    PREVIEWING = "previewing", _("Checking the file")
    READY = "ready", _("Checked: waiting for your confirmation")
    IMPORT_QUEUED = "import_queued", _("Waiting to be imported")
    IMPORTING = "importing", _("Being imported")
    DONE = "done", _("Imported")
    REJECTED = "rejected", _("Not imported: the file has problems")
    FAILED = "failed", _("Stopped: upload the file again")


class ImportJob(models.Model):
    """An upload too big to check and import within a request: the worker previews it, HR confirms, the
    worker imports it. It keeps only the summary (counts, problems, changes of identity), never the rows."""

    resource = models.CharField(_("import of"), max_length=20)
    file_name = models.CharField(_("file"), max_length=255)
    upload_name = models.CharField(max_length=100, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ImportJobStatus.choices, default=ImportJobStatus.PREVIEW_QUEUED
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    queued_at = models.DateTimeField(_("queued at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    totals = models.JSONField(_("totals"), default=dict, blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    problem_count = models.PositiveIntegerField(_("problems"), default=0)
    identity_changes = models.JSONField(_("changes of identity"), default=list, blank=True)
    identity_change_count = models.PositiveIntegerField(_("changes of identity"), default=0)
    identity_digest = models.CharField(max_length=64, blank=True, editable=False)
    confirmed_digest = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return self.file_name
