"""Read-only API, scoped by the same permission policy as the pages.

Every list names what it may be ordered and filtered by (staff.api.filters); ids in filters are plain
numbers, so an id outside the caller's scope finds an empty list instead of telling that it exists.
"""

from django_filters import rest_framework as filters
from rest_framework import viewsets

from staff import permissions, selectors
from staff.models import Employee, Position, Team

from .filters import IdFilter
from .serializers import EmployeeSerializer, PositionSerializer, TeamSerializer


class EmployeeFilter(filters.FilterSet):
    team = IdFilter(field_name="team")
    position = IdFilter(field_name="position")
    mentor = IdFilter(field_name="mentor")

    class Meta:
        model = Employee
        fields = ["team", "position", "stage", "mentor"]


class TeamFilter(filters.FilterSet):
    department = IdFilter(field_name="department")
    supervisor = IdFilter(field_name="supervisor")

    class Meta:
        model = Team
        fields = ["department", "supervisor"]


class PositionFilter(filters.FilterSet):
    department = IdFilter(field_name="department")

    class Meta:
        model = Position
        fields = ["job_family", "job_group", "grade", "department"]


class EmployeeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = EmployeeSerializer
    filterset_class = EmployeeFilter
    search_fields = ["name", "employee_number"]
    ordering_fields = ["employee_number", "name", "hire_date"]

    def get_queryset(self):
        return selectors.employee_list(self.request.user).order_by("employee_number")


class TeamViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TeamSerializer
    filterset_class = TeamFilter
    search_fields = ["name", "code"]
    ordering_fields = ["code", "name"]

    def get_queryset(self):
        return permissions.visible_teams(self.request.user).select_related("department__site").order_by("code")


class PositionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PositionSerializer
    filterset_class = PositionFilter
    search_fields = ["title", "code"]
    ordering_fields = ["code", "title", "grade"]

    def get_queryset(self):
        return (
            permissions.visible_positions(self.request.user)
            .select_related("department")
            .prefetch_related("duties")
            .order_by("code")
        )
