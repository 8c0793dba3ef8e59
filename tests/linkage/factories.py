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


# Coverage and four abilities (issue 12 §8, helper B) ----------------------------------------------------------


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "linkage.Certification"

    employee = factory.SubFactory("tests.staff.factories.EmployeeFactory")
    playbook = factory.SubFactory(PlaybookFactory)
    certified_on = datetime.date(2026, 6, 1)
    expires_on = factory.LazyAttribute(lambda o: o.certified_on.replace(year=o.certified_on.year + 1))


def scored_drill_rows(version, team, examiner, results, *, on=None, mode="scored"):
    """A drill of ``version`` written straight as scored (tests only: services score drills). ``results`` is
    [(employee, role, [(step, passed)])]: one participant per entry and one StepScore per (step, passed)."""
    from linkage.models import Drill, DrillParticipant, StepScore

    when = on or datetime.datetime(2026, 11, 2, 10, 0, tzinfo=datetime.UTC)
    drill = Drill.objects.create(
        version=version, team=team, mode=mode, status="scored", scheduled_for=when, examiner=examiner, scored_at=when
    )
    for employee, role, steps in results:
        participant = DrillParticipant.objects.create(
            drill=drill, employee=employee, role=role, passed=all(p for _s, p in steps) if mode == "scored" else None
        )
        for step, passed in steps:
            StepScore.objects.create(
                drill=drill, step=step, participant=participant, action_ok=passed, handoff_ok=True, passed=passed
            )
    return drill


# Drills and levels (helper A, issue 12 §6–7) ------------------------------------------------------------------


def drill_version(*, status="published", playbook=None, number=1, pilot_teams=(), reason=""):
    """A version to drill: "spot" (scored, owned by the agent role, two indicators), "explain" (scored, owned by
    the specialist role, with a hand-off signal, the second indicator) and "note" (guidance only, agent).
    Returns a namespace (version, playbook, agent, specialist, spot, explain, note, indicators). Map the roles to
    positions with ``kit.agent.positions.add(position)``."""
    from types import SimpleNamespace

    from linkage.models import Signal
    from tests.training.factories import IndicatorFactory

    version = PlaybookVersionFactory(
        status=status,
        playbook=playbook or PlaybookFactory(),
        number=number,
        reason=reason or ("" if number == 1 else "A clearer hand-off."),
        published_at=datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC) if status == "published" else None,
    )
    version.pilot_teams.set(pilot_teams)
    agent = LinkageRoleFactory(code="drill-agent", name_en="Agent", name_zh="坐席")
    specialist = LinkageRoleFactory(code="drill-specialist", name_en="Specialist", name_zh="专家")
    signal, _created = Signal.objects.get_or_create(
        code="drill-signal", defaults={"kind": "phrase", "name_en": "Specialist please", "name_zh": "请专家"}
    )
    indicators = (IndicatorFactory(), IndicatorFactory())
    spot = StepFactory(version=version, order=1, code="spot", name_en="Spot", owner=agent, receiver=specialist)
    spot.indicators.set(indicators)
    explain = StepFactory(version=version, order=2, code="explain", name_en="Explain", owner=specialist, signal=signal)
    explain.indicators.set(indicators[1:])
    note = StepFactory(version=version, order=3, code="note", name_en="Note", owner=agent, is_scripted=False)
    return SimpleNamespace(
        version=version,
        playbook=version.playbook,
        agent=agent,
        specialist=specialist,
        spot=spot,
        explain=explain,
        note=note,
        indicators=indicators,
    )


def step_result(*, action_ok=True, handoff_ok=True, signal_ok=None, seconds=45, notes=""):
    """One entry of score_drill's ``scores``."""
    return {
        "action_ok": action_ok,
        "handoff_ok": handoff_ok,
        "signal_ok": signal_ok,
        "seconds": seconds,
        "notes": notes,
    }


# Drills API and admin (helper E, issue 12 §10) -----------------------------------------------------------------


def matrix_drill(world):
    """For the authorization matrix and the API runs: a published drill version, and two scheduled drills of Team A
    examined by its supervisor, with the trainee and her mentor cast (one to score, one to cancel); made once."""
    if getattr(world, "linkage_drill", None) is None:
        from linkage.models import Drill, DrillParticipant

        kit = drill_version()
        kit.agent.positions.add(world.trainee.position)
        kit.specialist.positions.add(world.mentor.position)
        when = datetime.datetime(2026, 11, 20, 2, 0, tzinfo=datetime.UTC)
        drills = []
        for _ in range(2):
            drill = Drill.objects.create(
                version=kit.version, team=world.team, scheduled_for=when, examiner=world.supervisor
            )
            DrillParticipant.objects.create(drill=drill, employee=world.trainee, role=kit.agent)
            DrillParticipant.objects.create(drill=drill, employee=world.mentor, role=kit.specialist)
            drills.append(drill)
        world.linkage_drill_kit = kit
        world.linkage_drill, world.linkage_drill_to_cancel = drills
    return world


# Cases (helper A13, issue 13 §1–2) -----------------------------------------------------------------------------


