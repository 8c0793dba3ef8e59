"""The linkage demo: the marketing playbook in a second version published after a consultation, acknowledgements
with some still due in every agent team, and the shipped roles mapped to the demo's positions."""

from linkage.demo import MARKETING
from linkage.models import Acknowledgement, Comment, LinkageRole, PlaybookVersion
from staff.models import Employee, Stage, Team


def test_marketing_is_published_in_a_second_version_after_a_consultation(demo_world, db):
    versions = dict(PlaybookVersion.objects.filter(playbook__code=MARKETING).values_list("number", "status"))
    assert versions == {1: "retired", 2: "published"}
    second = PlaybookVersion.objects.get(playbook__code=MARKETING, number=2)
    assert second.reason and second.supersedes.number == 1
    assert [e.to_status for e in second.events.order_by("at", "pk")] == ["draft", "consultation", "published"]
    assert Comment.objects.filter(version=second, answered_at__isnull=False).count() == 1


def test_every_agent_team_has_someone_who_has_not_acknowledged_yet(demo_world, db):
    published = PlaybookVersion.objects.filter(status="published").count()
    for team in Team.objects.filter(supervisor__isnull=False, members__position__code="CS-AGENT").distinct():
        members = Employee.objects.filter(team=team).exclude(stage=Stage.LEFT)
        acknowledged = Acknowledgement.objects.filter(employee__in=members).count()
        assert 0 < acknowledged < members.count() * published


def test_the_shipped_roles_are_mapped_to_the_demo_positions(demo_world, db):
    agent = LinkageRole.objects.get(code="front-line-agent")
    assert set(agent.positions.values_list("code", flat=True)) == {"CS-AGENT", "CS-SENIOR"}


def test_drills_over_the_past_months_with_a_practice_run_and_certifications_some_expired(demo_world, db):
    from django.utils import timezone

    from linkage.models import Certification, Drill, StepScore

    today = timezone.localdate()
    scored = Drill.objects.filter(status="scored")
    days = sorted(timezone.localtime(d.scheduled_for).date() for d in scored)
    assert scored.filter(mode="scored").count() >= 20 and (today - days[0]).days > 365
    assert scored.filter(mode="practice").exists()
    assert StepScore.objects.filter(passed=False).exists() and StepScore.objects.filter(passed=True).exists()
    assert Certification.objects.filter(expires_on__lt=today).exists()
    assert Certification.objects.filter(expires_on__gte=today).count() >= 10
    # The daily sweep has already reminded the holders of the expired ones and set them refresher drills.
    assert Drill.objects.filter(is_refresher=True, status="scheduled").exists()


def test_one_team_has_an_uncovered_step_and_tomorrows_drill_can_close_it(demo_world, db):
    from django.utils import timezone

    from linkage.models import Drill
    from linkage.selectors.coverage import weak_links
    from staff.demo import ROLE_SUPERVISOR

    weak = weak_links(Team.objects.values_list("pk", flat=True), today=timezone.localdate())
    (team_id,) = weak
    team = Team.objects.get(pk=team_id)
    assert team.supervisor.user.username == ROLE_SUPERVISOR
    assert [row.step.code for row in weak[team_id]] == ["explain"]
    tomorrow = Drill.objects.get(team=team, status="scheduled", is_refresher=False)
    assert tomorrow.participants.filter(role__code="second-line-specialist").exists()


def test_three_months_of_cases_with_coupons_a_pending_approval_a_case_about_to_breach_and_a_lowered_grade(
    demo_world, db
):
    import datetime

    from django.utils import timezone

    from linkage.models import Case, CouponRequest, Finding, Issuance
    from staff.demo import ROLE_SUPERVISOR

    now = timezone.now()
    closed = Case.objects.filter(status="closed")
    assert closed.count() >= 200
    assert (now - closed.order_by("opened_at").first().opened_at).days >= 80
    assert closed.filter(outcome="first_contact").exists() and closed.exclude(outcome="first_contact").exists()
    assert Issuance.objects.filter(on__lt=timezone.localdate()).count() >= 20
    team = Team.objects.get(supervisor__user__username=ROLE_SUPERVISOR)
    assert CouponRequest.objects.filter(status="pending", requested_by__team=team).count() == 1
    soon = Case.objects.filter(
        status="open", team=team, resolution_due_at__gt=now, resolution_due_at__lte=now + datetime.timedelta(hours=1)
    )
    assert soon.count() == 1
    (finding,) = Finding.objects.all()
    assert finding.status == "confirmed" and finding.lowered_to is not None
    assert (
        finding.lowered_to.grade.rank < finding.review.sample.issuance.grade.rank or finding.lowered_to.grade.rank == 1
    )
