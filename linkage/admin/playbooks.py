"""HR's back office for role linkage (issue 12): linkage roles and the positions that hold them, the signal
glossary, playbooks and their versions with steps and branches, and each site's support kit.

A version's content changes only while it is a draft (linkage.versions.is_editable): from consultation on its
page, steps and branches are read-only here as everywhere. Writes go through linkage.services.playbooks (start a
version, edit a draft, its steps and branches); a version's status is never typed in — it moves on the playbook
pages, through the services that check the move and log it. Comments, events and acknowledgements are
written on the pages; here they are read-only.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from staff.admin import ReadOnlyAdminMixin

from .. import steps as step_rules
from .. import versions
from ..models import (
    Acknowledgement,
    Branch,
    Comment,
    KitItem,
    Playbook,
    PlaybookVersion,
    Step,
    VersionEvent,
)
from ..services import playbooks as services
from . import playbook_moves as admin_moves

# Playbooks and versions ----------------------------------------------------------------------------------------


def _save_through_services(formset, *, save, delete):
    """Save an inline formset row by row through a service (the formset never saves itself), keeping what
    changed for the admin's history message."""
    formset.deleted_objects = [form.instance for form in formset.deleted_forms if form.instance.pk]
    for row in formset.deleted_objects:
        delete(row)
    formset.new_objects, formset.changed_objects = [], []
    for row_form in formset.forms:
        if row_form in formset.deleted_forms or not row_form.has_changed() or not row_form.cleaned_data:
            continue
        if row_form.instance.pk:
            formset.changed_objects.append((save(row_form.cleaned_data, row_form.instance), row_form.changed_data))
        else:
            formset.new_objects.append(save(row_form.cleaned_data, None))


class DraftOnlyMixin:
    """Change and delete only while the version is a draft (linkage.versions.is_editable): a version that left
    draft never changes (issue 12 §3). ``version_of`` finds the version of the row (or, in an inline, of the
    parent)."""

    def version_of(self, obj):
        return obj

    def is_fixed(self, obj):
        version = self.version_of(obj) if obj is not None else None
        return version is not None and not versions.is_editable(version.status)

    def has_change_permission(self, request, obj=None):
        return not self.is_fixed(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self.is_fixed(obj) and super().has_delete_permission(request, obj)


class VersionInline(ReadOnlyAdminMixin, admin.TabularInline):
    """A playbook's versions; each opens on its own page (versions are started and moved by the services)."""

    model = PlaybookVersion
    fields = ["number", "status", "topic_en", "topic_zh", "published_at"]
    readonly_fields = fields
    show_change_link = True
    extra = 0


@admin.register(Playbook)
class PlaybookAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "name_en", "name_zh", "latest_version"]
    list_filter = ["kind"]
    search_fields = ["code", "name_en", "name_zh", "versions__keywords"]
    filter_horizontal = ["target_kpis"]
    inlines = [VersionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(latest_version=Max("versions__number"))

    def get_readonly_fields(self, request, obj=None):
        return ["code", "kind"] if obj is not None else []

    @admin.display(description=_("latest version"), ordering="latest_version")
    def latest_version(self, playbook):
        return playbook.latest_version

    def has_delete_permission(self, request, obj=None):
        """A playbook that ever left draft keeps its history (events, acknowledgements)."""
        if obj is not None and obj.versions.exclude(status=versions.DRAFT).exists():
            return False
        return super().has_delete_permission(request, obj)


class StepForm(forms.ModelForm):
    class Meta:
        model = Step
        fields = services.STEP_FIELDS + ("indicators",)

    def clean(self):
        """The rules of linkage.steps: one owner, and a hand-off criterion names its receiving role."""
        cleaned = super().clean()
        owner = cleaned.get("owner")
        facts = step_rules.StepFacts(
            key=self.instance.pk,
            order=cleaned.get("order"),
            code=cleaned.get("code") or "",
            owners=step_rules.owners_of(owner.pk if owner else None),
            is_scripted=bool(cleaned.get("is_scripted")),
            handoff=cleaned.get("handoff_en") or cleaned.get("handoff_zh") or "",
            receiver=cleaned["receiver"].pk if cleaned.get("receiver") else None,
            name=cleaned.get("name_en") or "",
        )
        problems = step_rules.problems_of(facts)
        if problems:
            raise ValidationError(problems)
        return cleaned


class StepPageForm(StepForm):
    """A step on its own page: its order and code are also checked against the other steps of its version."""

    def clean(self):
        cleaned = super().clean()
        others = self.instance.version.steps.exclude(pk=self.instance.pk)
        facts = [step_rules.StepFacts(key=s.pk, order=s.order, code=s.code) for s in others]
        facts.append(step_rules.StepFacts(key=None, order=cleaned.get("order"), code=cleaned.get("code") or ""))
        problems = step_rules.duplicate_problems(facts)
        if problems:
            raise ValidationError(problems)
        return cleaned


class StepFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("code")
        ]
        facts = [step_rules.StepFacts(key=i, order=data.get("order"), code=data["code"]) for i, data in enumerate(kept)]
        problems = step_rules.duplicate_problems(facts)
        if problems:
            raise ValidationError(problems)


