"""HR's back office for scorecards (seed 004): regional weight sets (read-only once a scorecard used them),
score bands, pay coefficients, scorecard months, scorecards (read-only: computed) and late revisions.

A month is closed and reopened on HR's scorecard pages (kpis:scorecard-months), where reopening asks for a
reason; here the month links there. Weight sets are checked by kpis.scoring.validate_weights, the same rule
kpis.services.scorecards.save_weight_set applies."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from staff.admin import ReadOnlyAdminMixin

from .. import scoring
from ..models import Kpi, LateRevision, Month, MonthEvent, PayCoefficient, ScoreBand, Scorecard, Weight, WeightSet
from ..services import scorecards as services

# Weight sets -----------------------------------------------------------------------------------------------


class WeightInlineFormSet(forms.BaseInlineFormSet):
    """The set's weights, all at once: quantitative agent KPIs only, each once, worst ≠ best, summing to 100."""

    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("kpi")
        ]
        kpis = Kpi.objects.select_related("numerator").in_bulk([row["kpi"].pk for row in kept])
        rows = [(kpis[row["kpi"].pk], row.get("weight"), row.get("worst"), row.get("best")) for row in kept]
        decision = scoring.validate_weights(services.weight_lines(rows))
        if not decision:
            raise ValidationError(list(decision.reasons))


class WeightInline(admin.TabularInline):
    model = Weight
    formset = WeightInlineFormSet
    fields = ["kpi", "weight", "worst", "best"]
    extra = 0
    min_num = 1

    def _used(self, obj):
        return obj is not None and obj.is_used

    def has_add_permission(self, request, obj=None):
        return not self._used(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._used(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._used(obj) and super().has_delete_permission(request, obj)


class WeightSetForm(forms.ModelForm):
    class Meta:
        model = WeightSet
        fields = ["site", "month", "note"]

    def clean_month(self):
        """Any day names its month: the set applies from the first day."""
        month = self.cleaned_data["month"]
        return month.replace(day=1) if month else month

    def clean(self):
        cleaned = super().clean()
        # A scorecard may have used the set since the page was opened: check the row as it is now.
        if self.instance.pk:
            services.check_editable(WeightSet.objects.get(pk=self.instance.pk))
        return cleaned


@admin.register(WeightSet)
class WeightSetAdmin(SimpleHistoryAdmin):
    form = WeightSetForm
    inlines = [WeightInline]
    list_display = ["site", "month_label", "note", "weight_total", "is_used"]
    list_filter = ["site", "is_used"]
    list_select_related = ["site"]
    readonly_fields = ["is_used"]
    actions = ["copy_to_next_month"]

    @admin.display(description=_("from month"), ordering="month")
    def month_label(self, obj):
        return f"{obj.month:%Y-%m}"

    @admin.display(description=_("total weight"))
    def weight_total(self, obj):
        return sum(w.weight for w in obj.weights.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("weights")

    def has_change_permission(self, request, obj=None):
        """A set scorecards used is history: HR sees it, and starts a new set for a later month."""
        return not (obj is not None and obj.is_used) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj is not None and obj.is_used) and super().has_delete_permission(request, obj)

    @admin.action(description=_("Copy as a new set from the month after"), permissions=["add"])
    def copy_to_next_month(self, request, queryset):
        copied = 0
        for weight_set in queryset.select_related("site").prefetch_related("weights__kpi"):
            month = services.next_month(weight_set.month)
            if WeightSet.objects.filter(site=weight_set.site, month=month).exists():
                messages.warning(
                    request,
                    _("%(site)s already has a set from %(month)s.")
                    % {"site": weight_set.site, "month": f"{month:%Y-%m}"},
                )
                continue
            rows = [(w.kpi, w.weight, w.worst, w.best) for w in weight_set.weights.all()]
            try:
                services.save_weight_set(
                    site=weight_set.site, month=month, weights=rows, actor=request.user, note=weight_set.note
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                continue
            copied += 1
        if copied:
            messages.success(request, ngettext("%(n)s set copied.", "%(n)s sets copied.", copied) % {"n": copied})


@admin.register(ScoreBand)
class ScoreBandAdmin(SimpleHistoryAdmin):
    list_display = ["band", "min_score"]


@admin.register(PayCoefficient)
class PayCoefficientAdmin(SimpleHistoryAdmin):
    list_display = ["band", "pay_grade", "coefficient"]
    list_filter = ["band", "pay_grade"]
    search_fields = ["pay_grade"]


# Months, scorecards, late revisions -----------------------------------------------------------------------


class MonthEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = MonthEvent
    fields = ["at", "from_status", "to_status", "actor", "reason"]
    readonly_fields = fields
    extra = 0


@admin.register(Month)
class MonthAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Months are created by the computation; HR closes and reopens them on the scorecard pages."""

    list_display = ["month_label", "status", "changed_at", "hr_page"]
    list_filter = ["status"]
    inlines = [MonthEventInline]

    @admin.display(description=_("month"), ordering="month")
    def month_label(self, obj):
        return f"{obj.month:%Y-%m}"

    @admin.display(description=_("close, reopen, export"))
    def hr_page(self, obj):
        url = reverse("kpis:scorecard-month", kwargs={"month": f"{obj.month:%Y-%m}"})
        return format_html('<a href="{}">{}</a>', url, _("Scorecard page"))


@admin.register(Scorecard)
class ScorecardAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["employee", "month", "site", "team", "composite", "band", "pay_grade", "pay_coefficient"]
    list_filter = ["month", "band", "site"]
    list_select_related = ["employee", "site", "team"]
    search_fields = ["employee__name", "employee__employee_number"]
    show_full_result_count = False  # 10,000 a month: no second COUNT(*) per page


@admin.register(LateRevision)
class LateRevisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["month", "employee", "on", "revision", "ingest", "is_reviewed", "reviewed_by"]
    list_filter = ["is_reviewed", "month"]
    list_select_related = ["month", "employee", "ingest", "reviewed_by"]
    search_fields = ["employee__name", "employee__employee_number"]
    actions = ["mark_reviewed"]

    @admin.action(description=_("Mark as reviewed"))
    def mark_reviewed(self, request, queryset):
        count = services.mark_late_revisions_reviewed(actor=request.user, ids=queryset.values_list("pk", flat=True))
        messages.success(
            request,
            ngettext(
                "%(count)s late revision marked as reviewed.", "%(count)s late revisions marked as reviewed.", count
            )
            % {"count": count},
        )
