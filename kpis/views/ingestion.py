"""Pages of KPI ingestion for HR (issue 11 §3): upload a file of agent or queue days → its preview (nothing
written) → confirm, which ingests it in the request or, when big, on the worker with a progress bar; and the
ingest log. Only kpis.permissions.can_ingest may use them; everyone else gets 404."""

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staff.imports import ImportTempStorage, describe, limits_text
from staff.spreadsheets import FileProblem

from .. import files, permissions
from ..forms.ingestion import ConfirmForm, IngestFilterForm, UploadForm
from ..models import Ingest, IngestStatus, Source

PAGE_SIZE = 50
# The uploads this browser confirmed → their Ingest: a second post of the same confirm shows the first's result.
CONFIRMED_KEY = "kpi_confirmed_uploads"
CONFIRMED_KEPT = 20


def _ingester(request):
    if not permissions.can_ingest(request.user):
        raise Http404


@login_required
def ingest_upload(request):
    _ingester(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        return _preview(request, form)
    return _upload_page(request, form)


def _upload_page(request, form):
    return render(
        request,
        "kpis/ingest_upload.html",
        {"form": form, "limits": limits_text(), "small_rows": files.SMALL_ROWS},
    )


def _preview(request, form):
    """Keep the upload for the confirm and show what it would do; a file with problems is not kept."""
    source, upload = form.cleaned_data["source"], form.cleaned_data["file"]
    file_name = PurePath(upload.name).name[-255:]
    storage = ImportTempStorage(read_mode="rb")
    storage.save_chunks(upload.chunks())
    extra = files.extra_measures(source)
    try:
        rows = files.read_rows(storage.read(), file_name, source, extra)
    except FileProblem as problem:
        storage.remove()
        form.add_error("file", describe(problem))
        return _upload_page(request, form)
    result = files.preview(rows=rows, source=source, actor=request.user, file_name=file_name, extra=extra)
    confirm = None
    if result.problems:
        storage.remove()
    else:
        confirm = ConfirmForm(initial={"upload": storage.name, "source": source, "file_name": file_name})
    return render(
        request,
        "kpis/ingest_preview.html",
        {
            "preview": result,
            "file_name": file_name,
            "source_label": Source(source).label,
            "confirm": confirm,
            "problems": result.problems[: files.PROBLEMS_SHOWN],
            "small_rows": files.SMALL_ROWS,
        },
    )


@login_required
@require_POST
def ingest_confirm(request):
    """Ingest the previewed upload once: a second post of the same confirm (a double click, a reload) finds the
    upload claimed and shows the first one's ingest."""
    _ingester(request)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        raise Http404
    name, source, file_name = (form.cleaned_data[key] for key in ("upload", "source", "file_name"))
    upload = ImportTempStorage(name=name, read_mode="rb")
    confirmed = request.session.get(CONFIRMED_KEY, {})
    if not upload.claim():
        messages.info(request, _("This file was already confirmed; nothing more was written."))
        if name in confirmed:
            return redirect("kpis:ingest-detail", pk=confirmed[name])
        return redirect("kpis:ingest-log")
    try:
        rows = files.read_rows(upload.read(), file_name, source, files.extra_measures(source))
    except FileProblem as problem:
        upload.remove()
        messages.error(request, describe(problem))
        return redirect("kpis:ingest-upload")
    if len(rows) <= files.SMALL_ROWS:
        try:
            ingest = files.ingest_now(rows=rows, source=source, actor=request.user, file_name=file_name)
        finally:
            upload.remove()
    else:
        ingest = files.queue_ingest(
            upload=upload, source=source, actor=request.user, file_name=file_name, rows_total=len(rows)
        )
    confirmed[name] = ingest.pk
    request.session[CONFIRMED_KEY] = dict(list(confirmed.items())[-CONFIRMED_KEPT:])
    return redirect("kpis:ingest-detail", pk=ingest.pk)


@login_required
def ingest_detail(request, pk):
    """One ingest: progress while the worker has it (htmx asks for the status part again), then its result."""
    _ingester(request)
    ingest = get_object_or_404(Ingest.objects.select_related("actor"), pk=pk)
    is_running = ingest.status in (IngestStatus.QUEUED, IngestStatus.RUNNING)
    context = {
        "ingest": ingest,
        "is_running": is_running,
        "is_writing": is_running and ingest.rows_total and ingest.rows_done >= ingest.rows_total,
        "percent": round(100 * ingest.rows_done / ingest.rows_total) if ingest.rows_total else 0,
        "problems": ingest.problems[: files.PROBLEMS_SHOWN],
    }
    template = "kpis/_ingest_status.html" if request.htmx else "kpis/ingest_detail.html"
    return render(request, template, context)


@login_required
def ingest_log(request):
    """Every ingest, newest first, filtered by source, channel, status and a day the rows hold; paginated."""
    _ingester(request)
    form = IngestFilterForm(request.GET or None)
    ingests = Ingest.objects.select_related("actor").order_by("-created_at", "-pk")
    if form.is_valid():
        chosen = form.cleaned_data
        ingests = ingests.filter(**{key: chosen[key] for key in ("source", "channel", "status") if chosen[key]})
        if chosen["on"]:
            ingests = ingests.filter(first_on__lte=chosen["on"], last_on__gte=chosen["on"])
    page = Paginator(ingests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "kpis/ingest_log.html", {"form": form, "page": page})


def hr_overview_panel(user):
    """Links to the KPI file upload and the ingest log on staff's HR overview (registered in KpisConfig); no
    query, so the overview's cost stays the same."""
    if not permissions.can_ingest(user):
        return None
    return "kpis/_ingest_hr_panel.html", {}
