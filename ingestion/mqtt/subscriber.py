"""The MQTT meter-feed subscriber: receives readings, writes them in batches with the same
service as the HTTP path, and acknowledges each message only after its batch is committed.

- Delivery: QoS 1, a persistent session (clean_session off, a fixed client id), manual
  acknowledgements after commit. A message that was received but not written (a crash, a
  database outage) is delivered again by the broker and counts as duplicates then.
- Bad messages (too large, nested too deep, not JSON, wrong topic, bad rows, unknown meters) are
  logged and counted, and acknowledged so that they do not come back; they never stop the
  subscriber. A batch the service fails on for another reason than the database is written
  again message by message, so that one poisoned message cannot hold up the others.
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
from dataclasses import dataclass, field, replace

from django.db import DatabaseError, InterfaceError, OperationalError, connection

from inventories.models import Meter

from ..readings.services import ingest_readings
from .connection import broker_from_url, make_client
from .payloads import MAX_DEPTH, MAX_PAYLOAD_BYTES, BadMessage, meter_of_topic, rows_of_payload

logger = logging.getLogger("ingestion.mqtt")
MAX_LOGGED_REJECTIONS = 20


class Poisoned(Exception):
    """The rows of a batch make the service fail (as opposed to the database being away)."""


@dataclass
class Pending:
    """Messages received and parsed, waiting to be written and acknowledged."""

    rows: list[dict] = field(default_factory=list)
    sources: list[tuple[str, int]] = field(default_factory=list)  # per row: (topic, position in message)
    acks: list[tuple[int, int, int]] = field(default_factory=list)  # (mid, qos, connection generation)
    messages: list[tuple[str, int, int]] = field(default_factory=list)  # (topic, first row, end row) per message
    since: float | None = None

    def __len__(self):
        return len(self.acks)


class MeterFeedSubscriber:
    def __init__(self, *, url: str, topic_prefix: str, client_id: str, batch_size: int = 5000, window: int = 20,
                 flush_interval: float = 0.5, max_messages: int | None = None, idle_timeout: float | None = None,
                 clean_session: bool = False, max_payload_bytes: int = MAX_PAYLOAD_BYTES,
                 max_depth: int = MAX_DEPTH, username: str | None = None, password: str | None = None):
        self.broker = broker_from_url(url)
        if username and not self.broker.username:  # the URL's user:password@ comes first
            self.broker = replace(self.broker, username=username, password=password or None)
        self.topic_prefix = topic_prefix.rstrip("/")
        self.batch_size, self.window, self.flush_interval = batch_size, window, flush_interval
        self.max_messages, self.idle_timeout = max_messages, idle_timeout
        self.max_payload_bytes, self.max_depth = max_payload_bytes, max_depth
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
        logger.info("subscribed to %s", self.topic)
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
        failed = False
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
        except BaseException:
            failed = True  # nothing more is acknowledged: the broker sends it all again
            raise
        finally:
            if pending and not failed:
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
            rows = rows_of_payload(payload, meter_of_topic(topic, self.topic_prefix),
                                   max_bytes=self.max_payload_bytes, max_depth=self.max_depth)
        except BadMessage as error:
            self._bad(topic, error)
            return
        except Exception as error:  # noqa: BLE001 -- a parser surprise must not stop the feed
            self._bad(topic, f"unreadable payload ({type(error).__name__})")
            return
        pending.messages.append((topic, len(pending.rows), len(pending.rows) + len(rows)))
        pending.rows.extend(rows)
        pending.sources.extend((topic, position) for position in range(len(rows)))

    def _bad(self, topic: str, error) -> None:
        self.stats["bad_messages"] += 1
        logger.warning("bad message on %s: %s", topic[:200], error)

    def _flush(self, pending: Pending) -> None:
        if pending.rows:
            try:
                result = self._write(pending.rows)
            except Poisoned as error:  # not an outage: a message the service cannot take; find it
                logger.error("a batch of %d messages failed (%s); writing them one by one", len(pending.messages),
                             error)
                if not self._write_one_by_one(pending):
                    return
            else:
                if result is None:  # stopping during a database outage: the broker will send them again
                    return
                self._count(pending.rows, pending.sources, result)
        self.stats["batches"] += 1
        self._ack(pending.acks)

    def _write_one_by_one(self, pending: Pending) -> bool:
        for topic, start, end in pending.messages:
            try:
                result = self._write(pending.rows[start:end])
            except Poisoned as error:
                self._bad(topic, f"the readings could not be stored ({error})")
                continue
            if result is None:
                return False
            self._count(pending.rows[start:end], pending.sources[start:end], result)
        return True

    def _count(self, rows: list[dict], sources: list[tuple[str, int]], result) -> None:
        self.stats["readings"] += len(rows)
        self.stats["accepted"] += result.accepted
        self.stats["duplicates"] += result.duplicates
        self.stats["rejected"] += len(result.rejected)
        for entry in result.rejected[:MAX_LOGGED_REJECTIONS]:
            topic, position = sources[entry["index"]]
            logger.warning("rejected reading %d of a message on %s: %s", position, topic, entry["error"])
        if len(result.rejected) > MAX_LOGGED_REJECTIONS:
            logger.warning("... and %d more rejected readings", len(result.rejected) - MAX_LOGGED_REJECTIONS)

    def _ack(self, acks: list[tuple[int, int, int]]) -> None:
        """PUBACK, only once the messages' readings are committed."""
        for mid, qos, generation in acks:
            if generation == self._generation:  # an older connection's message comes again anyway
                self.client.ack(mid, qos)

    def _write(self, rows: list[dict]):
        """The service's result; None when stopped during an outage; Poisoned when the rows
        themselves make it fail (not the database being away)."""
        delay = 1.0
        while True:
            try:
                return ingest_readings(rows=rows, scope=Meter.objects.all())
            except (OperationalError, InterfaceError) as error:
                self.stats["database_errors"] += 1
                logger.error("database unavailable (%s); retrying in %.0f s", error, delay)
            except DatabaseError as error:  # IntegrityError, DataError...: these rows, not the database
                self.stats["database_errors"] += 1
                raise Poisoned(f"{type(error).__name__}: {str(error)[:200]}") from error
            except Exception as error:
                logger.exception("the readings service failed on a batch")
                raise Poisoned(type(error).__name__) from error
            connection.close()
            if self.stopping.wait(delay):
                return None
            delay = min(delay * 2, 30.0)
