"""Forms of the task pages (issue 14 §3, §5): validation of the input only; who may and the rules live in
improvement.permissions, improvement.task_rules and improvement.services.tasks."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import TaskStatus

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
STAGES, QUESTIONS = 3, 3  # rows offered on the new-task page (blank rows are skipped)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    description = forms.CharField(
        label=_("What is to be done"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    assignee = forms.ModelChoiceField(label=_("Assignee"), queryset=None)
    token = forms.CharField(max_length=80, widget=forms.HiddenInput, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = people
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4().hex)  # a double click creates one task


class StageForm(forms.Form):
    title = forms.CharField(label=_("Stage"), max_length=160, required=False)
    owner = forms.ModelChoiceField(label=_("Stage owner"), queryset=None, required=False)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people

    def clean(self):
        data = super().clean()
        filled = [data.get(name) for name in ("title", "owner", "due_on")]
        if any(filled) and not all(filled):
            raise forms.ValidationError(_("A stage needs a title, an owner and a due date."))
        return data


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Comprehension question"),
        max_length=300,
        required=False,
        help_text=_("Ask what confirms the task is understood."),
    )


class BaseStageFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not any(form.cleaned_data.get("title") for form in self.forms):
            raise forms.ValidationError(_("A task needs at least one stage."))


def stage_formset(data=None, *, people):
    factory = forms.formset_factory(StageForm, formset=BaseStageFormSet, extra=STAGES, max_num=10)
    return factory(data, prefix="stages", form_kwargs={"people": people})


def question_formset(data=None):
    return forms.formset_factory(QuestionForm, extra=QUESTIONS, max_num=10)(data, prefix="questions")


class AnswersForm(forms.Form):
    """One answer field per comprehension question of the task."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        for question in questions:
            self.fields[f"q{question.pk}"] = forms.CharField(
                label=question.text, initial=question.answer, widget=forms.Textarea(attrs={"rows": 2})
            )

    def answers(self):
        return {int(name[1:]): text for name, text in self.cleaned_data.items()}


class DelegateForm(forms.Form):
    to = forms.ModelChoiceField(label=_("Delegate to"), queryset=None)
    text = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = people


class RaiseForm(forms.Form):
    text = forms.CharField(
        label=_("What do you raise past your lead?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class TeamTaskFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *TaskStatus.choices], required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    person = forms.ModelChoiceField(label=_("Person"), queryset=None, required=False, empty_label=_("Everyone"))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["status"].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["person"].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["overdue"].widget.attrs["class"] = "form-check-input"
