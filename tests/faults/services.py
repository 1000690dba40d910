"""Real services of the fault tests' own, on free ports, that a test stops and starts again:
a private PostgreSQL cluster, a private redis-server, and the portal's own processes
(`manage.py ...`, a WSGI server) run as subprocesses against them.

Nothing here touches the services the rest of the suite uses (the DATABASE_URL / CACHE_URL of the
run): every port is free and every data directory is temporary.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, *, timeout: float = 15, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the process stopped (exit {process.returncode}) before listening on {port}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port} after {timeout} s")


def wait_until(condition, *, timeout: float, interval: float = 0.1, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{message}: not within {timeout} s (last: {value!r})")
        time.sleep(interval)


# --- PostgreSQL ------------------------------------------------------------------------------------

def postgres_bindir() -> Path | None:
    candidates = []
    if shutil.which("pg_config"):
        try:
            candidates.append(subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True,
                                             check=True).stdout.strip())
        except (OSError, subprocess.CalledProcessError):
            pass
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    if shutil.which("initdb"):
        candidates.append(str(Path(shutil.which("initdb")).parent))
    for candidate in candidates:
        if all((Path(candidate) / name).exists() for name in ("initdb", "pg_ctl", "postgres")):
            return Path(candidate)
    return None


class PrivatePostgres:
    """A cluster in a temporary directory, trust authentication on 127.0.0.1 only, no fsync (a test
    cluster: a crash of the machine may lose it). As root it runs as the `postgres` OS user, since
    PostgreSQL refuses to run as root."""

    def __init__(self, bindir: Path):
        self.bindir, self.port = bindir, free_port()
        self.as_user = []
        owner = None
        if os.geteuid() == 0:
            import pwd

            try:
                owner = pwd.getpwnam("postgres")
            except KeyError as error:
                raise RuntimeError("running as root, but there is no `postgres` user to run PostgreSQL as") from error
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.directory = Path(tempfile.mkdtemp(prefix="carbon-faults-pg-"))
        if owner is not None:
            os.chown(self.directory, owner.pw_uid, owner.pw_gid)
        self.data = self.directory / "data"

    def _run(self, *command, check=True, timeout=60):
        return subprocess.run([*self.as_user, *command], capture_output=True, text=True, check=check,
                              timeout=timeout)

    def init(self) -> None:
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                  "--no-sync", "--locale=C")

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50")
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", options, "-l",
                  str(self.directory / "postgres.log"), "-w", "-t", "30", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop",
                  check=False)

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str, database: str = "postgres", *params):
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=database,
                             autocommit=True, connect_timeout=5) as connection:
            cursor = connection.execute(statement, params or None)
            return cursor.fetchall() if cursor.description else None

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.directory, ignore_errors=True)


# --- Redis -----------------------------------------------------------------------------------------

class PrivateRedis:
    """`redis-server --port <free> --save '' --appendonly no`: nothing kept over a restart."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        self.port, self.process = free_port(), None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen([self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                         "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port, process=self.process)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


# --- the portal's processes ------------------------------------------------------------------------

def portal_env(**overrides) -> dict:
    """The environment of a portal subprocess: test settings, and none of the run's own services
    unless given (an override of None removes the variable)."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("DATABASE_URL", "CACHE_URL", "CELERY_BROKER_URL", "MQTT_URL", "PYTEST_XDIST_WORKER")}
    env.update(DJANGO_SETTINGS_MODULE="carbon_portal.settings.test", PYTHONUNBUFFERED="1", LOG_LEVEL="INFO")
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def manage(*arguments, env: dict, timeout: float = 180) -> str:
    done = subprocess.run([PYTHON, "manage.py", *arguments], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(arguments)} failed ({done.returncode}):\n"
                           f"{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return done.stdout


class Process:
    """A subprocess whose output is collected by a thread (so that it never blocks on a full pipe)."""

    def __init__(self, command: list[str], *, env: dict):
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for(self, text: str, timeout: float = 30) -> None:
        wait_until(lambda: text in self.output or self.process.poll() is not None, timeout=timeout,
                   message=f"{text!r} in the output")
        assert text in self.output, f"the process stopped: {self.output[-3000:]}"

    def stop(self, signum=signal.SIGTERM, timeout: float = 30) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait(10)
        self._reader.join(5)
        return code


class WsgiServer(Process):
    """The portal's WSGI application (carbon_portal.wsgi) in a process of its own, served by wsgiref:
    one thread, so one database connection kept from request to request, as a gunicorn thread keeps it."""

    SCRIPT = ("import sys, wsgiref.simple_server as s\n"
              "from carbon_portal.wsgi import application\n"
              "class Quiet(s.WSGIRequestHandler):\n"
              "    def log_message(self, *args): pass\n"
              "server = s.make_server('127.0.0.1', int(sys.argv[1]), application, handler_class=Quiet)\n"
              "print('serving', flush=True)\n"
              "server.serve_forever()\n")

    def __init__(self, *, env: dict):
        self.port = free_port()
        super().__init__([PYTHON, "-c", self.SCRIPT, str(self.port)], env=env)
        self.wait_for("serving", timeout=60)

    def request(self, path: str, *, method: str = "GET", headers: dict | None = None, data: bytes | None = None):
        """(status, headers, body)."""
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", method=method, data=data,
                                         headers={"Host": "127.0.0.1", **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()


def last_json_line(text: str) -> dict:
    for line in reversed(text.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise AssertionError(f"no JSON line in {text[-2000:]}")


class ApiUser:
    """The API over HTTP as one demo user (seed_demo's credentials): token login, with the second
    factor when the user has one, then JSON calls that must answer 2xx."""

    def __init__(self, web: WsgiServer, username: str, credentials: dict):
        self.web, self.username, self.credentials, self.token = web, username, credentials, None
        self._otp_steps_used = 0

    def _otp(self) -> str:
        """The next code of the user's authenticator: django-otp refuses a code of a time step it
        has accepted before, so each login takes the code of one step later (tolerance 1)."""
        import base64

        from django_otp.oath import TOTP

        code = TOTP(base64.b32decode(self.credentials["totp_secret"]))
        code.time = time.time() + 30 * self._otp_steps_used
        self._otp_steps_used += 1
        return f"{code.token():06d}"

    def log_in(self) -> None:
        body = {"username": self.username, "password": self.credentials["password"]}
        if "totp_secret" in self.credentials:
            body["otp"] = self._otp()
        self.token = None
        self.token = self.call("POST", "auth/token", body)["token"]

    def call(self, method: str, path: str, body: dict | None = None, *, upload: tuple[str, bytes] | None = None):
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        data = None
        if body is not None:
            data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        elif upload is not None:
            boundary = f"faults{time.time_ns()}"
            name, content = upload
            data = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                    f"Content-Type: application/octet-stream\r\n\r\n").encode() + content + \
                f"\r\n--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        status, _headers, content = self.web.request(f"/api/v1/{path}", method=method, headers=headers, data=data)
        assert 200 <= status < 300, f"{method} {path}: {status} {content[:500]!r}"
        self.last_status = status
        return json.loads(content) if content else None
