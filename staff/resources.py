"""Spreadsheet import/export of the organisation and people (django-import-export resources).

Every rule of a bulk import lives here, whoever runs it (the admin's two-step import or
``staff.imports.import_file``):
- headers in English or Chinese, one alias table per resource;
- rows keyed by code or employee number, normalised as they look (``cells.normalise``: "Ｅ１００１５" and
  "E10015" with a zero-width space are E10015), so importing the same file twice changes nothing;
- in a row that updates a record an empty cell keeps the current value; every changed value is listed
  (``ImportResult.changes``), and a change of identity (an employee's name or hire date) is written only
  when the clerk confirmed exactly those changes on the preview (``confirmed_identity_changes``);
- all-or-nothing: one bad row rolls the whole file back, and every problem is reported with
  its row, its column and a translated reason (``ImportResult.problems``), also what only the whole
  file shows (positions whose superiors form a loop) and a constraint's violation in plain words.
"""

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import IntegrityError, router
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources
from import_export.results import Error

from .cells import ChoiceWidget, CodeWidget, DateWidget, LookupWidget, TextWidget, WholeNumberWidget, normalise
from .import_results import Change, ImportResult, Problem, RowChanges
from .import_speed import BulkImportMixin
from .models import Department, Education, Employee, Position, Site, Stage, Team
from .services import superior_loop

# Each ``Meta.constraints`` name of staff.models -> (the column it concerns, a reason the clerk can act on);
# Django's own message would show the constraint's name.
CONSTRAINT_PROBLEMS = {
    "employee_not_own_mentor": ("mentor", gettext_lazy("An employee cannot be her own mentor.")),
}


RECORD_CHANGED_MEANWHILE = gettext_lazy(
    "A record this file refers to was changed or deleted while the file was being imported, so nothing "
    "was imported. Upload the file again to see what is wrong now."
)


def lookup(model, field="code"):
    name = model._meta.model_name
    return fields.Field(attribute=name, column_name=name, widget=LookupWidget(model, field))


