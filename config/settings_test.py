"""Test overrides: fast hashing, eager Celery, an in-memory cache. DATABASE_URL still selects PostgreSQL."""

import os
import tempfile

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = "cache+memory://"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
AXES_FAILURE_LIMIT = 5
LANGUAGE_CODE = "en"
AXES_VERBOSE = False
# Uploads waiting between an import's preview and its confirm: a folder of this test process, not var/.
IMPORT_TMP_DIR = tempfile.mkdtemp(prefix="staffdev-test-imports-")
