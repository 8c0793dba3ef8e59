"""Forms of the suggestion pages (issue 14 §1, §5): input only; rules and access live in services/permissions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Campaign, Category, SuggestionStatus


class SuggestionForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=160)
    what = forms.CharField(label=_("What should change"), widget=forms.Textarea(attrs={"rows": 3}))
    why = forms.CharField(label=_("Why (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    is_public = forms.BooleanField(label=_("Public: colleagues can see and support it"), required=False, initial=True)
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none(), required=False)

    def __init__(self, *args, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        if not campaigns:
            del self.fields["campaign"]
        elif not self.is_bound:
            self.initial.setdefault("campaign", campaigns[0].pk)


class BoxFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    category = forms.ChoiceField(label=_("Category"), choices=[("", _("Any"))] + Category.choices, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Any"))] + SuggestionStatus.choices, required=False)
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.all(), required=False)
    mine = forms.BooleanField(label=_("Mine"), required=False)
    supported = forms.BooleanField(label=_("Supported by me"), required=False)


class MoveForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=SuggestionStatus.choices)
    answer = forms.CharField(label=_("Answer to the author"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MergeForm(forms.Form):
    target = forms.IntegerField(label=_("Merge into suggestion #"), min_value=1, max_value=2**31 - 1)


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}))


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    opens_on = forms.DateField(label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("Closes on"), widget=forms.DateInput(attrs={"type": "date"}))
