"""Spreadsheet import/export of the organisation and people (django-import-export resources).

Every rule of a bulk import lives here, whoever runs it (the admin's two-step import or
``staff.imports.import_file``):
- headers in English or Chinese, one alias table per resource;
- rows keyed by code or employee number, so importing the same file twice changes nothing;
- all-or-nothing: one bad row rolls the whole file back, and every problem is reported with
  its row, its column and a translated reason (``ImportResult.problems``).
"""

import datetime
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.results import Error, Result

from .models import Department, Education, Employee, Position, Site, Stage, Team


def _text(value):
    """A cell as stripped text; Excel's whole numbers (employee number 1001.0) lose the ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# Widgets: turn one cell into a value, or raise ValueError with a message for the user. -------


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return _text(value)


class WholeNumberWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        # The bound keeps a hostile "1e999999" from becoming a huge int.
        if number is None or not number.is_finite() or number != number.to_integral_value() or abs(number) >= 10**9:
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": text})
        return int(number)


class DateWidget(widgets.DateWidget):
    """ISO dates on export; on import also the forms Excel users type, or a real date cell."""

    input_formats = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = _text(value)
        if not text:
            return None
        for input_format in self.input_formats:
            try:
                return datetime.datetime.strptime(text, input_format).date()
            except ValueError:
                continue
        raise ValueError(_("“%(value)s” is not a date; write it as YYYY-MM-DD, e.g. 2026-01-31.") % {"value": text})


class ChoiceWidget(widgets.CharWidget):
    """A choice given by its stored value or by its label in any of the site's languages."""

    def __init__(self, choices, **kwargs):
        self.choices = choices
        super().__init__(**kwargs)

    @cached_property
    def values_by_name(self):
        names = {value.casefold(): value for value in self.choices.values}
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                names.update({str(label).casefold(): value for value, label in self.choices.choices})
        return names

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return None
        try:
            return self.values_by_name[text.casefold()]
        except KeyError:
            labels = ", ".join(str(label) for label in self.choices.labels)
            raise ValueError(_("“%(value)s” is not one of: %(labels)s.") % {"value": text, "labels": labels}) from None


class LookupWidget(widgets.ForeignKeyWidget):
    """A related row given by its code or employee number."""

    def clean(self, value, row=None, **kwargs):
        key = _text(value)
        if not key:
            return None
        try:
            return self.get_queryset(value, row).get(**{self.field: key})
        except self.model.DoesNotExist:
            opts = self.model._meta
            raise ValueError(
                _("No %(model)s has %(field)s “%(value)s”.")
                % {"model": opts.verbose_name, "field": opts.get_field(self.field).verbose_name, "value": key}
            ) from None


def lookup(model, field="code"):
    name = model._meta.model_name
    return fields.Field(attribute=name, column_name=name, widget=LookupWidget(model, field))


# Results ---------------------------------------------------------------------------------------


class Problem(NamedTuple):
    """One reason a file cannot be imported. ``row`` counts the header as row 1, as Excel does;
    ``row`` is None for a problem with the whole file, ``column`` None for one with the whole row."""

    row: int | None
    column: str | None
    message: str


class ImportResult(Result):
    """import-export's result, plus every problem found, in file order."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.problems = []


class StaffResource(resources.ModelResource):
    """Base of the resources below: header aliases, strict cells, all-or-nothing, full report."""

    #: Header as HR writes it (Chinese) -> column name. English headers match the column name itself.
    header_aliases = {}

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

    def import_data(self, dataset, rollback_on_validation_errors=True, **kwargs):
        """Import ``dataset`` all-or-nothing: any bad row, or a bad header, writes nothing."""
        problems = self._rename_headers(dataset)
        if problems:
            return self.rejected_result(problems)
        self._rows_by_key = {}
        result = super().import_data(dataset, rollback_on_validation_errors=rollback_on_validation_errors, **kwargs)
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
        problems = []
        renamed = []
        for header in dataset.headers or []:
            written = _text(header).lstrip("\ufeff")
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

    def import_instance(self, instance, row, **kwargs):
        """Set the row's values; a key already used by an earlier row of the file is an error too."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        key_field = self.fields[self.get_import_id_fields()[0]]
        key = key_field.clean(row)
        line = kwargs["row_number"] + 1
        first_line = self._rows_by_key.setdefault(key, line) if key else line
        if first_line != line:
            message = _("“%(value)s” is already on row %(row)s of this file.") % {"value": key, "row": first_line}
            errors.setdefault(key_field.attribute, []).append(message)
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        # Read by django-simple-history, so "who changed what" also covers imports run outside a request.
        if kwargs.get("user") is not None:
            instance._history_user = kwargs["user"]
        if kwargs.get("file_name"):
            instance._change_reason = _("Imported from %(file)s") % {"file": kwargs["file_name"]}

    def _problems(self, result):
        columns = {field.attribute: field.column_name for field in self.get_import_fields()}

        def column_as_written(attribute):
            if attribute == NON_FIELD_ERRORS:
                return None
            column = columns.get(attribute, attribute)
            return self._headers_as_written.get(column, column)

        problems = [Problem(None, None, force_str(error.error)) for error in result.base_errors]
        for row in result.error_rows:
            problems += [Problem(row.number + 1, None, force_str(error.error)) for error in row.errors]
        for row in result.invalid_rows:
            for attribute, messages in row.error_dict.items():
                problems += [Problem(row.number + 1, column_as_written(attribute), m) for m in messages]
        order = {written: i for i, written in enumerate(self._headers_as_written.values())}
        return sorted(problems, key=lambda problem: (problem.row or 0, order.get(problem.column, -1)))


# Resources -------------------------------------------------------------------------------------
# The Chinese headers below are a file format HR's spreadsheets already use, not UI text.


class SiteResource(StaffResource):
    header_aliases = {"代码": "code", "名称": "name", "区域": "region", "地址": "address"}

    class Meta(StaffResource.Meta):
        model = Site
        fields = ("code", "name", "region", "address")
        import_id_fields = ("code",)


class DepartmentResource(StaffResource):
    site = lookup(Site)
    header_aliases = {"代码": "code", "名称": "name", "站点": "site", "中心": "site"}

    class Meta(StaffResource.Meta):
        model = Department
        fields = ("code", "name", "site")
        import_id_fields = ("code",)


class TeamResource(StaffResource):
    department = lookup(Department)
    supervisor = fields.Field(
        attribute="supervisor", column_name="supervisor", widget=LookupWidget(Employee, "employee_number")
    )
    header_aliases = {"代码": "code", "名称": "name", "部门": "department", "主管": "supervisor"}

    class Meta(StaffResource.Meta):
        model = Team
        fields = ("code", "name", "department", "supervisor")
        import_id_fields = ("code",)


class PositionResource(StaffResource):
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


class EmployeeResource(StaffResource):
    team = lookup(Team)
    position = lookup(Position)
    # A blank stage keeps the current one (a new employee starts in pre-job training).
    stage = fields.Field(attribute="stage", column_name="stage", widget=ChoiceWidget(Stage), saves_null_values=False)
    mentor = fields.Field(attribute="mentor", column_name="mentor", widget=LookupWidget(Employee, "employee_number"))
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
