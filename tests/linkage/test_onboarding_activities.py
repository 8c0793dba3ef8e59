"""Published playbooks are onboarding activities of cycle 3 (issue 12 §5: linkage is part of 4C communication):
trainees in cycle 3 get one at publication, trainees entering it later get it then, acknowledging marks it
done, and a playbook with no published version is no longer given."""

import datetime

import pytest
from django.utils import timezone

from linkage.services import onboarding
from linkage.services import playbooks as services
from linkage.services.acknowledgements import acknowledge
from tests.training.onboarding_factories import (
    PRE_JOB_DAYS,
    enrollment_of,
    make_program,
    make_trainee,
    open_batch,
    walk_to,
)
from training import cycles
from training.models import Activity, ActivityTemplate

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiny(db):
    return make_program()


@pytest.fixture
def batch(tiny, world):
    start_on = timezone.localdate() - datetime.timedelta(days=PRE_JOB_DAYS)
    return open_batch(tiny, hr=world.hr, supervisor=world.supervisor, trainees=[world.trainee], start_on=start_on)


def publish_next(hr, published):
    draft = services.start_version(
        actor=hr, playbook=published.playbook, from_version=published, reason="A clearer hand-off signal."
    )
    services.open_consultation(actor=hr, version=draft, days=7)
    services.publish(actor=hr, version=draft)
    draft.refresh_from_db()
    return draft


def playbook_activities(enrollment, published):
    return Activity.objects.filter(enrollment=enrollment, template__key=onboarding.activity_key(published.playbook))


def test_a_trainee_in_cycle_3_gets_the_published_playbook_once(world, batch, hr, published):
    enrollment = walk_to(enrollment_of(batch, world.trainee), "cycle_3", actor=world.hr)
    assert not playbook_activities(enrollment, published).exists()

    v2 = publish_next(hr, published)
    publish_next(hr, v2)  # a third version: still one activity, kept under the playbook

    (activity,) = playbook_activities(enrollment, published)
    assert activity.cycle == 3 and not activity.is_done
    assert activity.template.link == f"/linkage/playbooks/{published.playbook.code}/"
    assert published.playbook.name_en in activity.template.title_en
    assert published.playbook.name_zh in activity.template.title_zh
    assert activity.template.title_en != activity.template.title_zh


def test_a_trainee_entering_cycle_3_later_gets_it_and_acknowledging_marks_it_done(world, batch, hr, published):
    v2 = publish_next(hr, published)
    enrollment = walk_to(enrollment_of(batch, world.trainee), "cycle_3", actor=world.hr)
    (activity,) = playbook_activities(enrollment, published)

    acknowledge(user=world.trainee.user, version=v2)
    acknowledge(user=world.trainee.user, version=v2)  # a double click changes nothing

    activity.refresh_from_db()
    assert activity.is_done and activity.done_by == world.trainee.user
    assert "2" in activity.note


def test_a_playbook_without_a_published_version_is_no_longer_given(world, batch, hr, published, tiny):
    v2 = publish_next(hr, published)
    in_cycle_3 = walk_to(enrollment_of(batch, world.trainee), "cycle_3", actor=world.hr)
    services.retire(actor=hr, version=v2, reason="Replaced by the branch network's own process.")

    template = ActivityTemplate.objects.get(cycle__program=tiny.program, key=onboarding.activity_key(v2.playbook))
    assert not template.is_active
    assert playbook_activities(in_cycle_3, published).count() == 1  # what she was given stays

    later = make_trainee(world.team)
    second = open_batch(
        tiny,
        hr=world.hr,
        supervisor=world.supervisor,
        trainees=[later],
        start_on=timezone.localdate() - datetime.timedelta(days=PRE_JOB_DAYS),
        code="batch-2",
    )
    newcomer = walk_to(enrollment_of(second, later), "cycle_3", actor=world.hr)
    assert newcomer.state == cycles.cycle_state(3)
    assert not playbook_activities(newcomer, published).exists()
