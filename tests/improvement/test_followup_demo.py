"""The demo's follow-up (issue 14 §4, §6): the demo supervisor's agents have in-flight corrections (one past its
target date, one done), after-action reviews with one repeat, and today's risk flags raised by the daily check
(the demo has an overdue task stage); the supervisor's follow-up list shows them."""

from django.urls import reverse

from improvement.models import RiskFlag
from staff.demo.plan import ROLE_SUPERVISOR
from training.models import CoachingSession


def test_corrections_reviews_and_flags(demo_world, db):
    sessions = CoachingSession.objects.filter(idempotency_key__startswith="demo-followup")
    assert sessions.count() == 7
    assert sessions.filter(phase="after", is_repeat=True).count() == 1
    assert sessions.filter(phase="during", corrected_at__isnull=False).count() == 1
    assert RiskFlag.objects.filter(kind="tasks_overdue", cleared_on__isnull=True).exists()


def test_the_supervisor_sees_her_people_flagged_first(demo_world, db, client):
    sessions = CoachingSession.objects.filter(idempotency_key__startswith="demo-followup")
    client.force_login(sessions.first().coach)
    assert sessions.first().coach.username == ROLE_SUPERVISOR
    page = client.get(reverse("improvement:followup"))
    first, flags = page.context["rows"][0]
    assert flags and first.open_flags >= 1
    person = client.get(reverse("improvement:followup-person", args=[first.pk]))
    assert person.status_code == 200
