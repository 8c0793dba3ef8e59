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
