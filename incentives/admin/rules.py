"""HR's catalogue of reward and penalty rules (issue 15 §8): written and changed here; a rule cited by an entry is
never deleted (deactivate it instead)."""

from django.contrib import admin

from ..models import IncentiveRule


@admin.register(IncentiveRule)
class IncentiveRuleAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_zh", "kind", "points", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name_en", "name_zh"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.entries.exists():
            return False
        return super().has_delete_permission(request, obj)
