"""The database itself refuses to change audit entries (the hash chain detects it if someone
with the rights to disable this does). PostgreSQL refuses UPDATE and DELETE of rows; SQLite
refuses UPDATE (a test database is emptied with DELETE there; PostgreSQL uses TRUNCATE)."""

from django.db import migrations

TABLE = "workflows_transitionlog"

POSTGRESQL_UP = f"""
CREATE OR REPLACE FUNCTION {TABLE}_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail ({TABLE}) is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only();
"""
POSTGRESQL_DOWN = f"""
DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};
DROP FUNCTION IF EXISTS {TABLE}_append_only();
"""
SQLITE_UP = f"""
CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE ON {TABLE}
BEGIN
    SELECT RAISE(ABORT, 'the audit trail ({TABLE}) is append-only');
END;
"""
SQLITE_DOWN = f"DROP TRIGGER IF EXISTS {TABLE}_append_only;"


def _run(statements):
    def run(apps, schema_editor):
        sql = statements.get(schema_editor.connection.vendor)
        if sql:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("workflows", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL_UP, "sqlite": SQLITE_UP}),
            _run({"postgresql": POSTGRESQL_DOWN, "sqlite": SQLITE_DOWN}),
        )
    ]
