"""First-contact ownership (issue 13 §1–2, seed 003) through linkage.services.cases: the owner keeps her case to
closure, every transfer names a reason, the customer reference never unmasks, the history is append-only, the staffing
floor asks for a coordination report, and an agent may escalate past her lead (seed 002)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q

from linkage import permissions
from linkage.models import Case, CaseEvent, CoordinationReport, EscalationLevel, EventKind, LinkageRole, SiteStaffing
from linkage.selectors import cases as selectors
from linkage.services import cases as services
from notifications.models import Notification
from tests.linkage.factories import case_category, open_case_for
from tests.staff.factories import EmployeeFactory, PositionFactory

NOW = datetime.datetime(2026, 12, 4, 2, 0, tzinfo=datetime.UTC)  # 10:00 in Shanghai
RAW = "13812345678"


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def case(world, now):
    return open_case_for(world.trainee, customer_ref=RAW)


def _role(code):
    return LinkageRole.objects.get(code=code)


# Open and mask --------------------------------------------------------------------------------------------------


def test_a_case_is_owned_by_the_agent_who_took_it_with_targets_from_its_category(world, case):
    category = case_category()
    assert case.owner == world.trainee and case.team == world.team and case.status == "open"
    assert case.resolution_due_at == NOW + datetime.timedelta(hours=category.resolution_hours)
    assert case.first_response_due_at == NOW + datetime.timedelta(minutes=category.first_response_minutes)
    assert list(case.events.values_list("kind", flat=True)) == [EventKind.OPENED]


def test_the_customer_reference_is_stored_masked_and_never_whole(case):
    assert Case.objects.get(pk=case.pk).customer_ref == "138****5678"
    assert not Case.objects.filter(Q(customer_ref__contains=RAW) | Q(summary__contains=RAW)).exists()
    assert not CaseEvent.objects.filter(Q(text__contains=RAW) | Q(data__icontains=RAW)).exists()


def test_references_are_unique_per_day(world, case):
    second = open_case_for(world.trainee)
    assert case.reference == "C20261204-00001"
    assert second.reference == "C20261204-00002"


def test_an_agent_logs_only_her_own_cases(world, now):
    with pytest.raises(PermissionDenied):
        services.open_case(
            actor=world.trainee.user,
            customer_ref=RAW,
            channel="phone",
            category=case_category(),
            summary="x",
            owner=world.mentor,
        )


def test_hr_without_an_employee_record_logs_no_case_of_her_own(world, now):
    with pytest.raises(PermissionDenied):
        services.open_case(actor=world.hr, customer_ref=RAW, channel="phone", category=case_category(), summary="x")


def test_a_case_needs_a_reference_a_channel_and_a_summary(world, now):
    with pytest.raises(ValidationError) as error:
        services.open_case(
            actor=world.trainee.user, customer_ref="--", channel="fax", category=case_category(), summary=" "
        )
    assert len(error.value.messages) == 3


# Ownership and hand-offs ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["supervisor", "mentor", "other_trainee", "hr"])
def test_only_the_owner_closes(world, case, who):
    actor = world.hr if who == "hr" else getattr(world, who).user
    with pytest.raises(PermissionDenied):
        services.close_case(actor=actor, case_id=case.pk, outcome="later")
    assert Case.objects.get(pk=case.pk).status == "open"


def test_the_owner_closes_with_an_outcome_once(world, case):
    closed = services.close_case(actor=world.trainee.user, case_id=case.pk, outcome="first_contact", note="Refunded.")
    again = services.close_case(actor=world.trainee.user, case_id=case.pk, outcome="first_contact")
    assert (closed.status, closed.outcome, again.closed_at) == ("closed", "first_contact", closed.closed_at)
    assert case.events.filter(kind=EventKind.CLOSED).count() == 1


def test_a_hand_off_never_moves_ownership(world, case):
    handoff = services.hand_off(
        actor=world.trainee.user,
        case_id=case.pk,
        to_role=_role("second-line-specialist"),
        to_employee=world.mentor,
        reason_code="specialist",
    )
    case.refresh_from_db()
    assert case.owner == world.trainee and handoff.to_employee == world.mentor
    assert permissions.visible_cases(world.mentor.user).filter(pk=case.pk).exists()
    with pytest.raises(PermissionDenied):
        services.close_case(actor=world.mentor.user, case_id=case.pk, outcome="later")
    assert Notification.objects.filter(recipient=world.mentor.user, kind="linkage_case_handoff").count() == 1


@pytest.mark.parametrize(("reason_code", "reason"), [("", "Because."), ("nonsense", "Because."), ("other", "")])
def test_every_transfer_needs_a_reason_code(world, case, reason_code, reason):
    with pytest.raises(ValidationError):
        services.hand_off(
            actor=world.trainee.user,
            case_id=case.pk,
            to_role=_role("second-line-specialist"),
            reason_code=reason_code,
            reason=reason,
        )
    assert not case.handoffs.exists()


def test_only_the_owner_hands_off(world, case):
    with pytest.raises(PermissionDenied):
        services.hand_off(
            actor=world.supervisor.user, case_id=case.pk, to_role=_role("floor-manager"), reason_code="authority"
        )


def test_a_case_closes_only_when_every_step_is_back_and_not_as_first_contact(world, case):
    handoff = services.hand_off(
        actor=world.trainee.user, case_id=case.pk, to_role=_role("floor-manager"), reason_code="authority"
    )
    with pytest.raises(ValidationError):
        services.close_case(actor=world.trainee.user, case_id=case.pk, outcome="later")
    services.hand_back(actor=world.trainee.user, handoff_id=handoff.pk, note="Approved.")
    with pytest.raises(ValidationError):
        services.close_case(actor=world.trainee.user, case_id=case.pk, outcome="first_contact")
    assert services.close_case(actor=world.trainee.user, case_id=case.pk, outcome="later").status == "closed"


def test_a_closed_case_takes_no_more_writes(world, case):
    services.close_case(actor=world.trainee.user, case_id=case.pk, outcome="first_contact")
    with pytest.raises(PermissionDenied):
        services.add_note(actor=world.trainee.user, case_id=case.pk, text="More.")
    with pytest.raises(PermissionDenied):
        services.hand_off(
            actor=world.trainee.user, case_id=case.pk, to_role=_role("qa"), reason_code="other", reason="x"
        )


def test_the_owner_or_her_supervisor_reopens(world, case):
    services.close_case(actor=world.trainee.user, case_id=case.pk, outcome="first_contact")
    with pytest.raises(PermissionDenied):
        services.reopen_case(actor=world.other_supervisor.user, case_id=case.pk, reason="Came back.")
    reopened = services.reopen_case(actor=world.supervisor.user, case_id=case.pk, reason="Came back.")
    assert (reopened.status, reopened.outcome, reopened.reopen_count, reopened.closed_at) == ("open", "", 1, None)
    with pytest.raises(ValidationError):  # reopened: not a first-contact resolution any more
        services.close_case(actor=world.trainee.user, case_id=case.pk, outcome="first_contact")


# History ----------------------------------------------------------------------------------------------------------


def test_a_correction_supersedes_the_entry_which_stays(world, case):
    note = services.add_note(actor=world.trainee.user, case_id=case.pk, text="Customer wants ¥50.")
    correction = services.correct_event(actor=world.trainee.user, event_id=note.pk, text="Customer wants ¥30.")
    note.refresh_from_db()
    assert note.text == "Customer wants ¥50."
    assert (correction.kind, correction.supersedes_id) == (EventKind.CORRECTION, note.pk)
    with pytest.raises(PermissionDenied):  # corrected once: correct the correction instead
        services.correct_event(actor=world.trainee.user, event_id=note.pk, text="¥40.")


def test_only_the_author_corrects(world, case):
    note = services.add_note(actor=world.supervisor.user, case_id=case.pk, text="Call her back today.")
    with pytest.raises(PermissionDenied):
        services.correct_event(actor=world.trainee.user, event_id=note.pk, text="Tomorrow.")


def test_the_first_response_is_recorded_once(world, case, time_machine):
    services.record_first_response(actor=world.trainee.user, case_id=case.pk)
    time_machine.move_to(NOW + datetime.timedelta(minutes=5), tick=False)
    again = services.record_first_response(actor=world.trainee.user, case_id=case.pk)
    assert again.first_response_at == NOW
    assert case.events.filter(kind=EventKind.FIRST_RESPONSE).count() == 1


# Staffing floor ---------------------------------------------------------------------------------------------------


@pytest.fixture
def floor(world):
    """The trainee is her site's only agent on the phones, and its floor is one."""
    _role("front-line-agent").positions.add(world.trainee.position)
    return SiteStaffing.objects.create(site=world.team.department.site, min_on_phones=1)


