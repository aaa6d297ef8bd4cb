"""SESSION_ENGINE without Redis: Django's database sessions, one write per login."""

from django.contrib.sessions.backends import db

from apart.accounts.session_engines import CreateOnSaveMixin


class SessionStore(CreateOnSaveMixin, db.SessionStore):
    pass
