"""HR's back office: organisation, positions and people, with spreadsheet import/export and history."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportModelAdmin
from import_export.forms import ConfirmImportForm
from simple_history.admin import SimpleHistoryAdmin

from . import admin_vendor, imports, permissions, resources, services
from .admin_jobs import ImportJobsAdminMixin
from .forms import CodeAdminForm, EmployeeAdminForm, PositionAdminForm
from .models import Department, Employee, Heartbeat, Position, PositionDuty, Site, Team


def _has_permission(request):
    # The admin is HR's tool; the one permission module decides who that is (STYLE §4).
    return permissions.can_use_admin(request.user)


admin.site.has_permission = _has_permission
admin_vendor.translate_third_party_admins()
# The product's name, not "Django administration", in the header and the browser tab.
admin.site.site_header = _("Staff development")
admin.site.site_title = _("Staff development")
admin.site.index_title = _("Administration")


class ReadOnlyAdminMixin:
    """For rows that services write (events, outbox, heartbeats, assessments): HR looks, never types.

    Works on a ModelAdmin and on an inline (whose has_add_permission also receives the parent).
    """

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StaffConfirmImportForm(ConfirmImportForm):
    """The confirm step. When the preview changes who someone is, the clerk ticks that she means exactly those
    changes; the import checks them against ``identity_digest`` (``StaffResource.check_import``)."""

    identity_changes = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    identity_digest = forms.CharField(widget=forms.HiddenInput, required=False)
    confirm_identity_changes = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""  # the label is a sentence
        try:
            count = int(self.data.get("identity_changes") or self.initial.get("identity_changes") or 0)
        except ValueError:
            count = 0
        if count:
            label = ngettext(
                "I confirm that %(count)s person’s identity changes.",
                "I confirm that %(count)s people’s identities change.",
                count,
            )
            self.fields["confirm_identity_changes"].label = label % {"count": count}
        else:
            del self.fields["confirm_identity_changes"]

    def confirmed_identity_changes(self):
        return self.cleaned_data["identity_digest"] if self.cleaned_data.get("confirm_identity_changes") else ""


class SpreadsheetAdmin(ImportJobsAdminMixin, imports.ImportFilesAdminMixin, ImportExportModelAdmin):
    """Import (preview, then confirm) and export in the formats of ``staff.imports``."""

    formats = imports.FORMATS
    # Our CSV format detects the encoding itself (UTF-8 or GBK), so the admin must hand it bytes.
    from_encoding = None
    # With a BOM, Excel opens a UTF-8 CSV as UTF-8 instead of guessing the Windows code page.
    to_encoding = "utf-8-sig"
    import_template_name = "admin/staff/import.html"
    confirm_form_class = StaffConfirmImportForm

    def get_import_context_data(self, **kwargs):
        """Tell the HR clerk which Chinese headers the file may use for each column, and offer the template."""
        context = super().get_import_context_data(**kwargs)
        aliases = self.resource_classes[0].header_aliases
        context["header_aliases"] = [
            (column, [alias for alias, name in aliases.items() if name == column])
            for column in dict.fromkeys(aliases.values())
        ]
        url = reverse(f"admin:{self._template_url_name()}")
        extensions = [file_format().get_extension() for file_format in self.formats]
        context["import_templates"] = [(extension, f"{url}?format={extension}") for extension in extensions]
        return context

    def _template_url_name(self):
        return f"{self.opts.app_label}_{self.opts.model_name}_import_template"

    def get_urls(self):
        # Before the admin's own patterns, whose "<path:object_id>/" would take this path for an object.
        template = path(
            "import/template/",
            self.admin_site.admin_view(self.import_template_view),
            name=self._template_url_name(),
        )
        return [template, *super().get_urls()]

    def import_action(self, request, **kwargs):
        """The preview; its confirm form carries the changes of identity it shows, for the clerk to confirm."""
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        if context.get("confirm_form") is not None:
            result = context["result"]
            context["confirm_form"] = self.get_confirm_form_class(request)(
                initial={
                    **context["confirm_form"].initial,
                    "identity_changes": len(result.identity_changes),
                    "identity_digest": result.identity_digest,
                }
            )
        return response

    def get_import_data_kwargs(self, **kwargs):
        form = kwargs.get("form")
        kwargs = super().get_import_data_kwargs(**kwargs)
        if isinstance(form, StaffConfirmImportForm):
            kwargs["confirmed_identity_changes"] = form.confirmed_identity_changes()
        return kwargs

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        """The confirm: import the previewed upload once, re-validated in its transaction; a file that no longer
        imports writes nothing and lists why, and a second post of the same confirm changes nothing."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        confirm_form = self.create_confirm_form(request)
        if not confirm_form.is_valid():
            return super().process_import(request, **kwargs)
        input_format = self.get_import_formats()[int(confirm_form.cleaned_data["format"])](encoding=self.from_encoding)
        upload = self.get_tmp_storage_class()(
            name=confirm_form.cleaned_data["import_file_name"],
            encoding=None if input_format.is_binary() else self.from_encoding,
            read_mode=input_format.get_read_mode(),
            **self.get_tmp_storage_class_kwargs(),
        )
        if not upload.claim():
            messages.warning(request, _("This import is already done: nothing more was changed."))
            return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))
        try:
            result = self.process_dataset(input_format.create_dataset(upload.read()), confirm_form, request, **kwargs)
        finally:
            upload.remove()
        if result.has_errors() or result.has_validation_errors():
            context = {
                **self.admin_site.each_context(request),
                "title": _("Import"),
                "opts": self.opts,
                "result": result,
            }
            return TemplateResponse(request, ["admin/staff/import_rejected.html"], context)
        return self.process_result(result, request)

    def import_template_view(self, request):
        """The file to fill in: the accepted headers and one example row, as CSV (default) or XLSX."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        extension = request.GET.get("format", "csv")
        if extension not in {f().get_extension() for f in self.formats}:
            extension = "csv"
        content, content_type = imports.template_file(self.resource_classes[0], extension)
        response = HttpResponse(content, content_type=content_type)
        filename = f"{self.opts.model_name}-import-template.{extension}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


@admin.register(Site)
class SiteAdmin(SpreadsheetAdmin):
    form = CodeAdminForm
    resource_classes = [resources.SiteResource]
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["code", "name", "region"]


@admin.register(Department)
class DepartmentAdmin(SpreadsheetAdmin):
    form = CodeAdminForm
    resource_classes = [resources.DepartmentResource]
    list_display = ["code", "name", "site"]
    list_filter = ["site"]
    list_select_related = ["site"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["site"]


@admin.register(Team)
class TeamAdmin(SpreadsheetAdmin):
    form = CodeAdminForm
    resource_classes = [resources.TeamResource]
    list_display = ["code", "name", "department", "supervisor"]
    list_filter = ["department__site", "department"]
    list_select_related = ["department", "supervisor"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["department", "supervisor"]


class PositionDutyInline(admin.TabularInline):
    model = PositionDuty
    fields = ["order", "activity", "share_percent", "authority", "expected_result"]
    extra = 0


@admin.register(Position)
class PositionAdmin(SpreadsheetAdmin, SimpleHistoryAdmin):
    form = PositionAdminForm
    resource_classes = [resources.PositionResource]
    inlines = [PositionDutyInline]
    list_display = ["code", "title", "job_family", "job_group", "grade", "department", "headcount"]
    list_filter = ["job_family", "job_group", "grade", "department"]
    list_select_related = ["department"]
    search_fields = ["code", "title", "job_family", "job_group"]
    autocomplete_fields = ["superior", "department", "related_positions", "promotion_paths", "transfer_paths"]


@admin.register(Employee)
class EmployeeAdmin(SpreadsheetAdmin, SimpleHistoryAdmin):
    resource_classes = [resources.EmployeeResource]
    list_display = ["employee_number", "name", "team", "position", "stage", "mentor", "hire_date"]
    list_filter = ["team", "stage", "position", "team__department__site"]
    list_select_related = ["team", "position", "mentor"]
    search_fields = ["employee_number", "name", "email"]
    autocomplete_fields = ["user", "team", "position", "mentor"]
    date_hierarchy = "hire_date"
    form = EmployeeAdminForm

    def save_model(self, request, obj, form, change):
        """Stage, team, position and mentor change through staff.services (mentor rules, history, listeners)."""
        moved = [name for name in services.PEOPLE_FIELDS if name in form.changed_data] if change else []
        if moved:
            current = Employee.objects.get(pk=obj.pk)
            for name in moved:
                attname = services.PEOPLE_FIELDS[name]
                setattr(obj, attname, getattr(current, attname))
        if not change or set(form.changed_data) - set(moved):
            super().save_model(request, obj, form, change)
        if moved:
            employee = services.change_person(
                actor=request.user, employee_id=obj.pk, **{name: form.cleaned_data[name] for name in moved}
            )
            for name in moved:
                attname = services.PEOPLE_FIELDS[name]
                setattr(obj, attname, getattr(employee, attname))


@admin.register(Heartbeat)
class HeartbeatAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the worker writes these rows; HR only checks that they are fresh."""

    list_display = ["name", "last_run_at", "run_count", "is_fresh"]
    search_fields = ["name"]

    @admin.display(description=_("fresh"), boolean=True)
    def is_fresh(self, heartbeat):
        return heartbeat.is_fresh
