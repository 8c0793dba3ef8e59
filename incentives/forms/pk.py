"""Forms of the PK pages (issue 15 §4): input only; rules and access live in services/permissions."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kpis.models import Kpi

from .. import pk_rules
from ..models import MetricSource, Normalisation, PkKind, PoolUnit


class KpiChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class NamedMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class CompetitionForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("PK", "Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"))
    starts_on = forms.DateField(label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    metric = forms.ChoiceField(label=_("Metric"), choices=MetricSource.choices)
    kpi = KpiChoiceField(label=_("KPI"), queryset=Kpi.objects.none(), required=False)
    is_lower_better = forms.BooleanField(label=_("Lower is better (a count metric)"), required=False)
    normalisation = forms.ChoiceField(
        label=_("Normalisation of a count"), choices=Normalisation.choices, initial=Normalisation.PER_AGENT
    )
    minimum_volume = forms.DecimalField(
        label=_("Minimum volume to rank"), min_value=0, max_digits=14, decimal_places=2, initial=0
    )
    pool_unit = forms.ChoiceField(label=_("Reward pool in"), choices=PoolUnit.choices, initial=PoolUnit.CNY)
    pool = forms.DecimalField(label=_("Reward pool"), min_value=0, max_digits=12, decimal_places=2, initial=0)
    cap_per_person = forms.DecimalField(
        label=_("Cap per person (optional)"), min_value=0.01, max_digits=12, decimal_places=2, required=False
    )
    teams = NamedMultipleChoiceField(
        label=_("Teams"), queryset=None, required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    sites = NamedMultipleChoiceField(
        label=_("Sites"), queryset=None, required=False, widget=forms.SelectMultiple(attrs={"size": 5})
    )
    token = forms.CharField(widget=forms.HiddenInput, max_length=80, required=False)

    def __init__(self, *args, kinds, teams, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.value, k.label) for k in kinds]
        self.fields["kpi"].queryset = Kpi.objects.filter(is_active=True).select_related("numerator")
        self.fields["teams"].queryset = teams.order_by("name", "pk")
        self.fields["sites"].queryset = sites.order_by("name", "pk")
        if PkKind.SITE not in kinds:
            del self.fields["sites"]
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4().hex)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
                continue
            widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")


class ResultForm(forms.Form):
    participant = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    value = forms.DecimalField(label=_("Result"), max_digits=14, decimal_places=4)
    volume = forms.DecimalField(label=_("Volume"), min_value=0, max_digits=14, decimal_places=2, required=False)


class CompetitionFilterForm(forms.Form):
    """The list page's filters (GET)."""

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *pk_rules.Status.choices]
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any kind")), *PkKind.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.update({"class": "form-select", "aria-label": field.label})
