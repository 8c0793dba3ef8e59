"""Admin: initiatives (issue 14 §2). HR may correct a plan (title, goal, method, owner, scope, windows, KPIs, risks,
milestones); the status and the Act decision move only through improvement.services.initiatives (their rules and
audit), so they are read-only here; guardrail breaches (the daily check) and the history are only looked at."""

from django.contrib import admin

from staff.admin import ReadOnlyAdminMixin

from ..models import GuardrailBreach, Initiative, InitiativeEvent, InitiativeKpi, InitiativeRisk, Milestone


class KpiInline(admin.TabularInline):
    model = InitiativeKpi
    extra = 0


class RiskInline(admin.TabularInline):
    model = InitiativeRisk
    extra = 0
    raw_id_fields = ["owner"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "owner", "rollout_start", "decision"]
    list_filter = ["status", "decision"]
    list_select_related = ["owner"]
    search_fields = ["title"]
    raw_id_fields = ["owner"]
    filter_horizontal = ["scope_sites", "scope_teams", "pilot_teams"]
    readonly_fields = [
        "status",
        "decision",
        "decision_note",
        "decided_by",
        "decided_at",
        "standard_playbook",
        "standard_note",
        "created_by",
        "created_at",
    ]
    inlines = [KpiInline, RiskInline, MilestoneInline]

    def has_delete_permission(self, request, obj=None):
        """An initiative keeps its history: close or abandon it instead."""
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(GuardrailBreach)
class GuardrailBreachAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["guardrail", "started_on", "value", "cleared_on"]
    list_select_related = ["guardrail__kpi", "guardrail__initiative"]


@admin.register(InitiativeEvent)
class InitiativeEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["initiative", "from_status", "to_status", "actor", "at"]
    list_select_related = ["initiative", "actor"]