class StaffResource(resources.ModelResource):
    """Base of the resources below: header aliases, strict cells, all-or-nothing, full report."""

    #: Header as HR writes it (Chinese) -> column name. English headers match the column name itself.
    header_aliases = {}
    #: Fields that say who a row is: a file that changes one on an existing record needs the clerk's explicit
    #: confirmation of exactly those changes (``confirmed_identity_changes``).
    identity_fields = ()

    WIDGETS_MAP = {
        **resources.ModelResource.WIDGETS_MAP,
        "CharField": TextWidget,
        "TextField": TextWidget,
        "DateField": DateWidget,
        "PositiveIntegerField": WholeNumberWidget,
        "PositiveSmallIntegerField": WholeNumberWidget,
    }

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for name in self.get_import_id_fields():
            if type(self.fields[name].widget) is TextWidget:  # a code; lookups normalise their own cells
                self.fields[name].widget = CodeWidget()

    def get_result_class(self):
        return ImportResult

    def get_queryset(self):
        related = [f.attribute for f in self.fields.values() if isinstance(f.widget, LookupWidget)]
        return super().get_queryset().select_related(*related)

    def required_columns(self):
        """Key columns, and the columns a new row cannot do without."""
        required = list(self.get_import_id_fields())
        for field in self.get_import_fields():
            try:
                model_field = self._meta.model._meta.get_field(field.attribute)
            except FieldDoesNotExist:
                continue
            if not model_field.blank and not model_field.has_default() and field.column_name not in required:
                required.append(field.column_name)
        return required

    def import_data(
        self, dataset, dry_run=False, rollback_on_validation_errors=True, confirmed_identity_changes="", **kwargs
    ):
        """Import ``dataset`` all-or-nothing: any bad row, or a bad header, writes nothing.

        ``confirmed_identity_changes`` is the ``identity_digest`` of the preview the clerk confirmed; a real
        import that would change anyone's identity otherwise writes nothing."""
        problems = self._rename_headers(dataset)
        if problems:
            return self.rejected_result(problems)
        self._confirmed_identity_changes, self._dry_run = confirmed_identity_changes, dry_run
        self._rows_by_key, self._changes, self._saved_lines = {}, [], {}
        try:
            result = super().import_data(
                dataset, dry_run=dry_run, rollback_on_validation_errors=rollback_on_validation_errors, **kwargs
            )
        except IntegrityError:
            # PostgreSQL checks foreign keys when the transaction commits: a row the file names was deleted
            # after its row was validated. The transaction is rolled back whole.
            return self.rejected_result([Problem(None, None, force_str(RECORD_CHANGED_MEANWHILE))])
        result.problems = self._problems(result)
        return result

    def rejected_result(self, problems):
        """The result for a file rejected as a whole (unreadable, or with bad headers)."""
        result = self.get_result_class()()
        for problem in problems:
            result.append_base_error(Error(ValidationError(problem.message)))
        result.problems = problems
        return result

    def _rename_headers(self, dataset):
        """Rename the file's headers to column names; return the problems with the headers."""
        columns = {field.column_name for field in self.get_import_fields()}
        self._headers_as_written = {}
        problems, renamed = [], []
        for header in dataset.headers or []:
            written = normalise(header)
            name = written.casefold().replace(" ", "_").replace("-", "_")
            column = name if name in columns else self.header_aliases.get(written, written)
            if column and column in self._headers_as_written:
                problems.append(Problem(None, written, _("This column appears more than once.")))
            self._headers_as_written.setdefault(column, written)
            renamed.append(column)
        if dataset.headers:
            dataset.headers = renamed
        for column in self.required_columns():
            if column not in self._headers_as_written:
                accepted = [column, *(alias for alias, name in self.header_aliases.items() if name == column)]
                message = _("The file has no “%(column)s” column (accepted headers: %(headers)s).") % {
                    "column": column,
                    "headers": ", ".join(accepted),
                }
                problems.append(Problem(None, column, message))
        return problems

    def get_instance(self, instance_loader, row):
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:  # a key the clerk must retype: import_instance reports it on its column
            return None

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # An empty cell in a row that updates a record keeps the current value, so that a file made for new
        # hires cannot erase an existing person's mentor. A value is cleared on the record's admin page.
        if instance.pk is not None and field.column_name in row and not normalise(row[field.column_name]):
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        """Set the row's values; a key already used by an earlier row of the file is an error too."""
        before = self._shown_values(instance, row) if instance.pk is not None else None
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        key_field = self.fields[self.get_import_id_fields()[0]]
        try:
            key = key_field.clean(row)
        except ValueError:  # reported on its column by super()
            key = ""
        line = kwargs["row_number"] + 1
        first_line = self._rows_by_key.setdefault(key, line) if key else line
        if first_line != line:
            message = _("“%(value)s” is already on row %(row)s of this file.") % {"value": key, "row": first_line}
            errors.setdefault(key_field.attribute, []).append(message)
        if errors:
            raise ValidationError(errors)
        if before is not None:
            after = self._shown_values(instance, row)
            changes = [
                Change(name, self._column_as_written(name), old, after[name], name in self.identity_fields)
                for name, old in before.items()
                if old != after[name]
            ]
            if changes:
                self._changes.append(RowChanges(line, key, changes))

    def _shown_values(self, instance, row):
        """The row's fields on ``instance`` as the preview shows them: choices by label, rows by code."""
        values = {}
        for field in self.get_import_fields():
            if field.column_name not in row:
                continue
            model_field = self._meta.model._meta.get_field(field.attribute)
            value = field.export(instance)
            values[field.attribute] = force_str(
                dict(model_field.flatchoices).get(value, value) if model_field.choices else value
            )
        return values

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's rules, with each ``Meta.constraints`` violation told on its column in plain words."""
        errors = dict(import_validation_errors or {})
        exclude = [*errors, *self.checked_in_memory(instance)]
        try:
            instance.full_clean(exclude=exclude, validate_unique=validate_unique, validate_constraints=False)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        using = router.db_for_write(type(instance), instance=instance)
        for constraint in instance._meta.constraints:
            try:
                self.check_constraint(constraint, instance, exclude=set(errors), using=using)
            except ValidationError as e:
                attribute, message = CONSTRAINT_PROBLEMS.get(constraint.name, (NON_FIELD_ERRORS, e.messages[0]))
                errors.setdefault(attribute, []).append(force_str(message))
        if errors:
            raise ValidationError(errors)

    def checked_in_memory(self, instance):
        """Fields whose value needs no query to validate (``import_speed.BulkImportMixin``: rows read up front)."""
        return []

    def check_constraint(self, constraint, instance, exclude, using):
        """Raise ValidationError unless ``instance`` meets ``constraint`` (``BulkImportMixin``: some in memory)."""
        constraint.validate(type(instance), instance, exclude=exclude, using=using)

    def before_save_instance(self, instance, row, **kwargs):
        # Read by django-simple-history, so "who changed what" also covers imports run outside a request.
        if kwargs.get("user") is not None:
            instance._history_user = kwargs["user"]
        if kwargs.get("file_name"):
            instance._change_reason = _("Imported from %(file)s") % {"file": kwargs["file_name"]}

    def after_save_instance(self, instance, row, **kwargs):
        self._saved_lines[instance.pk] = kwargs["row_number"] + 1

    def after_import(self, dataset, result, **kwargs):
        """Check what only the whole file shows, while its rows are written in the transaction."""
        super().after_import(dataset, result, **kwargs)
        result.changes = self._changes
        for line, attribute, message in self.check_import(result):
            result.append_invalid_row(line - 1, {}, ValidationError({attribute: [message]}))

    def check_import(self, result):
        """``(row, attribute, message)`` of each problem of the file as a whole: a real import whose changes
        of identity are not exactly those the clerk confirmed on the preview."""
        if self._dry_run or result.identity_digest == self._confirmed_identity_changes:
            return []
        message = _(
            "“%(old)s” → “%(new)s” changes who %(key)s is, and this change was not confirmed on the preview. "
            "Upload the file again and confirm the changes of identity."
        )
        return [
            (row.row, change.attribute, message % {"old": change.old, "new": change.new, "key": row.key})
            for row in result.identity_changes
            for change in row.changes
            if change.is_identity
        ]

    def _column_as_written(self, attribute):
        if attribute == NON_FIELD_ERRORS:
            return None
        column = next((f.column_name for f in self.get_import_fields() if f.attribute == attribute), attribute)
        return self._headers_as_written.get(column, column)

    def _problems(self, result):
        problems = [Problem(None, None, force_str(error.error)) for error in result.base_errors]
        for row in result.error_rows:
            problems += [Problem(row.number + 1, None, force_str(error.error)) for error in row.errors]
        for row in result.invalid_rows:
            for attribute, messages in row.error_dict.items():
                problems += [Problem(row.number + 1, self._column_as_written(attribute), m) for m in messages]
        order = {written: i for i, written in enumerate(self._headers_as_written.values())}
        return sorted(problems, key=lambda problem: (problem.row or 0, order.get(problem.column, -1)))