def test_an_outbound_follow_up_below_the_floor_is_refused_without_a_report(world, case, floor):
    follow_up = services.add_follow_up(actor=world.trainee.user, case_id=case.pk, due_at=NOW)
    with pytest.raises(ValidationError):
        services.start_follow_up(actor=world.trainee.user, follow_up_id=follow_up.pk)
    follow_up.refresh_from_db()
    assert follow_up.started_at is None and not CoordinationReport.objects.exists()


def test_it_goes_ahead_with_a_coordination_report(world, case, floor):
    follow_up = services.add_follow_up(actor=world.trainee.user, case_id=case.pk, due_at=NOW)
    started = services.start_follow_up(
        actor=world.trainee.user, follow_up_id=follow_up.pk, report_reason="Promised a call back by 10:00."
    )
    report = CoordinationReport.objects.get(follow_up=follow_up)
    assert started.started_at == NOW
    assert (report.on_phones, report.minimum, report.reported_by) == (1, 1, world.trainee.user)
    assert case.events.filter(kind=EventKind.STAFFING_REPORT, text="Promised a call back by 10:00.").count() == 1
    assert selectors.agents_on_phones(world.team.department.site_id).count() == 0  # she is off the phones now
    services.finish_follow_up(actor=world.trainee.user, follow_up_id=follow_up.pk)
    assert selectors.agents_on_phones(world.team.department.site_id).count() == 1


