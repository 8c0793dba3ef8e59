"""The API of the pulse surveys (issue 15 §5, §7): the waves open for the caller with their questions; answers are
write-only (POST, never a GET of one's own answers: nothing links them to her once written); results are read
under the rule of five, for the group actually shown (incentives.selectors.pulse.results), scoped like the page."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from staff.api.filters import MAX_ID
from staff.models import Site

from .. import permissions
from ..models import Question, Wave
from ..pulse_rules import FACTOR_CHOICES, SCORES
from ..selectors import pulse as selectors
from ..services import pulse as services


class PulseQuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ["id", "text", "factor"]
        read_only_fields = fields


class PulseWaveSerializer(serializers.ModelSerializer):
    survey_name = serializers.CharField(source="survey.name", read_only=True)
    questions = PulseQuestionSerializer(source="survey.questions", many=True, read_only=True)

    class Meta:
        model = Wave
        fields = ["id", "survey", "survey_name", "number", "opens_on", "closes_on", "questions"]
        read_only_fields = fields


class OpenWaveViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The pulse waves open today that the caller has not answered yet, with their questions (1–5 each)."""

    serializer_class = PulseWaveSerializer
    queryset = Wave.objects.none()  # for the schema; the rows come from incentives.permissions
    ordering_fields = ["closes_on"]

    def get_queryset(self):
        rows = permissions.answerable_waves(self.request.user, timezone.localdate())
        return rows.prefetch_related("survey__questions")


class PulseAnswerSerializer(serializers.Serializer):
    question = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    score = serializers.ChoiceField(choices=[(s, str(s)) for s in SCORES])


class PulseAnswerWaveSerializer(serializers.Serializer):
    wave = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    answers = PulseAnswerSerializer(many=True, min_length=1, max_length=50)


class PulseAnsweredSerializer(serializers.Serializer):
    wave = serializers.IntegerField(read_only=True)
    detail = serializers.CharField(read_only=True)


class PulseAnswerViewSet(viewsets.GenericViewSet):
    """POST only: answer every question of an open wave, once. Nothing about it can be read back."""

    serializer_class = PulseAnswerWaveSerializer

    @extend_schema(request=PulseAnswerWaveSerializer, responses={201: PulseAnsweredSerializer})
    def create(self, request):
        body = PulseAnswerWaveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        answers = body.validated_data["answers"]
        scores = {a["question"]: int(a["score"]) for a in answers}
        if len(scores) != len(answers):
            raise serializers.ValidationError({"answers": [_("Answer each question once.")]})
        try:
            wave = services.answer_wave(user=request.user, wave_id=body.validated_data["wave"], scores=scores)
        except PermissionDenied:  # a body field names it: the input is refused, as for any bad id in a body
            raise serializers.ValidationError({"wave": [_("No open wave of yours has this id.")]}) from None
        data = {"wave": wave.pk, "detail": _("Thank you! Your answers are anonymous.")}
        return Response(PulseAnsweredSerializer(data).data, status=status.HTTP_201_CREATED)


class PulseResultsQuerySerializer(serializers.Serializer):
    wave = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    team = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    site = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, help_text=_("HR only."))
    question = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    factor = serializers.ChoiceField(choices=FACTOR_CHOICES, required=False)


class PulseFigureSerializer(serializers.Serializer):
    question = serializers.IntegerField(source="question.pk", allow_null=True, default=None)
    factor = serializers.CharField()
    average = serializers.DecimalField(max_digits=3, decimal_places=2, allow_null=True)


class PulseGroupSerializer(serializers.Serializer):
    level = serializers.CharField()
    id = serializers.IntegerField(source="pk", allow_null=True)
    respondents = serializers.IntegerField()


class PulseResultsSerializer(serializers.Serializer):
    wave = serializers.IntegerField(source="wave.pk", allow_null=True)
    requested = serializers.CharField(help_text=_("team, site or centre"))
    group = PulseGroupSerializer(allow_null=True, help_text=_("The group shown: null when fewer than five answered."))
    merged = serializers.BooleanField(source="is_merged")
    factors = PulseFigureSerializer(many=True)
    questions = PulseFigureSerializer(many=True)


class PulseNotFoundSerializer(serializers.Serializer):
    detail = serializers.CharField()


class _OneObject(AutoSchema):
    def _is_list_view(self, serializer=None):
        return False


class PulseResultsViewSet(viewsets.ViewSet):
    """GET only: a wave's results for a team (HR: also a site or the centre), merged upward while fewer than five
    answered; no filter narrows the group under five."""

    schema = _OneObject()

    @extend_schema(
        parameters=[PulseResultsQuerySerializer],
        responses={
            200: PulseResultsSerializer,
            404: OpenApiResponse(
                PulseNotFoundSerializer,
                description=_("No such wave yet, or a team or site outside the caller's scope."),
            ),
        },
    )
    def list(self, request):
        user = request.user
        if not permissions.can_view_pulse_results(user):
            raise NotFound
        query = PulseResultsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        waves = selectors.waves_with_results()
        wave = waves.filter(pk=q["wave"]).first() if "wave" in q else waves.first()
        if wave is None:
            raise NotFound(_("No pulse wave yet."))
        team = None
        site_id = None
        if "team" in q:
            team = permissions.led_teams(user).select_related("department").filter(pk=q["team"]).first()
            if team is None:
                raise NotFound
        elif "site" in q:
            if not permissions.can_view_site_results(user) or not Site.objects.filter(pk=q["site"]).exists():
                raise NotFound
            site_id = q["site"]
        elif not permissions.can_view_site_results(user):
            team = permissions.led_teams(user).select_related("department").order_by("name", "pk").first()
            if team is None:
                raise NotFound
        shown = selectors.results(
            wave, team=team, site_id=site_id, question_id=q.get("question"), factor=q.get("factor", "")
        )
        return Response(PulseResultsSerializer(shown).data)
