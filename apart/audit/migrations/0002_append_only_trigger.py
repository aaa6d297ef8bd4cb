"""Append-only enforced by PostgreSQL: a trigger refuses UPDATE and DELETE of audit rows.

Two updates pass, nothing else:
- the RGPD purge (apart.privacy), inside its transaction, after ``SET LOCAL apart.audit_purge``:
  it may blank the personal fields (values, address, user agent), never the rest of the row;
- the removal of an account, which Django does by setting the row's link to it to NULL
  (``on_delete=SET_NULL``): the row stays, unchanged otherwise.

SQLite (development, tests) has no such trigger: the model and its queryset refuse edits there.
"""

from django.db import migrations

FUNCTION = "audit_auditevent_append_only"

CREATE = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND NEW.id = OLD.id
        AND NEW.created_at = OLD.created_at
        AND NEW.action = OLD.action
        AND NEW.outcome = OLD.outcome
        AND NEW.object_type = OLD.object_type
        AND NEW.object_id = OLD.object_id
        AND NEW.reason = OLD.reason
    THEN
        IF current_setting('apart.audit_purge', true) = 'on'
            AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
            AND NEW.account_id IS NOT DISTINCT FROM OLD.account_id
        THEN
            RETURN NEW;  -- the purge blanks personal fields
        END IF;
        IF (NEW.actor_id IS NULL OR NEW.actor_id = OLD.actor_id)
            AND (NEW.account_id IS NULL OR NEW.account_id = OLD.account_id)
            AND NEW.old_values = OLD.old_values
            AND NEW.new_values = OLD.new_values
            AND NEW.ip_address IS NOT DISTINCT FROM OLD.ip_address
            AND NEW.user_agent = OLD.user_agent
        THEN
            RETURN NEW;  -- an account removed: only the link to it goes
        END IF;
    END IF;
    RAISE EXCEPTION 'audit rows are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
DROP TRIGGER IF EXISTS {FUNCTION} ON audit_auditevent;
CREATE TRIGGER {FUNCTION} BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION {FUNCTION}();
"""

DROP = f"""
DROP TRIGGER IF EXISTS {FUNCTION} ON audit_auditevent;
DROP FUNCTION IF EXISTS {FUNCTION}();
"""


def _on_postgresql(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, None)  # no parameters: the % of RAISE stays as is

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
