"""The admin's side of big imports (``staff.import_jobs``): an upload over IMPORT_BACKGROUND_BYTES goes to the
worker, and HR follows it on its job page: a progress bar, then the preview to confirm, then the result."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import import_jobs
from .import_results import Change, Problem, RowChanges
from .imports import RESOURCES
from .models import ImportJob
from .models import ImportJobStatus as Status

RUNNING = {Status.PREVIEW_QUEUED, Status.PREVIEWING, Status.IMPORT_QUEUED, Status.IMPORTING}


class ImportJobConfirmForm(forms.Form):
    """The confirm of a checked job; a file that changes who people are needs the tick."""

    confirm_identity_changes = forms.BooleanField(required=False)

    def __init__(self, *args, job, **kwargs):
        super().__init__(*args, **kwargs)
        self.job = job
        self.label_suffix = ""
        count = job.identity_change_count
        if count:
            label = ngettext(
                "I confirm that %(count)s person’s identity changes.",
                "I confirm that %(count)s people’s identities change.",
                count,
            )
            self.fields["confirm_identity_changes"].label = label % {"count": count}
        else:
            del self.fields["confirm_identity_changes"]

    def clean(self):
        if self.job.identity_change_count and not self.cleaned_data.get("confirm_identity_changes"):
            raise forms.ValidationError(_("Tick the confirmation of the changes of identity, or upload another file."))
        return self.cleaned_data


class ImportJobsAdminMixin:
    """For ``SpreadsheetAdmin``: big uploads become jobs, each with its page."""

    def _resource_name(self):
        """The name of this admin's import in ``RESOURCES``; None for an import that never runs as a job."""
        return next((name for name, cls in RESOURCES.items() if cls is self.resource_classes[0]), None)

    def _job_url_name(self):
        return f"{self.opts.app_label}_{self.opts.model_name}_import_job"

    def get_urls(self):
        job = path(
            "import/job/<int:job_id>/", self.admin_site.admin_view(self.import_job_view), name=self._job_url_name()
        )
        return [job, *super().get_urls()]

    def import_action(self, request, **kwargs):
        upload = request.FILES.get("import_file") if request.method == "POST" else None
        is_job = upload is not None and import_jobs.is_big(upload.size) and self._resource_name()
        if is_job and self.has_import_permission(request):
            form = self.create_import_form(request)
            if form.is_valid():
                input_format = self.get_import_formats()[int(form.cleaned_data["format"])]()
                storage = self.write_to_tmp_storage(upload, input_format)
                job = import_jobs.start_preview(
                    resource_name=self._resource_name(),
                    upload_name=storage.name,
                    file_name=upload.name,
                    actor=request.user,
                )
                return redirect(f"admin:{self._job_url_name()}", job_id=job.pk)
        return super().import_action(request, **kwargs)

    def import_job_view(self, request, job_id):
        if not self.has_import_permission(request):
            raise PermissionDenied
        job = get_object_or_404(ImportJob, pk=job_id, resource=self._resource_name() or "")
        form = ImportJobConfirmForm(request.POST if request.method == "POST" else None, job=job)
        if request.method == "POST" and form.is_valid():
            digest = job.identity_digest if job.identity_change_count else ""
            if not import_jobs.confirm(job_id=job.pk, actor=request.user, confirmed_digest=digest):
                messages.warning(request, _("This import is already confirmed: nothing more was changed."))
            return redirect(f"admin:{self._job_url_name()}", job_id=job.pk)
        progress = import_jobs.Progress(job).read() if job.status in RUNNING else None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import of %(file)s") % {"file": job.file_name},
            "opts": self.opts,
            "job": job,
            "is_running": job.status in RUNNING,
            "progress": progress,
            "percent": int(100 * progress["done"] / progress["total"]) if progress and progress["total"] else 0,
            "result": {"problems": [Problem(*problem) for problem in job.problems]},
            "identity_changes": [
                RowChanges(
                    row["row"], row["key"], [Change("", column, old, new, True) for column, old, new in row["changes"]]
                )
                for row in job.identity_changes
            ],
            "form": form if job.status == Status.READY else None,
            "changelist_url": reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"),
            "import_url": reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import"),
        }
        return TemplateResponse(request, "admin/staff/import_job.html", context)
