"""HR's reward catalogue (issue 15 §2): rewards are configured here; redemptions move only through
incentives.services.rewards (the approvals page), so the admin looks at them."""

from django.contrib import admin

from staff.admin import ReadOnlyAdminMixin

from ..models import Redemption, Reward


@admin.register(Reward)
class RewardAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "cost", "stock", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    fields = ["name", "kind", "description", "cost", "stock", "is_active"]


@admin.register(Redemption)
class RedemptionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "employee", "reward", "points", "status", "decided_by"]
    list_filter = ["status"]
    list_select_related = ["employee", "reward", "decided_by"]
    search_fields = ["=employee__employee_number"]
    fields = ["employee", "reward", "points", "status", "created_at", "decided_by", "decided_at", "note"]
    readonly_fields = fields
