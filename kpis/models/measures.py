"""Measures (raw daily counts the platform sends), KPIs (a ratio of two measures' sums), the daily rows per
agent and per queue, every ingest, and KPI targets per position and stage (DOMAIN §1; seeds 002, 003)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from staff.bilingual import Bilingual
from staff.models import Employee, Position, Site, Stage, Team


class Source(models.TextChoices):
    """Whose row a measure lives on: one agent's day or one queue's day."""

    AGENT = "agent", _("Agent")
    QUEUE = "queue", _("Queue")


class Measure(Bilingual, models.Model):
    """A raw daily count. Built-in measures are columns of AgentDay / QueueDay (``code`` is the column name);
    measures HR adds live in the row's ``extra`` object under their code."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    is_builtin = models.BooleanField(_("built in"), default=False, editable=False)
    is_decimal = models.BooleanField(
        _("has decimals"), default=False, help_text=_("Amounts of money; else whole counts.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["source", "order", "code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def name(self):
        return self._pick("name")


class Unit(models.TextChoices):
    PERCENT = "percent", _("Percent")
    SECONDS = "seconds", _("Seconds")
    PER_HOUR = "per_hour", _("Per hour")
    CNY = "cny", _("Yuan (CNY)")
    NUMBER = "number", _("Number")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class KpiKind(models.TextChoices):
    """Seed 002: only quantitative KPIs carry weight in a scorecard."""

    QUANTITATIVE = "quantitative", _("Quantitative")
    SEMI_QUANTITATIVE = "semi_quantitative", _("Semi-quantitative")


class Kpi(Bilingual, models.Model):
    """value = factor × Σnumerator / Σdenominator over the rows in scope and window: a ratio of sums, never a
    mean of per-row or per-day ratios. Both measures come from the same source."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    numerator = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="+", verbose_name=_("numerator"))
    denominator = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="+", verbose_name=_("denominator"))
    factor = models.DecimalField(
        _("factor"),
        max_digits=10,
        decimal_places=4,
        default=1,
        help_text=_("E.g. 3600 for a rate per hour of seconds."),
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=KpiKind.choices, default=KpiKind.QUANTITATIVE)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self._pick("name")

    @property
    def description(self):
        return self._pick("description")


class Queue(models.Model):
    """An ACD queue of a site; connect rate is measured per queue, so it exists at site and centre level."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="queues", verbose_name=_("site"))

    class Meta:
        verbose_name = _("queue")
        verbose_name_plural = _("queues")
        ordering = ["code"]

    def __str__(self):
        return self.name or self.code


class Channel(models.TextChoices):
    API = "api", _("API")
    FILE = "file", _("File")


class IngestStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Ingest(models.Model):
    """One request or file of daily rows: who sent it, when, and what it changed. A big file is processed by
    Celery; its progress and result are kept here."""

    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("sent by")
    )
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=IngestStatus.choices, default=IngestStatus.QUEUED)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows processed"), default=0)
    rows_inserted = models.PositiveIntegerField(_("inserted"), default=0)
    rows_replaced = models.PositiveIntegerField(_("replaced"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    first_on = models.DateField(_("first day"), null=True, blank=True)
    last_on = models.DateField(_("last day"), null=True, blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    # SHA-256 of the rows as sent: a request already stored whole is answered "unchanged" without checking again.
    digest = models.CharField(_("digest"), max_length=64, blank=True, db_index=True, editable=False)

    class Meta:
        verbose_name = _("ingest")
        verbose_name_plural = _("ingests")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.get_source_display()} {self.get_channel_display()} #{self.pk}"


# Built-in agent measures: the columns below, in the default file's order (issue 11).
AGENT_COUNTS = (
    "staffed_seconds",
    "handle_seconds",
    "inbound_handled",
    "outbound_handled",
    "fcr_resolved",
    "transfers_l2",
    "complaints_received",
    "complaints_escalated",
    "complaints_closed",
    "complaint_handle_seconds",
    "csat_responses",
    "csat_satisfied",
    "coupon_count",
)
AGENT_AMOUNTS = ("coupon_amount_cny",)
QUEUE_COUNTS = ("offered", "answered", "abandoned")

# (part, whole): a part can never exceed its whole on one row.
AGENT_PARTS = (
    ("fcr_resolved", "inbound_handled"),
    ("transfers_l2", "inbound_handled"),
    ("complaints_escalated", "complaints_received"),
    ("complaints_closed", "complaints_received"),
    ("csat_satisfied", "csat_responses"),
)
QUEUE_PARTS = (("answered", "offered"), ("abandoned", "offered"))


def _count(label):
    return models.PositiveBigIntegerField(label, default=0)


def _parts_constraints(prefix, parts):
    return [
        models.CheckConstraint(condition=Q(**{f"{part}__lte": F(whole)}), name=f"{prefix}_{part}_within_{whole}")
        for part, whole in parts
    ]


class AgentDay(models.Model):
    """One agent's measures for one day, at the highest revision the platform sent. The team and site are the
    ones the row names for that day, never today's roster. A row the product derived from its own records (the
    cases, linkage.services.kpi_feed) stands in until the platform sends the day: any platform row replaces it
    whatever the revisions, and a derived row never replaces a platform one."""

    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="kpi_days", verbose_name=_("employee")
    )
    on = models.DateField(_("date"))
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+", verbose_name=_("team"))
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    line = models.CharField(pgettext_lazy("service line", "line"), max_length=40, blank=True)
    revision = models.PositiveIntegerField(_("revision"))
    from_platform = models.BooleanField(
        _("sent by the platform"),
        default=True,
        db_default=True,
        help_text=_("Off for a row the product derived from its cases; the platform's row for the day replaces it."),
    )
    ingest = models.ForeignKey(Ingest, on_delete=models.PROTECT, related_name="+", verbose_name=_("ingest"))
    staffed_seconds = _count(_("staffed seconds"))
    handle_seconds = _count(_("handle seconds"))
    inbound_handled = _count(_("inbound handled"))
    outbound_handled = _count(_("outbound handled"))
    fcr_resolved = _count(_("resolved at first contact"))
    transfers_l2 = _count(_("transfers to second line"))
    complaints_received = _count(_("complaints received"))
    complaints_escalated = _count(_("complaints escalated"))
    complaints_closed = _count(_("complaints closed"))
    complaint_handle_seconds = _count(_("complaint handle seconds"))
    csat_responses = _count(_("satisfaction responses"))
    csat_satisfied = _count(_("satisfied responses"))
    coupon_count = _count(_("coupons"))
    coupon_amount_cny = models.DecimalField(_("coupon amount (CNY)"), max_digits=14, decimal_places=2, default=0)
    extra = models.JSONField(_("other measures"), default=dict, blank=True)

    class Meta:
        verbose_name = _("agent day")
        verbose_name_plural = _("agent days")
        ordering = ["-on", "employee"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "on"], name="agent_day_one_row_per_day"),
            models.CheckConstraint(condition=Q(coupon_amount_cny__gte=0), name="agent_day_coupon_amount_not_negative"),
            *_parts_constraints("agent_day", AGENT_PARTS),
        ]
        indexes = [
            models.Index(fields=["team", "on"]),
            models.Index(fields=["site", "on"]),
            models.Index(fields=["on"]),
        ]

    def __str__(self):
        return f"{self.employee_id} {self.on} r{self.revision}"


