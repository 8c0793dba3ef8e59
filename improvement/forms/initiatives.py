"""Forms of the initiative pages (issue 14 §2): the Plan with formsets for KPIs, risks and milestones, the Act
decision, the list's filters. Validation of the input only: who may and the status rules live in
improvement.permissions, improvement.initiative_rules and improvement.services.initiatives."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kpis.models import Kpi
from staff.models import Site, Team

from .. import initiative_rules
from ..models import ActDecision, Initiative, InitiativeKpi, InitiativeRisk, InitiativeStatus, KpiRole, Milestone

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class InitiativeFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *initiative_rules.STATUS_LABELS.items()], required=False
    )
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.none(), required=False, empty_label=_("All sites")
    )
    mine = forms.BooleanField(label=_("Mine only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.order_by("name", "pk")
        self.fields["status"].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["site"].widget.attrs["class"] = "form-select form-select-sm"


class PlanForm(forms.ModelForm):
    """The Plan: goal, method, owner, scope and pilot teams, and the before / pilot / after windows."""

    class Meta:
        model = Initiative
        fields = [
            "title",
            "goal",
            "method",
            "owner",
            "scope_sites",
            "scope_teams",
            "pilot_teams",
            "baseline_from",
            "baseline_to",
            "pilot_start",
            "rollout_start",
            "after_to",
        ]
        widgets = {
            "goal": forms.Textarea(attrs={"rows": 2}),
            "method": forms.Textarea(attrs={"rows": 3}),
            "baseline_from": DATE,
            "baseline_to": DATE,
            "pilot_start": DATE,
            "rollout_start": DATE,
            "after_to": DATE,
            "scope_sites": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "scope_teams": _("Empty teams and sites: the whole centre."),
            "pilot_teams": _("Compared with the other teams in scope from the pilot start to the go-live."),
        }

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners.order_by("name", "pk")
        teams = Team.objects.select_related("department__site").order_by("department__site__name", "name", "pk")
        self.fields["scope_teams"].queryset = teams
        self.fields["pilot_teams"].queryset = teams
        self.fields["scope_sites"].queryset = Site.objects.order_by("name", "pk")
        self.fields["scope_teams"].required = self.fields["scope_sites"].required = False
        self.fields["pilot_teams"].required = False

    def clean(self):
        data = super().clean()
        start, end = data.get("baseline_from"), data.get("baseline_to")
        pilot, rollout, after = data.get("pilot_start"), data.get("rollout_start"), data.get("after_to")
        if start and end and end < start:
            self.add_error("baseline_to", _("The before window ends before it starts."))
        if end and rollout and end >= (pilot or rollout):
            self.add_error(
                "baseline_to", _("The before window must end before the pilot (or, without one, the go-live).")
            )
        if pilot and rollout and pilot > rollout:
            self.add_error("pilot_start", _("The pilot starts on or before the go-live."))
        if after and rollout and after < rollout:
            self.add_error("after_to", _("The after window ends before the go-live."))
        if data.get("pilot_teams") and not pilot:
            self.add_error("pilot_start", _("Pilot teams need a pilot start."))
        return data


class KpiForm(forms.ModelForm):
    class Meta:
        model = InitiativeKpi
        fields = ["kpi", "role", "baseline", "target", "threshold"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kpi"].queryset = Kpi.objects.filter(is_active=True).order_by("order", "code")
        self.fields["baseline"].help_text = _("Empty: the value before, computed from the KPI data.")

    def clean(self):
        data = super().clean()
        if data.get("role") == KpiRole.GUARDRAIL and data.get("threshold") is None:
            self.add_error("threshold", _("A guardrail needs a threshold."))
        return data


class RiskForm(forms.ModelForm):
    class Meta:
        model = InitiativeRisk
        fields = ["risk", "counter_measure", "owner"]
        widgets = {"risk": forms.Textarea(attrs={"rows": 2}), "counter_measure": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_on", "done_on"]
        widgets = {"due_on": DATE, "done_on": DATE}


def _formset(form, model, extra):
    return forms.inlineformset_factory(Initiative, model, form=form, extra=extra, max_num=20, can_delete=True)


KpiFormSet = _formset(KpiForm, InitiativeKpi, 2)
RiskFormSet = _formset(RiskForm, InitiativeRisk, 1)
MilestoneFormSet = _formset(MilestoneForm, Milestone, 2)


def plan_formsets(data=None, *, initiative, owners):
    """The three formsets of the Plan page (prefixes kpis, risks, milestones)."""
    instance = initiative or Initiative()
    return {
        "kpis": KpiFormSet(data, instance=instance, prefix="kpis"),
        "risks": RiskFormSet(data, instance=instance, prefix="risks", form_kwargs={"owners": owners}),
        "milestones": MilestoneFormSet(data, instance=instance, prefix="milestones"),
    }


def rows_of(formset):
    """The formset's changed rows as dicts for services.initiatives.save_plan (``id``, ``delete``, fields)."""
    rows = []
    for form in formset.forms:
        if not form.has_changed() and not form.instance.pk:
            continue
        data = {name: form.cleaned_data.get(name) for name in form._meta.fields}
        data["id"] = form.instance.pk
        data["delete"] = bool(form.cleaned_data.get("DELETE"))
        rows.append(data)
    return rows


class DecisionForm(forms.Form):
    """Act: the decision with its note; for a standard, the playbook version or the other standard changed."""

    decision = forms.ChoiceField(label=_("Decision"), choices=ActDecision.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 3}))
    standard_playbook = forms.ModelChoiceField(
        label=_("Playbook version published as the standard"), queryset=None, required=False
    )
    standard_note = forms.CharField(
        label=_("Other standard changed"),
        max_length=200,
        required=False,
        help_text=_("E.g. the authority matrix change this initiative led to."),
    )

    def __init__(self, *args, **kwargs):
        from linkage.models import PlaybookVersion

        super().__init__(*args, **kwargs)
        self.fields["standard_playbook"].queryset = PlaybookVersion.objects.select_related("playbook").order_by(
            "playbook__code", "-number"
        )


class MoveForm(forms.Form):
    to_status = forms.ChoiceField(choices=InitiativeStatus.choices)
    note = forms.CharField(required=False, max_length=2000)
