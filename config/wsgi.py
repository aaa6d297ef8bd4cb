"""WSGI entry point (gunicorn). It never runs the development profile by accident: a server
started without APART_ENV would otherwise serve DEBUG pages and the public demo mailbox."""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application


def _refuse_implicit_development() -> None:
    if not os.environ.get("APART_ENV", "").strip():
        raise ImproperlyConfigured(
            "APART_ENV is not set: set APART_ENV=production (or APART_ENV=development explicitly)"
        )


_refuse_implicit_development()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
