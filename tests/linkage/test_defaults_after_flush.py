"""The shipped playbooks are there again after a flush (a transactional test empties every table)."""

import pytest
from django.core.management import call_command

from linkage.models import Playbook, PlaybookVersion


@pytest.mark.django_db(transaction=True)
def test_a_flush_brings_the_shipped_playbooks_back():
    call_command("flush", interactive=False, verbosity=0)

    assert Playbook.objects.count() == 2
    assert PlaybookVersion.objects.filter(status="published").count() == 2
