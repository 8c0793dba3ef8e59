"""The playbook library, a playbook's page, my linkage and the consultation forms (issue 12 §10): each persona
sees the versions that apply to her, finds them by a word in either language, and nothing else (404); the
library answers in a fixed number of queries whatever the number of playbooks."""

import pytest
from django.urls import reverse

from linkage.models import Comment
from tests.linkage.factories import (
    AcknowledgementFactory,
    CommentFactory,
    PlaybookFactory,
    PlaybookVersionFactory,
    StepFactory,
    version_in,
)

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def books(world):
    """Wealth (marketing, published, Chinese and English words), Angry (incident, Team A's pilot), Queue (Team
    B's pilot) and a consultation of a new Wealth version for all teams."""
    wealth = PlaybookFactory(code="wealth", kind="marketing", name_en="Wealth leads", name_zh="理财商机")
    world.wealth = version_in("published", playbook=wealth, keywords="fund deposit", topic_zh="理财产品营销")
    StepFactory(version=world.wealth, order=2, code="discover", name_en="Discover", name_zh="发掘")
    angry = PlaybookFactory(code="angry", kind="incident", name_en="Angry customer", name_zh="客户情绪激动")
    world.angry = version_in("pilot", playbook=angry, pilot_teams=[world.team])
    world.queue = version_in("pilot", playbook=PlaybookFactory(code="queue"), pilot_teams=[world.other_team])
    world.wealth_v2 = version_in("consultation", playbook=wealth, number=2, reason="Clearer hand-off.")
    return world


def get(client, user, name, *args, **params):
    client.force_login(user, backend=MODEL_BACKEND)
    return client.get(reverse(name, args=args), params)


def post(client, user, name, *args, **data):
    client.force_login(user, backend=MODEL_BACKEND)
    return client.post(reverse(name, args=args), data)


def listed(response):
    assert response.status_code == 200
    return {version.playbook.code for version in response.context["page"]} & {"wealth", "angry", "queue"}


# The library ----------------------------------------------------------------------------------------------


def test_an_agent_sees_the_published_playbooks_and_her_teams_pilot(client, books):
    assert listed(get(client, books.trainee.user, "linkage:library")) == {"wealth", "angry"}


def test_an_agent_of_another_team_sees_that_teams_pilot_not_ours(client, books):
    assert listed(get(client, books.other_trainee.user, "linkage:library")) == {"wealth", "queue"}


def test_the_library_finds_a_playbook_by_a_chinese_step_name(client, books):
    assert listed(get(client, books.trainee.user, "linkage:library", q="发掘")) == {"wealth"}


def test_the_library_finds_a_playbook_by_an_english_keyword(client, books):
    assert listed(get(client, books.trainee.user, "linkage:library", q="deposit")) == {"wealth"}


def test_the_library_finds_a_playbook_by_its_chinese_name(client, books):
    assert listed(get(client, books.trainee.user, "linkage:library", q="情绪")) == {"angry"}


def test_the_library_filters_by_kind(client, books):
    assert listed(get(client, books.trainee.user, "linkage:library", kind="incident")) == {"angry"}


def test_the_library_is_not_for_a_user_without_an_employee_record(client, books, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password="x")
    assert get(client, nobody, "linkage:library").status_code == 404


def _more_playbooks(world, n):
    for _ in range(n):
        version = version_in("published", keywords="more")
        AcknowledgementFactory(version=version, employee=world.trainee)


def test_the_library_answers_in_a_fixed_number_of_queries(client, books, django_assert_max_num_queries):
    _more_playbooks(books, 3)
    client.force_login(books.trainee.user, backend=MODEL_BACKEND)
    client.get(reverse("linkage:library"))
    with django_assert_max_num_queries(12) as first:
        client.get(reverse("linkage:library"), {"q": "more"})
    _more_playbooks(books, 6)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(reverse("linkage:library"), {"q": "more"})
    assert len(response.context["page"]) == 9


# A playbook's page ----------------------------------------------------------------------------------------


def test_the_playbook_page_shows_the_steps_in_order_with_their_owner(client, books):
    response = get(client, books.trainee.user, "linkage:playbook", "wealth")
    steps = response.context["page"].steps
    assert [s.order for s in steps] == [1, 2]
    assert steps[1].owner.name in response.content.decode()


def test_an_agent_gets_404_for_another_teams_pilot(client, books):
    assert get(client, books.trainee.user, "linkage:playbook", "queue").status_code == 404


def test_an_agent_gets_404_for_a_draft(client, books):
    draft = PlaybookVersionFactory(playbook=PlaybookFactory(code="secret"))
    assert get(client, books.trainee.user, "linkage:playbook", draft.playbook.code).status_code == 404


