"""Playbooks (何时联动、何事联动、何法联动): when to link, on what and how (DOMAIN §4, seed 000)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from staff.bilingual import Bilingual
from staff.models import Employee, Position, Site, Team
from training.models import Indicator


class RoleScope(models.TextChoices):
    TEAM = "team", _("Within each team")
    CENTRE = "centre", _("Across the centre")


class LinkageRole(Bilingual, models.Model):
    """A role in a hand-off (front-line agent, second-line specialist, team lead, floor manager, QA, lobby
    staff); a person holds it through her position."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    positions = models.ManyToManyField(Position, blank=True, related_name="+", verbose_name=_("positions"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    scope = models.CharField(
        _("coverage"),
        max_length=10,
        choices=RoleScope.choices,
        default=RoleScope.TEAM,
        help_text=_(
            "A role across the centre (a floor manager, QA, lobby staff) serves every team: its certified owners "
            "are counted centre-wide, not per team."
        ),
    )

    class Meta:
        verbose_name = _("linkage role")
        verbose_name_plural = _("linkage roles")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self._pick("name")


class SignalKind(models.TextChoices):
    PHRASE = "phrase", _("Code phrase")
    GESTURE = "gesture", _("Hand signal")


class Signal(Bilingual, models.Model):
    """An entry of the signal glossary (暗语 / 手势) used at a hand-off."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=SignalKind.choices)
    name_en = models.CharField(_("signal (English)"), max_length=120)
    name_zh = models.CharField(_("signal (Chinese)"), max_length=120)
    meaning_en = models.CharField(_("meaning (English)"), max_length=200, blank=True)
    meaning_zh = models.CharField(_("meaning (Chinese)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        ordering = ["kind", "code"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self._pick("name")

    @property
    def meaning(self):
        return self._pick("meaning")


class PlaybookKind(models.TextChoices):
    MARKETING = "marketing", _("Marketing")
    INCIDENT = "incident", _("Incident")
    OTHER = "other", _("Other")


class Playbook(Bilingual, models.Model):
    """What stays the same across versions: its code, kind and names. The content lives in its versions."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=PlaybookKind.choices)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    target_kpis = models.ManyToManyField(
        "kpis.Kpi",
        blank=True,
        related_name="+",
        verbose_name=_("KPIs it targets"),
        help_text=_("The KPIs this playbook should move: insights compares drilled and not-yet-drilled teams on them."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("playbook")
        verbose_name_plural = _("playbooks")
        ordering = ["kind", "code"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self._pick("name")


class VersionStatus(models.TextChoices):
    """A version's life (linkage.versions holds the allowed moves)."""

    DRAFT = "draft", _("Draft")
    CONSULTATION = "consultation", _("Consultation")
    PILOT = "pilot", _("Pilot")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class PlaybookVersion(Bilingual, models.Model):
    """One version of a playbook: its trigger, topic and steps. Only a draft changes; from consultation on it
    is fixed, and a published version is replaced by a new one that supersedes it with a reason."""

    playbook = models.ForeignKey(
        Playbook, on_delete=models.CASCADE, related_name="versions", verbose_name=_("playbook")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    topic_en = models.CharField(_("topic (English)"), max_length=200)
    topic_zh = models.CharField(_("topic (Chinese)"), max_length=200)
    trigger_en = models.TextField(
        _("trigger (English)"), help_text=_("The customer signals or situations that start it.")
    )
    trigger_zh = models.TextField(_("trigger (Chinese)"))
    keywords = models.CharField(
        _("keywords"), max_length=300, blank=True, help_text=_("Words to find it by, mid-call.")
    )
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    reason = models.TextField(_("reason for this version"), blank=True)
    consultation_ends_on = models.DateField(_("consultation ends on"), null=True, blank=True)
    pilot_teams = models.ManyToManyField(Team, blank=True, related_name="+", verbose_name=_("pilot teams"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("playbook version")
        verbose_name_plural = _("playbook versions")
        ordering = ["playbook", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["playbook", "number"], name="playbook_version_number_unique"),
            models.UniqueConstraint(
                fields=["playbook"], condition=Q(status="published"), name="playbook_one_published_version"
            ),
            models.CheckConstraint(
                condition=Q(number=1) | ~Q(reason=""), name="playbook_version_after_first_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.playbook} v{self.number}"

    @property
    def topic(self):
        return self._pick("topic")

    @property
    def trigger(self):
        return self._pick("trigger")


class Step(Bilingual, models.Model):
    """One step of a version, owned by exactly one role (职责清晰、分工明确). A scripted step is done exactly and
    scored in drills; a guidance step only gives a direction and is never scored (seed 000)."""

    version = models.ForeignKey(
        PlaybookVersion, on_delete=models.CASCADE, related_name="steps", verbose_name=_("version")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    code = models.SlugField(_("code"), max_length=40, help_text=_("Stays the same from version to version."))
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    owner = models.ForeignKey(LinkageRole, on_delete=models.PROTECT, related_name="+", verbose_name=_("owning role"))
    guidance_en = models.TextField(_("operation guidance (English)"))
    guidance_zh = models.TextField(_("operation guidance (Chinese)"))
    is_scripted = models.BooleanField(_("scripted and scored"), default=True)
    handoff_en = models.CharField(_("hand-off criterion (English)"), max_length=300, blank=True)
    handoff_zh = models.CharField(_("hand-off criterion (Chinese)"), max_length=300, blank=True)
    receiver = models.ForeignKey(
        LinkageRole, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("receiving role")
    )
    signal = models.ForeignKey(
        Signal, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("hand-off signal")
    )
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="+", verbose_name=_("KASH indicators"))
    expected_seconds = models.PositiveIntegerField(_("expected duration (seconds)"), null=True, blank=True)

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="step_order_unique_in_version"),
            models.UniqueConstraint(fields=["version", "code"], name="step_code_unique_in_version"),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self._pick("name")

    @property
    def guidance(self):
        return self._pick("guidance")

    @property
    def handoff(self):
        return self._pick("handoff")


class Branch(Bilingual, models.Model):
    """ "Customer turns angry → incident playbook, step 'mediate'": the step to go to when the condition holds."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="branches", verbose_name=_("from step"))
    condition_en = models.CharField(_("condition (English)"), max_length=200)
    condition_zh = models.CharField(_("condition (Chinese)"), max_length=200)
    target = models.ForeignKey(Step, on_delete=models.PROTECT, related_name="+", verbose_name=_("go to step"))

    class Meta:
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        ordering = ["step", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(target=models.F("step")), name="branch_not_to_itself")]

    def __str__(self):
        return self.condition

    @property
    def condition(self):
        return self._pick("condition")


class VersionEvent(models.Model):
    """Every move of a version (who, when, from, to, why)."""

    version = models.ForeignKey(
        PlaybookVersion, on_delete=models.CASCADE, related_name="events", verbose_name=_("version")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=VersionStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=VersionStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("by")
    )
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("version event")
        verbose_name_plural = _("version events")
        ordering = ["version", "at", "pk"]

    def __str__(self):
        return f"{self.version}: {self.from_status} → {self.to_status}"


class Comment(models.Model):
    """A comment in a version's consultation; the version moves on only once every comment is answered."""

    version = models.ForeignKey(
        PlaybookVersion, on_delete=models.CASCADE, related_name="comments", verbose_name=_("version")
    )
    step = models.ForeignKey(
        Step, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("about step")
    )
    author = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+", verbose_name=_("author"))
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consultation comment")
        verbose_name_plural = _("consultation comments")
        ordering = ["version", "created_at", "pk"]

    def __str__(self):
        return self.body[:60]


class KitItemKind(models.TextChoices):
    """Seed 000's hardware and software support."""

    CALLING_SYSTEM = "calling_system", _("Calling system")
    SIGNAGE = "signage", _("Signage")
    LAYOUT = "layout", _("Layout")
    FACILITIES = "facilities", _("Service facilities")
    MATERIALS = "materials", _("Materials")
    GLOSSARY = "glossary", _("Signal glossary")


class KitStatus(models.TextChoices):
    IN_PLACE = "in_place", _("In place")
    PLANNED = "planned", _("Planned")
    MISSING = "missing", _("Missing")


class KitItem(models.Model):
    """One item of a site's support kit for a playbook, with its status and owner."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+", verbose_name=_("site"))
    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="kit", verbose_name=_("playbook"))
    kind = models.CharField(_("kind"), max_length=20, choices=KitItemKind.choices)
    name = models.CharField(_("item"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=KitStatus.choices, default=KitStatus.MISSING)
    planned_on = models.DateField(_("planned by"), null=True, blank=True)
    owner = models.ForeignKey(
        Employee, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("owner")
    )

    class Meta:
        verbose_name = _("support kit item")
        verbose_name_plural = _("support kit items")
        ordering = ["site", "playbook", "kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="planned") | Q(planned_on__isnull=False), name="kit_item_planned_has_date"
            ),
        ]

    def __str__(self):
        return self.name


class Acknowledgement(models.Model):
    """A person read a published (or pilot) version: level 1 of her linkage for that playbook."""

    version = models.ForeignKey(
        PlaybookVersion, on_delete=models.CASCADE, related_name="acknowledgements", verbose_name=_("version")
    )
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+", verbose_name=_("employee"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"))

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        ordering = ["-acknowledged_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "employee"], name="acknowledgement_once_per_version"),
        ]

    def __str__(self):
        return f"{self.employee_id} {self.version}"
