"""KASH pages: parse → check access through training.permissions → select or call a service → render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from staff import permissions as people
from staff import selectors as staff_selectors
from staff.forms import PeopleFilterForm

from .. import permissions, services
from ..forms.kash import AssessmentForm, initial_from
from ..models import Dimension
from ..selectors import kash as selectors


def _visible_employee(user, pk):
    return get_object_or_404(staff_selectors.employee_list(user).select_related("position"), pk=pk)


@login_required
def my_kash(request):
    me = people.employee_of(request.user)
    if me is None:
        raise Http404
    return kash_profile(request, me.pk)


@login_required
def kash_profile(request, pk):
    employee = _visible_employee(request.user, pk)
    profile = selectors.kash_profile(request.user, employee)
    return render(
        request,
        "training/kash_profile.html",
        {
            "profile": profile,
            "employee": employee,
            "is_self": employee == people.employee_of(request.user),
            "sources": permissions.assessable_sources(request.user, employee),
            "chart": _chart_data(profile),
        },
    )


def _chart_data(profile):
    return {
        "labels": [str(row.indicator.name) for row in profile.rows],
        "current": [row.current for row in profile.rows],
        "target": [row.target for row in profile.rows],
        "previous": [row.previous for row in profile.rows],
        "months": [month.isoformat()[:7] for month, _ in profile.trend],
        "dimensions": [
            {"label": str(label), "values": [scores[code] for _, scores in profile.trend]}
            for code, label in Dimension.choices
        ],
        "series": {"current": _("Now"), "target": _("Target"), "previous": _("Three months ago")},
    }


@login_required
@require_http_methods(["GET", "POST"])
def assessment_new(request, pk):
    employee = _visible_employee(request.user, pk)
    sources = permissions.assessable_sources(request.user, employee)
    if not sources:
        raise Http404
    form = _form(request, employee, sources, initial={"assessed_on": timezone.localdate(), "source": sources[0]})
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.create_assessment(
                actor=request.user,
                subject=employee,
                source=form.cleaned_data["source"],
                assessed_on=form.cleaned_data["assessed_on"],
                context=form.cleaned_data["context"],
                private_note=form.cleaned_data.get("private_note", ""),
                scores=form.scores_from(),
                submit="submit" in request.POST,
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
            return _after_save(request, assessment)
    return _render_form(request, form, employee, None)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_edit(request, pk):
    assessment = get_object_or_404(selectors.visible_assessments(request.user).select_related("subject"), pk=pk)
    if not permissions.can_edit_draft(request.user, assessment):
        raise Http404
    employee = assessment.subject
    form = _form(request, employee, (assessment.source,), initial=initial_from(assessment))
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.save_draft(
                actor=request.user,
                assessment_id=assessment.pk,
                version=form.cleaned_data["version"],
                assessed_on=form.cleaned_data["assessed_on"],
                context=form.cleaned_data["context"],
                private_note=form.cleaned_data.get("private_note", ""),
                scores=form.scores_from(),
            )
            if "submit" in request.POST:
                assessment = services.submit_assessment(
                    actor=request.user, assessment_id=assessment.pk, version=assessment.version
                )
        except services.AssessmentConflict as exc:
            # Keep what this user typed; show the conflict and the saved version's number to save over.
            messages.error(request, str(exc))
            assessment.refresh_from_db()
            form.data = form.data.copy()
            form.data["version"] = assessment.version
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            return _after_save(request, assessment)
    return _render_form(request, form, employee, assessment)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_correct(request, pk):
    original = get_object_or_404(selectors.visible_assessments(request.user).select_related("subject"), pk=pk)
    if not permissions.can_correct(request.user, original):
        raise Http404
    employee = original.subject
    initial = {**initial_from(original), "assessed_on": original.assessed_on}
    form = _form(request, employee, (original.source,), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            correction = services.correct_assessment(
                actor=request.user,
                assessment_id=original.pk,
                assessed_on=form.cleaned_data["assessed_on"],
                context=form.cleaned_data["context"],
                private_note=form.cleaned_data.get("private_note", ""),
                scores=form.scores_from(),
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
            return _after_save(request, correction)
    return _render_form(request, form, employee, None, correcting=original)


def _form(request, employee, sources, *, initial):
    return AssessmentForm(
        request.POST or None,
        initial=initial,
        indicators=selectors.framework(with_levels=True),
        sources=sources,
        allow_private_note=permissions.can_view_private_notes(request.user, employee),
    )


def _render_form(request, form, employee, assessment, correcting=None):
    return render(
        request,
        "training/assessment_form.html",
        {"form": form, "employee": employee, "assessment": assessment, "correcting": correcting},
    )


def _after_save(request, assessment):
    if assessment.is_submitted:
        messages.success(request, _("Assessment submitted."))
        return redirect("training:kash-profile", pk=assessment.subject_id)
    messages.success(request, _("Draft saved."))
    return redirect("training:assessment-edit", pk=assessment.pk)


@login_required
def team_heatmap(request):
    """Query parameters: site, department, team, stage, q (the filters), sort ("gap" or an indicator id, within
    the page), withdrawn=1 (show withdrawn trainees too), page."""
    if not people.can_view_team_board(request.user):
        raise Http404
    filters = PeopleFilterForm(request.GET, user=request.user)
    sort = request.GET.get("sort", "")
    withdrawn = request.GET.get("withdrawn") == "1"
    indicators, page, needs = selectors.team_heatmap(
        request.user,
        team_ids=filters.team_ids,
        stage=filters.selected_stage or None,
        search=filters.search,
        sort=sort,
        include_withdrawn=withdrawn,
        page=request.GET.get("page"),
    )
    labels = selectors.short_labels(indicators)
    for row in page:  # each person's link once: "who needs what" repeats them across indicators
        row.employee.profile_url = reverse("training:kash-profile", args=[row.employee.pk])
    return render(
        request,
        "training/team_heatmap.html",
        {
            **filters.context(),
            "sort": sort,
            "withdrawn": withdrawn,
            "columns": [(indicator, labels[indicator.pk]) for indicator in indicators],
            "indicators": indicators,
            "rows": page,
            "needs": needs,
        },
    )