def test_hr_opens_any_version_by_number(client, books):
    response = get(client, books.hr, "linkage:playbook", "wealth", version="2")
    assert response.context["version"] == books.wealth_v2


def test_hr_sees_the_published_version_by_default(client, books):
    assert get(client, books.hr, "linkage:playbook", "wealth").context["version"] == books.wealth


def test_the_supervisor_sees_who_in_her_team_has_not_acknowledged(client, books):
    AcknowledgementFactory(version=books.wealth, employee=books.mentor)
    pending = get(client, books.supervisor.user, "linkage:playbook", "wealth").context["page"].team_pending
    assert books.trainee in pending
    assert books.mentor not in pending
    assert books.other_trainee not in pending


# Acknowledging --------------------------------------------------------------------------------------------


def test_acknowledging_on_the_page_makes_one_row(client, books):
    for _ in range(2):
        response = post(client, books.trainee.user, "linkage:acknowledge", "wealth", 1)
        assert response.status_code == 302
    assert books.wealth.acknowledgements.filter(employee=books.trainee).count() == 1


def test_acknowledging_another_teams_pilot_answers_404(client, books):
    assert post(client, books.trainee.user, "linkage:acknowledge", "queue", 1).status_code == 404
    assert not books.queue.acknowledgements.exists()


def test_my_linkage_shows_what_i_have_read_and_what_is_due(client, books):
    AcknowledgementFactory(version=books.wealth, employee=books.trainee)
    response = get(client, books.trainee.user, "linkage:mine")
    states = {v.playbook.code: bool(v.acknowledged_at) for v in response.context["versions"]}
    assert states["wealth"] is True
    assert states["angry"] is False
    assert "queue" not in states


# Consultation ---------------------------------------------------------------------------------------------


def test_an_agent_comments_on_a_consultation_that_will_apply_to_her(client, books):
    post(client, books.trainee.user, "linkage:comment", "wealth", 2, body="Say the code phrase earlier.")
    assert Comment.objects.get(version=books.wealth_v2).author == books.trainee


def test_nobody_comments_on_a_published_version_through_the_page(client, books):
    response = post(client, books.trainee.user, "linkage:comment", "wealth", 1, body="Too late.")
    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_an_agent_cannot_comment_on_another_teams_pilot_consultation(client, books):
    theirs = version_in("consultation", playbook=books.queue.playbook, number=2, reason="r")
    theirs.pilot_teams.set([books.other_team])
    response = post(client, books.trainee.user, "linkage:comment", "queue", 2, body="Not mine.")
    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_hr_answers_a_comment(client, books):
    comment = CommentFactory(version=books.wealth_v2, author=books.trainee)
    post(client, books.hr, "linkage:comment-answer", comment.pk, answer="Done in step 2.")
    comment.refresh_from_db()
    assert comment.answer == "Done in step 2."


def test_a_supervisor_cannot_answer_a_comment(client, books):
    comment = CommentFactory(version=books.wealth_v2, author=books.trainee)
    response = post(client, books.supervisor.user, "linkage:comment-answer", comment.pk, answer="Mine.")
    assert response.status_code == 404
    comment.refresh_from_db()
    assert comment.answer == ""


def test_a_pilot_teams_agent_finds_the_pilot_in_place_of_the_published_version(client, books):
    pilot = version_in("pilot", playbook=books.wealth.playbook, number=3, reason="Try it.", pilot_teams=[books.team])
    page = get(client, books.trainee.user, "linkage:library", q="wealth").context["page"]
    assert [v for v in page if v.playbook.code == "wealth"] == [pilot]
    assert get(client, books.trainee.user, "linkage:playbook", "wealth").context["version"] == pilot


def test_another_teams_agent_keeps_the_published_version_during_our_pilot(client, books):
    version_in("pilot", playbook=books.wealth.playbook, number=3, reason="Try it.", pilot_teams=[books.team])
    assert get(client, books.other_trainee.user, "linkage:playbook", "wealth").context["version"] == books.wealth


def test_the_playbook_page_answers_in_a_fixed_number_of_queries(client, books, django_assert_max_num_queries):
    def grow(n, start):
        for order in range(start, start + n):
            StepFactory(version=books.wealth_v2, order=order)
            CommentFactory(version=books.wealth_v2, author=books.trainee)

    grow(2, 10)
    client.force_login(books.hr, backend=MODEL_BACKEND)
    url = reverse("linkage:playbook", args=["wealth"])
    client.get(url, {"version": "2"})
    with django_assert_max_num_queries(20) as first:
        client.get(url, {"version": "2"})
    grow(4, 20)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(url, {"version": "2"})
    assert len(response.context["page"].steps) == 7