def test_no_report_is_needed_above_the_floor(world, case, floor):
    EmployeeFactory(team=world.team, position=world.trainee.position)  # a second agent on the phones
    follow_up = services.add_follow_up(actor=world.trainee.user, case_id=case.pk, due_at=NOW)
    services.start_follow_up(actor=world.trainee.user, follow_up_id=follow_up.pk)
    assert not CoordinationReport.objects.exists()


def test_a_follow_up_that_is_no_call_ignores_the_floor(world, case, floor):
    follow_up = services.add_follow_up(actor=world.trainee.user, case_id=case.pk, due_at=NOW, is_outbound_call=False)
    assert services.start_follow_up(actor=world.trainee.user, follow_up_id=follow_up.pk).started_at == NOW


# Escalating past the lead -----------------------------------------------------------------------------------------


def test_the_owner_escalates_past_her_team_lead_once(world, case):
    manager = EmployeeFactory(position=PositionFactory())
    _role("floor-manager").positions.add(manager.position)
    level = EscalationLevel.objects.exclude(role__code="supervisor").order_by("number").first()
    event = services.escalate_past_lead(actor=world.trainee.user, case_id=case.pk, reason="No answer from my lead.")
    again = services.escalate_past_lead(actor=world.trainee.user, case_id=case.pk, reason="Still nothing.")
    assert again.pk == event.pk and (event.kind, event.key) == (EventKind.ESCALATED, f"past-lead:{level.number}")
    told = Notification.objects.filter(kind="linkage_case_past_lead")
    assert list(told.values_list("recipient", flat=True)) == [manager.user_id]
    assert not told.filter(recipient=world.supervisor.user).exists()


def test_escalating_past_the_lead_needs_a_reason_and_the_owner(world, case):
    with pytest.raises(ValidationError):
        services.escalate_past_lead(actor=world.trainee.user, case_id=case.pk, reason=" ")
    with pytest.raises(PermissionDenied):
        services.escalate_past_lead(actor=world.mentor.user, case_id=case.pk, reason="Me too.")


def test_team_lists_put_open_cases_nearest_their_breach_first_then_the_closed_latest_first(world, now):
    """Closed cases sort before open ones alphabetically ("closed" < "open"): the list must not."""
    hour = datetime.timedelta(hours=1)
    old_closed = open_case_for(world.trainee, opened_at=NOW - 60 * hour)
    new_closed = open_case_for(world.trainee, opened_at=NOW - 50 * hour)
    for done in (old_closed, new_closed):
        services.close_case(actor=world.trainee.user, case_id=done.pk, outcome="later")
    later_due = open_case_for(world.trainee, opened_at=NOW - 1 * hour)
    sooner_due = open_case_for(world.trainee, opened_at=NOW - 40 * hour)

    listed = list(selectors.ordered(Case.objects.all(), due_first=True).values_list("pk", flat=True))

    assert listed == [sooner_due.pk, later_due.pk, new_closed.pk, old_closed.pk]
