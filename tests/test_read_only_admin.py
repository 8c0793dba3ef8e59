"""Rows that services write are read-only in the admin, through one mixin (staff.admin.ReadOnlyAdminMixin)."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from staff.admin import ReadOnlyAdminMixin
from training.admin.kash import ScoreInline
from training.admin.onboarding import ActivityInline, EnrollmentEventInline

READ_ONLY = [
    "staff.Heartbeat",
    "notifications.Notification",
    "training.Assessment",
    "training.Activity",
    "training.CoachingSession",
    "training.GateCheck",
]


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.com", "pw")


@pytest.mark.parametrize("label", READ_ONLY)
def test_even_a_superuser_may_only_look(superuser, label):
    model_admin = admin.site._registry[apps.get_model(label)]
    request = RequestFactory().get("/")
    request.user = superuser
    assert isinstance(model_admin, ReadOnlyAdminMixin)
    assert model_admin.has_view_permission(request)
    allowed = (
        model_admin.has_add_permission(request),
        model_admin.has_change_permission(request),
        model_admin.has_delete_permission(request),
    )
    assert allowed == (False, False, False)


@pytest.mark.parametrize("label", READ_ONLY)
def test_the_add_page_is_refused(client, superuser, label):
    model = apps.get_model(label)
    client.force_login(superuser, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    assert client.get(url).status_code == 403


def test_read_only_inlines_use_the_same_mixin():
    assert all(
        issubclass(inline, ReadOnlyAdminMixin) for inline in (ScoreInline, ActivityInline, EnrollmentEventInline)
    )