class StepInline(DraftOnlyMixin, admin.StackedInline):
    """A draft's steps, edited through linkage.services.playbooks; read-only once the version left draft. Its
    branches are on the step's own page."""

    model = Step
    form = StepForm
    formset = StepFormSet
    fields = StepForm.Meta.fields
    filter_horizontal = ["indicators"]
    show_change_link = True
    extra = 0

    def has_add_permission(self, request, obj=None):
        return not self.is_fixed(obj) and super().has_add_permission(request, obj)


class VersionForm(forms.ModelForm):
    """A new version starts as a draft numbered next, optionally as a copy of an earlier version."""

    copy_from = forms.ModelChoiceField(
        label=_("Start as a copy of"),
        queryset=PlaybookVersion.objects.select_related("playbook"),
        required=False,
        help_text=_("An earlier version of the same playbook: its steps and branches are copied into the draft."),
    )

    class Meta:
        model = PlaybookVersion
        fields = ["playbook", *services.VERSION_FIELDS]

    def clean(self):
        cleaned = super().clean()
        playbook, source = cleaned.get("playbook"), cleaned.get("copy_from")
        if self.instance.pk or playbook is None:
            return cleaned
        if source is not None and source.playbook_id != playbook.pk:
            self.add_error("copy_from", _("A version can only be copied from a version of the same playbook."))
        number = (playbook.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        in_work = playbook.versions.filter(status__in=versions.IN_WORK).values_list("number", "status").first()
        decision = versions.start_decision(number, cleaned.get("reason"), in_work=in_work)
        if not decision:
            raise ValidationError(list(decision.reasons))
        return cleaned


@admin.register(PlaybookVersion)
class PlaybookVersionAdmin(DraftOnlyMixin, admin.ModelAdmin):
    form = VersionForm
    list_display = ["playbook", "number", "status", "topic_en", "topic_zh", "published_at"]
    list_display_links = ["playbook", "number"]
    list_filter = ["status", "playbook__kind", "playbook"]
    list_select_related = ["playbook"]
    search_fields = ["playbook__code", "playbook__name_en", "playbook__name_zh", "topic_en", "topic_zh", "keywords"]
    inlines = [StepInline]
    actions = [admin_moves.open_consultation, admin_moves.start_pilot, admin_moves.publish, admin_moves.retire]
    STATUS_FIELDS = ["number", "status", "supersedes", "consultation_ends_on", "published_at", "created_by"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["playbook", "copy_from", *services.VERSION_FIELDS]
        return ["playbook", *self.STATUS_FIELDS, *services.VERSION_FIELDS, "pilot_teams"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["playbook", *self.STATUS_FIELDS, "pilot_teams"]

    def get_inline_instances(self, request, obj=None):
        # A new version gets its steps once it exists (copied, or added on its page).
        return super().get_inline_instances(request, obj) if obj is not None else []

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.VERSION_FIELDS}
        if change:
            services.update_draft(actor=request.user, version=obj, **fields)
            return
        version = services.start_version(
            actor=request.user,
            playbook=form.cleaned_data["playbook"],
            from_version=form.cleaned_data.get("copy_from"),
            **fields,
        )
        obj.pk, obj.number, obj.status = version.pk, version.number, version.status
        obj._state.adding = False

    def save_formset(self, request, form, formset, change):
        """Steps through linkage.services.playbooks.save_step / delete_step."""
        _save_through_services(
            formset,
            save=lambda data, step: services.save_step(
                actor=request.user,
                version=form.instance,
                step=step,
                indicators=data.get("indicators"),
                **{name: data.get(name) for name in services.STEP_FIELDS},
            ),
            delete=lambda step: services.delete_step(actor=request.user, step=step),
        )


# Steps and their branches --------------------------------------------------------------------------------------


class BranchInline(DraftOnlyMixin, admin.TabularInline):
    """A draft step's branches, through linkage.services.playbooks.save_branch / delete_branch."""

    model = Branch
    fk_name = "step"
    fields = ["condition_en", "condition_zh", "target"]
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None and "target" in formset.form.base_fields:
            # A step of this version, or of the published or pilot version of another playbook.
            outside = services.outside_targets(obj.version.playbook_id)
            formset.form.base_fields["target"].queryset = (
                Step.objects.filter(
                    pk__in=[*outside, *obj.version.steps.exclude(pk=obj.pk).values_list("pk", flat=True)]
                )
                .select_related("version__playbook")
                .order_by("version__playbook__code", "order")
            )
        return formset

    def version_of(self, step):
        return step.version

    def has_add_permission(self, request, obj=None):
        return not self.is_fixed(obj) and super().has_add_permission(request, obj)


@admin.register(Step)
class StepAdmin(DraftOnlyMixin, admin.ModelAdmin):
    """A step with its branches. Steps are added on their version's page; here a draft's step is changed."""

    form = StepPageForm
    list_display = ["version", "order", "code", "name_en", "name_zh", "owner", "receiver", "signal", "is_scripted"]
    list_display_links = ["order", "code"]
    list_filter = ["version__status", "version__playbook__kind", "version__playbook", "owner", "is_scripted"]
    list_select_related = ["version__playbook", "owner", "receiver", "signal"]
    search_fields = ["code", "name_en", "name_zh", "guidance_en", "guidance_zh"]
    filter_horizontal = ["indicators"]
    readonly_fields = ["version"]
    inlines = [BranchInline]

    def get_fields(self, request, obj=None):
        return ["version", *StepForm.Meta.fields]

    def version_of(self, step):
        return step.version

    def has_add_permission(self, request):
        return False  # steps are added on their version's page

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        services.save_step(
            actor=request.user,
            version=obj.version,
            step=obj,
            indicators=data.get("indicators"),
            **{name: data.get(name) for name in services.STEP_FIELDS},
        )

    def save_related(self, request, form, formsets, change):
        for formset in formsets:  # the indicators were set by save_step
            self.save_formset(request, form, formset, change)

    def delete_model(self, request, obj):
        services.delete_step(actor=request.user, step=obj)

    def save_formset(self, request, form, formset, change):
        """Branches through linkage.services.playbooks.save_branch / delete_branch."""
        _save_through_services(
            formset,
            save=lambda data, branch: services.save_branch(
                actor=request.user,
                step=form.instance,
                target=data["target"],
                condition_en=data["condition_en"],
                condition_zh=data["condition_zh"],
                branch=branch,
            ),
            delete=lambda branch: services.delete_branch(actor=request.user, branch=branch),
        )


# Written on the pages: read-only here ---------------------------------------------------------------------------


@admin.register(VersionEvent)
class VersionEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "version", "from_status", "to_status", "actor", "reason"]
    list_filter = ["to_status", "version__playbook"]
    list_select_related = ["version__playbook", "actor"]
    search_fields = ["reason", "version__playbook__code"]
    date_hierarchy = "at"


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "version", "step", "author", "body", "answered_at", "answered_by"]
    list_filter = ["version__playbook", "version__status"]
    list_select_related = ["version__playbook", "step", "author", "answered_by"]
    search_fields = ["body", "answer", "author__name"]
    date_hierarchy = "created_at"


@admin.register(Acknowledgement)
class AcknowledgementAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["acknowledged_at", "employee", "version"]
    list_filter = ["version__playbook", "version__status"]
    list_select_related = ["employee", "version__playbook"]
    search_fields = ["=employee__employee_number", "employee__name"]
    date_hierarchy = "acknowledged_at"
    show_full_result_count = False


# The support kit ------------------------------------------------------------------------------------------------


@admin.register(KitItem)
class KitItemAdmin(admin.ModelAdmin):
    """Seed 000's hardware and software per site and playbook: in place, planned by a date, or missing."""

    list_display = ["name", "site", "playbook", "kind", "status", "planned_on", "owner"]
    list_editable = ["status", "planned_on"]
    list_filter = ["site", "playbook", "status", "kind"]
    list_select_related = ["site", "playbook", "owner"]
    search_fields = ["name", "site__name", "playbook__code"]
    autocomplete_fields = ["owner"]
