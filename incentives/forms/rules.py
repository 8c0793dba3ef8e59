"""Forms of the rules as written (issue 15 §8)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from training import idempotency

from ..models import EntryKind


class ApplyRuleForm(forms.Form):
    employee_number = forms.CharField(label=_("Employee number"), max_length=32)
    rule = forms.ModelChoiceField(label=_("Rule"), queryset=None)
    points = forms.IntegerField(
        label=_("Points"), required=False, min_value=1, help_text=_("Blank: the rule's standard points.")
    )
    note = forms.CharField(label=_("What happened"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}))
    idempotency_key = idempotency.KeyField()  # a double click writes one entry

    def __init__(self, *args, people, rules, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people
        self.fields["rule"].queryset = rules

    def clean_employee_number(self):
        number = self.cleaned_data["employee_number"].strip()
        employee = self.people.filter(employee_number__iexact=number).first()
        if employee is None:
            raise forms.ValidationError(_("No one with this number among the people you may apply a rule to."))
        self.cleaned_data["employee"] = employee
        return number


class ExceptionFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[
            ("", _("All")),
            (EntryKind.AWARD, _("Award")),
            (EntryKind.GRANT, _("Grant")),
            (EntryKind.PENALTY, _("Penalty")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.attrs["class"] = "form-select form-select-sm"
