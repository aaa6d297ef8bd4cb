"""SESSION_ENGINE with Redis: Django's cached_db sessions (cache first, database behind), one
write per login."""

from django.contrib.sessions.backends import cached_db

from apart.accounts.session_engines import CreateOnSaveMixin


class SessionStore(CreateOnSaveMixin, cached_db.SessionStore):
    pass
