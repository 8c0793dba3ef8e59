"""The authority pages (issue 13 §3, §6): "what may I do?" and the matrix, a coupon on a case (issue, or ask for
approval with the decision's reasons), the approval inbox, the ledger with its totals and reversals; the
guardrails that tell HR; the shipped defaults."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from linkage import notify
from linkage.authority_defaults import apply_authority_defaults
from linkage.models import AuthorityLimit, CouponRequest, Grade, GradeHolding, Issuance, Scenario
from linkage.services import authority as services
from notifications.models import Notification
from staff import today as staff_today
from tests.linkage.factories import authority_case, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def fee():
    return Scenario.objects.get(code="fee-charged-in-error")  # G1 low: ¥30 / ¥90 / ¥900


@pytest.fixture
def case(world):
    grant(world.trainee, "g1")
    grant(world.supervisor, "g3")
    return authority_case(world.trainee)


def login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def post_coupon(client, case, fee, amount, **extra):
    data = {"scenario": fee.pk, "risk": "low", "amount": amount, "action": "issue", "token": "", **extra}
    return client.post(reverse("linkage:coupon-new", args=[case.pk]), data)


def test_the_agent_sees_what_she_may_do_with_what_is_left_today(client, world, case, fee):
    services.issue(actor=world.trainee.user, case=case, scenario=fee, risk="low", amount=D("20"))
    page = login(client, world.trainee.user).get(reverse("linkage:authority")).content.decode()
    assert page.index('id="what-may-i-do"') < page.index('id="matrix"')
    assert 'data-scenario="fee-charged-in-error" data-risk="low"' in page and 'data-left-today="70.00"' in page
    assert 'id="set-limit"' not in page


def test_hr_sets_a_limit_on_the_matrix_page_and_others_cannot(client, world, fee):
    grade = Grade.objects.get(code="g1")
    data = {"grade": grade.pk, "scenario": fee.pk, "risk": "low", "per_use": "35", "per_day": "90", "per_month": "900"}
    response = login(client, world.hr).post(reverse("linkage:authority"), data)
    assert response.status_code == 302
    limit = AuthorityLimit.objects.get(grade=grade, scenario=fee, risk="low")
    assert limit.per_use == D("35") and limit.raised_at is not None
    assert login(client, world.supervisor.user).post(reverse("linkage:authority"), data).status_code == 404


def test_issuing_within_authority_writes_one_row_even_when_submitted_twice(client, world, case, fee):
    login(client, world.trainee.user)
    for _ in range(2):
        response = post_coupon(client, case, fee, "30", token="tok-1")
        assert response.status_code == 302
    assert Issuance.objects.filter(issued_by=world.trainee).count() == 1


def test_above_her_limit_the_page_shows_the_reasons_and_offers_a_request(client, world, case, fee):
    login(client, world.trainee.user)
    page = post_coupon(client, case, fee, "45").content.decode()
    assert 'data-outcome="needs_approval"' in page and "per use" in page and 'id="request-approval"' in page
    assert not Issuance.objects.exists()
    response = post_coupon(client, case, fee, "45", action="request", reason="Charged twice.")
    assert response.status_code == 302
    assert CouponRequest.objects.get().approver_rank == 2


def test_above_the_standard_nothing_is_offered(client, world, case, fee):
    page = post_coupon(login(client, world.trainee.user), case, fee, "80").content.decode()
    assert 'data-outcome="refused"' in page and 'id="request-approval"' not in page


def test_the_page_speaks_chinese(client, world, case, fee):
    login(client, world.trainee.user)
    page = client.get(reverse("linkage:coupon-new", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'lang="zh' in page


@pytest.fixture
def waiting(world, case, fee):
    return services.request_approval(
        actor=world.trainee.user, case=case, scenario=fee, risk="low", amount=D("45"), reason="Charged twice."
    )


def test_the_supervisor_approves_from_her_inbox(client, world, waiting):
    login(client, world.supervisor.user)
    assert f'data-request="{waiting.pk}"' in client.get(reverse("linkage:approvals")).content.decode()
    client.post(reverse("linkage:approval-decide", args=[waiting.pk]), {"approve": "1", "note": "OK"})
    assert Issuance.objects.get().request == waiting


def test_another_teams_supervisor_neither_sees_nor_decides(client, world, waiting):
    grant(world.other_supervisor, "g4")
    login(client, world.other_supervisor.user)
    assert f'data-request="{waiting.pk}"' not in client.get(reverse("linkage:approvals")).content.decode()
    response = client.post(reverse("linkage:approval-decide", args=[waiting.pk]), {"approve": "1"})
    assert response.status_code == 404 and not Issuance.objects.exists()


def test_the_agent_withdraws_her_pending_request_from_the_page_and_nobody_else_can(client, world, waiting):
    withdraw = reverse("linkage:request-withdraw", args=[waiting.pk])
    login(client, world.supervisor.user)
    assert client.post(withdraw).status_code == 404
    login(client, world.trainee.user)
    assert withdraw in client.get(reverse("linkage:approvals")).content.decode()  # her pending request offers it
    assert client.post(withdraw).status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == "cancelled" and waiting.decided_by == world.trainee.user
    assert withdraw not in client.get(reverse("linkage:approvals")).content.decode()  # nothing left to withdraw
    login(client, world.supervisor.user)
    client.post(reverse("linkage:approval-decide", args=[waiting.pk]), {"approve": "1", "note": "OK"})
    assert not Issuance.objects.exists()  # a withdrawn request is never issued


def test_the_supervisors_today_lists_the_requests_waiting_for_her(world, waiting):
    items = [item for section in staff_today.sections(world.supervisor.user) for item in section.items]
    assert any(item.key == "linkage-approvals" and "1 coupon request" in item.text for item in items)
    assert not [
        i for s in staff_today.sections(world.other_supervisor.user) for i in s.items if i.key == "linkage-approvals"
    ]


def test_the_ledger_shows_each_reader_her_scope_with_totals(client, world, case, fee):
    services.issue(actor=world.trainee.user, case=case, scenario=fee, risk="low", amount=D("30"))
    grant(world.other_trainee, "g1")
    other = services.issue(
        actor=world.other_trainee.user,
        case=authority_case(world.other_trainee),
        scenario=fee,
        risk="low",
        amount=D("10"),
    )
    page = login(client, world.supervisor.user).get(reverse("linkage:ledger")).content.decode()
    assert f'data-issuance="{other.pk}"' not in page and f'data-agent="{world.trainee.pk}"' in page
    assert f'data-team="{world.team.pk}"' in page and "¥30.00" in page
    everything = login(client, world.hr).get(reverse("linkage:ledger")).content.decode()
    assert f'data-issuance="{other.pk}"' in everything


def test_the_ledger_filters_by_day_range(client, world, case, fee):
    row = services.issue(actor=world.trainee.user, case=case, scenario=fee, risk="low", amount=D("30"))
    login(client, world.hr)
    later = (row.on.replace(day=1) + timezone.timedelta(days=40)).isoformat()
    page = client.get(reverse("linkage:ledger"), {"day_from": later}).content.decode()
    assert f'data-issuance="{row.pk}"' not in page


def _ledger_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("linkage:ledger")).status_code == 200
    return len(queries)


def test_the_ledger_reads_in_the_same_number_of_queries_whatever_the_rows(client, world, fee):
    grant(world.trainee, "g4")
    grant(world.mentor, "g4")
    login(client, world.hr)
    services.issue(actor=world.trainee.user, case=authority_case(world.trainee), scenario=fee, risk="low", amount=5)
    few = _ledger_queries(client)
    for person in (world.trainee, world.mentor) * 10:
        services.issue(actor=person.user, case=authority_case(person), scenario=fee, risk="low", amount=D("5"))
    assert _ledger_queries(client) == few


def test_the_supervisor_reverses_from_the_ledger_and_the_agent_cannot(client, world, case, fee):
    row = services.issue(actor=world.trainee.user, case=case, scenario=fee, risk="low", amount=D("30"))
    url = reverse("linkage:issuance-reverse", args=[row.pk])
    assert login(client, world.trainee.user).post(url, {"reason": "Mine."}).status_code == 404
    login(client, world.supervisor.user).post(url, {"reason": "Duplicate."})
    assert Issuance.objects.get(reverses=row).amount == D("-30")


def test_the_ledger_has_no_page_that_changes_a_row(client, world, case, fee):
    services.issue(actor=world.trainee.user, case=case, scenario=fee, risk="low", amount=D("30"))
    assert login(client, world.hr).post(reverse("linkage:ledger"), {"amount": "1"}).status_code == 405


def test_guardrails_tell_hr_once_per_agent_and_month(world, case, fee, settings):
    settings.LINKAGE_GUARDRAIL_ISSUANCES_PER_AGENT_MONTH = 2
    settings.LINKAGE_GUARDRAIL_PAYOUT_PER_COMPLAINT_CNY = 25
    for _ in range(3):
        services.issue(actor=world.trainee.user, case=case, scenario=fee, risk="low", amount=D("10"))
    assert notify.guardrail_alerts() == 2  # the agent (3 issuances) and the team (¥30 over one complaint case)
    assert notify.guardrail_alerts() == 0
    keys = set(Notification.objects.filter(kind=notify.GUARDRAIL).values_list("key", flat=True))
    month = timezone.localdate().strftime("%Y-%m")
    assert keys == {
        f"{notify.GUARDRAIL}:agent:{world.trainee.pk}:{month}:{world.hr.pk}",
        f"{notify.GUARDRAIL}:team:{world.team.pk}:{month}:{world.hr.pk}",
    }


def test_guardrails_stay_quiet_below_the_values(world, case, fee):
    services.issue(actor=world.trainee.user, case=case, scenario=fee, risk="low", amount=D("10"))
    assert notify.guardrail_alerts() == 0


def test_the_shipped_defaults_are_there_once():
    assert list(Grade.objects.values_list("code", flat=True)) == ["g1", "g2", "g3", "g4"]
    assert Scenario.objects.count() == 4 and AuthorityLimit.objects.exists()
    from django.apps import apps

    assert apply_authority_defaults(apps) == 0


def test_hr_without_a_grade_decides_a_request_within_the_top_grades_limits(client, world, waiting):
    assert not GradeHolding.objects.filter(employee__user=world.hr).exists()
    login(client, world.hr)
    assert f'data-request="{waiting.pk}"' in client.get(reverse("linkage:approvals")).content.decode()
    client.post(reverse("linkage:approval-decide", args=[waiting.pk]), {"approve": "1", "note": "Charged twice: OK"})
    waiting.refresh_from_db()
    assert waiting.status == "approved" and waiting.decided_by == world.hr
    assert Issuance.objects.get().request == waiting