class QueueDay(models.Model):
    """One queue's measures for one day, at the highest revision sent."""

    queue = models.ForeignKey(Queue, on_delete=models.PROTECT, related_name="days", verbose_name=_("queue"))
    on = models.DateField(_("date"))
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    revision = models.PositiveIntegerField(_("revision"))
    ingest = models.ForeignKey(Ingest, on_delete=models.PROTECT, related_name="+", verbose_name=_("ingest"))
    offered = _count(_("offered"))
    answered = _count(_("answered"))
    abandoned = _count(_("abandoned"))
    extra = models.JSONField(_("other measures"), default=dict, blank=True)

    class Meta:
        verbose_name = _("queue day")
        verbose_name_plural = _("queue days")
        ordering = ["-on", "queue"]
        constraints = [
            models.UniqueConstraint(fields=["queue", "on"], name="queue_day_one_row_per_day"),
            *_parts_constraints("queue_day", QUEUE_PARTS),
        ]
        indexes = [models.Index(fields=["site", "on"]), models.Index(fields=["on"])]

    def __str__(self):
        return f"{self.queue_id} {self.on} r{self.revision}"


class Target(models.Model):
    """What a KPI should reach for a position (and life-cycle stage), from a date on; the band limits around
    it. Blank position or stage: any. The most specific row valid on a day wins (like KASH targets)."""

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="targets", verbose_name=_("KPI"))
    position = models.ForeignKey(
        Position, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("position")
    )
    stage = models.CharField(_("life-cycle stage"), max_length=20, choices=Stage.choices, blank=True)
    valid_from = models.DateField(_("valid from"))
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=4, help_text=_("Meets from here."))
    excellent_at = models.DecimalField(_("excellent from"), max_digits=12, decimal_places=4)
    far_below_at = models.DecimalField(
        _("far below beyond"), max_digits=12, decimal_places=4, help_text=_("Worse than this is far below.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("KPI target")
        verbose_name_plural = _("KPI targets")
        ordering = ["kpi", "position", "stage", "-valid_from"]
        constraints = [
            # Two partial constraints rather than NULLS NOT DISTINCT, which SQLite lacks.
            models.UniqueConstraint(
                fields=["kpi", "position", "stage", "valid_from"],
                condition=Q(position__isnull=False),
                name="kpi_target_one_per_position_scope_and_day",
            ),
            models.UniqueConstraint(
                fields=["kpi", "stage", "valid_from"],
                condition=Q(position__isnull=True),
                name="kpi_target_one_per_any_position_scope_and_day",
            ),
        ]

    def __str__(self):
        return f"{self.kpi} ≥ {self.target}"
