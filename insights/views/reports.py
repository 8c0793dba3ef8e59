"""The reporting system's pages (issue 16 §4): the archive with its filters, one report (figures, commentary,
review, trail) and its PDF and XLSX."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import exports, permissions
from ..forms.reports import CommentaryForm, ReportFilterForm, ReviewForm
from ..selectors import reports as selectors
from ..services import reports as services

PER_PAGE = 25


@login_required
def reports(request):
    if not permissions.can_view_insights(request.user):
        raise PermissionDenied
    teams = [(team.pk, team.name) for team in permissions.insight_teams(request.user).order_by("name", "pk")]
    form = ReportFilterForm(request.GET or None, teams=teams)
    found = permissions.visible_reports(request.user).select_related("team", "author__employee")
    if form.is_bound:
        found = form.filter(found)
    page = Paginator(found.order_by("-period_start", "kind", "team__name", "pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "insights/reports.html", {"form": form, "page": page})


def _visible(request, pk):
    report = get_object_or_404(permissions.visible_reports(request.user).select_related("team", "author"), pk=pk)
    if not permissions.can_view_report(request.user, report):
        raise Http404
    return report


@login_required
@require_http_methods(["GET", "POST"])
def report(request, pk):
    if not permissions.can_view_insights(request.user):
        raise PermissionDenied
    found = _visible(request, pk)
    commentary = CommentaryForm(initial={"commentary": found.commentary})
    review = ReviewForm()
    if request.method == "POST":
        action = request.POST.get("action")
        form = ReviewForm(request.POST) if action in ("approve", "return") else CommentaryForm(request.POST)
        if form.is_valid():
            try:
                _act(request, found, action, form.cleaned_data)
                return redirect("insights:report", pk=found.pk)
            except ValidationError as error:
                form.add_error(None, error)
        if action in ("approve", "return"):
            review = form
        else:
            commentary = form
    context = {
        "report": found,
        "sections": None,
        "commentary_form": commentary,
        "review_form": review,
        "can_write": permissions.can_write_report(request.user, found),
        "can_review": found.status == "submitted" and permissions.can_review_report(request.user, found),
        "events": found.events.select_related("actor__employee").order_by("at", "pk"),
    }
    figures = selectors.figures_of(found, now=timezone.now())
    context["sections"] = selectors.sections(figures)
    context["effects"] = selectors.effect_rows(figures)
    context["effect_columns"] = selectors.effect_columns()
    status = 200 if request.method == "GET" or not (commentary.errors or review.errors) else 400
    return render(request, "insights/report.html", context, status=status)


def _act(request, found, action, data):
    user = request.user
    if action == "save":
        services.save_commentary(actor=user, report_id=found.pk, commentary=data["commentary"])
        messages.success(request, _("Commentary saved."))
    elif action == "submit":
        services.submit(actor=user, report_id=found.pk, commentary=data["commentary"])
        messages.success(request, _("Report submitted for review."))
    elif action in ("approve", "return"):
        services.review(actor=user, report_id=found.pk, approve=action == "approve", note=data["note"])
        messages.success(request, _("Report approved.") if action == "approve" else _("Report returned to its author."))
    else:
        raise ValidationError(_("Choose what to do with the report."))


def _download(found, content, extension, content_type):
    response = HttpResponse(content, content_type=content_type)
    name = f"report-{found.kind}-{found.period_start:%Y-%m-%d}{f'-team{found.team_id}' if found.team_id else ''}"
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


@login_required
def report_pdf(request, pk):
    if not permissions.can_view_insights(request.user):
        raise PermissionDenied
    found = _visible(request, pk)
    content = exports.pdf(found, selectors.figures_of(found, now=timezone.now()))
    return _download(found, content, "pdf", "application/pdf")


@login_required
def report_xlsx(request, pk):
    if not permissions.can_view_insights(request.user):
        raise PermissionDenied
    found = _visible(request, pk)
    content = exports.xlsx(found, selectors.figures_of(found, now=timezone.now()))
    return _download(found, content, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
