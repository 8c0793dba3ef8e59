"""QA reviews, calibration, findings (issue 13 §4): one review per reviewer, the first finding opens a Finding, the
agent disputes within the window (frozen time), the supervisor confirms (lowering her grade, coaching or a notice to
the supervisor) or overturns; undisputed findings are confirmed once the window passes."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from linkage.models import Finding, FindingStatus, LinkageRole, QASample
from linkage.selectors.qa import agreement, queue
from linkage.services import qa as services
from linkage.services.authority import current_grade
from notifications.models import Notification
from tests.linkage.factories import authority_case, grant
from tests.staff.factories import EmployeeFactory
from training.models import CoachingSession

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 10, 10, 0, tzinfo=datetime.UTC)


def qa_person(name):
    person = EmployeeFactory(name=name, team=None, stage="management")
    LinkageRole.objects.get(code="qa").positions.add(person.position)
    return person.user


@pytest.fixture
def sample(world):
    grant(world.trainee, "g2", since=timezone.now() - datetime.timedelta(days=200))
    case = authority_case(world.trainee)
    return QASample.objects.create(week=datetime.date(2026, 11, 2), agent=world.trainee, case=case, reason="base")


def finding_on(sample, reviewer):
    return services.review(
        actor=reviewer, sample_id=sample.pk, result="finding", kind="over_standard", severity="major", evidence="¥60."
    )


def test_only_qa_staff_and_hr_review(world, sample):
    with pytest.raises(PermissionDenied):
        services.review(actor=world.supervisor.user, sample_id=sample.pk, result="compliant")
    with pytest.raises(PermissionDenied):
        services.review(actor=world.trainee.user, sample_id=sample.pk, result="compliant")
    services.review(actor=qa_person("QA 1"), sample_id=sample.pk, result="compliant")
    services.review(actor=world.hr, sample_id=sample.pk, result="compliant")
    assert sample.reviews.count() == 2


def test_one_review_per_reviewer_and_a_finding_needs_evidence(world, sample):
    reviewer = qa_person("QA 1")
    with pytest.raises(ValidationError):
        services.review(actor=reviewer, sample_id=sample.pk, result="finding", kind="other", severity="minor")
    services.review(actor=reviewer, sample_id=sample.pk, result="compliant")
    with pytest.raises(ValidationError):
        services.review(actor=reviewer, sample_id=sample.pk, result="compliant")


def test_the_first_finding_opens_one_finding_with_the_dispute_window(world, sample):
    with time_machine.travel(NOW, tick=False):
        finding_on(sample, qa_person("QA 1"))
        finding_on(sample, qa_person("QA 2"))
    finding = Finding.objects.get()
    assert finding.agent == world.trainee and finding.status == FindingStatus.OPEN
    assert finding.dispute_until == NOW + datetime.timedelta(days=5)


def test_calibration_agreement_and_the_queue_hides_what_i_reviewed(world, sample):
    one, two, three = qa_person("QA 1"), qa_person("QA 2"), qa_person("QA 3")
    other = QASample.objects.create(
        week=sample.week, agent=world.trainee, case=authority_case(world.trainee), reason="base"
    )
    services.review(actor=one, sample_id=sample.pk, result="compliant")
    services.review(actor=two, sample_id=sample.pk, result="compliant")
    finding_on(sample, three)
    services.review(actor=one, sample_id=other.pk, result="compliant")
    services.review(actor=two, sample_id=other.pk, result="compliant")
    shares, overall = agreement([sample.pk, other.pk])
    assert shares == {sample.pk: pytest.approx(2 / 3), other.pk: 1.0}
    assert overall == pytest.approx(4 / 5)
    assert list(queue(one)) == [] and list(queue(three)) == [other]


def test_the_agent_disputes_within_the_window_only(world, sample):
    with time_machine.travel(NOW, tick=False):
        finding = Finding.objects.get(review=finding_on(sample, qa_person("QA 1")))
    with time_machine.travel(NOW + datetime.timedelta(days=5, seconds=1), tick=False), pytest.raises(ValidationError):
        services.dispute(actor=world.trainee.user, finding_id=finding.pk, text="It was within the standard.")
    with time_machine.travel(NOW + datetime.timedelta(days=4), tick=False):
        with pytest.raises(PermissionDenied):
            services.dispute(actor=world.other_trainee.user, finding_id=finding.pk, text="Not mine.")
        services.dispute(actor=world.trainee.user, finding_id=finding.pk, text="It was within the standard.")
    finding.refresh_from_db()
    assert finding.status == FindingStatus.DISPUTED and finding.dispute == "It was within the standard."


def test_confirming_lowers_the_grade_and_opens_coaching_for_an_agent_not_in_onboarding(world, sample):
    finding = Finding.objects.get(review=finding_on(sample, qa_person("QA 1")))
    with pytest.raises(PermissionDenied):
        services.decide_finding(actor=world.other_supervisor.user, finding_id=finding.pk, confirm=True)
    services.decide_finding(actor=world.supervisor.user, finding_id=finding.pk, confirm=True, lower_grade=True)
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CONFIRMED and finding.lowered_to.grade.code == "g1"
    assert current_grade(world.trainee).code == "g1"
    session = CoachingSession.objects.get()  # the coaching log is every agent's, not only a trainee's
    assert (session.employee, session.enrollment, session.coach) == (world.trainee, None, world.supervisor.user)
    assert (session.phase, session.error_kind, session.is_repeat) == ("after", "authority", False)
    assert not Notification.objects.filter(kind=services.QA_COACHING).exists()  # nobody left to notify
    with pytest.raises(ValidationError):
        services.decide_finding(actor=world.hr, finding_id=finding.pk, confirm=False)


def test_confirming_an_enrolled_agent_logs_coaching(world, sample):
    from staff.models import Stage
    from tests.training.onboarding_factories import PRE_JOB_DAYS, make_program, open_batch

    world.trainee.stage = Stage.PRE_JOB
    world.trainee.save()
    start_on = timezone.localdate() - datetime.timedelta(days=PRE_JOB_DAYS - 2)
    open_batch(make_program(), hr=world.hr, supervisor=world.supervisor, trainees=[world.trainee], start_on=start_on)
    finding = Finding.objects.get(review=finding_on(sample, qa_person("QA 1")))
    services.decide_finding(actor=world.supervisor.user, finding_id=finding.pk, confirm=True)
    session = CoachingSession.objects.get()
    assert session.employee == session.enrollment.trainee == world.trainee and session.phase == "after"
    assert current_grade(world.trainee).code == "g2"


def test_overturn_leaves_the_grade(world, sample):
    finding = Finding.objects.get(review=finding_on(sample, qa_person("QA 1")))
    services.decide_finding(actor=world.hr, finding_id=finding.pk, confirm=False, note="Within the standard.")
    finding.refresh_from_db()
    assert finding.status == FindingStatus.OVERTURNED and current_grade(world.trainee).code == "g2"
    assert not Notification.objects.filter(kind=services.QA_COACHING).exists()


def test_undisputed_findings_are_confirmed_after_the_window_once(world, sample):
    with time_machine.travel(NOW, tick=False):
        finding = Finding.objects.get(review=finding_on(sample, qa_person("QA 1")))
    assert services.confirm_expired_findings(now=NOW + datetime.timedelta(days=4)) == 0
    assert services.confirm_expired_findings(now=NOW + datetime.timedelta(days=6)) == 1
    assert services.confirm_expired_findings(now=NOW + datetime.timedelta(days=7)) == 0
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CONFIRMED and finding.decided_by is None
    (session,) = CoachingSession.objects.all()  # once, coached by her supervisor
    assert session.employee == world.trainee and session.coach == world.supervisor.user
