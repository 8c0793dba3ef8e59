"""HR's view of drills and levels (issue 12 §6–7): drills with their cast and step scores, certifications, and the
settings HR keeps (how long a certification lasts, the refresher notice, the minimum of certified owners).

Drills are scheduled, scored and cancelled on the pages and the API, through linkage.services.drills, and
certifications are confirmed there by the supervisor: here they are only looked at. Lists stay quick at 10,000
people: their rows join what they show, people are searched by number or name, never listed in a filter.
"""

import datetime

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from staff.admin import ReadOnlyAdminMixin

from ..models import Certification, Drill, DrillParticipant, LinkageSettings, StepScore

# Drills ----------------------------------------------------------------------------------------------------------


class ParticipantInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = DrillParticipant
    fields = ["employee", "role", "passed"]
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("employee", "role")


class StepScoreInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = StepScore
    fields = ["step", "participant", "action_ok", "handoff_ok", "signal_ok", "seconds", "passed", "notes"]
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("step", "participant__employee", "participant__role")


@admin.register(Drill)
class DrillAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["scheduled_for", "version", "team", "mode", "status", "examiner", "is_refresher", "scored_at"]
    list_filter = ["status", "mode", "is_refresher", "version__playbook"]
    list_select_related = ["version__playbook", "team", "examiner"]
    search_fields = [
        "version__playbook__code",
        "team__name",
        "examiner__name",
        "=participants__employee__employee_number",
    ]
    date_hierarchy = "scheduled_for"
    show_full_result_count = False
    fields = [
        "version",
        "team",
        "mode",
        "status",
        "scheduled_for",
        "examiner",
        "is_refresher",
        "notes",
        "scored_at",
        "scored_by",
        "cancel_reason",
        "created_by",
        "created_at",
    ]
    readonly_fields = fields
    inlines = [ParticipantInline, StepScoreInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("version__playbook", "team", "examiner")


# Certifications --------------------------------------------------------------------------------------------------


class ExpiryFilter(admin.SimpleListFilter):
    title = _("expiry")
    parameter_name = "expires"
    SOON_DAYS = 30

    def lookups(self, request, model_admin):
        return [
            ("active", _("Valid")),
            ("soon", _("Expires within 30 days")),
            ("expired", _("Expired")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "active":
            return queryset.filter(expires_on__gte=today)
        if self.value() == "soon":
            return queryset.filter(expires_on__gte=today, expires_on__lte=today + datetime.timedelta(self.SOON_DAYS))
        if self.value() == "expired":
            return queryset.filter(expires_on__lt=today)
        return queryset


@admin.register(Certification)
class CertificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """L3, confirmed by the supervisor on the pages (linkage.services.levels.certify): looked at here."""

    list_display = ["employee", "playbook", "certified_on", "expires_on", "confirmed_by", "reminded_on"]
    list_filter = [ExpiryFilter, "playbook", "certified_on"]
    list_select_related = ["employee", "playbook", "confirmed_by"]
    search_fields = ["=employee__employee_number", "employee__name", "playbook__code"]
    date_hierarchy = "expires_on"
    show_full_result_count = False
    fields = [
        "employee",
        "playbook",
        "certified_on",
        "expires_on",
        "confirmed_by",
        "drill",
        "reminded_on",
        "refresher",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(
                "employee", "playbook", "confirmed_by", "drill__version__playbook", "refresher__version__playbook"
            )
        )


# Settings --------------------------------------------------------------------------------------------------------


@admin.register(LinkageSettings)
class LinkageSettingsAdmin(admin.ModelAdmin):
    """One row (pk 1): added once, never deleted; until it is saved the defaults apply."""

    list_display = ["__str__", "certification_months", "refresher_notice_days", "min_certified_owners"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not LinkageSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.pk = 1  # the single row (linkage_settings_single_row)
        super().save_model(request, obj, form, change)
