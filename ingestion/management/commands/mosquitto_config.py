"""python manage.py mosquitto_config --output-dir DIR [--json] — the broker's password file and
ACL from the device keys and meters (ingestion/mqtt/broker_config.py, deploy/mosquitto/)."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ingestion.mqtt.broker_config import broker_files, write_files
from ingestion.mqtt.connection import broker_from_url


class Command(BaseCommand):
    help = "Write Mosquitto's password_file (passwd) and acl_file (acl) for the device keys and the subscriber."

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", required=True, help="where to write passwd and acl")
        parser.add_argument("--json", action="store_true", help="print what was written as JSON")

    def handle(self, *args, **options):
        broker = broker_from_url(settings.MQTT_URL)
        username = settings.MQTT_USERNAME or broker.username or ""
        password = settings.MQTT_PASSWORD or broker.password or ""
        if not username:
            raise CommandError("set MQTT_USERNAME and MQTT_PASSWORD (or mqtt://user:password@host in MQTT_URL): "
                               "the ingest subscriber needs its own broker user")
        try:
            files = broker_files(subscriber_username=username, subscriber_password=password,
                                 topic_prefix=settings.MQTT_TOPIC_PREFIX)
        except ValueError as error:
            raise CommandError(str(error)) from error
        written = write_files(files, Path(options["output_dir"]))
        summary = {"passwd": str(written["passwd"]), "acl": str(written["acl"]), "subscriber": username,
                   "devices": files.devices, "skipped": files.skipped}
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            return
        self.stdout.write(f"Wrote {written['passwd']} and {written['acl']}: the subscriber {username} and "
                          f"{len(files.devices)} device users.")
        for entry in files.skipped:
            self.stderr.write(f"Left out {entry['username']} ({entry['name']}): {entry['reason']}")
