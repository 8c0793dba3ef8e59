"""Spreadsheet import/export of position targets, with the same all-or-nothing rules as staff's."""

from import_export import fields

from staff.models import Position, Stage
from staff.resources import ChoiceWidget, LookupWidget, StaffResource

from .models import Indicator, PositionTarget


class StageOrAllWidget(ChoiceWidget):
    """A life-cycle stage, or an empty cell for "every stage"."""

    def clean(self, value, row=None, **kwargs):
        return super().clean(value, row, **kwargs) or ""


class PositionTargetResource(StaffResource):
    position = fields.Field(attribute="position", column_name="position", widget=LookupWidget(Position, "code"))
    indicator = fields.Field(attribute="indicator", column_name="indicator", widget=LookupWidget(Indicator, "code"))
    stage = fields.Field(attribute="stage", column_name="stage", widget=StageOrAllWidget(Stage))
    header_aliases = {"岗位": "position", "指标": "indicator", "阶段": "stage", "要求等级": "level", "等级": "level"}

    class Meta(StaffResource.Meta):
        model = PositionTarget
        fields = ("position", "indicator", "stage", "level")
        import_id_fields = ("position", "indicator", "stage")
