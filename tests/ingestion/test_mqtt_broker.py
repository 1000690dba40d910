"""The production broker configuration (deploy/mosquitto/mosquitto.conf with the passwd and acl of
`manage.py mosquitto_config`), run by a Mosquitto of the test's own: unknown clients are refused,
a device publishes only to its own meters, and a burst with the subscriber restarted in the
middle is stored exactly once. Needs the mosquitto program (skipped without it)."""

import base64
import datetime
import io
import json
import os
import re
import shutil
import subprocess
import threading
import time
from decimal import Decimal
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from django.core.management import call_command

from ingestion.device_keys import mosquitto_hash, new_device_key
from ingestion.models import DeviceKey, Reading
from ingestion.mqtt.subscriber import MeterFeedSubscriber
from inventories.models import Meter

from .mqtt_helpers import free_port, unique

CONF = Path(__file__).resolve().parents[2] / "deploy" / "mosquitto" / "mosquitto.conf"
PREFIX = "carbon/meters"
SUBSCRIBER, SUBSCRIBER_PASSWORD = "carbon-ingest", "subscriber-secret-1"
START = datetime.datetime(2023, 1, 1, tzinfo=datetime.UTC)


def test_the_password_hash_is_mosquittos(tmp_path):
    """The same line as `mosquitto_passwd -b` writes, for its salt and iterations (PBKDF2-SHA512, `$7$`)."""
    binary = shutil.which("mosquitto_passwd")
    if binary is None:
        pytest.skip("mosquitto_passwd is not installed")
    subprocess.run([binary, "-c", "-b", str(tmp_path / "passwd"), "device-1", "dk_secret"], check=True)
    line = (tmp_path / "passwd").read_text().strip()
    _name, _empty, _seven, iterations, salt, _digest = line.replace(":", "$", 1).split("$")
    assert line == "device-1:" + mosquitto_hash("dk_secret", iterations=int(iterations), salt=base64.b64decode(salt))


class Broker:
    def __init__(self, directory: Path):
        self.directory, self.port, self.process = directory, free_port(), None
        text = CONF.read_text()
        text = re.sub(r"(?m)^listener 1883$", f"listener {self.port} 127.0.0.1", text)
        text = text.replace("/etc/mosquitto/carbon/", f"{directory}/").replace("/var/lib/mosquitto/", f"{directory}/")
        if os.geteuid() == 0:  # as root, mosquitto would switch to its own user, who cannot read the 0600 files
            text += "user root\n"
        self.config = directory / "mosquitto.conf"
        self.config.write_text(text)

    def start(self):
        self.process = subprocess.Popen([shutil.which("mosquitto") or "/usr/sbin/mosquitto", "-c", str(self.config)],
                                        stdout=subprocess.DEVNULL, stderr=(self.directory / "broker.log").open("ab"))
        for _ in range(100):
            if self.process.poll() is not None:
                raise RuntimeError("mosquitto stopped: " + (self.directory / "broker.log").read_text()[-2000:])
            try:
                __import__("socket").create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("mosquitto did not start")

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def url(self, username=SUBSCRIBER, password=SUBSCRIBER_PASSWORD):
        return f"mqtt://{username}:{password}@127.0.0.1:{self.port}"


def connect(port, username=None, password=None, client_id=None):
    """A connected client, or the reason code of the refusal."""
    answer, done = {}, threading.Event()
    client = mqtt.Client(callback_api_version=mqtt.CallbackAPIVersion.VERSION2, client_id=client_id or unique("probe"))
    if username:
        client.username_pw_set(username, password)

    def on_connect(_client, _userdata, _flags, reason_code, _properties):
        answer["rc"] = reason_code
        done.set()

    client.on_connect = on_connect
    client.connect("127.0.0.1", port)
    client.loop_start()
    assert done.wait(10), "no CONNACK"
    if answer["rc"].is_failure:
        client.loop_stop()
        return answer["rc"]
    return client


def close(client):
    client.disconnect()
    client.loop_stop()


@pytest.fixture
def broker(demo, tmp_path, settings):
    if not shutil.which("mosquitto") and not Path("/usr/sbin/mosquitto").exists():
        pytest.skip("the mosquitto program is not installed")
    settings.MQTT_USERNAME, settings.MQTT_PASSWORD = SUBSCRIBER, SUBSCRIBER_PASSWORD
    keys = {}
    for name, enterprise_of in (("A", "A-ELEC-01"), ("B", "B-ELEC-01")):
        meters = Meter.objects.filter(enterprise=Meter.objects.get(identifier=enterprise_of).enterprise_id)
        key = new_device_key()
        device = DeviceKey(enterprise_id=meters[0].enterprise_id, name=f"test gateway {name}")
        device.set_key(key)
        device.save()
        device.meters.set(meters)
        keys[name] = (device.mqtt_username, key, sorted(meters.values_list("identifier", flat=True)))
    out = io.StringIO()
    call_command("mosquitto_config", output_dir=str(tmp_path), json=True, stdout=out)
    summary = json.loads(out.getvalue())
    assert {entry["username"] for entry in summary["devices"]} >= {keys["A"][0], keys["B"][0]}
    running = Broker(tmp_path)
    running.keys = keys
    running.start()
    yield running
    running.stop()


