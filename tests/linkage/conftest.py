"""Fixtures shared by the linkage tests: HR signed in, the shipped published marketing version, a draft of its
next version, and a drill kit (a version with two scored steps and a guidance step; the trainee's position holds
the agent role, the mentor's the specialist role)."""

import pytest

from linkage.models import PlaybookVersion
from linkage.services import playbooks as services
from tests.linkage.factories import drill_version
from tests.staff.factories import make_hr_user


@pytest.fixture
def hr(client):
    user = make_hr_user()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return user


@pytest.fixture
def published():
    return PlaybookVersion.objects.get(playbook__code="customer-marketing", status="published")


@pytest.fixture
def draft(hr, published):
    return services.start_version(
        actor=hr, playbook=published.playbook, from_version=published, reason="The specialist needs a clearer signal."
    )


@pytest.fixture
def kit(world):
    kit = drill_version()
    kit.agent.positions.add(world.trainee.position)
    kit.specialist.positions.add(world.mentor.position)
    return kit
