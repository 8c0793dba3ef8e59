"""HR keeps the four abilities' mapping (DOMAIN §4, issue 12 §8): which KASH indicators and which drill results
feed each ability and how much, the target level of each role per ability; and looks after the role models
(树标杆), whose gallery shows the active ones.

The database constraints back the rules up; the forms say each refusal in the user's language first (a
constraint's own message would name the constraint).
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import AbilitySource, AbilityTarget, RoleModel

# The four abilities ------------------------------------------------------------------------------------------


class AbilitySourceForm(forms.ModelForm):
    class Meta:
        model = AbilitySource
        fields = ["ability", "indicator", "drill_kind", "weight"]

    def clean(self):
        """Exactly one input (an indicator or the drills of a kind), once per ability."""
        cleaned = super().clean()
        ability, indicator, kind = cleaned.get("ability"), cleaned.get("indicator"), cleaned.get("drill_kind")
        if indicator is not None and kind:
            self.add_error("drill_kind", _("Choose a KASH indicator or a kind of drills, not both."))
        elif indicator is None and not kind:
            self.add_error("indicator", _("Choose a KASH indicator or a kind of drills."))
        elif ability:
            others = AbilitySource.objects.filter(ability=ability).exclude(pk=self.instance.pk)
            if indicator is not None and others.filter(indicator=indicator).exists():
                self.add_error("indicator", _("This ability already takes this indicator."))
            if kind and others.filter(drill_kind=kind).exists():
                self.add_error("drill_kind", _("This ability already takes the drills of this kind."))
        return cleaned


@admin.register(AbilitySource)
class AbilitySourceAdmin(admin.ModelAdmin):
    form = AbilitySourceForm
    list_display = ["ability", "indicator", "drill_kind", "weight"]
    list_editable = ["weight"]
    list_filter = ["ability", "drill_kind"]
    list_select_related = ["indicator"]
    search_fields = ["indicator__code", "indicator__name_en", "indicator__name_zh"]
    autocomplete_fields = ["indicator"]


class AbilityTargetForm(forms.ModelForm):
    class Meta:
        model = AbilityTarget
        fields = ["role", "ability", "target"]

    def clean(self):
        cleaned = super().clean()
        role, ability = cleaned.get("role"), cleaned.get("ability")
        if role is not None and ability:
            others = AbilityTarget.objects.filter(role=role, ability=ability).exclude(pk=self.instance.pk)
            if others.exists():
                self.add_error("ability", _("This role already has a target for this ability."))
        return cleaned


@admin.register(AbilityTarget)
class AbilityTargetAdmin(admin.ModelAdmin):
    form = AbilityTargetForm
    list_display = ["role", "ability", "target"]
    list_editable = ["target"]
    list_filter = ["ability", "role"]
    list_select_related = ["role"]
    search_fields = ["role__code", "role__name_en", "role__name_zh"]


# Role models -------------------------------------------------------------------------------------------------


class RoleModelForm(forms.ModelForm):
    class Meta:
        model = RoleModel
        fields = ["is_active"]

    def clean(self):
        """One active role model per person and playbook: showing an older one again needs the other hidden."""
        cleaned = super().clean()
        row = self.instance
        if cleaned.get("is_active") and row.pk:
            others = RoleModel.objects.filter(playbook_id=row.playbook_id, employee_id=row.employee_id, is_active=True)
            if others.exclude(pk=row.pk).exists():
                self.add_error("is_active", _("She is already shown as a role model of this playbook."))
        return cleaned


@admin.register(RoleModel)
class RoleModelAdmin(admin.ModelAdmin):
    """Role models are marked on the playbook pages by HR or the supervisor; here HR shows or hides them in the
    gallery."""

    form = RoleModelForm
    list_display = ["employee", "playbook", "drill", "marked_by", "marked_at", "is_active"]
    list_editable = ["is_active"]
    list_filter = ["is_active", "playbook"]
    list_select_related = ["employee", "playbook", "marked_by", "drill__version__playbook"]
    search_fields = ["=employee__employee_number", "employee__name", "playbook__code", "what_they_did"]
    date_hierarchy = "marked_at"
    show_full_result_count = False
    fields = ["playbook", "employee", "drill", "what_they_did", "marked_by", "marked_at", "is_active"]
    readonly_fields = ["playbook", "employee", "drill", "what_they_did", "marked_by", "marked_at"]

    def get_changelist_form(self, request, **kwargs):
        return RoleModelForm

    def has_add_permission(self, request):
        return False  # marked on the playbook pages (linkage:role-model-new)

    def has_delete_permission(self, request, obj=None):
        return False  # hidden instead: the gallery's history stays
