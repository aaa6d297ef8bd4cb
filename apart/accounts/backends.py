"""The authentication backend: Django's ModelBackend, whose read of an open session's account is
one prepared statement.

Every request of an open session loads its account (AuthenticationMiddleware): the row is the
truth about the account's password (the session's hash), ``is_active`` and ``frozen_at``
(AccountStateMiddleware), so it is read from the database each time, never cached, and a change
made by any means (a service, an agent, a queryset update) is seen by the very next request.
What is saved is Django's query building: the statement is written once per process from the
model's fields and planned once per connection, and as the first statement of a request it is
also the persistent connection's health check (apart.core.prepared: no ``SELECT 1`` round trip
before it). Other databases than PostgreSQL go through the ORM as before.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connection

from apart.accounts.models import Account
from apart.core.prepared import fetch_prepared

_FIELD_NAMES = [f.attname for f in Account._meta.concrete_fields]  # the row's order


@cache
def _account_sql() -> str:
    meta = Account._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(field.column)) for field in meta.concrete_fields)
    pk = quote(str(meta.pk.column))  # type: ignore[union-attr]
    table = quote(meta.db_table)
    # Identifiers from the model's own metadata; the key is a parameter.
    return f"SELECT {columns} FROM {table} WHERE {pk} = %s"  # noqa: S608


class AccountBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Account | None:  # type: ignore[override]
        try:
            pk = Account._meta.pk.to_python(user_id)  # type: ignore[union-attr]
        except ValidationError:
            return None  # the session holds our own value: never expected
        if connection.vendor != "postgresql":
            return super().get_user(pk)  # type: ignore[no-any-return]
        rows = fetch_prepared(_account_sql(), [pk])
        if not rows:
            return None
        account = Account.from_db(connection.alias, _FIELD_NAMES, rows[0])
        return account if self.user_can_authenticate(account) else None
