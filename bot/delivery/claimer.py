"""Who holds an outbox row: this process's name, and whether a named process still lives.

A claim carries ``host/pid/start-time``. When ``round run`` is run again after the
previous one was killed, the rows the dead process held would otherwise wait for their
lease (a minute) to run out; a process on the same host can see that the claimer is
gone — its pid no longer exists, or now belongs to a process started at another time —
and take the rows over at once. Claimers on other hosts are never judged: their leases
run out as usual.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path


def this_process() -> str:
    pid = os.getpid()
    return f"{socket.gethostname()}/{pid}/{_started(pid) or 0}"


def is_dead(claimer: str) -> bool:
    """True only when ``claimer`` ran on this host and is certainly gone."""
    try:
        host, pid_text, started_text = claimer.split("/")
        pid, started = int(pid_text), int(started_text)
    except ValueError:
        return False
    if host != socket.gethostname() or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, and someone else's
        return False
    now_started = _started(pid)
    return bool(started and now_started and now_started != started)


def _started(pid: int) -> int | None:
    """The process's start time in clock ticks since boot (Linux), None elsewhere."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rpartition(")")[2].split()
    try:
        return int(fields[19])  # field 22 of /proc/<pid>/stat, counted after "(comm)"
    except (IndexError, ValueError):
        return None
