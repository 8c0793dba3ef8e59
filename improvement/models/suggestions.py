"""Staff suggestions (seed 003 participation empowerment: 产品端、系统端、规则; seed 002: 如不能执行要告知原因):
every suggestion gets an answer its author sees; support (+1), comments, follow, campaigns that open and close."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from staff.models import Employee


class Category(models.TextChoices):
    PRODUCT = "product", _("Product")
    SYSTEM = "system", _("System")
    RULE = "rule", _("Rule")
    PROCESS = "process", _("Process")
    OTHER = "other", _("Other")


class SuggestionStatus(models.TextChoices):
    NEW = "new", _("New")
    UNDER_REVIEW = "under_review", _("Under review")
    ACCEPTED = "accepted", _("Accepted")
    IMPLEMENTED = "implemented", _("Implemented")
    DECLINED = "declined", _("Declined")
    MERGED = "merged", _("Merged into another")


class Origin(models.TextChoices):
    """Where the suggestion was raised (seed 003: 借助述职、绩效面谈)."""

    BOX = "box", _("Suggestion box")
    REVIEW = "review", _("Performance review")
    ONE_TO_ONE = "one_to_one", _("1:1 conversation")
    CASE = "case", _("A case")
    PLAYBOOK = "playbook", _("A playbook step")


class Campaign(models.Model):
    """A periodic call for suggestions on a theme, open from ``opens_on`` to ``closes_on`` (inclusive)."""

    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("suggestion campaign")
        verbose_name_plural = _("suggestion campaigns")
        ordering = ["-opens_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="campaign_closes_after_open")
        ]

    def __str__(self):
        return self.title


class Suggestion(models.Model):
    author = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="suggestions", verbose_name=_("author"))
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    title = models.CharField(_("title"), max_length=160)
    what = models.TextField(_("what should change"))
    why = models.TextField(_("why"), blank=True)
    origin = models.CharField(_("raised in"), max_length=12, choices=Origin.choices, default=Origin.BOX)
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions",
        verbose_name=_("campaign"),
    )
    case = models.ForeignKey(
        "linkage.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("case")
    )
    step = models.ForeignKey(
        "linkage.Step",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("playbook step"),
    )
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Colleagues can see, support and comment on a public suggestion.")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=SuggestionStatus.choices, default=SuggestionStatus.NEW
    )
    answer = models.TextField(_("answer to the author"), blank=True, help_text=_("Why it was declined, or what next."))
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged", verbose_name=_("merged into")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    support_count = models.PositiveIntegerField(_("supporters"), default=0, editable=False)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True, db_index=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    implemented_at = models.DateTimeField(_("implemented at"), null=True, blank=True)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="suggestion_status_idx"),
            models.Index(fields=["author", "-created_at"], name="suggestion_author_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(answer=""), name="suggestion_declined_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(status="merged", merged_into__isnull=False) | (~Q(status="merged") & Q(merged_into=None)),
                name="suggestion_merged_names_target",
            ),
        ]

    def __str__(self):
        return self.title


class Support(models.Model):
    """+1: one per employee and suggestion; merging moves it to the suggestion merged into."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="supports")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+", verbose_name=_("supporter"))
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [models.UniqueConstraint(fields=["suggestion", "employee"], name="support_once")]

    def __str__(self):
        return f"{self.suggestion_id} +1 {self.employee_id}"


class Follow(models.Model):
    """Someone who wants to hear of every status change (the author always does)."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [models.UniqueConstraint(fields=["suggestion", "user"], name="follow_once")]

    def __str__(self):
        return f"{self.suggestion_id} ← {self.user_id}"


class SuggestionComment(models.Model):
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.suggestion_id} · {self.created_at:%Y-%m-%d}"


class SuggestionEvent(models.Model):
    """Audit of every status move (actor, from, to, the reason given, time)."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("by")
    )
    from_status = models.CharField(_("from"), max_length=12, choices=SuggestionStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=SuggestionStatus.choices)
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("suggestion event")
        verbose_name_plural = _("suggestion events")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.suggestion_id} {self.from_status} → {self.to_status}"
