"""PostgreSQL refuses TRUNCATE of the audit trail (workflows_transitionlog): a statement-level trigger raises.

TRUNCATE fires no row trigger, so the append-only and deletion rules would not see it. A
superuser is let through: one can switch any trigger off anyway (session_replication_role), and
the test suite, run as one, empties every table with TRUNCATE between transactional tests.
The application's own database role is neither a superuser nor the owner (docs/deployment.md,
"The database roles"), so it can neither truncate nor drop this trigger. SQLite has no TRUNCATE.
"""

from django.db import migrations

TABLE = "workflows_transitionlog"

POSTGRESQL_UP = f"""
CREATE OR REPLACE FUNCTION {TABLE}_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('is_superuser') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the audit trail ({TABLE}) cannot be truncated';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS {TABLE}_refuse_truncate ON {TABLE};
CREATE TRIGGER {TABLE}_refuse_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_refuse_truncate();
"""
POSTGRESQL_DOWN = f"""
DROP TRIGGER IF EXISTS {TABLE}_refuse_truncate ON {TABLE};
DROP FUNCTION IF EXISTS {TABLE}_refuse_truncate();
"""


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("workflows", "0003_inventory_process")]

    operations = [migrations.RunPython(_run(POSTGRESQL_UP), _run(POSTGRESQL_DOWN))]
