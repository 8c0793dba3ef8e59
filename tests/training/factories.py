import datetime

import factory

from training.models import Assessment, AssessmentStatus, Indicator, PositionTarget, RubricLevel, Score, Source


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator
        skip_postgeneration_save = True

    dimension = "S"
    code = factory.Sequence(lambda n: f"test-indicator-{n}")
    name_en = factory.Sequence(lambda n: f"Indicator {n}")
    name_zh = factory.Sequence(lambda n: f"指标{n}")
    order = factory.Sequence(lambda n: 100 + n)

    @factory.post_generation
    def rubric(self, create, extracted, **kwargs):
        if create:
            RubricLevel.objects.bulk_create(
                RubricLevel(
                    indicator=self, level=n, description_en=f"Level {n} looks like this", description_zh=f"{n}级表现"
                )
                for n in range(1, 6)
            )


class PositionTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PositionTarget

    indicator = factory.SubFactory(IndicatorFactory)
    level = 3


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    source = Source.SUPERVISOR
    assessed_on = datetime.date(2026, 10, 1)
    status = AssessmentStatus.SUBMITTED
    submitted_at = factory.LazyFunction(lambda: datetime.datetime(2026, 10, 1, tzinfo=datetime.UTC))


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Score

    assessment = factory.SubFactory(AssessmentFactory)
    indicator = factory.SubFactory(IndicatorFactory)
    level = 3
