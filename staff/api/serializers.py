from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from staff.models import Employee, Position, PositionDuty, Team


class TeamSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.name", read_only=True)
    site = serializers.CharField(source="department.site.name", read_only=True)
    supervisor = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Team
        fields = ["id", "code", "name", "department", "site", "supervisor"]


class PositionDutySerializer(serializers.ModelSerializer):
    class Meta:
        model = PositionDuty
        fields = ["order", "activity", "share_percent", "authority", "expected_result"]


class PositionSerializer(serializers.ModelSerializer):
    duties = PositionDutySerializer(many=True, read_only=True)
    department = serializers.CharField(source="department.name", default=None, read_only=True, allow_null=True)

    class Meta:
        model = Position
        fields = [
            "id",
            "code",
            "title",
            "job_family",
            "job_group",
            "grade",
            "superior",
            "department",
            "pay_grade",
            "headcount",
            "nature_of_work",
            "summary",
            "expected_results",
            "duties",
            "min_education",
            "training_hours",
            "training_subjects",
            "years_experience",
            "abilities",
            "work_place",
            "hours_pattern",
        ]


class EmployeeSerializer(serializers.ModelSerializer):
    team = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    position = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    mentor = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    team_name = serializers.CharField(source="team.name", default=None, read_only=True, allow_null=True)
    position_title = serializers.CharField(source="position.title", default=None, read_only=True, allow_null=True)

    class Meta:
        model = Employee
        fields = [
            "id",
            "employee_number",
            "name",
            "hire_date",
            "team",
            "team_name",
            "position",
            "position_title",
            "stage",
            "mentor",
        ]


class StrictCharField(serializers.CharField):
    """Text that must arrive as a JSON string: a number or a boolean answers 400 instead of being stored as text."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class PlausibleDateTimeField(serializers.DateTimeField):
    """A date and time in the years 2000 to 2099. No event of the domain lies outside, and far older ones
    cannot even be answered as RFC 3339 (the time zone's offset then had seconds)."""

    def to_internal_value(self, value):
        value = super().to_internal_value(value)
        if not 2000 <= value.year <= 2099:
            raise serializers.ValidationError(_("Enter a date and time between 2000 and 2099."))
        return value


class PlausibleDateField(serializers.DateField):
    """A date in the years 2000 to 2099, like PlausibleDateTimeField."""

    def to_internal_value(self, value):
        value = super().to_internal_value(value)
        if not 2000 <= value.year <= 2099:
            raise serializers.ValidationError(_("Enter a date between 2000 and 2099."))
        return value


class StrictModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose text fields are StrictCharFields and whose dates are plausible."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.DateTimeField: PlausibleDateTimeField,
        models.DateField: PlausibleDateField,
    }