def case_category(code="fee-dispute"):
    """A shipped case category (migration 0007)."""
    from linkage.models import CaseCategory

    return CaseCategory.objects.get(code=code)


def open_case_for(employee, *, category=None, customer_ref="13812345678", opened_at=None, summary="Fee charged twice."):
    """A case ``employee`` took, logged through the service (as she would)."""
    from linkage.services.cases import open_case

    return open_case(
        actor=employee.user,
        customer_ref=customer_ref,
        channel="phone",
        category=category or case_category(),
        summary=summary,
        opened_at=opened_at,
    )


def matrix_case(world):
    """For tests/test_authorization_matrix.py: one open case owned by the trainee in Team A, with a follow-up and a
    step handed to her mentor (who may see it); made once per world."""
    if getattr(world, "linkage_case", None) is None:
        from linkage.models import FollowUp, Handoff, LinkageRole

        case = open_case_for(world.trainee)
        world.linkage_case = case
        world.linkage_case_follow_up = FollowUp.objects.create(case=case, due_at=case.resolution_due_at)
        world.linkage_case_handoff = Handoff.objects.create(
            case=case,
            to_role=LinkageRole.objects.get(code="second-line-specialist"),
            to_employee=world.mentor,
            reason_code="specialist",
            handed_at=case.opened_at,
            handed_by=world.trainee.user,
        )
    return world


# Tiered authority (issue 13 §3, helper B13) ----------------------------------------------------------------------


def authority_case(owner, *, customer_ref="138****5678", reference=None):
    """An open case owned by ``owner`` (written straight: the authority tests need only its row)."""
    from django.utils import timezone

    from linkage.models import Case, CaseCategory

    category, _ = CaseCategory.objects.get_or_create(
        code="authority-tests", defaults={"name_en": "Complaint", "name_zh": "投诉", "is_complaint": True}
    )
    now = timezone.now()
    return Case.objects.create(
        reference=reference or f"CT{Case.objects.count() + 1:06d}",
        customer_ref=customer_ref,
        channel="phone",
        category=category,
        summary="Charged twice.",
        owner=owner,
        team=owner.team,
        opened_at=now,
        first_response_due_at=now,
        resolution_due_at=now + datetime.timedelta(days=2),
    )


def grant(employee, code, *, since=None):
    """``employee`` holds the shipped grade ``code`` (g1…g4) from ``since`` (a minute ago)."""
    from django.utils import timezone

    from linkage.models import Grade, GradeHolding

    return GradeHolding.objects.create(
        employee=employee,
        grade=Grade.objects.get(code=code),
        since=since or timezone.now() - datetime.timedelta(minutes=1),
    )


def matrix_authority(world):
    """For the authorization matrix: the trainee (G1) owns an open case of Team A and asked for approval of a coupon
    above her limit; the supervisor holds G3. Made once per world."""
    if getattr(world, "authority_case", None) is None:
        from django.utils import timezone

        from linkage.models import CouponRequest, Scenario

        grant(world.trainee, "g1")
        grant(world.supervisor, "g3")
        world.authority_case = authority_case(world.trainee)
        world.authority_request = CouponRequest.objects.create(
            case=world.authority_case,
            scenario=Scenario.objects.get(code="fee-charged-in-error"),
            risk="low",
            amount="45.00",
            requested_by=world.trainee,
            requested_at=timezone.now(),
            reason="Charged twice.",
            approver_rank=2,
        )
    return world


# Cases, authority and QA API and admin (helper D13, issue 13 §6) -------------------------------------------------


def matrix_issuance(world):
    """For the matrix and the API tests: matrix_authority's world plus one ¥20 issuance by the trainee (G1) on her
    open case, in the ledger. Made once per world."""
    matrix_authority(world)
    if getattr(world, "authority_issuance", None) is None:
        from linkage.models import Scenario
        from linkage.services.authority import issue

        world.authority_issuance = issue(
            actor=world.trainee.user,
            case=world.authority_case,
            scenario=Scenario.objects.get(code="fee-charged-in-error"),
            risk="low",
            amount="20.00",
        )
    return world


# QA spot checks (helper C13, issue 13 §4) ------------------------------------------------------------------------


def matrix_qa(world):
    """For the matrix: a QA sample of the trainee's case (matrix_authority's), week of the current Monday."""
    matrix_authority(world)
    if getattr(world, "qa_sample", None) is None:
        from django.utils import timezone

        from linkage.models import QASample

        today = timezone.localdate()
        world.qa_sample = QASample.objects.create(
            week=today - datetime.timedelta(days=today.weekday()),
            agent=world.trainee,
            case=world.authority_case,
            reason="base",
        )
    return world


def matrix_qa_sample(world):
    """matrix_issuance's world plus a QA sample of this week drawn on the trainee's issuance. Made once per world."""
    matrix_issuance(world)
    if getattr(world, "qa_sample", None) is None:
        from django.utils import timezone

        from linkage.models import QASample

        today = timezone.localdate()
        world.qa_sample = QASample.objects.create(
            week=today - datetime.timedelta(days=today.weekday()),
            agent=world.trainee,
            issuance=world.authority_issuance,
            reason="base",
        )
    return world
