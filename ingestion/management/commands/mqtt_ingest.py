"""python manage.py mqtt_ingest — subscribe to the meter feed (docs/interfaces.md §5) and store the
readings. Runs until stopped (SIGTERM, Ctrl-C), or with --max-messages / --idle-timeout until
that many messages are processed or none has come for that long (tests, batch jobs)."""

import json
import signal
import socket

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ingestion.mqtt.subscriber import MeterFeedSubscriber


class Command(BaseCommand):
    help = "Subscribe to carbon/meters/<meter>/readings on the MQTT broker of MQTT_URL and store the readings."

    def add_arguments(self, parser):
        parser.add_argument("--url", default=None, help="broker URL (default: settings.MQTT_URL)")
        parser.add_argument("--topic-prefix", default=None, help="default: settings.MQTT_TOPIC_PREFIX")
        parser.add_argument("--client-id", default=None,
                            help="MQTT client id; the broker keeps this client's session (default: "
                                 "settings.MQTT_CLIENT_ID and the host name)")
        parser.add_argument("--batch-size", type=int, default=5000, help="readings per database write")
        parser.add_argument("--window", type=int, default=20,
                            help="messages per database write at most (match the broker's max_inflight_messages)")
        parser.add_argument("--flush-interval", type=float, default=0.5, help="seconds a reading may wait")
        parser.add_argument("--max-messages", type=int, default=None, help="stop after this many messages")
        parser.add_argument("--idle-timeout", type=float, default=None,
                            help="stop when no message has come for this many seconds")
        parser.add_argument("--clean-session", action="store_true",
                            help="start without the broker's stored session (messages sent while away are lost)")
        parser.add_argument("--json", action="store_true", help="print the counters as JSON at the end")

    def handle(self, *args, **options):
        for name in ("batch_size", "window", "max_messages"):
            if options[name] is not None and options[name] < 1:
                raise CommandError(f"--{name.replace('_', '-')} must be at least 1")
        try:
            subscriber = MeterFeedSubscriber(
                url=options["url"] or settings.MQTT_URL,
                topic_prefix=options["topic_prefix"] or settings.MQTT_TOPIC_PREFIX,
                client_id=options["client_id"] or f"{settings.MQTT_CLIENT_ID}-{socket.gethostname()}",
                batch_size=options["batch_size"], window=options["window"],
                flush_interval=options["flush_interval"], max_messages=options["max_messages"],
                idle_timeout=options["idle_timeout"], clean_session=options["clean_session"],
                max_payload_bytes=settings.MQTT_MAX_PAYLOAD_BYTES, max_depth=settings.MQTT_MAX_JSON_DEPTH,
                username=settings.MQTT_USERNAME, password=settings.MQTT_PASSWORD,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        for signum in (signal.SIGTERM, signal.SIGINT):
            try:
                signal.signal(signum, lambda *_args: subscriber.stop())
            except ValueError:  # not the main thread (called from a test)
                pass
        stats = subscriber.run()
        counters = {key: stats.get(key, 0) for key in ("messages", "bad_messages", "readings", "accepted",
                                                       "duplicates", "rejected", "batches", "connections",
                                                       "disconnections", "database_errors")}
        if options["json"]:
            self.stdout.write(json.dumps(counters))
        else:
            self.stdout.write(" ".join(f"{key}={value}" for key, value in counters.items()))