def test_the_generated_files(broker):
    acl = (broker.directory / "acl").read_text()
    username, _key, meters = broker.keys["A"]
    assert f"user {SUBSCRIBER}\ntopic read {PREFIX}/+/readings" in acl
    block = acl.split(f"user {username}\n")[1].split("\n\n")[0]
    assert block.splitlines() == [f"topic write {PREFIX}/{identifier}/readings" for identifier in meters]
    assert "B-ELEC-01" not in block
    passwd = (broker.directory / "passwd").read_text()
    assert re.search(rf"(?m)^{username}:\$7\$1000\$[A-Za-z0-9+/=]{{16}}\$[A-Za-z0-9+/=]{{88}}$", passwd)
    assert oct((broker.directory / "passwd").stat().st_mode & 0o777) == "0o600"


def test_unknown_clients_are_refused(broker):
    username, key, _meters = broker.keys["A"]
    assert connect(broker.port).is_failure  # anonymous
    assert connect(broker.port, "nobody", "guess").is_failure
    assert connect(broker.port, username, key + "x").is_failure
    assert connect(broker.port, SUBSCRIBER, "wrong").is_failure
    close(connect(broker.port, username, key))  # the device key is the password
    close(connect(broker.port, SUBSCRIBER, SUBSCRIBER_PASSWORD))


def test_a_device_publishes_only_to_its_own_meters(broker):
    username, key, _meters = broker.keys["A"]
    subscriber = MeterFeedSubscriber(url=broker.url(), topic_prefix=PREFIX, client_id=unique("test-acl"),
                                     idle_timeout=2, flush_interval=0.1, clean_session=True)

    def publish():
        assert subscriber.subscribed.wait(15)
        device = connect(broker.port, username, key)
        ts = datetime.datetime(2025, 3, 1, 8, tzinfo=datetime.UTC).isoformat()
        for meter in ("B-ELEC-01", "A-ELEC-01"):  # another enterprise's meter, then its own
            device.publish(f"{PREFIX}/{meter}/readings", json.dumps({"ts": ts, "value": "5"}), qos=1).wait_for_publish(5)
        # Nor may a device read the feed, or a reader publish.
        close(device)

    thread = threading.Thread(target=publish, daemon=True)
    thread.start()
    stats = subscriber.run()
    thread.join(5)
    assert stats["messages"] == 1 and stats["accepted"] == 1
    assert Reading.objects.filter(meter__identifier="A-ELEC-01").count() == 1
    assert not Reading.objects.filter(meter__identifier="B-ELEC-01").exists()


class Crash(Exception):
    pass


class CrashingSubscriber(MeterFeedSubscriber):
    """Dies after its n-th batch is stored but before it is acknowledged: the worst moment."""

    def __init__(self, *args, crash_after: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.crash_after = crash_after

    def _ack(self, acks):
        if self.stats["batches"] >= self.crash_after:
            raise Crash
        super()._ack(acks)


@pytest.mark.slow
def test_a_burst_with_the_subscriber_restarted_midway_is_stored_exactly_once(broker):
    messages, per_message = 1000, 100
    username, key, meters = broker.keys["A"]
    meters = meters[:4]
    client_id = unique("test-burst")
    step = datetime.timedelta(minutes=15)

    def body(index):
        first = (index // len(meters)) * per_message
        return json.dumps([{"ts": (START + (first + i) * step).isoformat(),
                            "value": str(Decimal(1000) + Decimal("2.5") * (first + i))} for i in range(per_message)])

    options = {"topic_prefix": PREFIX, "client_id": client_id, "batch_size": 5000, "window": 100,
               "flush_interval": 0.3}
    first = CrashingSubscriber(url=broker.url(), crash_after=5, **options)
    done = threading.Event()

    def publish():
        assert first.subscribed.wait(15)
        device = connect(broker.port, username, key)
        sent = [device.publish(f"{PREFIX}/{meters[index % len(meters)]}/readings", body(index), qos=1)
                for index in range(messages)]
        for info in sent:
            info.wait_for_publish(60)
        close(device)
        done.set()

    started = time.monotonic()
    thread = threading.Thread(target=publish, daemon=True)
    thread.start()
    with pytest.raises(Crash):
        first.run()
    stored_by_first = first.stats["accepted"]
    assert 0 < stored_by_first < messages * per_message  # it died mid-burst, after storing some
    second = MeterFeedSubscriber(url=broker.url(), idle_timeout=3, **options)
    stats = second.run()
    thread.join(30)
    elapsed = time.monotonic() - started
    assert done.is_set()
    assert stats["duplicates"] >= per_message  # the stored, unacknowledged batch came again
    assert stored_by_first + stats["accepted"] == messages * per_message
    assert Reading.objects.filter(meter__identifier__in=meters).count() == messages * per_message
    print(f"burst of {messages * per_message} readings, restart included: {elapsed:.1f} s")
