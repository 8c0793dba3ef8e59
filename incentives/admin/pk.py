"""PK competitions in the admin (issue 15 §4): organised on the pages (incentives.services.pk, which checks the
participants and the rules), ranked by Celery and closed once by the sweep, so the admin only looks at them."""

from django.contrib import admin

from staff.admin import ReadOnlyAdminMixin

from ..models import PkAward, PkCompetition, PkHonour, PkParticipant, Standing


class ParticipantInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = PkParticipant
    fields = ["team", "site", "manual_value", "manual_volume", "entered_by", "entered_at"]
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("team", "site", "entered_by")


@admin.register(PkCompetition)
class PkCompetitionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "starts_on", "ends_on", "metric", "status", "pool", "pool_unit"]
    list_filter = ["status", "kind", "metric"]
    search_fields = ["name"]
    date_hierarchy = "starts_on"
    fields = [
        "name",
        "kind",
        "starts_on",
        "ends_on",
        "metric",
        "kpi",
        "is_lower_better",
        "normalisation",
        "minimum_volume",
        "pool_unit",
        "pool",
        "cap_per_person",
        "weight_cases",
        "weight_handoffs",
        "weight_calls",
        "status",
        "created_by",
        "created_at",
        "refreshed_at",
        "closed_at",
        "closed_by",
    ]
    readonly_fields = fields
    inlines = [ParticipantInline]


@admin.register(Standing)
class StandingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["competition", "position", "rank", "participant", "value", "volume", "not_ranked"]
    list_select_related = ["competition", "participant__team", "participant__site"]
    list_filter = ["not_ranked"]
    fields = ["competition", "participant", "rank", "value", "volume", "not_ranked", "position", "refreshed_at"]
    readonly_fields = fields
    show_full_result_count = False


@admin.register(PkHonour)
class PkHonourAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["awarded_at", "title", "participant"]
    list_select_related = ["participant__team", "participant__site"]
    fields = ["competition", "participant", "title", "awarded_at"]
    readonly_fields = fields


@admin.register(PkAward)
class PkAwardAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["competition", "employee", "role", "share", "amount_units", "is_capped"]
    list_select_related = ["competition", "employee"]
    search_fields = ["=employee__employee_number", "employee__name"]
    fields = [
        "competition",
        "participant",
        "employee",
        "role",
        "cases_owned",
        "handoffs_carried",
        "calls_handled",
        "share",
        "amount_units",
        "is_capped",
    ]
    readonly_fields = fields
    show_full_result_count = False
