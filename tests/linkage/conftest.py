"""Fixtures shared by the linkage admin tests: HR signed in, the shipped published marketing version, and a
draft of its next version."""

import pytest

from linkage.models import PlaybookVersion
from linkage.services import playbooks as services
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
