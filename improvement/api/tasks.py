"""The API of tasks (issue 14 §3, §5): the tasks the caller may see, creating one with its stages and comprehension
questions, and its actions: answer, understood, start, complete-stage, delegate, raise.

Scoped like the pages (improvement.permissions.visible_tasks): a task outside the caller's scope answers 404. Writes
go through improvement.services.tasks, whose ValidationError becomes 400 and PermissionDenied 403
(config.api.exception_handler). A task starts only once its questions are answered and the owner marked it
understood: ``start_problems`` says why not yet."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from staff.api.filters import IdFilter
from staff.api.headers import idempotency_key
from staff.api.serializers import PlausibleDateField, StrictCharField
from staff.models import Employee

from .. import permissions
from ..models import Initiative, Question, Stage, Task, TaskStatus
from ..selectors import tasks as selectors
from ..services import tasks as services


def task_list(user):
    """The tasks ``user`` may see with their stages and questions (three queries for a page)."""
    return (
        permissions.visible_tasks(user)
        .select_related("owner", "assignee")
        .prefetch_related(
            Prefetch("stages", queryset=Stage.objects.order_by("order", "pk")),
            Prefetch("questions", queryset=Question.objects.order_by("pk")),
        )
        .order_by("-created_at", "-pk")
    )


class TaskStageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Stage
        fields = ["id", "order", "title", "owner", "delegated_by", "due_on", "done_at", "escalation_level"]
        read_only_fields = fields


class TaskQuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ["id", "text", "answer", "answered_at"]
        read_only_fields = fields


class TaskSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    assignee_name = serializers.CharField(source="assignee.name", read_only=True)
    stages = TaskStageSerializer(many=True, read_only=True)
    questions = TaskQuestionSerializer(many=True, read_only=True)
    start_problems = serializers.SerializerMethodField(
        help_text=_("Why the task may not start yet (empty once it may, or when it is past that).")
    )

    class Meta:
        model = Task
        fields = [
            "id",
            "title",
            "description",
            "initiative",
            "owner",
            "owner_name",
            "assignee",
            "assignee_name",
            "status",
            "understood_at",
            "started_at",
            "done_at",
            "created_at",
            "stages",
            "questions",
            "start_problems",
        ]
        read_only_fields = fields

    def get_start_problems(self, task) -> list[str]:
        if task.status != TaskStatus.ASSIGNED:
            return []
        return [str(problem) for problem in selectors.start_problems(task)]


class TaskStageInputSerializer(serializers.Serializer):
    title = StrictCharField(max_length=160)
    owner = serializers.PrimaryKeyRelatedField(queryset=Employee.objects.none())
    due_on = PlausibleDateField()

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["owner"].queryset = people


class TaskCreateSerializer(serializers.Serializer):
    """A task the caller owns, assigned at once: stages each with an owner and a due date, and the comprehension
    questions the assignee answers before it starts."""

    title = StrictCharField(max_length=160)
    description = StrictCharField(max_length=4000, required=False, allow_blank=True, default="")
    assignee = serializers.PrimaryKeyRelatedField(queryset=Employee.objects.none())
    initiative = serializers.PrimaryKeyRelatedField(
        queryset=Initiative.objects.none(), required=False, allow_null=True, default=None
    )
    stages = TaskStageInputSerializer(many=True, allow_empty=False)
    idempotency_key = StrictCharField(
        max_length=80,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Any unique string per intended task: a retry with it returns the first task."),
    )
    questions = serializers.ListField(
        child=StrictCharField(max_length=300), required=False, default=list, max_length=10
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            people = permissions.task_assignable(request.user)
            self.fields["assignee"].queryset = people
            self.fields["stages"].child.fields["owner"].queryset = people
            me = permissions.staff_permissions.employee_of(request.user)
            self.fields["initiative"].queryset = (
                Initiative.objects.filter(owner=me) if me else Initiative.objects.none()
            )


class TaskAnswerSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=StrictCharField(max_length=4000), help_text=_("Question id → answer, for every question of the task.")
    )


class TaskStageActionSerializer(serializers.Serializer):
    stage = serializers.IntegerField(min_value=1, help_text=_("A stage of this task."))


class TaskDelegateSerializer(TaskStageActionSerializer):
    to = serializers.PrimaryKeyRelatedField(queryset=Employee.objects.none())
    text = StrictCharField(max_length=500, required=False, allow_blank=True, default="")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["to"].queryset = permissions.delegation_targets(user)


class TaskRaiseSerializer(serializers.Serializer):
    text = StrictCharField(max_length=2000)


class TaskFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=TaskStatus.choices)
    owner = IdFilter(field_name="owner")
    assignee = IdFilter(field_name="assignee")
    initiative = IdFilter(field_name="initiative")

    class Meta:
        model = Task
        fields = ["status", "owner", "assignee", "initiative"]


class TaskViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Tasks the caller may see: those she or a person she leads is on (owner, assignee, stage owner, delegator);
    HR all. Supervisors, HR and initiative owners create them."""

    filterset_class = TaskFilter
    ordering_fields = ["created_at", "status"]

    def get_queryset(self):
        return task_list(self.request.user)

    def get_serializer_class(self):
        if self.action == "create":
            return TaskCreateSerializer
        return TaskSerializer

    def _detail(self, task, answer=status.HTTP_200_OK):
        return Response(TaskSerializer(self.get_queryset().get(pk=task.pk)).data, status=answer)

    def _stage(self, task, stage_id):
        stage = task.stages.filter(pk=stage_id).first()
        if stage is None:
            raise serializers.ValidationError({"stage": [_("That stage is not on this task.")]})
        return stage

    @extend_schema(
        request=TaskCreateSerializer,
        parameters=[
            OpenApiParameter(
                name="Idempotency-Key",
                location=OpenApiParameter.HEADER,
                type=str,
                required=False,
                description=_("Any unique string per intended task, at most 80 characters (or idempotency_key)."),
            )
        ],
        responses={201: TaskSerializer, 200: TaskSerializer},
        description=_("201 a new task; 200 the one an earlier call with the same idempotency key made."),
    )
    def create(self, request, *args, **kwargs):
        """Create and assign a task the caller owns (a supervisor, HR or an initiative owner)."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        data["idempotency_key"] = data["idempotency_key"] or idempotency_key(request, max_length=80)
        owner = permissions.staff_permissions.employee_of(request.user)
        key = data["idempotency_key"]
        retried = bool(key) and Task.objects.filter(owner=owner, idempotency_key=key).exists()
        task = services.create_task(actor=request.user, **data)
        return self._detail(task, status.HTTP_200_OK if retried else status.HTTP_201_CREATED)

    @extend_schema(request=TaskAnswerSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """The assignee answers the comprehension questions."""
        task = self.get_object()
        serializer = TaskAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        answers = serializer.validated_data["answers"]
        if not all(str(key).isdigit() for key in answers):
            raise serializers.ValidationError({"answers": [_("Answers are keyed by question id.")]})
        services.answer_questions(actor=request.user, task_id=task.pk, answers=answers)
        return self._detail(task)

    @extend_schema(request=None, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def understood(self, request, pk=None):
        """The owner marks the task understood once every question is answered."""
        task = self.get_object()
        services.mark_understood(actor=request.user, task_id=task.pk)
        return self._detail(task)

    @extend_schema(request=None, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """The assignee starts the task; refused (400) until it is understood."""
        task = self.get_object()
        services.start_task(actor=request.user, task_id=task.pk)
        return self._detail(task)

    @extend_schema(request=TaskStageActionSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"], url_path="complete-stage", url_name="complete-stage")
    def complete_stage(self, request, pk=None):
        """The stage owner (or who delegated it) completes a stage."""
        task = self.get_object()
        serializer = TaskStageActionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        stage = self._stage(task, serializer.validated_data["stage"])
        services.complete_stage(actor=request.user, stage_id=stage.pk)
        return self._detail(task)

    @extend_schema(request=TaskDelegateSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def delegate(self, request, pk=None):
        """Hand a stage on; the delegator stays accountable (she keeps seeing it and is escalated along)."""
        task = self.get_object()
        serializer = TaskDelegateSerializer(data=request.data, user=request.user)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        stage = self._stage(task, data["stage"])
        services.delegate_stage(actor=request.user, stage_id=stage.pk, to=data["to"], text=data["text"])
        return self._detail(task)

    @extend_schema(request=TaskRaiseSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"], url_path="raise", url_name="raise")
    def raise_past_lead(self, request, pk=None):
        """Anyone on the task raises an issue past her lead (to the lead's lead)."""
        task = self.get_object()
        serializer = TaskRaiseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.raise_past_lead(actor=request.user, task_id=task.pk, text=serializer.validated_data["text"])
        return self._detail(task)
