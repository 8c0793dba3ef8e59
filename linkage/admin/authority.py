"""HR's view of tiered authority (issue 13 §3): grades, scenarios with their standards and the matrix of limits
are HR's settings; a limit is saved through linkage.services.authority.set_limit, which keeps ``raised_at`` (QA
looks harder at issuances right after a raise). Grades held, coupon requests and the ledger are written on the
pages and the API only: the ledger is immutable (a mistake is corrected by a reversal row), so here they are only
looked at.
"""

from django.contrib import admin

from staff.admin import ReadOnlyAdminMixin

from ..models import AuthorityLimit, CouponRequest, Grade, GradeHolding, Issuance, Scenario
from ..services import authority as services

# HR's settings ---------------------------------------------------------------------------------------------------


class LimitInline(admin.TabularInline):
    """A grade's limits, read here; each is set on its own page (through the service)."""

    model = AuthorityLimit
    fields = ["scenario", "risk", "per_use", "per_day", "per_month", "raised_at"]
    readonly_fields = fields
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("scenario")

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Grade)
class GradeAdmin(admin.ModelAdmin):
    list_display = ["rank", "code", "name_en", "name_zh", "qa_rate"]
    list_display_links = ["rank", "code"]
    search_fields = ["code", "name_en", "name_zh"]
    inlines = [LimitInline]


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_zh", "standard_min", "standard_max", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name_en", "name_zh"]


@admin.register(AuthorityLimit)
class AuthorityLimitAdmin(admin.ModelAdmin):
    """One cell of the matrix (grade × scenario × risk). Saved through linkage.services.authority.set_limit, so a
    raise moves ``raised_at``; which cell it is does not change once saved."""

    list_display = ["grade", "scenario", "risk", "per_use", "per_day", "per_month", "raised_at"]
    list_filter = ["grade", "scenario", "risk"]
    list_select_related = ["grade", "scenario"]
    fields = ["grade", "scenario", "risk", "per_use", "per_day", "per_month", "raised_at"]

    def get_readonly_fields(self, request, obj=None):
        return ["grade", "scenario", "risk", "raised_at"] if obj is not None else ["raised_at"]

    def save_model(self, request, obj, form, change):
        limit = services.set_limit(
            actor=request.user,
            grade=obj.grade,
            scenario=obj.scenario,
            risk=obj.risk,
            per_use=obj.per_use,
            per_day=obj.per_day,
            per_month=obj.per_month,
        )
        obj.pk, obj.raised_at = limit.pk, limit.raised_at
        obj._state.adding = False


# Written on the pages: read-only here ---------------------------------------------------------------------------


@admin.register(GradeHolding)
class GradeHoldingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["since", "employee", "grade", "granted_by", "reason"]
    list_filter = ["grade"]
    list_select_related = ["employee", "grade", "granted_by"]
    search_fields = ["=employee__employee_number"]
    date_hierarchy = "since"
    show_full_result_count = False


@admin.register(CouponRequest)
class CouponRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["requested_at", "case", "requested_by", "scenario", "risk", "amount", "status", "decided_at"]
    list_filter = ["status", "scenario", "risk"]
    list_select_related = ["case", "requested_by", "scenario"]
    search_fields = ["=case__reference", "=requested_by__employee_number"]
    date_hierarchy = "requested_at"
    show_full_result_count = False


@admin.register(Issuance)
class IssuanceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The ledger: never changed or deleted (a reversal row corrects a mistake, on the ledger page)."""

    list_display = ["issued_at", "case", "issued_by", "team", "grade", "scenario", "risk", "amount", "at_limit"]
    list_filter = ["scenario", "risk", "grade", "at_limit"]
    list_select_related = ["case", "issued_by", "team", "grade", "scenario"]
    search_fields = ["=case__reference", "=issued_by__employee_number"]
    date_hierarchy = "on"
    show_full_result_count = False
