"""Forms of the authority pages (issue 13 §3, §6): validation of the input only; the decision lives in
linkage.authority_rules, who may in linkage.permissions, the writes in linkage.services.authority."""

import uuid
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Risk

AMOUNT = {"max_digits": 10, "decimal_places": 2, "min_value": Decimal("0.01")}
DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class CouponForm(forms.Form):
    """A coupon on a case: issue it within her authority, or ask for approval with a reason."""

    ISSUE, REQUEST = "issue", "request"

    scenario = forms.ModelChoiceField(label=_("Scenario"), queryset=None, empty_label=None)
    risk = forms.ChoiceField(label=_("Risk level"), choices=Risk.choices, initial=Risk.LOW)
    amount = forms.DecimalField(label=_("Amount (CNY)"), **AMOUNT)
    reason = forms.CharField(
        label=_("Why (for an approval)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    action = forms.ChoiceField(choices=[(ISSUE, ISSUE), (REQUEST, REQUEST)], initial=ISSUE, widget=forms.HiddenInput)
    token = forms.CharField(max_length=80, widget=forms.HiddenInput, required=False)

    def __init__(self, *args, scenarios, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenario"].queryset = scenarios
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4().hex)  # a double click issues once


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve")), ("0", _("Refuse"))],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("Why it is reversed"), max_length=2000)


class LedgerFilterForm(forms.Form):
    """The ledger's filters, among the people and teams the user may see."""

    agent = forms.ModelChoiceField(label=_("Agent"), queryset=None, required=False, empty_label=_("Everyone"))
    team = forms.ModelChoiceField(label=_("Team"), queryset=None, required=False, empty_label=_("All teams"))
    scenario = forms.ModelChoiceField(
        label=_("Scenario"), queryset=None, required=False, empty_label=_("All scenarios")
    )
    day_from = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET)
    day_to = forms.DateField(label=_("To"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, agents, teams, scenarios, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = agents
        self.fields["team"].queryset = teams
        self.fields["scenario"].queryset = scenarios
        for field in self.fields.values():
            select = isinstance(field, forms.ModelChoiceField)
            field.widget.attrs["class"] = "form-select form-select-sm" if select else "form-control form-control-sm"

    def clean(self):
        data = super().clean()
        if data.get("day_from") and data.get("day_to") and data["day_from"] > data["day_to"]:
            raise forms.ValidationError(_("The first day comes after the last."))
        return data


class LimitForm(forms.Form):
    """HR sets one cell of the matrix: a grade's limits in a scenario at a risk level."""

    grade = forms.ModelChoiceField(label=_("Grade"), queryset=None, empty_label=None)
    scenario = forms.ModelChoiceField(label=_("Scenario"), queryset=None, empty_label=None)
    risk = forms.ChoiceField(label=_("Risk level"), choices=Risk.choices)
    per_use = forms.DecimalField(label=_("Per use"), max_digits=10, decimal_places=2, min_value=0)
    per_day = forms.DecimalField(label=_("Per day"), max_digits=10, decimal_places=2, min_value=0)
    per_month = forms.DecimalField(label=_("Per month"), max_digits=10, decimal_places=2, min_value=0)

    def __init__(self, *args, grades, scenarios, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grade"].queryset = grades
        self.fields["scenario"].queryset = scenarios
