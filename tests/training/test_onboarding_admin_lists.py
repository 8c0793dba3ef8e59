"""HR's onboarding lists in the admin read at a glance: a failed gate is flagged on its row only, and the
batch list leaves the program to its filter. (The column widths are measured in tests/e2e/test_admin_pages.py.)"""

import re

import pytest
from django.urls import reverse

from tests.staff.factories import make_hr_user
from tests.training.test_onboarding_admin import make_batch, make_enrollment


@pytest.fixture
def hr_client(client, db):
    client.force_login(make_hr_user(username="hr"))
    return client


def rows_of(client, url, language="en"):
    client.cookies["django_language"] = language
    html = client.get(url).content.decode()
    body = html.split('id="result_list"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"(?s)<tr\b.*?</tr>", body)


def test_a_failed_gate_is_flagged_on_its_own_row_and_no_other(hr_client):
    batch = make_batch()
    failed = make_enrollment(batch, state="extended", cycle=2, is_gate_failed=True)
    for _ in range(3):
        make_enrollment(batch, state="cycle_1", cycle=1)

    rows = rows_of(hr_client, reverse("admin:training_enrollment_changelist"))

    assert len(rows) == 4
    flagged = [row for row in rows if "flag-gate-failed" in row]
    assert len(flagged) == 1
    assert failed.trainee.name in flagged[0]
    # No row carries Django's red "no" icon: a gate that did not fail is not news.
    assert [row for row in rows if "icon-no" in row] == []
    assert "Gate failed" in flagged[0]


def test_the_flag_reads_in_chinese_too(hr_client):
    make_enrollment(make_batch(), state="extended", cycle=2, is_gate_failed=True)

    (row,) = rows_of(hr_client, reverse("admin:training_enrollment_changelist"), "zh-hans")

    assert "未通关" in row


def test_enrollments_can_still_be_sorted_and_filtered_by_a_failed_gate(hr_client):
    batch = make_batch()
    failed = make_enrollment(batch, state="extended", cycle=2, is_gate_failed=True)
    make_enrollment(batch, state="cycle_1", cycle=1)
    url = reverse("admin:training_enrollment_changelist")

    filtered = hr_client.get(url, {"is_gate_failed__exact": "1"})
    column = filtered.context["cl"].list_display.index("gate_failed")
    ordered = hr_client.get(url, {"o": f"-{column}"})

    assert list(filtered.context["cl"].result_list) == [failed]
    assert list(ordered.context["cl"].result_list)[0] == failed


def test_batch_list_shows_the_program_as_a_filter_not_a_column(hr_client):
    make_enrollment(make_batch())

    response = hr_client.get(reverse("admin:training_batch_changelist"))

    assert "program" not in response.context["cl"].list_display
    assert "program" in response.context["cl"].model_admin.list_filter  # shown once there are two programs
