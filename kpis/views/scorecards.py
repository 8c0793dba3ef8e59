"""Scorecard pages for HR (seed 004): the months with their status and late revisions, closing and reopening a
month, one month's scorecards (filtered, paginated) and the payroll export. Parse → check access through
kpis.permissions → call a selector or a service → render; anything HR-only answers 404 to everyone else."""

import tablib
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from staff.imports import CSV, XLSX

from .. import permissions
from ..selectors import scorecards as selectors
from ..services import scorecards as services

PAGE_SIZE = 50
EXPORT_FORMATS = {"csv": CSV, "xlsx": XLSX}


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why reopen this month?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Kept in the month's history; payroll may already have its scorecards."),
    )


class ComputeForm(forms.Form):
    month = forms.CharField(label=gettext_lazy("Month (YYYY-MM)"), max_length=7)

    def clean_month(self):
        month = selectors.parse_month(self.cleaned_data["month"])
        if month is None:
            raise ValidationError(_("Enter a month as YYYY-MM, e.g. 2026-11."))
        return month


def _manager(request):
    if not permissions.can_manage_scorecards(request.user):
        raise Http404


def _month(text):
    month = selectors.parse_month(text)
    if month is None:
        raise Http404
    return month


def _month_url(month):
    return redirect("kpis:scorecard-month", month=f"{month:%Y-%m}")


def _filters(request):
    """The site, team and band chosen on the month page (ids as numbers; anything else is ignored)."""
    site, team = request.GET.get("site", ""), request.GET.get("team", "")
    return {
        "site": int(site) if site.isdigit() else None,
        "team": int(team) if team.isdigit() else None,
        "band": request.GET.get("band", "") or None,
    }


@login_required
def scorecard_months(request):
    _manager(request)
    return render(
        request,
        "kpis/scorecards.html",
        {"months": selectors.months()},
    )


@login_required
def scorecard_month(request, month):
    _manager(request)
    month = _month(month)
    row = selectors.month_row(month)
    chosen = _filters(request)
    page = Paginator(selectors.month_scorecards(request.user, month, **chosen), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    sites, teams, bands = selectors.month_filters(request.user, month)
    context = {
        "month": row,
        "page": page,
        "sites": sites,
        "teams": teams,
        "bands": bands,
        "chosen": chosen,
        "band_classes": selectors.BAND_CLASSES,
        "late_revisions": selectors.late_revisions(month),
    }
    return render(request, "kpis/scorecards_month.html", context)


def export_headers():
    return [
        _("Employee number"),
        _("Name"),
        _("Team"),
        _("Site"),
        _("Month"),
        _("Composite score"),
        _("Band"),
        _("Pay grade"),
        _("Pay coefficient"),
    ]


@login_required
def scorecard_export(request, month):
    """The month's scorecards (with the page's filters) for payroll, as .csv (UTF-8 with a BOM, for Excel) or
    .xlsx; cells that could run as formulas are neutralised by staff.imports' formats."""
    _manager(request)
    month = _month(month)
    file_format = EXPORT_FORMATS.get(request.GET.get("format", "csv"))
    if file_format is None:
        raise Http404
    cards = selectors.month_scorecards(request.user, month, **_filters(request))
    dataset = tablib.Dataset(*selectors.export_rows(cards), headers=export_headers())
    content = file_format().export_data(dataset)
    if isinstance(content, str):
        content = content.encode("utf-8-sig")
    response = HttpResponse(content, content_type=file_format().get_content_type())
    name = f"scorecards-{month:%Y-%m}.{file_format().get_extension()}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def scorecard_month_close(request, month):
    _manager(request)
    month = _month(month)
    services.close_month(month=month, actor=request.user)
    messages.success(
        request, _("%(month)s is closed: its scorecards are frozen for payroll.") % {"month": f"{month:%Y-%m}"}
    )
    return _month_url(month)


@login_required
@require_POST
def scorecard_month_reopen(request, month):
    _manager(request)
    month = _month(month)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the month is reopened: its scorecards may already be in the payroll."))
        return _month_url(month)
    try:
        services.reopen_month(month=month, actor=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _month_url(month)
    messages.success(request, _("%(month)s is open again and recomputed.") % {"month": f"{month:%Y-%m}"})
    return _month_url(month)


@login_required
@require_POST
def scorecard_month_compute(request):
    _manager(request)
    form = ComputeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["month"]))
        return redirect("kpis:scorecard-months")
    month = form.cleaned_data["month"]
    result = services.compute_month(month=month, actor=request.user)
    if result.is_frozen:
        messages.info(request, _("This month is closed: its scorecards stay as they are."))
    else:
        messages.success(
            request,
            _("Computed: %(created)s new, %(updated)s changed, %(unchanged)s unchanged scorecards.")
            % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
        )
        if result.without_weights:
            messages.warning(
                request,
                ngettext(
                    "%(count)s person was left out: her site has no weight set for this month.",
                    "%(count)s people were left out: their site has no weight set for this month.",
                    len(result.without_weights),
                )
                % {"count": len(result.without_weights)},
            )
    return _month_url(month)


@login_required
@require_POST
def late_revisions_reviewed(request, month):
    _manager(request)
    month = _month(month)
    count = services.mark_late_revisions_reviewed(actor=request.user, month=month)
    text = ngettext(
        "%(count)s late revision marked as reviewed.", "%(count)s late revisions marked as reviewed.", count
    )
    messages.success(request, text % {"count": count})
    return _month_url(month)
