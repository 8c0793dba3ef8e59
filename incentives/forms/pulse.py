"""Forms of the pulse pages (issue 15 §5, §6): input only; access and rules live in permissions, services and
selectors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..pulse_rules import FACTOR_CHOICES, SCORES

SCALE = [(score, str(score)) for score in SCORES]


class AnswerForm(forms.Form):
    """One 1–5 choice per question of the wave (five big buttons on a phone)."""

    wave = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**62)

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"q{question.pk}"] = forms.TypedChoiceField(
                label=question.text,
                choices=SCALE,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose a score from 1 to 5.")},
            )

    def scores(self):
        return {q.pk: self.cleaned_data[f"q{q.pk}"] for q in self.questions}

    def question_fields(self):
        return [self[f"q{q.pk}"] for q in self.questions]


class ResultsFilterForm(forms.Form):
    """The filters of the results page; a choice outside the caller's scope is simply not offered."""

    wave = forms.TypedChoiceField(label=_("Wave"), coerce=int, required=False, empty_value=None)
    team = forms.TypedChoiceField(label=_("Team"), coerce=int, required=False, empty_value=None)
    site = forms.TypedChoiceField(label=_("Site"), coerce=int, required=False, empty_value=None)
    question = forms.TypedChoiceField(label=_("Question"), coerce=int, required=False, empty_value=None)
    factor = forms.ChoiceField(label=_("Factor"), required=False)

    def __init__(self, *args, waves=(), teams=(), sites=(), questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        self.fields["wave"].choices = [(w.pk, str(w)) for w in waves]
        self.fields["team"].choices = every + [(t.pk, t.name) for t in teams]
        self.fields["site"].choices = every + [(s.pk, s.name) for s in sites]
        self.fields["question"].choices = every + [(q.pk, q.text) for q in questions]
        self.fields["factor"].choices = every + list(FACTOR_CHOICES)
