"""Read-only API, scoped by the same permission policy as the pages."""

from rest_framework import viewsets

from staff import permissions, selectors

from .serializers import EmployeeSerializer, PositionSerializer, TeamSerializer


class EmployeeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = EmployeeSerializer
    filterset_fields = ["team", "position", "stage", "mentor"]
    search_fields = ["name", "employee_number"]
    ordering_fields = ["employee_number", "name", "hire_date"]

    def get_queryset(self):
        return selectors.employee_list(self.request.user).order_by("employee_number")


class TeamViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TeamSerializer
    filterset_fields = ["department", "supervisor"]
    search_fields = ["name", "code"]

    def get_queryset(self):
        return permissions.visible_teams(self.request.user).select_related("department__site").order_by("code")


class PositionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PositionSerializer
    filterset_fields = ["job_family", "job_group", "grade", "department"]
    search_fields = ["title", "code"]

    def get_queryset(self):
        return (
            permissions.visible_positions(self.request.user)
            .select_related("department")
            .prefetch_related("duties")
            .order_by("code")
        )