# Resources -------------------------------------------------------------------------------------
# The Chinese headers below are a file format HR's spreadsheets already use, not UI text.


class SiteResource(BulkImportMixin, StaffResource):
    header_aliases = {"代码": "code", "名称": "name", "区域": "region", "地址": "address"}

    class Meta(StaffResource.Meta):
        model = Site
        fields = ("code", "name", "region", "address")
        import_id_fields = ("code",)


class DepartmentResource(BulkImportMixin, StaffResource):
    site = lookup(Site)
    header_aliases = {"代码": "code", "名称": "name", "站点": "site", "中心": "site"}

    class Meta(StaffResource.Meta):
        model = Department
        fields = ("code", "name", "site")
        import_id_fields = ("code",)


class TeamResource(BulkImportMixin, StaffResource):
    department = lookup(Department)
    supervisor = fields.Field(
        attribute="supervisor", column_name="supervisor", widget=LookupWidget(Employee, "employee_number")
    )
    header_aliases = {"代码": "code", "名称": "name", "部门": "department", "主管": "supervisor"}

    class Meta(StaffResource.Meta):
        model = Team
        fields = ("code", "name", "department", "supervisor")
        import_id_fields = ("code",)


class PositionResource(BulkImportMixin, StaffResource):
    superior = fields.Field(attribute="superior", column_name="superior", widget=LookupWidget(Position, "code"))
    department = lookup(Department)
    min_education = fields.Field(
        attribute="min_education", column_name="min_education", widget=ChoiceWidget(Education), saves_null_values=False
    )
    header_aliases = {
        "代码": "code",
        "职位名称": "title",
        "职系": "job_family",
        "职组": "job_group",
        "职级": "grade",
        "直接上级": "superior",
        "部门": "department",
        "薪等": "pay_grade",
        "薪级": "pay_level",
        "编制": "headcount",
        "工作性质": "nature_of_work",
        "工作概要": "summary",
        "最低学历": "min_education",
        "工作经验": "years_experience",
        "培训学时": "training_hours",
    }

    def check_import(self, result):
        """Also: no position written by this file may end up above itself (A → B → A, or A → A)."""
        problems = super().check_import(result)
        positions = {
            pk: (code, superior) for pk, code, superior in Position.objects.values_list("pk", "code", "superior")
        }
        message = _("The superiors form a loop: %(loop)s. A position cannot be above itself.")
        for pk, line in self._saved_lines.items():
            loop = superior_loop(pk, positions)
            if loop:
                problems.append((line, "superior", message % {"loop": " → ".join(loop)}))
        return problems

    class Meta(StaffResource.Meta):
        model = Position
        fields = (
            "code",
            "title",
            "job_family",
            "job_group",
            "grade",
            "superior",
            "department",
            "pay_grade",
            "pay_level",
            "headcount",
            "nature_of_work",
            "summary",
            "min_education",
            "years_experience",
            "training_hours",
        )
        import_id_fields = ("code",)


class EmployeeResource(BulkImportMixin, StaffResource):
    team = lookup(Team)
    position = lookup(Position)
    # A blank stage keeps the current one (a new employee starts in pre-job training).
    stage = fields.Field(attribute="stage", column_name="stage", widget=ChoiceWidget(Stage), saves_null_values=False)
    mentor = fields.Field(attribute="mentor", column_name="mentor", widget=LookupWidget(Employee, "employee_number"))
    # The user account is no import column, so a file cannot change it.
    identity_fields = ("name", "hire_date")
    header_aliases = {
        "工号": "employee_number",
        "姓名": "name",
        "邮箱": "email",
        "入职日期": "hire_date",
        "班组": "team",
        "岗位": "position",
        "阶段": "stage",
        "导师": "mentor",
    }

    class Meta(StaffResource.Meta):
        model = Employee
        fields = ("employee_number", "name", "email", "hire_date", "team", "position", "stage", "mentor")
        import_id_fields = ("employee_number",)
