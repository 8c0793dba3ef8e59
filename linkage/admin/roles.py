"""The linkage roles (each held through positions; a centre role counted centre-wide in coverage) and the signal
glossary (暗语 / 手势) in HR's admin."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ..models import LinkageRole, Signal


@admin.register(LinkageRole)
class LinkageRoleAdmin(admin.ModelAdmin):
    """A person holds a linkage role through her position."""

    list_display = ["code", "name_en", "name_zh", "scope", "order", "position_count"]
    list_filter = ["scope"]
    search_fields = ["code", "name_en", "name_zh"]
    filter_horizontal = ["positions"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(position_count=Count("positions"))

    @admin.display(description=_("positions"), ordering="position_count")
    def position_count(self, role):
        return role.position_count


@admin.register(Signal)
class SignalAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "name_en", "name_zh", "meaning_en", "meaning_zh"]
    list_filter = ["kind"]
    search_fields = ["code", "name_en", "name_zh", "meaning_en", "meaning_zh"]
