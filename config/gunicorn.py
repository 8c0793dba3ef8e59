"""gunicorn's settings for production: `.venv/bin/gunicorn -c config/gunicorn.py config.wsgi` (Procfile.prod).

Read from the environment like the Django settings (but not from .env, which only Django reads):
HOST, PORT            where to listen (default 127.0.0.1:8000; behind a reverse proxy keep 127.0.0.1)
WEB_CONCURRENCY       worker processes (default 3); each holds at most GUNICORN_THREADS database connections,
GUNICORN_THREADS      threads per worker (default 1: sync workers)
GUNICORN_TIMEOUT      seconds before a silent worker is killed and restarted (default 30)
GUNICORN_MAX_REQUESTS a worker is replaced after this many requests, so memory a big page took comes back
                      (default 1000, with jitter; 0 = never)
FORWARDED_ALLOW_IPS   gunicorn's own: the proxies whose X-Forwarded-Proto it believes (default 127.0.0.1)

PostgreSQL connections: web processes × threads (+ the Celery worker's and beat's) must stay below the
server's max_connections, with DB_CONN_MAX_AGE > 0 or not (README, "Running on PostgreSQL and Redis").
"""

import os


def _int(name, default):
    value = os.environ.get(name) or default
    try:
        return int(value)
    except ValueError as exc:
        raise SystemExit(f"{name} must be an integer, got {value!r}") from exc


bind = f"{os.environ.get('HOST') or '127.0.0.1'}:{_int('PORT', 8000)}"
workers = _int("WEB_CONCURRENCY", 3)
threads = _int("GUNICORN_THREADS", 1)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = 30
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = max_requests // 10
accesslog = "-"  # one line a request on standard output, as Celery logs there too
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
wsgi_app = "config.wsgi"
