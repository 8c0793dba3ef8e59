"""Forms of the case pages (issue 13 §6): validation of the input only; who may and the ownership rules live in
linkage.permissions and linkage.services.cases. Logging a case takes four fields, so it is done in under a minute
on a phone."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import CaseCategory, CaseChannel, CaseOutcome, CaseStatus, HandoffReason

DATETIME_WIDGET = forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"})
BREACH_CHOICES = [("", _("All")), ("breached", _("Breached")), ("soon", _("Due within the hour")), ("ok", _("On time"))]


def _styled(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
            continue
        widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")


class CaseForm(forms.Form):
    """Log a case: the customer's reference (masked at once), the channel, the category and what it is about."""

    customer_ref = forms.CharField(
        label=_("Customer reference"),
        max_length=60,
        help_text=_("A phone or account number: only the first 3 and last 4 characters are kept."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=CaseChannel.choices, initial=CaseChannel.PHONE, widget=forms.RadioSelect
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=CaseCategory.objects.none())
    summary = forms.CharField(label=_("Summary"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = CaseCategory.objects.filter(is_active=True).order_by("order", "code")
        _styled(self)


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *CaseStatus.choices], required=False)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=CaseCategory.objects.none(), required=False, empty_label=_("All categories")
    )
    breach = forms.ChoiceField(label=_("Target"), choices=BREACH_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = CaseCategory.objects.order_by("order", "code")
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"


class HandoffForm(forms.Form):
    """A step handed to another role (and a person): a reason code is required for every transfer."""

    to_role = forms.ModelChoiceField(label=_("To role"), queryset=None)
    to_employee = forms.ModelChoiceField(label=_("To person"), queryset=None, required=False)
    reason_code = forms.ChoiceField(label=_("Reason"), choices=[("", "—"), *HandoffReason.choices])
    reason = forms.CharField(label=_("Why"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    back_due_at = forms.DateTimeField(label=_("Back by"), required=False, widget=DATETIME_WIDGET)

    def __init__(self, *args, roles, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_role"].queryset = roles
        self.fields["to_employee"].queryset = people
        _styled(self)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    is_first_response = forms.BooleanField(label=_("This was my first response to the customer"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *CaseOutcome.choices])
    note = forms.CharField(label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)


class FollowUpForm(forms.Form):
    due_at = forms.DateTimeField(label=_("Due"), widget=DATETIME_WIDGET)
    is_outbound_call = forms.BooleanField(label=_("Outbound call"), required=False, initial=True)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)


class ReasonForm(forms.Form):
    """A free reason: the coordination report (报备), escalating past the lead, reopening, a hand-back note."""

    reason = forms.CharField(label=_("Why"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)
