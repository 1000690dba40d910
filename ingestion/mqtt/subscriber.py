"""The MQTT meter-feed subscriber: receives readings, writes them in batches with the same
service as the HTTP path, and acknowledges each message only after its batch is committed.

- Delivery: QoS 1, a persistent session (clean_session off, a fixed client id), manual
  acknowledgements after commit. A message that was received but not written (a crash, a
  database outage) is delivered again by the broker and counts as duplicates then.
- Bad messages (not JSON, wrong topic, bad rows, unknown meters) are logged and counted, and
  acknowledged so that they do not come back; they never stop the subscriber.
- The broker going away: paho reconnects (1 s to 30 s back-off) and the session resumes.
- The database going away: the batch is kept, retried with back-off, and acknowledged once
  written.
- Batching: a flush every `batch_size` readings, every `window` messages (the broker sends at
  most its max_inflight_messages unacknowledged messages, 20 by default in Mosquitto), or
  `flush_interval` seconds after the first message waiting, whichever comes first.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from django.db import DatabaseError, InterfaceError, OperationalError, connection

from inventories.models import Meter

from ..readings.services import ingest_readings
from .connection import broker_from_url, make_client
from .payloads import BadMessage, meter_of_topic, rows_of_payload

logger = logging.getLogger("ingestion.mqtt")
MAX_LOGGED_REJECTIONS = 20


@dataclass
class Pending:
    """Messages received and parsed, waiting to be written and acknowledged."""

    rows: list[dict] = field(default_factory=list)
    sources: list[tuple[str, int]] = field(default_factory=list)  # per row: (topic, position in message)
    acks: list[tuple[int, int, int]] = field(default_factory=list)  # (mid, qos, connection generation)
    since: float | None = None

    def __len__(self):
        return len(self.acks)


class MeterFeedSubscriber:
    def __init__(self, *, url: str, topic_prefix: str, client_id: str, batch_size: int = 5000, window: int = 20,
                 flush_interval: float = 0.5, max_messages: int | None = None, idle_timeout: float | None = None,
                 clean_session: bool = False):
        self.broker = broker_from_url(url)
        self.topic_prefix = topic_prefix.rstrip("/")
        self.batch_size, self.window, self.flush_interval = batch_size, window, flush_interval
        self.max_messages, self.idle_timeout = max_messages, idle_timeout
        self.stats: Counter = Counter()
        self.subscribed = threading.Event()
        self.stopping = threading.Event()
        self._inbox: queue.Queue = queue.Queue()
        self._generation = 0
        self.client = make_client(self.broker, client_id=client_id, clean_session=clean_session)
        self.client.manual_ack_set(True)
        self.client.on_connect = self._on_connect
        self.client.on_subscribe = self._on_subscribe
        self.client.on_message = self._on_message
        self.client.on_disconnect = self._on_disconnect

    @property
    def topic(self) -> str:
        return f"{self.topic_prefix}/+/readings"

    # paho's network thread -------------------------------------------------------------------
    def _on_connect(self, client, userdata, flags, reason_code, properties):
        if reason_code.is_failure:
            logger.error("broker %s:%s refused the connection: %s", self.broker.host, self.broker.port, reason_code)
            return
        self._generation += 1
        self.stats["connections"] += 1
        logger.info("connected to %s:%s (session present: %s); subscribing to %s", self.broker.host,
                    self.broker.port, flags.session_present, self.topic)
        client.subscribe(self.topic, qos=1)

    def _on_subscribe(self, client, userdata, mid, reason_codes, properties):
        self.subscribed.set()

    def _on_message(self, client, userdata, message):
        self._inbox.put((message.topic, message.payload, message.mid, message.qos, self._generation))

    def _on_disconnect(self, client, userdata, flags, reason_code, properties):
        self.subscribed.clear()
        if not self.stopping.is_set():
            self.stats["disconnections"] += 1
            logger.warning("lost the broker (%s); reconnecting", reason_code)

    # the main thread -------------------------------------------------------------------------
    def run(self) -> Counter:
        """Receive and write until stopped (`stop()`, --max-messages, --idle-timeout)."""
        self.client.connect_async(self.broker.host, self.broker.port, keepalive=30)
        self.client.loop_start()
        pending, last_message = Pending(), time.monotonic()
        try:
            while not self.stopping.is_set():
                try:
                    item = self._inbox.get(timeout=0.1)
                except queue.Empty:
                    item = None
                now = time.monotonic()
                if item is not None or not self.subscribed.is_set():
                    last_message = now  # idle means: subscribed, and nothing comes
                if item is not None:
                    self._take(item, pending)
                if pending and (len(pending.rows) >= self.batch_size or len(pending) >= self.window
                                or now - pending.since >= self.flush_interval or self._inbox.empty()
                                and self._enough_messages()):
                    self._flush(pending)
                    pending = Pending()
                if self._enough_messages() and not pending and self._inbox.empty():
                    break
                if self.idle_timeout and now - last_message > self.idle_timeout and not pending:
                    logger.info("no message for %s s: stopping", self.idle_timeout)
                    break
        finally:
            if pending:
                self._flush(pending)
            self.stopping.set()
            self.client.disconnect()
            self.client.loop_stop()
        return self.stats

    def stop(self) -> None:
        self.stopping.set()

    def _enough_messages(self) -> bool:
        return bool(self.max_messages) and self.stats["messages"] >= self.max_messages

    def _take(self, item, pending: Pending) -> None:
        topic, payload, mid, qos, generation = item
        self.stats["messages"] += 1
        if qos:
            pending.acks.append((mid, qos, generation))
        if pending.since is None:
            pending.since = time.monotonic()
        try:
            rows = rows_of_payload(payload, meter_of_topic(topic, self.topic_prefix))
        except BadMessage as error:
            self.stats["bad_messages"] += 1
            logger.warning("bad message on %s: %s", topic, error)
            return
        pending.rows.extend(rows)
        pending.sources.extend((topic, position) for position in range(len(rows)))

    def _flush(self, pending: Pending) -> None:
        if pending.rows:
            result = self._write(pending.rows)
            if result is None:  # stopping during a database outage: the broker will send them again
                return
            self.stats["readings"] += len(pending.rows)
            self.stats["accepted"] += result.accepted
            self.stats["duplicates"] += result.duplicates
            self.stats["rejected"] += len(result.rejected)
            for entry in result.rejected[:MAX_LOGGED_REJECTIONS]:
                topic, position = pending.sources[entry["index"]]
                logger.warning("rejected reading %d of a message on %s: %s", position, topic, entry["error"])
            if len(result.rejected) > MAX_LOGGED_REJECTIONS:
                logger.warning("... and %d more rejected readings", len(result.rejected) - MAX_LOGGED_REJECTIONS)
        self.stats["batches"] += 1
        for mid, qos, generation in pending.acks:
            if generation == self._generation:  # an older connection's message comes again anyway
                self.client.ack(mid, qos)

    def _write(self, rows: list[dict]):
        delay = 1.0
        while True:
            try:
                return ingest_readings(rows=rows, scope=Meter.objects.all())
            except (OperationalError, InterfaceError) as error:
                self.stats["database_errors"] += 1
                logger.error("database unavailable (%s); retrying in %.0f s", error, delay)
            except DatabaseError:
                self.stats["database_errors"] += 1
                logger.exception("could not write a batch; retrying in %.0f s", delay)
            connection.close()
            if self.stopping.wait(delay):
                return None
            delay = min(delay * 2, 30.0)
