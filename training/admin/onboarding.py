"""HR's back office for onboarding (DOMAIN §3): programs and their cycles, batches, enrollments.

HR configures programs and opens batches here. An enrollment's state is never edited by hand: it is
created through training.services.enroll_trainee and moved through move_enrollment (the hold,
resume and withdraw actions), which check the move and write the EnrollmentEvent (STYLE §2).
Activities, coaching sessions and gate checks are written on the onboarding pages; here they are
read-only.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from staff.admin import ReadOnlyAdminMixin
from staff.models import Employee, Stage

from .. import cycles, services
from ..models import (
    Activity,
    ActivityTemplate,
    Batch,
    CoachingSession,
    CycleAdjustment,
    CycleTemplate,
    Enrollment,
    EnrollmentEvent,
    GateCheck,
    PreJobModule,
    Program,
)

# Programs ------------------------------------------------------------------------------------


class PreJobModuleInline(admin.TabularInline):
    model = PreJobModule
    fields = ["order", "topic", "title_en", "title_zh", "hours"]
    extra = 0


class CycleTemplateInline(admin.TabularInline):
    model = CycleTemplate
    fields = ["number", "name_en", "name_zh", "length_days", "focus_min_level", "check_required", "pass_mark"]
    extra = 0
    max_num = cycles.LAST_CYCLE
    show_change_link = True  # goals, focus indicators and activities are on the cycle's own page


@admin.register(Program)
class ProgramAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_en", "name_zh", "pre_job_days", "is_active", "batch_count"]
    list_filter = ["is_active"]
    search_fields = ["code", "name_en", "name_zh"]
    inlines = [PreJobModuleInline, CycleTemplateInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(batch_count=Count("batches"))

    @admin.display(description=_("batches"), ordering="batch_count")
    def batch_count(self, program):
        return program.batch_count


class ProgramActivityInline(admin.TabularInline):
    """The program's own activities; a batch's extras are on the batch, and the activities another part of the
    product keeps (a published playbook: HR changes the playbook, not its activity) are not edited here."""

    model = ActivityTemplate
    fields = ["order", "title_en", "title_zh", "kind", "owner", "due_offset_days", "is_required"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).filter(batch__isnull=True, key="")


@admin.register(CycleTemplate)
class CycleTemplateAdmin(admin.ModelAdmin):
    list_display = [
        "program",
        "number",
        "name_en",
        "name_zh",
        "length_days",
        "focus_min_level",
        "check_required",
        "pass_mark",
        "activity_count",
    ]
    list_display_links = ["number", "name_en"]
    list_filter = ["program", "number", "check_required"]
    list_select_related = ["program"]
    search_fields = ["name_en", "name_zh", "goals_en", "goals_zh", "program__code"]
    filter_horizontal = ["focus_indicators"]
    inlines = [ProgramActivityInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(activity_count=Count("activities", filter=Q(activities__batch__isnull=True)))
        )

    @admin.display(description=_("activities"), ordering="activity_count")
    def activity_count(self, cycle):
        return cycle.activity_count


# Batches -------------------------------------------------------------------------------------


class CycleAdjustmentInline(admin.TabularInline):
    model = CycleAdjustment
    fields = ["cycle_number", "extra_days", "reason"]
    extra = 0
    max_num = cycles.LAST_CYCLE


class BatchActivityInline(admin.TabularInline):
    """Extras for this batch only (DOMAIN §3: plans are adjustable per batch)."""

    model = ActivityTemplate
    fk_name = "batch"
    fields = ["cycle", "order", "title_en", "title_zh", "kind", "owner", "due_offset_days", "is_required"]
    extra = 0
    verbose_name = _("activity for this batch only")
    verbose_name_plural = _("activities for this batch only")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("cycle")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # Only the cycles of the batch's own program.
        formset.form.base_fields["cycle"].queryset = CycleTemplate.objects.filter(program_id=obj.program_id)
        return formset


class BatchForm(forms.ModelForm):
    trainees = forms.ModelMultipleChoiceField(
        label=_("Enroll trainees"),
        queryset=Employee.objects.exclude(stage=Stage.LEFT),
        required=False,
        widget=AutocompleteSelectMultiple(Enrollment._meta.get_field("trainee"), admin.site),
        help_text=_(
            "New hires to enroll in this batch; each starts in pre-job training. Someone already "
            "enrolled stays as they are; to take someone out, withdraw their enrollment."
        ),
    )

    class Meta:
        model = Batch
        fields = ["program", "code", "name", "start_on", "team", "supervisor"]


@admin.register(Batch)
class BatchAdmin(SimpleHistoryAdmin):
    form = BatchForm
    # The program is a filter, not a column: with the supervisor and the count, seven columns no longer fit
    # beside the admin's sidebar at 1366 px.
    list_display = ["code", "name", "start_on", "team", "supervisor", "enrollment_count"]
    list_filter = ["program", "team", "start_on"]
    list_select_related = ["program", "team", "supervisor"]
    search_fields = ["code", "name", "supervisor__name", "team__name"]
    autocomplete_fields = ["team", "supervisor"]
    date_hierarchy = "start_on"
    inlines = [CycleAdjustmentInline, BatchActivityInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(enrollment_count=Count("enrollments"))

    @admin.display(description=_("enrollments"), ordering="enrollment_count")
    def enrollment_count(self, batch):
        return batch.enrollment_count

    def get_inline_instances(self, request, obj=None):
        # A new batch has no program yet, so there are no cycles to add extras to.
        return [
            inline
            for inline in super().get_inline_instances(request, obj)
            if obj is not None or not isinstance(inline, BatchActivityInline)
        ]

    def save_formset(self, request, form, formset, change):
        if formset.model is not ActivityTemplate:
            return super().save_formset(request, form, formset, change)
        templates = formset.save(commit=False)
        for template in formset.deleted_objects:
            template.delete()
        for template in templates:
            if template.pk:
                template.save()
                continue
            # Through the service, so that trainees already in that cycle get the new activity too.
            created = services.add_batch_activity(
                actor=request.user,
                batch_id=form.instance.pk,
                cycle_number=template.cycle.number,
                **{name: getattr(template, name) for name in BatchActivityInline.fields if name != "cycle"},
            )
            template.pk = created.pk

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for trainee in form.cleaned_data.get("trainees", ()):
            services.enroll_trainee(actor=request.user, batch=form.instance, trainee=trainee)


# Enrollments ---------------------------------------------------------------------------------


class EnrollmentEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = EnrollmentEvent
    fields = ["at", "move", "from_state", "to_state", "actor", "reason"]
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class ActivityInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Activity
    fields = ["cycle", "template", "due_on", "done_at", "done_by"]
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("template", "done_by")


class EnrollmentActionForm(helpers.ActionForm):
    reason = forms.CharField(label=_("Reason:"), required=False, max_length=500)


ENROLLMENT_FIELDS = [
    "batch",
    "trainee",
    "state",
    "cycle",
    "held_from",
    "cycle_started_on",
    "due_on",
    "is_gate_failed",
    "remediation_plan",
    "updated_at",
]


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    """HR enrolls a new hire here (the add form asks only for the batch and the trainee); after that
    the enrollment is read-only and moves only through the actions, which call move_enrollment."""

    list_display = ["trainee", "batch", "state", "cycle", "due_on", "gate_failed"]
    list_filter = ["state", "cycle", "is_gate_failed", "batch__program", "batch", "trainee__team"]
    list_select_related = ["trainee", "batch"]
    search_fields = ["trainee__name", "trainee__employee_number", "batch__code", "batch__name"]
    autocomplete_fields = ["batch", "trainee"]
    date_hierarchy = "due_on"
    action_form = EnrollmentActionForm
    actions = ["put_on_hold", "resume", "withdraw"]

    @admin.display(description=_("gate failed"), ordering="is_gate_failed")
    def gate_failed(self, enrollment):
        """A flag on the rows that need attention only: a red cross on every row that did not fail read as
        "failed" at a glance."""
        if not enrollment.is_gate_failed:
            return ""
        return format_html('<span class="flag-gate-failed">{}</span>', _("Gate failed"))

    def get_fields(self, request, obj=None):
        return ENROLLMENT_FIELDS if obj is not None else ["batch", "trainee"]

    def get_inlines(self, request, obj):
        return [EnrollmentEventInline, ActivityInline] if obj is not None else []

    def has_change_permission(self, request, obj=None):
        # The list's actions need the change permission; a single enrollment is only ever viewed.
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False  # withdraw instead: the enrollment and its events stay in the trail

    def save_model(self, request, obj, form, change):
        enrollment = services.enroll_trainee(actor=request.user, batch=obj.batch, trainee=obj.trainee)
        for field in Enrollment._meta.concrete_fields:
            setattr(obj, field.attname, getattr(enrollment, field.attname))
        obj._state.adding = False

    @admin.action(description=_("Put on hold"), permissions=["change"])
    def put_on_hold(self, request, queryset):
        self._move(request, queryset, cycles.HOLD)

    @admin.action(description=_("Resume"), permissions=["change"])
    def resume(self, request, queryset):
        self._move(request, queryset, cycles.RESUME)

    @admin.action(description=_("Withdraw (give a reason)"), permissions=["change"])
    def withdraw(self, request, queryset):
        self._move(request, queryset, cycles.WITHDRAW, reason_required=True)

    def _move(self, request, queryset, move, reason_required=False):
        reason = request.POST.get("reason", "").strip()
        if reason_required and not reason:
            self.message_user(
                request, _("Write the reason in the Reason box, then run the action again."), messages.ERROR
            )
            return
        moved = 0
        for enrollment in queryset.select_related("trainee", "batch"):
            try:
                result = services.move_enrollment(
                    actor=request.user,
                    enrollment_id=enrollment.pk,
                    move=move,
                    from_state=enrollment.state,
                    reason=reason,
                )
            except ValidationError as exc:
                self._report(request, enrollment, " ".join(exc.messages))
            except PermissionDenied as exc:
                self._report(request, enrollment, str(exc))
            else:
                moved += result.state != enrollment.state
        if moved:
            self.message_user(
                request,
                ngettext("%(count)d enrollment moved.", "%(count)d enrollments moved.", moved) % {"count": moved},
                messages.SUCCESS,
            )

    def _report(self, request, enrollment, error):
        self.message_user(
            request, _("%(enrollment)s: %(error)s") % {"enrollment": enrollment, "error": error}, messages.ERROR
        )


# What the services wrote: read-only --------------------------------------------------------------


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["enrollment", "cycle", "template", "due_on", "done_at", "done_by"]
    list_filter = [
        "cycle",
        "template__kind",
        "template__owner",
        ("done_at", admin.EmptyFieldListFilter),
        "enrollment__batch",
    ]
    list_select_related = ["enrollment__trainee", "enrollment__batch", "template", "done_by"]
    search_fields = [
        "enrollment__trainee__name",
        "enrollment__trainee__employee_number",
        "template__title_en",
        "template__title_zh",
    ]
    date_hierarchy = "due_on"


@admin.register(CoachingSession)
class CoachingSessionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["enrollment", "phase", "coach", "scheduled_at", "follow_up_on", "acknowledged_at"]
    list_filter = ["phase", ("acknowledged_at", admin.EmptyFieldListFilter), "enrollment__batch"]
    list_select_related = ["enrollment__trainee", "enrollment__batch", "coach"]
    search_fields = [
        "enrollment__trainee__name",
        "enrollment__trainee__employee_number",
        "coach__username",
        "agreed_actions",
    ]
    date_hierarchy = "scheduled_at"


@admin.register(GateCheck)
class GateCheckAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["enrollment", "cycle", "attempt", "score", "pass_mark", "passed", "examiner", "taken_on"]
    list_filter = ["cycle", "taken_on", "enrollment__batch"]
    list_select_related = ["enrollment__trainee", "enrollment__batch", "examiner"]
    search_fields = ["enrollment__trainee__name", "enrollment__trainee__employee_number", "examiner__username"]
    date_hierarchy = "taken_on"

    @admin.display(description=_("passed"), boolean=True)
    def passed(self, check):
        return check.passed
