"""Test override: strict templates, a known captcha answer, fast but real hashing."""

import os

os.environ.setdefault("APART_ENV", "test")
os.environ.setdefault("APART_CAPTCHA_TEST_ANSWER", "PASSED-TEST")

from config.settings import *  # noqa: F403
from config.settings import TEMPLATES


class InvalidTemplateVariable(str):
    """Unknown template variables fail the test instead of rendering as empty."""

    def __mod__(self, other: object) -> str:
        raise NameError(f"Unknown template variable: {other!r}")


TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = InvalidTemplateVariable("%s")  # type: ignore[index]
DEBUG = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
APART_DEMO_MAILBOX = False
# The decoy pool is read from the database on every use: a cached pool would outlive the test
# (and its rolled-back accounts) that computed it.
APART_RECOVERY_DECOY_POOL_SECONDS = 0
# Tests change settings that the page frame shows: no frame kept from one test to the next
# (tests/core/test_frame_fragments.py keeps them, as in production).
APART_KEEP_FRAMES = False
# Tests keep one SQLite connection per request, as before persistent connections on SQLite.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
