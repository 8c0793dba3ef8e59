"""HR's back office: organisation, positions and people, with spreadsheet import/export and history."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from . import admin_vendor, imports, permissions, resources, services
from .forms import EmployeeAdminForm
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


class SpreadsheetAdmin(ImportExportModelAdmin):
    """Import (preview, then confirm) and export in the formats of ``staff.imports``."""

    formats = imports.FORMATS
    # Our CSV format detects the encoding itself (UTF-8 or GBK), so the admin must hand it bytes.
    from_encoding = None
    # With a BOM, Excel opens a UTF-8 CSV as UTF-8 instead of guessing the Windows code page.
    to_encoding = "utf-8-sig"
    import_template_name = "admin/staff/import.html"

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
    resource_classes = [resources.SiteResource]
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["code", "name", "region"]


@admin.register(Department)
class DepartmentAdmin(SpreadsheetAdmin):
    resource_classes = [resources.DepartmentResource]
    list_display = ["code", "name", "site"]
    list_filter = ["site"]
    list_select_related = ["site"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["site"]


@admin.register(Team)
class TeamAdmin(SpreadsheetAdmin):
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
