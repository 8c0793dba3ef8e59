from rest_framework import serializers

from staff.models import Employee, Position, PositionDuty, Team


class TeamSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.name", read_only=True)
    site = serializers.CharField(source="department.site.name", read_only=True)
    supervisor = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Team
        fields = ["id", "code", "name", "department", "site", "supervisor"]


class PositionDutySerializer(serializers.ModelSerializer):
    class Meta:
        model = PositionDuty
        fields = ["order", "activity", "share_percent", "authority", "expected_result"]


class PositionSerializer(serializers.ModelSerializer):
    duties = PositionDutySerializer(many=True, read_only=True)
    department = serializers.CharField(source="department.name", default=None, read_only=True)

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
    team = serializers.PrimaryKeyRelatedField(read_only=True)
    position = serializers.PrimaryKeyRelatedField(read_only=True)
    mentor = serializers.PrimaryKeyRelatedField(read_only=True)
    team_name = serializers.CharField(source="team.name", default=None, read_only=True)
    position_title = serializers.CharField(source="position.title", default=None, read_only=True)

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
