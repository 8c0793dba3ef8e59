"""Log-in protection (django-axes; config.auth): the client's IP behind a reverse proxy, and what a refused
attempt costs while locked out."""

import contextlib
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import hashers
from django.urls import reverse

from bench import login as bench_login

PASSWORD = "the-right-password-2026"
PROXY = "10.0.0.5"


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user(username="agent7", password=PASSWORD)


@pytest.fixture
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def post(client, username="agent7", password="wrong", *, forwarded=None, remote=PROXY, url=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(url or reverse("login"), {"username": username, "password": password}, **headers)


@contextlib.contextmanager
def count_hashers():
    """Counts the password hashes checked or made: each goes through identify_hasher or get_hasher."""
    with (
        mock.patch.object(hashers, "identify_hasher", wraps=hashers.identify_hasher) as identify,
        mock.patch.object(hashers, "get_hasher", wraps=hashers.get_hasher) as get,
    ):
        yield lambda: identify.call_count + get.call_count


def lock(client, settings, **kwargs):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post(client, **kwargs)


# Behind a reverse proxy ------------------------------------------------------------------------------


def test_without_the_proxy_setting_x_forwarded_for_is_not_trusted(client, user, settings, fast_hasher):
    assert settings.CLIENT_IP_PROXY_COUNT == 0  # the default
    lock(client, settings, forwarded="198.51.100.1")

    # Another X-Forwarded-For from the same address is the same client: inventing the header escapes nothing.
    response = post(client, forwarded="198.51.100.99", password=PASSWORD)

    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {PROXY}


def test_behind_one_proxy_two_clients_are_locked_out_separately(client, user, settings, fast_hasher):
    settings.CLIENT_IP_PROXY_COUNT = 1
    lock(client, settings, forwarded="198.51.100.1")

    locked = post(client, forwarded="198.51.100.1", password=PASSWORD)
    # The first client sends its own X-Forwarded-For; the proxy appends the address it saw: still locked.
    spoofed = post(client, forwarded="203.0.113.50, 198.51.100.1", password=PASSWORD)
    other_client = post(client, forwarded="198.51.100.2", password=PASSWORD)

    assert locked.status_code == 429
    assert spoofed.status_code == 429
    assert other_client.status_code == 302  # logged in
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.1"}


def test_behind_two_proxies_the_second_address_from_the_right_is_the_client(rf, settings):
    from config.auth import client_ip

    settings.CLIENT_IP_PROXY_COUNT = 2
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7, 10.0.0.9")
    short = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    garbage = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="not-an-ip, 10.0.0.9")

    assert client_ip(request) == "198.51.100.7"
    assert client_ip(short) == PROXY
    assert client_ip(garbage) == PROXY


def test_x_forwarded_for_is_read_only_from_a_trusted_proxy_when_they_are_listed(rf, settings):
    from config.auth import client_ip

    settings.CLIENT_IP_PROXY_COUNT = 1
    settings.CLIENT_IP_TRUSTED_PROXIES = ["10.0.0.0/24"]

    from_proxy = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.1")
    direct = rf.get("/", REMOTE_ADDR="192.0.2.80", HTTP_X_FORWARDED_FOR="198.51.100.1")

    assert client_ip(from_proxy) == "198.51.100.1"
    assert client_ip(direct) == "192.0.2.80"


# A refused attempt while locked out ----------------------------------------------------------------


@pytest.mark.parametrize("others", [0, 40])
def test_a_locked_attempt_checks_no_password_and_runs_one_query(
    client, user, settings, fast_hasher, django_assert_num_queries, others
):
    # Other people's failed attempts (none, or many) do not change what a locked attempt costs.
    AccessAttempt.objects.bulk_create(
        AccessAttempt(username=f"other{i}", ip_address="192.0.2.1", user_agent="", failures_since_start=2)
        for i in range(others)
    )
    lock(client, settings)
    before = AccessAttempt.objects.get(username="agent7")

    with count_hashers() as calls, django_assert_num_queries(1):
        response = post(client, password=PASSWORD)

    assert response.status_code == 429
    assert "registration/locked_out.html" in [template.name for template in response.templates]
    assert calls() == 0
    after = AccessAttempt.objects.get(username="agent7")
    assert (after.failures_since_start, after.attempt_time) == (before.failures_since_start, before.attempt_time)


def test_the_username_is_normalised_as_the_form_does_before_the_lockout_check(client, user, settings, fast_hasher):
    lock(client, settings)

    response = post(client, username=" agent7 ", password=PASSWORD)

    assert response.status_code == 429


def test_the_admin_login_refuses_a_lockout_before_the_password_hasher(client, user, settings, fast_hasher):
    lock(client, settings)

    with count_hashers() as calls:
        response = post(client, password=PASSWORD, url=reverse("admin:login"))

    assert response.status_code == 429
    assert calls() == 0


def test_a_client_that_is_not_locked_out_logs_in_as_before(client, user, settings, fast_hasher):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        post(client)

    with count_hashers() as calls:
        response = post(client, password=PASSWORD)

    assert response.status_code == 302
    assert calls() >= 1  # the counter sees the password being checked when it is
    assert not AccessAttempt.objects.filter(username="agent7").exists()  # AXES_RESET_ON_SUCCESS


def test_the_login_benchmark_measures_a_locked_attempt(db, fast_hasher):
    result = bench_login.measure(attempts=20, rounds=2)

    assert result.status == 429
    assert result.hasher_calls == 0
    assert len(result.queries) == 1
    assert result.cpu_ms_median > 0
    assert "Queries per attempt: 1" in bench_login.report(result)
