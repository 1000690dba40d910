"""Run as the application's database role (docs/deployment.md, "The database roles") against
the migrated database; .ci/run does:

    DATABASE_URL=postgres://carbon_portal_app@127.0.0.1:5432/carbon_portal \
        .venv/bin/python manage.py shell -c "import tests.least_privilege_check as c; c.main()"

Checks that the role can do what the portal does (append an audit entry, record a security
event) and cannot do what only the owner may: TRUNCATE the audit trail or the security log,
drop or disable their triggers, or delete an audit entry. Everything it writes is rolled back.
Exits non-zero, naming each expectation that did not hold."""

import datetime
import sys
import uuid

from django.db import connection, transaction

from carbon_portal.accounts.models import Enterprise, Industry, User
from carbon_portal.security.events import record_event
from carbon_portal.security.models import EventKind
from inventories.models import FactorSet, Inventory
from workflows.services import append_entry

REFUSED = [
    ("TRUNCATE the audit trail", "TRUNCATE workflows_transitionlog"),
    ("TRUNCATE the security log", "TRUNCATE security_securityevent"),
    ("drop the audit trail's TRUNCATE trigger",
     "DROP TRIGGER workflows_transitionlog_refuse_truncate ON workflows_transitionlog"),
    ("drop the audit trail's append-only trigger",
     "DROP TRIGGER workflows_transitionlog_append_only ON workflows_transitionlog"),
    ("disable the audit trail's triggers", "ALTER TABLE workflows_transitionlog DISABLE TRIGGER ALL"),
    ("replace the trigger function",
     ("CREATE OR REPLACE FUNCTION workflows_transitionlog_refuse_truncate() RETURNS trigger AS $$ "
      "BEGIN RETURN NULL; END; $$ LANGUAGE plpgsql")),
    ("switch triggers off for the session", "SET session_replication_role = replica"),
    ("delete an audit entry", "DELETE FROM workflows_transitionlog"),
]


class Rollback(Exception):
    pass


def check() -> list[str]:
    problems = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
        role, superuser = cursor.fetchone()
    if superuser:
        return [f"connected as {role}, a superuser: run this as the application's role"]
    try:
        with transaction.atomic():
            tag = uuid.uuid4().hex[:8]
            user = User.objects.create_user(f"least-privilege-{tag}")
            industry = Industry.objects.create(code=f"Z{tag[:2]}", name_zh="检查", name_en="check")
            enterprise = Enterprise.objects.create(name="check", credit_code=f"91330000{tag}X"[:18],
                                                   industry=industry, region_code="330000")
            inventory = Inventory.objects.create(
                enterprise=enterprise, year=2000, period_start=datetime.date(2000, 1, 1),
                period_end=datetime.date(2000, 12, 31), factor_set=FactorSet.objects.first(), created_by=user)
            try:
                append_entry(entity="inventory", object_id=inventory.pk, inventory_id=inventory.pk, name="check",
                             actor=user, comment="least-privilege check")
                record_event(kind=EventKind.LOGIN, user=user, check="least-privilege")
                print(f"ok: {role} appends an audit entry and records a security event")
            except Exception as error:  # noqa: BLE001 - reported, not raised
                problems.append(f"{role} cannot append an audit entry: {error}")
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for what, sql in REFUSED:
                    try:
                        with transaction.atomic():
                            cursor.execute(sql)
                    except Exception as error:  # noqa: BLE001 - the refusal is what is expected
                        print(f"ok: {role} may not {what}: {str(error).splitlines()[0]}")
                    else:
                        problems.append(f"{role} could {what}")
            raise Rollback
    except Rollback:
        pass
    return problems


def main() -> None:
    problems = check()
    for problem in problems:
        print(f"FAILED: {problem}", file=sys.stderr)
    sys.exit(1 if problems else 0)
