"""Requests per second of GET /api/v1/labels/<identifier> under 50 concurrent clients, with
gunicorn on 127.0.0.1 (loopback only), then a check that a revocation reaches every worker.

    .venv/bin/python bench/resolution.py [--clients 50] [--seconds 10] [--workers 3] [--threads 4]
                                         [--cache auto|redis|locmem]

Target: 1,000 requests/s on the reference machine (2 cores). The load generator (asyncio,
HTTP/1.1 keep-alive) runs on the same machine and shares its CPUs with gunicorn. With
--cache redis (auto: when redis-server is installed) a throw-away redis-server on 127.0.0.1 is
the shared cache, as in production; with locmem every worker has its own cache.
Everything it starts (gunicorn, redis-server) it stops; runs are bounded by --seconds.
"""

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _certified import ROOT, certified_demo, setup_django

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gave up waiting for {url}")


async def one_client(paths, deadline, latencies, statuses):
    reader, writer = await asyncio.open_connection(HOST, PORT)
    index = 0
    try:
        while time.perf_counter() < deadline:
            path = paths[index % len(paths)]
            index += 1
            start = time.perf_counter()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nAccept: application/json\r\n\r\n".encode())
            status = int((await reader.readline()).split()[1])
            length, close = 0, False
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
                elif name.lower() == "connection" and value.strip().lower() == "close":
                    close = True
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - start)
            statuses[status] = statuses.get(status, 0) + 1
            if close:
                writer.close()
                reader, writer = await asyncio.open_connection(HOST, PORT)
    finally:
        writer.close()


async def load(paths, clients: int, seconds: float):
    latencies, statuses = [], {}
    deadline = time.perf_counter() + seconds
    start = time.perf_counter()
    await asyncio.gather(*(one_client(paths, deadline, latencies, statuses) for _ in range(clients)))
    return latencies, statuses, time.perf_counter() - start


def get_json(path: str) -> dict:
    with urllib.request.urlopen(f"http://{HOST}:{PORT}{path}", timeout=5) as response:
        return json.loads(response.read())


def main():
    global PORT
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--cache", choices=["auto", "redis", "locmem"], default="auto")
    args = parser.parse_args()
    args.seconds = min(args.seconds, 120)

    started = []
    cache = "redis" if args.cache == "redis" or (args.cache == "auto" and shutil.which("redis-server")) else "locmem"
    if cache == "redis":
        redis_port = free_port()
        started.append(subprocess.Popen(["redis-server", "--bind", HOST, "--port", str(redis_port), "--save", "",
                                         "--appendonly", "no"], stdout=subprocess.DEVNULL))
        os.environ["CACHE_URL"] = f"redis://{HOST}:{redis_port}/0"
        time.sleep(0.5)
    var_dir = setup_django(tempfile.mkdtemp(prefix="bench-resolution-"))
    try:
        labels = certified_demo()
        from django.conf import settings

        PORT = free_port()
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "carbon_portal.settings.embedded", "DJANGO_DEBUG": "0",
               "CARBON_PORTAL_VAR_DIR": var_dir, "DJANGO_ALLOWED_HOSTS": HOST, "LOG_LEVEL": "WARNING",
               "PORTAL_BASE_URL": settings.PORTAL_BASE_URL}
        gunicorn = Path(sys.executable).with_name("gunicorn")
        started.append(subprocess.Popen(
            [str(gunicorn), "carbon_portal.wsgi", "-b", f"{HOST}:{PORT}", "-w", str(args.workers), "-k", "gthread",
             "--threads", str(args.threads), "--keep-alive", "30", "--log-level", "warning"],
            cwd=ROOT, env=env))
        paths = [f"/api/v1/labels/{label.identifier}" for label in labels]
        wait_for(f"http://{HOST}:{PORT}{paths[0]}")
        asyncio.run(load(paths, args.clients, 1.0))  # warm-up: every worker fills its cache

        latencies, statuses, elapsed = asyncio.run(load(paths, args.clients, args.seconds))
        count = len(latencies)
        latencies.sort()
        print(f"label API: {count / elapsed:,.0f} requests/s with {args.clients} concurrent clients over "
              f"{elapsed:.1f} s ({count} requests, statuses {statuses}); latency p50 "
              f"{statistics.median(latencies) * 1000:.1f} ms, p99 {latencies[int(count * 0.99)] * 1000:.1f} ms; "
              f"gunicorn {args.workers} workers × {args.threads} threads, cache {cache}, {os.cpu_count()} CPUs, "
              f"load average {os.getloadavg()[0]:.1f} (target 1,000/s)")

        from carbon_portal.accounts.models import User
        from certificates.services import revoke_label

        revoke_label(label=labels[0], actor=User.objects.get(username="admin"), reason="bench: invalidation check")
        answers = [get_json(paths[0])["status"] for _ in range(max(20, args.workers * 10))]
        revoked = answers.count("revoked")
        print(f"after revocation: {revoked}/{len(answers)} responses say revoked "
              + ("(shared cache: invalidated in every worker)" if revoked == len(answers) else
                 "(per-process cache: the other workers keep their copy for up to LABEL_CACHE_SECONDS)"))
    finally:
        for process in reversed(started):
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


PORT = 0

if __name__ == "__main__":
    main()
