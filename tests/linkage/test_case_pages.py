"""The case pages per persona (issue 13 §6): an agent logs a case and sees hers and those handed to her, another
agent gets 404, a supervisor sees her team's cases with the breach countdown; fixed query counts on the lists; the
customer reference never shows unmasked."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from linkage.models import Case, CoordinationReport, Handoff, LinkageRole, SiteStaffing
from linkage.services import cases as services
from tests.linkage.factories import case_category, open_case_for

NOW = datetime.datetime(2026, 12, 4, 2, 0, tzinfo=datetime.UTC)
RAW = "13812345678"


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


def _login(client, employee_or_user):
    user = getattr(employee_or_user, "user", employee_or_user)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def case(world, now):
    return open_case_for(world.trainee, customer_ref=RAW)


def test_an_agent_logs_a_case_in_four_fields_and_owns_it(client, world, now):
    _login(client, world.trainee)
    page = client.get(reverse("linkage:case-new"))
    assert page.status_code == 200
    response = client.post(
        reverse("linkage:case-new"),
        {"customer_ref": RAW, "channel": "phone", "category": case_category().pk, "summary": "Fee charged twice."},
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("linkage:case", args=[case.pk])
    assert (case.owner, case.customer_ref) == (world.trainee, "138****5678")
    shown = client.get(reverse("linkage:case", args=[case.pk])).content.decode()
    assert "138****5678" in shown and RAW not in shown


def test_a_refused_case_form_never_echoes_the_full_reference(client, world, now):
    _login(client, world.trainee)
    response = client.post(reverse("linkage:case-new"), {"customer_ref": RAW, "channel": "phone", "summary": ""})
    assert response.status_code == 200 and not Case.objects.exists()
    body = response.content.decode()
    assert RAW not in body and 'value="138****5678"' in body


def test_my_cases_lists_hers_and_those_handed_to_me(client, world, case):
    services.hand_off(
        actor=world.trainee.user,
        case_id=case.pk,
        to_role=LinkageRole.objects.get(code="second-line-specialist"),
        to_employee=world.mentor,
        reason_code="specialist",
    )
    mine = open_case_for(world.mentor)
    body = _login(client, world.mentor).get(reverse("linkage:cases")).content.decode()
    assert f'data-case="{case.pk}"' in body and f'data-case="{mine.pk}"' in body
    assert RAW not in body and "138****5678" in body
    assert client.get(reverse("linkage:case", args=[case.pk])).status_code == 200


def test_another_agent_gets_404(client, world, case):
    _login(client, world.other_trainee)
    assert client.get(reverse("linkage:case", args=[case.pk])).status_code == 404
    assert f'data-case="{case.pk}"' not in client.get(reverse("linkage:cases")).content.decode()
    response = client.post(reverse("linkage:case-close", args=[case.pk]), {"outcome": "later"})
    assert response.status_code == 404


def test_the_supervisor_sees_her_team_cases_with_the_breach_countdown(client, world, case, time_machine):
    time_machine.move_to(case.resolution_due_at - datetime.timedelta(minutes=30), tick=False)
    other = open_case_for(world.other_trainee)
    body = _login(client, world.supervisor).get(reverse("linkage:cases") + "?scope=team").content.decode()
    assert f'data-case="{case.pk}" data-breach="soon"' in body and "30 min left" in body
    assert f'data-case="{other.pk}"' not in body
    breached = _login(client, world.supervisor).get(reverse("linkage:cases") + "?scope=team&breach=breached")
    assert f'data-case="{case.pk}"' not in breached.content.decode()


def test_an_agent_has_no_team_view(client, world, case):
    assert _login(client, world.trainee).get(reverse("linkage:cases") + "?scope=team").status_code == 404


def test_hr_lands_on_every_team_case(client, world, case):
    body = _login(client, world.hr).get(reverse("linkage:cases")).content.decode()
    assert f'data-case="{case.pk}"' in body


@pytest.mark.parametrize(("who", "url"), [("trainee", "linkage:cases"), ("supervisor", "team")])
def test_the_lists_read_a_fixed_number_of_queries(client, world, now, who, url):
    person = getattr(world, who)
    _login(client, person)
    path = reverse("linkage:cases") + ("?scope=team" if url == "team" else "")
    open_case_for(world.trainee)
    with CaptureQueriesContext(connection) as few:
        assert client.get(path).status_code == 200
    for _ in range(30):
        open_case_for(world.trainee, category=case_category("complaint"))
    with CaptureQueriesContext(connection) as many:
        assert client.get(path).status_code == 200
    assert len(few) == len(many)


def test_only_the_owner_closes_from_the_page(client, world, case):
    _login(client, world.supervisor).post(reverse("linkage:case-close", args=[case.pk]), {"outcome": "later"})
    assert Case.objects.get(pk=case.pk).status == "open"
    page = client.get(reverse("linkage:case", args=[case.pk])).content.decode()
    assert 'id="close-form"' not in page
    _login(client, world.trainee).post(reverse("linkage:case-close", args=[case.pk]), {"outcome": "first_contact"})
    assert Case.objects.get(pk=case.pk).outcome == "first_contact"


def test_a_hand_off_without_a_reason_code_is_refused_on_the_page(client, world, case):
    role = LinkageRole.objects.get(code="floor-manager")
    response = _login(client, world.trainee).post(
        reverse("linkage:case-handoff", args=[case.pk]), {"to_role": role.pk, "reason_code": ""}, follow=True
    )
    assert not Handoff.objects.exists() and "Every transfer needs a reason code." in response.content.decode()
    client.post(reverse("linkage:case-handoff", args=[case.pk]), {"to_role": role.pk, "reason_code": "authority"})
    assert Handoff.objects.get().case.owner == world.trainee


def test_the_staffing_floor_on_the_page(client, world, case):
    LinkageRole.objects.get(code="front-line-agent").positions.add(world.trainee.position)
    SiteStaffing.objects.create(site=world.team.department.site, min_on_phones=1)
    follow_up = services.add_follow_up(actor=world.trainee.user, case_id=case.pk, due_at=NOW)
    url = reverse("linkage:follow-up-start", args=[follow_up.pk])
    refused = _login(client, world.trainee).post(url, {"reason": ""}, follow=True)
    assert "coordination report" in refused.content.decode() and not CoordinationReport.objects.exists()
    client.post(url, {"reason": "Promised by 10:00."})
    assert CoordinationReport.objects.get().follow_up == follow_up


def test_the_coupon_link_only_when_the_coupon_page_exists(client, world, case):
    try:
        reverse("linkage:coupon-new", args=[case.pk])
        exists = True
    except NoReverseMatch:
        exists = False
    page = _login(client, world.trainee).get(reverse("linkage:case", args=[case.pk])).content.decode()
    assert ('id="issue-coupon"' in page) is exists
    assert (
        'id="issue-coupon"'
        not in _login(client, world.supervisor).get(reverse("linkage:case", args=[case.pk])).content.decode()
    )


def test_the_case_page_in_chinese(client, world, case):
    _login(client, world.trainee)
    client.cookies["django_language"] = "zh-hans"
    response = client.get(reverse("linkage:case", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200 and "138****5678" in response.content.decode()


def test_today_names_the_team_cases_breached_or_about_to(client, world, case, time_machine):
    calm = open_case_for(world.trainee, category=case_category("product-enquiry"))  # due in 72 h
    time_machine.move_to(case.resolution_due_at - datetime.timedelta(minutes=20), tick=False)
    body = _login(client, world.supervisor).get(reverse("staff:today")).content.decode()
    assert f'data-key="linkage-case:{case.pk}"' in body and f'data-key="linkage-case:{calm.pk}"' not in body
    other = _login(client, world.other_supervisor).get(reverse("staff:today")).content.decode()
    assert f'data-key="linkage-case:{case.pk}"' not in other
