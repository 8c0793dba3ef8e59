"""HR's view of suggestions (issue 14 §1): campaigns are configured here; suggestions move only through
improvement.services.suggestions (pages, API), so the admin looks at them and their history."""

from django.contrib import admin

from staff.admin import ReadOnlyAdminMixin

from ..models import Campaign, Suggestion, SuggestionEvent


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "opens_on", "closes_on", "created_by"]
    list_select_related = ["created_by"]
    search_fields = ["title"]
    date_hierarchy = "opens_on"
    fields = ["title", "description", "opens_on", "closes_on"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class SuggestionEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = SuggestionEvent
    fields = ["at", "actor", "from_status", "to_status", "reason"]
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(Suggestion)
class SuggestionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "author", "category", "status", "support_count", "is_public", "created_at"]
    list_filter = ["status", "category", "origin", "is_public", "campaign"]
    list_select_related = ["author"]
    search_fields = ["title", "=author__employee_number"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    fields = [
        "title",
        "author",
        "category",
        "what",
        "why",
        "origin",
        "campaign",
        "case",
        "step",
        "is_public",
        "status",
        "answer",
        "merged_into",
        "reviewer",
        "support_count",
        "created_at",
        "status_changed_at",
        "implemented_at",
    ]
    readonly_fields = fields
    inlines = [SuggestionEventInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author", "campaign", "merged_into", "reviewer")
