import datetime

import factory

from linkage.models import LinkageRole, Playbook, PlaybookVersion, Step


class LinkageRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LinkageRole
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"role-{n}")
    name_en = factory.LazyAttribute(lambda o: o.code)
    name_zh = factory.LazyAttribute(lambda o: o.code)


class PlaybookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Playbook

    code = factory.Sequence(lambda n: f"playbook-{n}")
    kind = "marketing"
    name_en = factory.LazyAttribute(lambda o: o.code)
    name_zh = factory.LazyAttribute(lambda o: o.code)


class PlaybookVersionFactory(factory.django.DjangoModelFactory):
    """A draft version 1; pass status= for another state (tests only: services move versions)."""

    class Meta:
        model = PlaybookVersion

    playbook = factory.SubFactory(PlaybookFactory)
    number = 1
    topic_en = "Topic"
    topic_zh = "主题"
    trigger_en = "The customer asks about wealth products."
    trigger_zh = "客户咨询理财产品。"


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Step

    version = factory.SubFactory(PlaybookVersionFactory)
    order = factory.Sequence(lambda n: n + 1)
    code = factory.Sequence(lambda n: f"step-{n}")
    name_en = factory.LazyAttribute(lambda o: o.code)
    name_zh = factory.LazyAttribute(lambda o: o.code)
    owner = factory.SubFactory(LinkageRoleFactory)
    guidance_en = "Do this."
    guidance_zh = "这样做。"


# Pages helper (issue 12: library, acknowledgements, comments) -------------------------------------------------


def version_in(status, *, pilot_teams=(), **kwargs):
    """A version created straight in ``status`` (tests only: services move versions), with one step."""
    if status == "published":
        kwargs.setdefault("published_at", datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC))
    version = PlaybookVersionFactory(status=status, **kwargs)
    version.pilot_teams.set(pilot_teams)
    StepFactory(version=version, order=1)
    return version


class AcknowledgementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "linkage.Acknowledgement"

    version = factory.SubFactory(PlaybookVersionFactory, status="published")
    employee = factory.SubFactory("tests.staff.factories.EmployeeFactory")
    acknowledged_at = factory.Faker("date_time", tzinfo=datetime.UTC)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "linkage.Comment"

    version = factory.SubFactory(PlaybookVersionFactory, status="consultation")
    author = factory.SubFactory("tests.staff.factories.EmployeeFactory")
    body = "Step 2 needs a clearer signal."


def matrix_linkage(world):
    """For tests/test_authorization_matrix.py: Team A's pilot (with a consultation for Team A of its next
    version, and a comment) and the trainee's acknowledgement of it; made once per world."""
    if getattr(world, "linkage_pilot", None) is None:
        world.linkage_pilot = version_in("pilot", pilot_teams=[world.team])
        consultation = version_in(
            "consultation", playbook=world.linkage_pilot.playbook, number=2, reason="Matrix.", pilot_teams=[world.team]
        )
        world.linkage_comment = CommentFactory(version=consultation, author=world.trainee)
        world.linkage_acknowledgement = AcknowledgementFactory(version=world.linkage_pilot, employee=world.trainee)
    return world
