"""Settings for the test suite: production settings with a throwaway key and fast hashing."""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-never-used-in-production")
os.environ.setdefault("AUDIT_KEY", "tests-only-audit-key-never-used-in-production")

from sinergi.settings import *  # noqa: E402, F403
from sinergi.settings import PASSWORD_HASHERS  # noqa: E402

# Argon2 stays available (tests check it is the production default) but is not used for the
# personas' passwords: it costs ~50 ms a hash on purpose.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
# Uploads (evidence photos) go to a directory of this run, removed at exit, never to var/media.
MEDIA_ROOT = tempfile.mkdtemp(prefix="sinergi-test-media-")
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": MEDIA_ROOT}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# WhiteNoise warns at start-up when STATIC_ROOT is missing; the tests serve static files through
# the finders and never run collectstatic.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

# The live server of the browser tests serves static files through WhiteNoise from the finders,
# as development does.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The distribution plan's solver: fewer iterations keep the suite quick; plans stay valid (the
# rules are constraints, not goals), only less short.
ROUTING_ITERATIONS = 400
# Seal every report into the audit trail at once, so tests see its event (one test sets it higher).
AUDIT_SEAL_INTERVAL = 0

# Background tasks (SMS sending) run inside `enqueue`, so a test sees their effect at once; the
# thread backend of production has its own test (tests/core/test_tasks.py).
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
