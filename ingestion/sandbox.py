"""Untrusted files are parsed in a box: a child process with limits on CPU time, memory and the
size of what it sends back, so that a decompression bomb or a parser's worst case costs seconds
of one child, never minutes (or the memory) of a web or Celery worker.

    from ingestion import sandbox
    pages = sandbox.run("ingestion.evidence.content:pdf_page_sizes", data)

The target is named as ``"module:function"`` and imported in the child only, so the caller does
not load the parsing stack (pdfplumber, pdfium, Tesseract). Its return value comes back pickled;
an exception it raises is raised again in the caller. The box refuses with :class:`ResourceLimit`
(``code``: ``cpu``, ``memory``, ``output``, ``time``, ``crashed``); its message says it to a person.

Children are forked by a fork server (``multiprocessing`` "forkserver"), which loads the parsing
modules once: no thread or database connection of the caller is inherited, and a child starts in
milliseconds. Limits: ``RLIMIT_CPU`` (SIGXCPU past the soft limit), ``RLIMIT_AS`` (a MemoryError or
a failed allocation in C), the pickled answer's size, and a wall-clock deadline (Tesseract runs in
its own processes, whose CPU the child's limit does not count; they inherit the limits themselves).
Settings: ``SANDBOX_CPU_SECONDS``, ``SANDBOX_MEMORY_BYTES``, ``SANDBOX_OUTPUT_BYTES``, ``SANDBOX_WALL_SECONDS``.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import pickle
import resource
import signal
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

# Loaded once by the fork server, so that children start warm. Pure modules: no Django set-up.
PRELOAD = ["ingestion.extraction", "pypdfium2", "pdfplumber", "PIL.Image"]
_context = None
_context_lock = threading.Lock()


@dataclass(frozen=True)
class Limits:
    cpu_seconds: int
    memory_bytes: int
    output_bytes: int
    wall_seconds: float

    @classmethod
    def from_settings(cls, **overrides) -> Limits:
        values = {"cpu_seconds": settings.SANDBOX_CPU_SECONDS, "memory_bytes": settings.SANDBOX_MEMORY_BYTES,
                  "output_bytes": settings.SANDBOX_OUTPUT_BYTES, "wall_seconds": settings.SANDBOX_WALL_SECONDS}
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)


class ResourceLimit(Exception):
    """The file needed more than the box allows; ``code`` says which limit."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


def _get_context():
    global _context
    with _context_lock:
        if _context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)
            _context = context
        return _context


def run(target: str, *args, limits: Limits | None = None, **kwargs):
    """``target(*args, **kwargs)`` in a child process within ``limits`` (default: the settings)."""
    limits = limits or Limits.from_settings()
    context = _get_context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, target, args, kwargs, limits), daemon=True)
    started = time.monotonic()
    process.start()
    sender.close()
    try:
        answer = _receive(receiver, process, limits, started)
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(5)
    if answer is None:
        raise _refusal(process.exitcode, time.monotonic() - started, limits)
    status, value = answer
    if status == "ok":
        return value
    if status == "limit":
        raise ResourceLimit(_message(value, limits), value)
    raise value


def _receive(receiver, process, limits: Limits, started: float):
    deadline = started + limits.wall_seconds
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            process.kill()
            raise ResourceLimit(_message("time", limits), "time")
        if receiver.poll(min(remaining, 0.5)):
            try:
                return pickle.loads(receiver.recv_bytes(maxlength=limits.output_bytes + 65536))
            except (EOFError, OSError):  # the child died before (or while) answering
                process.join(5)
                return None
        if not process.is_alive() and not receiver.poll(0):
            process.join(5)
            return None


def _refusal(exitcode: int | None, elapsed: float, limits: Limits) -> ResourceLimit:
    if exitcode in (-signal.SIGXCPU, -signal.SIGKILL) and elapsed < limits.wall_seconds:
        return ResourceLimit(_message("cpu", limits), "cpu")
    if exitcode in (-signal.SIGSEGV, -signal.SIGABRT, -signal.SIGBUS):  # most often a failed allocation in C
        return ResourceLimit(_message("memory", limits), "memory")
    return ResourceLimit(_message("crashed", limits), "crashed")


def _message(code: str, limits: Limits) -> str:
    if code == "cpu":
        return _("Reading the file took more than %(seconds)d seconds of processing; it was stopped. "
                 "Is it a valid, ordinary invoice file?") % {"seconds": limits.cpu_seconds}
    if code == "memory":
        return _("Reading the file needed more than %(size)d MiB of memory; it was stopped. "
                 "Is it a valid, ordinary invoice file?") % {"size": limits.memory_bytes // 1048576}
    if code == "output":
        return _("Reading the file produced more than %(size)d MiB of data; it was stopped.") % {
            "size": limits.output_bytes // 1048576}
    if code == "time":
        return _("Reading the file took more than %(seconds)d seconds; it was stopped.") % {
            "seconds": limits.wall_seconds}
    return _("The file could not be read: its reader stopped unexpectedly.")


# The child ---------------------------------------------------------------------------------------
def _child(sender, target: str, args, kwargs, limits: Limits) -> None:
    try:
        _limit(resource.RLIMIT_CPU, limits.cpu_seconds, limits.cpu_seconds + 2)
        _limit(resource.RLIMIT_AS, limits.memory_bytes, limits.memory_bytes)
        module, _colon, name = target.partition(":")
        function = getattr(importlib.import_module(module), name)
        answer = ("ok", function(*args, **kwargs))
    except MemoryError:
        answer = ("limit", "memory")
    except BaseException as error:  # noqa: BLE001 -- sent to the caller, who raises it
        answer = ("error", error)
    try:
        data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        data = pickle.dumps(("limit", "memory"))
    except Exception as error:  # noqa: BLE001 -- an answer that cannot be pickled
        data = pickle.dumps(("error", RuntimeError(f"unpicklable answer: {type(error).__name__}")))
    if len(data) > limits.output_bytes:
        data = pickle.dumps(("limit", "output"))
    sender.send_bytes(data)
    sender.close()
    os._exit(0)  # no clean-up of the preloaded libraries: the process is done


def _limit(kind: int, soft: int, hard: int) -> None:
    _current_soft, current_hard = resource.getrlimit(kind)
    if current_hard != resource.RLIM_INFINITY:
        hard = min(hard, current_hard)
        soft = min(soft, hard)
    resource.setrlimit(kind, (soft, hard))
