from django.test import Client
from django.urls import reverse

from tests.staff.factories import PASSWORD, UserFactory

LIMIT = 5


def attempt(username, password, ip):
    return Client(REMOTE_ADDR=ip).post(reverse("login"), {"username": username, "password": password})


def lock_out(username, ip):
    for _ in range(LIMIT):
        attempt(username, "wrong", ip)


def test_repeated_failures_lock_the_username_from_that_ip(db):
    UserFactory(username="agent1")
    lock_out("agent1", "10.0.0.7")
    response = attempt("agent1", PASSWORD, "10.0.0.7")
    assert response.status_code == 429
    assert "_auth_user_id" not in response.client.session


def test_other_users_on_the_same_floor_ip_can_still_log_in(db):
    UserFactory(username="agent1")
    UserFactory(username="agent2")
    lock_out("agent1", "10.0.0.7")
    response = attempt("agent2", PASSWORD, "10.0.0.7")
    assert response.status_code == 302


def test_the_same_username_from_another_ip_is_not_locked(db):
    UserFactory(username="agent1")
    lock_out("agent1", "10.0.0.7")
    assert attempt("agent1", PASSWORD, "10.0.0.8").status_code == 302


def test_lockout_is_checked_before_the_password_hash(db, monkeypatch):
    UserFactory(username="agent1")
    lock_out("agent1", "10.0.0.7")
    calls = []
    from django.contrib.auth.hashers import MD5PasswordHasher

    original = MD5PasswordHasher.verify
    monkeypatch.setattr(MD5PasswordHasher, "verify", lambda self, *a: calls.append(1) or original(self, *a))
    attempt("agent1", PASSWORD, "10.0.0.7")
    assert calls == []


def test_fewer_failures_than_the_limit_do_not_lock(db):
    UserFactory(username="agent1")
    for _ in range(LIMIT - 1):
        attempt("agent1", "wrong", "10.0.0.7")
    assert attempt("agent1", PASSWORD, "10.0.0.7").status_code == 302
