"""`python -m bench login`: what one rejected log-in costs while its username + IP is locked out.

An attacker who has locked an account keeps posting passwords; each answer must stay cheap (issue 9: 5 ms
of CPU is the bar). The benchmark creates one user, locks it with AXES_FAILURE_LIMIT wrong passwords from
one IP, then posts the log-in form again and again from that IP as django.test.Client does (the whole
middleware stack, the form, axes and the lockout page). It reports the CPU time of the process per attempt
(time.process_time, so time waiting for the database server is not counted: the database's own work shows
in the query count), the queries of one attempt and whether the password hasher ran.

measure() is what tests/test_security_login.py runs on the ordinary test database.
"""

import argparse
import dataclasses
import os
import statistics
import sys
import time

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/staffdev_bench_login"
TARGET_CPU_MS = 5.0
USERNAME = "bench-locked"
IP = "203.0.113.7"


@dataclasses.dataclass
class Result:
    attempts: int
    cpu_ms_median: float  # CPU ms per attempt, median of the rounds
    cpu_ms_p90: float
    queries: list  # the SQL of one locked attempt
    status: int  # the HTTP status of a locked attempt
    hasher_calls: int  # password hashes computed during the timed attempts

    @property
    def ok(self):
        return self.cpu_ms_median <= TARGET_CPU_MS and self.hasher_calls == 0


def measure(attempts=200, rounds=10, username=USERNAME):
    """Lock ``username`` from IP and time ``attempts`` more posts of the log-in form, in ``rounds`` rounds."""
    from unittest import mock

    from axes.utils import reset
    from django.conf import settings
    from django.contrib.auth import get_user_model, hashers
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    user_model = get_user_model()
    user_model.objects.filter(username=username).delete()
    reset(username=username)
    user_model.objects.create_user(username=username, password="the-right-password-2026")
    client = Client(REMOTE_ADDR=IP)
    url = reverse("login")
    form = {"username": username, "password": "a-wrong-password"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, form)
    for _ in range(3):  # warm-up: templates, translations, connection
        client.post(url, form)
    with CaptureQueriesContext(connection) as captured:
        status = client.post(url, form).status_code
    queries = [query["sql"] for query in captured.captured_queries]  # before the next request resets the log
    per_round = max(1, attempts // rounds)
    samples = []
    # Every hash, checked or made, goes through one of these two (django.contrib.auth.hashers).
    with (
        mock.patch.object(hashers, "identify_hasher", wraps=hashers.identify_hasher) as identify,
        mock.patch.object(hashers, "get_hasher", wraps=hashers.get_hasher) as get,
    ):
        for _ in range(rounds):
            started = time.process_time()
            for _ in range(per_round):
                client.post(url, form)
            samples.append((time.process_time() - started) * 1000 / per_round)
    samples.sort()
    return Result(
        attempts=per_round * rounds,
        cpu_ms_median=statistics.median(samples),
        cpu_ms_p90=samples[min(len(samples) - 1, int(len(samples) * 0.9))],
        queries=queries,
        status=status,
        hasher_calls=identify.call_count + get.call_count,
    )


def report(result):
    lines = [
        f"Locked-out log-in attempts: {result.attempts}, HTTP {result.status}",
        f"CPU per attempt: median {result.cpu_ms_median:.2f} ms, p90 {result.cpu_ms_p90:.2f} ms "
        f"(target ≤ {TARGET_CPU_MS:g} ms)",
        f"Password hashes computed: {result.hasher_calls}",
        f"Queries per attempt: {len(result.queries)}",
    ]
    lines += [f"  {' '.join(sql.split())[:160]}" for sql in result.queries]
    lines.append("OK" if result.ok else "MISSED: " + ("hashing" if result.hasher_calls else "CPU target"))
    return "\n".join(lines)


def _create_database(database_url):
    import dj_database_url
    import psycopg2
    from psycopg2 import sql

    db = dj_database_url.parse(database_url)
    if "bench" not in db["NAME"]:
        raise SystemExit(f"Refusing to use {db['NAME']!r}: a benchmark database's name must contain 'bench'.")
    admin = psycopg2.connect(
        dbname="postgres", user=db["USER"], password=db["PASSWORD"], host=db["HOST"], port=db["PORT"] or 5432
    )
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
    finally:
        admin.close()


def main(argv):
    parser = argparse.ArgumentParser(prog="python -m bench login", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_LOGIN_DATABASE_URL") or DEFAULT_DATABASE_URL)
    parser.add_argument("--attempts", type=int, default=500)
    args = parser.parse_args(argv)
    if args.database_url.startswith("postgres"):
        _create_database(args.database_url)
    # As in production: DEBUG off (no query log), the settings' own axes handler and cache.
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-login-not-secret-" + "x" * 40)
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ["STATIC_MANIFEST"] = "0"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import logging

    import django

    django.setup()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # not a 429 warning per attempt
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    result = measure(args.attempts)
    print(report(result), flush=True)
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
