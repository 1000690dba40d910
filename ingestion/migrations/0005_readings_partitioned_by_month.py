# The readings table partitioned by month on PostgreSQL (docs/meter-readings.md, "Scale").
#
# `PARTITION BY RANGE (ts)`: the primary key (meter_id, ts) already includes the partition key,
# so ON CONFLICT (meter_id, ts) and COPY keep working unchanged. No table references the readings
# (their key is composite), and the readings have no database-level foreign key themselves.
# Partitions: one per UTC month that holds rows, and the months from 12 before to 3 after the
# month of the migration; a DEFAULT partition takes the rest. `manage.py readings_partitions`
# adds months later. The model state does not change; SQLite keeps the plain table.
# This file is frozen: it does not import the app's partition code, which may change.

import datetime

from django.db import migrations

TABLE = "ingestion_reading"
OLD = "ingestion_reading_unpartitioned"


def _month(index):
    return datetime.date(index // 12, index % 12 + 1, 1)


def _grants(cursor, source, target):
    """Give `target` the privileges others have on `source` (the owner keeps its own)."""
    cursor.execute(
        "SELECT a.privilege_type, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END "
        "FROM pg_class c, aclexplode(c.relacl) a WHERE c.oid = %s::regclass AND a.grantee <> c.relowner",
        [source],
    )
    for privilege, grantee in cursor.fetchall():
        cursor.execute(f"GRANT {privilege} ON {target} TO {grantee}")


def _relkind(cursor):
    cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [TABLE])
    return cursor.fetchone()[0]


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        if _relkind(cursor) == "p":
            return
        cursor.execute(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")
        cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {OLD}")
        cursor.execute(f"ALTER INDEX {TABLE}_pkey RENAME TO {OLD}_pkey")
        cursor.execute(f"CREATE TABLE {TABLE} (LIKE {OLD} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
                       "INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY RANGE (ts)")
        cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (meter_id, ts)")
        cursor.execute(f"SELECT DISTINCT (extract(year FROM ts AT TIME ZONE 'UTC') * 12 "
                       f"+ extract(month FROM ts AT TIME ZONE 'UTC') - 1)::int FROM {OLD}")
        now = datetime.datetime.now(datetime.UTC)
        current = now.year * 12 + now.month - 1
        months = {index for (index,) in cursor.fetchall()} | set(range(current - 12, current + 4))
        for index in sorted(months):
            low, high = _month(index), _month(index + 1)
            cursor.execute(f"CREATE TABLE {TABLE}_{low:%Y_%m} PARTITION OF {TABLE} "
                           f"FOR VALUES FROM ('{low} 00:00:00+00') TO ('{high} 00:00:00+00')")
        cursor.execute(f"CREATE TABLE {TABLE}_default PARTITION OF {TABLE} DEFAULT")
        cursor.execute(f"INSERT INTO {TABLE} (meter_id, ts, value) SELECT meter_id, ts, value FROM {OLD}")
        _grants(cursor, OLD, TABLE)
        cursor.execute(f"DROP TABLE {OLD}")
        cursor.execute(f"ANALYZE {TABLE}")


def unpartition(apps, schema_editor):
    """Back to one plain table with every row of the attached partitions (tables detached by
    `readings_partitions --archive-before` stay as they are)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        if _relkind(cursor) != "p":
            return
        cursor.execute(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")
        cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {OLD}")
        cursor.execute(f"ALTER INDEX {TABLE}_pkey RENAME TO {OLD}_pkey")
        cursor.execute(f"CREATE TABLE {TABLE} (LIKE {OLD} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
                       "INCLUDING STORAGE INCLUDING COMMENTS)")
        cursor.execute(f"INSERT INTO {TABLE} (meter_id, ts, value) SELECT meter_id, ts, value FROM {OLD} "
                       "ORDER BY meter_id, ts")
        cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (meter_id, ts)")
        _grants(cursor, OLD, TABLE)
        cursor.execute(f"DROP TABLE {OLD}")  # and its partitions
        cursor.execute(f"ANALYZE {TABLE}")


class Migration(migrations.Migration):

    dependencies = [
        ('ingestion', '0004_devicekey_mqtt_password_hash'),
    ]

    operations = [
        migrations.RunPython(partition, unpartition, elidable=False),
    ]
