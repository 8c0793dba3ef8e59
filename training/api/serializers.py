from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from staff import permissions
from training.models import Assessment, Indicator, RubricLevel, Score, Source


class RubricLevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = RubricLevel
        fields = ["level", "description_en", "description_zh"]


class IndicatorSerializer(serializers.ModelSerializer):
    levels = RubricLevelSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "dimension",
            "name_en",
            "name_zh",
            "description_en",
            "description_zh",
            "weight",
            "levels",
        ]


class ScoreSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(slug_field="code", queryset=Indicator.objects.filter(is_active=True))
    level = serializers.IntegerField(min_value=1, max_value=5)

    class Meta:
        model = Score
        fields = ["indicator", "level", "evidence"]


class VisibleEmployeeField(serializers.PrimaryKeyRelatedField):
    """An employee id, resolved only among the people the caller may see (others: "does not exist")."""

    def get_queryset(self):
        request = self.context.get("request")
        return permissions.visible_employees(request.user if request else None)


class AssessmentSerializer(serializers.ModelSerializer):
    """Read and create. ``private_note`` is present only for readers allowed to see it."""

    scores = ScoreSerializer(many=True)
    source = serializers.ChoiceField(choices=Source.choices)
    submit = serializers.BooleanField(default=True, write_only=True)
    supersedes = serializers.PrimaryKeyRelatedField(read_only=True)
    subject = VisibleEmployeeField()

    class Meta:
        model = Assessment
        fields = [
            "id",
            "subject",
            "assessor",
            "source",
            "assessed_on",
            "context",
            "private_note",
            "status",
            "supersedes",
            "submitted_at",
            "scores",
            "submit",
        ]
        read_only_fields = ["assessor", "status", "submitted_at"]
        extra_kwargs = {"private_note": {"required": False}}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not permissions.can_view_private_notes(request.user, instance.subject):
            data.pop("private_note", None)
        return data

    def validate_scores(self, value):
        codes = [item["indicator"].code for item in value]
        if len(codes) != len(set(codes)):
            raise serializers.ValidationError(_("Each indicator may be scored once."))
        if not value:
            raise serializers.ValidationError(_("Score at least one indicator."))
        return value


class ProfileIndicatorSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    dimension = serializers.CharField()
    current = serializers.FloatField(allow_null=True)
    target = serializers.IntegerField(allow_null=True)
    gap = serializers.FloatField(allow_null=True)


class ProfileSerializer(serializers.Serializer):
    employee = serializers.IntegerField()
    employee_number = serializers.CharField()
    name = serializers.CharField()
    dimensions = serializers.DictField(child=serializers.FloatField(allow_null=True))
    indicators = ProfileIndicatorSerializer(many=True)
