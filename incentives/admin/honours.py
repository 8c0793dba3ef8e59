"""HR's award programmes (issue 15 §3): programmes are configured here; nominations are made and decided on the
pages and the API through incentives.services.honours, so the admin only looks at them."""

from django.contrib import admin

from staff.admin import ReadOnlyAdminMixin

from ..models import AwardProgramme, Nomination


@admin.register(AwardProgramme)
class AwardProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "name_zh", "kind", "opens_on", "closes_on", "decided_by", "winners", "points", "is_active"]
    list_filter = ["kind", "decided_by", "nominators", "is_active"]
    list_select_related = ["site", "team"]
    search_fields = ["name", "name_zh"]
    date_hierarchy = "closes_on"
    autocomplete_fields = ["decider"]
    fields = [
        "kind",
        "name",
        "name_zh",
        "description",
        "criteria",
        ("starts_on", "ends_on"),
        ("opens_on", "closes_on"),
        "nominators",
        "decided_by",
        "decider",
        "site",
        "team",
        "winners",
        "points",
        "is_active",
    ]

    def has_delete_permission(self, request, obj=None):
        # A programme with nominations keeps them (PROTECT); hide it instead of deleting it.
        return super().has_delete_permission(request, obj) and (obj is None or not obj.nominations.exists())


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "programme", "nominee", "status", "decided_at"]
    list_filter = ["status", "programme__kind"]
    list_select_related = ["programme", "nominee"]
    search_fields = ["=nominee__employee_number", "nominee__name"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    fields = [
        "programme",
        "nominator",
        "nominee",
        "reason",
        "evidence",
        "recognition",
        "status",
        "decided_by",
        "decided_at",
        "decision_note",
        "created_at",
    ]
    readonly_fields = fields
