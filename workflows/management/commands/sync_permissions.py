"""python manage.py sync_permissions: rebuild the portal groups and object permissions from the
data (idempotent), e.g. after memberships were changed outside the portal."""

from django.core.management.base import BaseCommand
from django.db import transaction

from workflows.permissions import sync_all


class Command(BaseCommand):
    help = "Rebuild portal groups and django-guardian object permissions from memberships and engagements."

    def handle(self, *args, **options):
        with transaction.atomic():
            sync_all()
        self.stdout.write("permissions synchronised")
