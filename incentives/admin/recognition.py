"""HR's view of recognition (issue 15 §1, §7): the allowances and limits are configured here (one row); a
recognition is given on the pages or the API through incentives.services.recognition and never changes after."""

from django.contrib import admin

from staff.admin import ReadOnlyAdminMixin

from ..models import IncentiveSettings, Reaction, Recognition, RecognitionRecipient


@admin.register(IncentiveSettings)
class IncentiveSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "monthly_allowance", "leader_monthly_allowance", "daily_limit_per_recipient"]
    fields = ["monthly_allowance", "leader_monthly_allowance", "daily_limit_per_recipient"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not IncentiveSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.pk = 1  # one row: IncentiveSettings.current() reads pk 1
        super().save_model(request, obj, form, change)


class RecipientInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = RecognitionRecipient
    fields = ["employee"]
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("employee")


class ReactionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Reaction
    fields = ["employee", "label", "created_at"]
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("employee")


@admin.register(Recognition)
class RecognitionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "giver", "motivator", "kind", "points", "earned_by_kind"]
    list_filter = ["motivator", "kind", "earned_by_kind"]
    list_select_related = ["giver"]
    search_fields = ["=giver__employee_number", "giver__name"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    fields = [
        "giver",
        "message",
        "motivator",
        "kind",
        "points",
        "earned_by_kind",
        "earned_by_id",
        "created_by",
        "created_at",
    ]
    readonly_fields = fields
    inlines = [RecipientInline, ReactionInline]
