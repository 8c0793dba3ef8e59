"""Ingestion API (issue 11 §3, §8): the platform posts agents' and queues' daily rows in bulk; HR and the platform
read the ingest log. Only kpis.permissions.can_ingest (HR, the service account) may use it."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from .. import permissions
from ..models import Channel, Ingest
from ..services import ingestion

MAX_ROWS = 50_000  # a day of a big centre; bigger loads go as a file


class CanIngest(BasePermission):
    def has_permission(self, request, view):
        return permissions.can_ingest(request.user)


class RowsSerializer(serializers.Serializer):
    rows = serializers.ListField(
        child=serializers.DictField(),
        help_text=gettext_lazy(
            "One object per agent (or queue) and day, keyed by the file's column names; values as numbers or "
            "strings. Row numbers in the answer count from 1 in this list."
        ),
    )


class IngestSummarySerializer(serializers.ModelSerializer):
    # Plain text here: one enum of ingest statuses (IngestSerializer's) keeps the schema's enum names unambiguous.
    status = serializers.CharField(
        read_only=True, help_text=gettext_lazy("“done” once the rows are checked and stored.")
    )
    inserted = serializers.IntegerField(source="rows_inserted")
    replaced = serializers.IntegerField(source="rows_replaced")
    unchanged = serializers.IntegerField(source="rows_unchanged")

    class Meta:
        model = Ingest
        fields = ["id", "status", "inserted", "replaced", "unchanged", "first_on", "last_on"]
        read_only_fields = fields


class ProblemSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("The row's number, from 1."))
    column = serializers.CharField(allow_blank=True)
    message = serializers.CharField()


class IngestSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True, allow_null=True, default=None)
    problems = ProblemSerializer(many=True, read_only=True)

    class Meta:
        model = Ingest
        fields = [
            "id",
            "source",
            "channel",
            "actor",
            "created_at",
            "finished_at",
            "file_name",
            "status",
            "rows_total",
            "rows_done",
            "rows_inserted",
            "rows_replaced",
            "rows_unchanged",
            "first_on",
            "last_on",
            "problems",
        ]
        read_only_fields = fields


AGENT_EXAMPLE = {
    "date": "2026-11-02",
    "employee_number": "E10015",
    "team_code": "GZ-T01",
    "site_code": "GZ",
    "line": "credit-card",
    "revision": 1,
    "staffed_seconds": 28800,
    "handle_seconds": 19850,
    "inbound_handled": 92,
    "outbound_handled": 6,
    "fcr_resolved": 81,
    "transfers_l2": 4,
    "complaints_received": 3,
    "complaints_escalated": 0,
    "complaints_closed": 3,
    "complaint_handle_seconds": 2400,
    "csat_responses": 40,
    "csat_satisfied": 37,
    "coupon_count": 1,
    "coupon_amount_cny": "20.00",
}
QUEUE_EXAMPLE = {
    "date": "2026-11-02",
    "site_code": "GZ",
    "queue_code": "GZ-CARD",
    "revision": 1,
    "offered": 5210,
    "answered": 4987,
    "abandoned": 223,
}
REFUSED = gettext_lazy(
    "Every row is checked first. A request with any bad row writes nothing and answers 400 with every problem: "
    '`{"rows": [{"row": 2, "column": "employee_number", "message": "No employee has this employee number."}]}` '
    "(row: the row's number in the list, from 1; null when the body itself is wrong). The failed ingest is kept "
    "in the ingest log. A replay, or a revision lower than or equal to the stored one, changes nothing."
)
DONE_EXAMPLE = OpenApiExample(
    "Stored",
    value={
        "id": 42,
        "status": "done",
        "inserted": 1,
        "replaced": 0,
        "unchanged": 0,
        "first_on": "2026-11-02",
        "last_on": "2026-11-02",
    },
    response_only=True,
    status_codes=["201"],
)


def _refused(problems):
    return Response({"rows": problems}, status=status.HTTP_400_BAD_REQUEST)


class _RowsIngestViewSet(viewsets.GenericViewSet):
    """POST {"rows": [...]}: every row checked, then stored where its revision is the highest; a request with any
    bad row writes nothing and answers every problem."""

    permission_classes = [CanIngest]
    parser_classes = [JSONParser]  # rows are objects: no form encoding carries them
    serializer_class = RowsSerializer
    pagination_class = None
    filter_backends = []
    service = None

    def create(self, request):
        rows = request.data.get("rows") if isinstance(request.data, dict) else None
        if not isinstance(rows, list):
            return _refused([{"row": None, "column": "", "message": _('Send {"rows": [ … ]}: a list of rows.')}])
        if len(rows) > MAX_ROWS:
            message = _("Send at most %(limit)s rows a request; send a bigger load as a file.") % {"limit": MAX_ROWS}
            return _refused([{"row": None, "column": "", "message": message}])
        # Row numbers are the positions in this list, whatever a row may claim.
        numbered = [{**row, ingestion.ROW: n} if isinstance(row, dict) else row for n, row in enumerate(rows, 1)]
        try:
            ingest = self.service(actor=request.user, channel=Channel.API, rows=numbered)
        except ingestion.RowsRefused as refused:
            return _refused([p.as_dict() for p in refused.problems])
        headers = {"Location": reverse("kpi-ingest-detail", kwargs={"pk": ingest.pk})}
        return Response(IngestSummarySerializer(ingest).data, status=status.HTTP_201_CREATED, headers=headers)


class AgentDayIngestViewSet(_RowsIngestViewSet):
    service = staticmethod(ingestion.ingest_agent_rows)

    @extend_schema(
        summary="Send agents' daily measures",
        request=RowsSerializer,
        description=REFUSED,
        responses={201: IngestSummarySerializer},
        examples=[
            OpenApiExample("One agent's day", value={"rows": [AGENT_EXAMPLE]}, request_only=True),
            DONE_EXAMPLE,
        ],
    )
    def create(self, request):
        return super().create(request)


class QueueDayIngestViewSet(_RowsIngestViewSet):
    service = staticmethod(ingestion.ingest_queue_rows)

    @extend_schema(
        summary="Send queues' daily measures",
        request=RowsSerializer,
        description=REFUSED,
        responses={201: IngestSummarySerializer},
        examples=[
            OpenApiExample("One queue's day", value={"rows": [QUEUE_EXAMPLE]}, request_only=True),
            DONE_EXAMPLE,
        ],
    )
    def create(self, request):
        return super().create(request)


class IngestFilter(filters.FilterSet):
    class Meta:
        model = Ingest
        fields = ["source", "channel", "status"]


class IngestViewSet(viewsets.ReadOnlyModelViewSet):
    """The ingest log: every request and file, who sent it, when, and what it changed (or why it failed)."""

    permission_classes = [CanIngest]
    serializer_class = IngestSerializer
    filterset_class = IngestFilter
    ordering_fields = ["created_at", "finished_at", "rows_total"]

    def get_queryset(self):
        return Ingest.objects.select_related("actor").order_by("-created_at", "-pk")
