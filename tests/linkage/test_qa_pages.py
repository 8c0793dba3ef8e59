"""QA pages (issue 13 §4, §6): QA staff work the queue at a fixed query count and record a verdict on the review
page (masked customer, standard, limit); the agent disputes on the findings page, her supervisor decides; others
get 404."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from linkage.models import Finding, FindingStatus, LinkageRole, QAReview, QASample
from tests.linkage.factories import authority_case, grant
from tests.staff.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


@pytest.fixture
def qa_user():
    person = EmployeeFactory(name="QA Ann", team=None, stage="management")
    LinkageRole.objects.get(code="qa").positions.add(person.position)
    return person.user


def samples(world, n):
    today = timezone.localdate()
    week = today - datetime.timedelta(days=today.weekday())
    return [
        QASample.objects.create(week=week, agent=world.trainee, case=authority_case(world.trainee), reason="base")
        for _ in range(n)
    ]


def test_the_queue_is_for_qa_staff_at_a_fixed_query_count(client, world, qa_user):
    grant(world.trainee, "g1")
    samples(world, 2)
    login(client, qa_user)
    url = reverse("linkage:qa-queue")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    samples(world, 30)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many) == len(few)
    assert response.content.decode().count("data-sample=") == 32
    login(client, world.supervisor.user)
    assert client.get(url).status_code == 404


def test_the_review_page_shows_the_masked_customer_and_records_a_finding(client, world, qa_user):
    grant(world.trainee, "g1")
    (sample,) = samples(world, 1)
    login(client, qa_user)
    url = reverse("linkage:qa-review", args=[sample.pk])
    page = client.get(url).content.decode()
    assert "138****5678" in page
    response = client.post(
        url, {"result": "finding", "kind": "no_evidence", "severity": "minor", "evidence": "No note in the case."}
    )
    assert response.status_code == 302
    assert QAReview.objects.get().reviewer == qa_user and Finding.objects.get().agent == world.trainee
    login(client, world.trainee.user)
    assert client.get(url).status_code == 404


def test_the_agent_disputes_and_the_supervisor_decides_on_the_findings_page(client, world, qa_user):
    from linkage.services.qa import review

    grant(world.trainee, "g2")
    (sample,) = samples(world, 1)
    review(actor=qa_user, sample_id=sample.pk, result="finding", kind="other", severity="minor", evidence="x")
    finding = Finding.objects.get()
    login(client, world.other_trainee.user)
    assert f'data-finding="{finding.pk}"' not in client.get(reverse("linkage:findings")).content.decode()
    assert client.post(reverse("linkage:finding-dispute", args=[finding.pk]), {"text": "no"}).status_code == 404
    login(client, world.trainee.user)
    assert f'data-finding="{finding.pk}"' in client.get(reverse("linkage:findings")).content.decode()
    client.post(reverse("linkage:finding-dispute", args=[finding.pk]), {"text": "It followed the standard."})
    finding.refresh_from_db()
    assert finding.status == FindingStatus.DISPUTED
    client.post(reverse("linkage:finding-decide", args=[finding.pk]), {"confirm": "1"})
    finding.refresh_from_db()
    assert finding.status == FindingStatus.DISPUTED  # she cannot decide her own
    login(client, world.supervisor.user)
    client.post(reverse("linkage:finding-decide", args=[finding.pk]), {"confirm": "1", "lower_grade": "on"})
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CONFIRMED and finding.lowered_to.grade.code == "g1"
