"""First-contact ownership (首问负责, DOMAIN §4 empowerment, seed 003): a customer's matter is owned by the first
agent who took it until it is closed; steps are handed off to other roles without moving ownership; targets per
category, reminders before a breach and escalation level by level after it; the staffing floor of a site."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from staff.bilingual import Bilingual
from staff.models import Employee, Site, Team

from .playbooks import LinkageRole, Playbook, Step


class CaseCategory(Bilingual, models.Model):
    """What a case is about, with its first-response and resolution targets (HR)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    first_response_minutes = models.PositiveIntegerField(_("first response within (minutes)"), default=30)
    resolution_hours = models.PositiveIntegerField(_("resolved within (hours)"), default=48)
    remind_before_minutes = models.PositiveIntegerField(_("remind the owner before the breach (minutes)"), default=60)
    is_complaint = models.BooleanField(_("complaint"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("case category")
        verbose_name_plural = _("case categories")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self._pick("name")


class EscalationLevel(models.Model):
    """Level ``number`` (1–4) of escalation after a resolution breach: the holders of ``role`` (the owner's team's
    for a team role, the centre's for a centre role) are told ``after_minutes`` after the breach (HR)."""

    number = models.PositiveSmallIntegerField(
        _("level"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    role = models.ForeignKey(LinkageRole, on_delete=models.PROTECT, related_name="+", verbose_name=_("role told"))
    after_minutes = models.PositiveIntegerField(_("minutes after the breach"), default=0)

    class Meta:
        verbose_name = _("escalation level")
        verbose_name_plural = _("escalation levels")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=4), name="escalation_level_1_to_4")
        ]

    def __str__(self):
        return f"{self.number} · {self.role}"


class CaseChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    CHAT = "chat", _("Online chat")
    APP = "app", _("Mobile app")
    BRANCH = "branch", _("Branch or lobby")
    EMAIL = "email", _("E-mail or letter")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class CaseOutcome(models.TextChoices):
    FIRST_CONTACT = "first_contact", _("Resolved at first contact")
    LATER = "later", _("Resolved later")
    CONVERTED = "converted", _("Converted (a sale)")
    STABILISED = "stabilised", _("Stabilised")
    ESCALATED = "escalated", _("Escalated")


class Case(models.Model):
    """A customer's matter, owned by the first agent who took it, to closure. The customer is named only by a
    masked reference (never full personal data)."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    customer_ref = models.CharField(
        _("customer (masked)"), max_length=40, help_text=_("A masked reference such as 138****5678; never full data.")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=CaseChannel.choices)
    category = models.ForeignKey(CaseCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("category"))
    playbook = models.ForeignKey(
        Playbook, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("playbook used")
    )
    summary = models.TextField(_("summary"))
    owner = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="owned_cases", verbose_name=_("owner"))
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("team (when opened)")
    )
    status = models.CharField(_("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    outcome = models.CharField(_("outcome"), max_length=20, choices=CaseOutcome.choices, blank=True)
    opened_at = models.DateTimeField(_("opened at"), db_index=True)
    first_response_due_at = models.DateTimeField(_("first response due"))
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    resolution_due_at = models.DateTimeField(_("resolution due"), db_index=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("reopened"), default=0)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("logged by")
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_at", "-pk"]
        indexes = [
            models.Index(fields=["owner", "status"], name="case_owner_status_idx"),
            models.Index(fields=["team", "status", "resolution_due_at"], name="case_team_due_idx"),
            models.Index(fields=["status", "resolution_due_at"], name="case_status_due_idx"),
            models.Index(fields=["customer_ref", "opened_at"], name="case_customer_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="open") & Q(closed_at__isnull=True) & Q(outcome=""))
                | (Q(status="closed") & Q(closed_at__isnull=False) & ~Q(outcome="")),
                name="case_closed_has_time_and_outcome",
            ),
            models.CheckConstraint(condition=Q(escalation_level__lte=4), name="case_escalation_level_at_most_4"),
        ]

    def __str__(self):
        return self.reference


class EventKind(models.TextChoices):
    OPENED = "opened", _("Opened")
    NOTE = "note", _("Note")
    FIRST_RESPONSE = "first_response", _("First response")
    FOLLOW_UP = "follow_up", _("Follow-up")
    HANDOFF = "handoff", _("Hand-off")
    HANDOFF_BACK = "handoff_back", _("Back from a hand-off")
    REMINDED = "reminded", _("Reminded before the breach")
    ESCALATED = "escalated", _("Escalated")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")
    CORRECTION = "correction", _("Correction")
    STAFFING_REPORT = "staffing_report", _("Coordination report")


class CaseEvent(models.Model):
    """The case's append-only history; a correction is a new event that supersedes the one it corrects. ``key``
    makes the sweep's events happen once (e.g. "escalated:2")."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case"))
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"))
    text = models.TextField(_("text"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("corrects"),
    )
    key = models.CharField(_("key"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["case", "at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "key"], condition=~Q(key=""), name="case_event_key_once"),
        ]

    def __str__(self):
        return f"{self.case_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class HandoffReason(models.TextChoices):
    SPECIALIST = "specialist", _("Needs a specialist")
    AUTHORITY = "authority", _("Beyond my authority")
    INCIDENT = "incident", _("Incident handling")
    CUSTOMER = "customer", _("The customer asked")
    OTHER = "other", _("Other")


class Handoff(models.Model):
    """A step of the case handed to another role; the owner stays the owner (首问负责). Every transfer names a
    reason code."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="handoffs", verbose_name=_("case"))
    step = models.ForeignKey(
        Step, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("playbook step")
    )
    to_role = models.ForeignKey(LinkageRole, on_delete=models.PROTECT, related_name="+", verbose_name=_("to role"))
    to_employee = models.ForeignKey(
        Employee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases_handed_to",
        verbose_name=_("to person"),
    )
    reason_code = models.CharField(_("reason"), max_length=20, choices=HandoffReason.choices)
    reason = models.TextField(_("why"), blank=True)
    handed_at = models.DateTimeField(_("handed at"))
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("handed by")
    )
    back_due_at = models.DateTimeField(_("back by"), null=True, blank=True)
    returned_at = models.DateTimeField(_("back at"), null=True, blank=True)

    class Meta:
        verbose_name = _("hand-off")
        verbose_name_plural = _("hand-offs")
        ordering = ["case", "handed_at", "pk"]
        indexes = [models.Index(fields=["to_employee", "returned_at"], name="handoff_to_open_idx")]

    def __str__(self):
        return f"{self.case_id} → {self.to_role}"


class FollowUp(models.Model):
    """A follow-up the owner owes the customer (a call back, a letter); an outbound call takes her off the phones
    while it lasts."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("case"))
    due_at = models.DateTimeField(_("due"), db_index=True)
    is_outbound_call = models.BooleanField(_("outbound call"), default=True)
    note = models.TextField(_("note"), blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_at", "pk"]

    def __str__(self):
        return f"{self.case_id} · {self.due_at:%Y-%m-%d %H:%M}"


class SiteStaffing(models.Model):
    """A site's staffing floor (seed 003): agents on the phones should not fall below ``min_on_phones``; an
    outbound follow-up that would take them below needs a coordination report (报备)."""

    site = models.OneToOneField(Site, on_delete=models.CASCADE, related_name="+", verbose_name=_("site"))
    min_on_phones = models.PositiveIntegerField(_("minimum agents on the phones"))

    class Meta:
        verbose_name = _("staffing floor")
        verbose_name_plural = _("staffing floors")
        ordering = ["site"]

    def __str__(self):
        return f"{self.site} ≥ {self.min_on_phones}"


class CoordinationReport(models.Model):
    """报备: why an outbound follow-up went ahead although the site's agents on the phones were at its floor."""

    follow_up = models.OneToOneField(
        FollowUp, on_delete=models.CASCADE, related_name="coordination_report", verbose_name=_("follow-up")
    )
    reason = models.TextField(_("why it could not wait"))
    on_phones = models.PositiveIntegerField(_("agents on the phones"))
    minimum = models.PositiveIntegerField(_("minimum"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reported by")
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("coordination report")
        verbose_name_plural = _("coordination reports")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.follow_up} ({self.on_phones}/{self.minimum})"
