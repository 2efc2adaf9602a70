"""Telling whether the process that claimed an outbox row is still alive."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

from bot.delivery.claimer import is_dead, this_process


def test_this_process_is_alive() -> None:
    assert not is_dead(this_process())


def test_a_process_that_exited_is_dead_and_one_on_another_host_is_never_judged() -> None:
    child = subprocess.Popen(["sleep", "30"])
    try:
        stat = Path(f"/proc/{child.pid}/stat").read_text()
        started = stat.rpartition(")")[2].split()[19]
        claimer = f"{socket.gethostname()}/{child.pid}/{started}"
        assert not is_dead(claimer)
    finally:
        child.kill()
        child.wait()
    assert is_dead(claimer)
    assert not is_dead(f"elsewhere.example/{child.pid}/{started}")


def test_a_reused_pid_counts_as_a_new_process() -> None:
    started = this_process().split("/")[2]
    assert is_dead(f"{socket.gethostname()}/1/{int(started) + 12345}")
    assert not is_dead("not a claimer")
