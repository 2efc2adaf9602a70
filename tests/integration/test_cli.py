"""The console script as an operator runs it, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def _mentorbot(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None):
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env={**os.environ, **(env or {})},
    )


def test_help_lists_the_commands() -> None:
    result = _mentorbot("--help")
    assert result.returncode == 0
    for command in ("serve", "db"):
        assert command in result.stdout


def test_db_upgrade_migrates_and_is_idempotent(database_url: str) -> None:
    first = _mentorbot("db", "upgrade", env={"DATABASE_URL": database_url})
    second = _mentorbot("db", "upgrade", env={"DATABASE_URL": database_url})
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0 and "already at" in second.stdout


def test_a_broken_config_stops_start_up_with_one_line_and_exit_code_2(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text('[[programs]]\nname = "coffee"\nschedule = "when pigs fly"\n')
    result = _mentorbot("--config", str(config), "serve")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "programs[0] ('coffee').schedule" in lines[0]
    assert "Traceback" not in result.stderr


def test_the_config_file_may_also_follow_the_command(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text('[[programs]]\nname = "coffee"\nschedule = "0 9 * * 8"\n')
    result = _mentorbot("db", "upgrade", "--config", str(config))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"mentorbot: configuration error: {config}: programs[0] ('coffee').schedule: "
        "'8' is not a day of the week (0-7, 0 and 7 are Sunday)"
    )


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("postgresql://mentorbot:s3cret@127.0.0.1:9/x", "Connection refused"),  # (uvloop's words)
        ("postgresql://postgres:s3cret@127.0.0.1:5432/mentorbot_no_such_db", "does not exist"),
    ],
)
def test_a_database_it_cannot_use_is_one_line_without_the_password(url: str, reason: str) -> None:
    result = _mentorbot("db", "upgrade", env={"DATABASE_URL": url})
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("mentorbot: cannot use the database postgresql://")
    assert reason in line and "s3cret" not in line


def test_serve_migrates_the_embedded_database_and_answers_healthz(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/fresh.db", "MENTORBOT_CONFIG": ""}
    env.pop("SLACK_BOT_TOKEN", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        body = _wait_for_json(f"http://127.0.0.1:{port}/healthz", process)
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert body["database"] == {"reachable": True, "backend": "sqlite"}
    assert (tmp_path / "fresh.db").exists()


def _wait_for_json(url: str, process: subprocess.Popen[bytes]) -> dict:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            pytest.fail(f"serve exited early: {output}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                return json.loads(response.read())
        except OSError:
            time.sleep(0.2)
    pytest.fail("serve did not answer in time")


def test_the_demo_runs_on_its_own_world_whatever_the_config_file_says(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[[programs]]\nname = "x"\nschedule = "never"\n')
    result = _mentorbot(
        "demo", "--people", "6", "--rounds", "1", cwd=tmp_path, env={"DATABASE_URL": "mysql://x"}
    )
    assert result.returncode == 0, result.stderr
    assert "Round 1" in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.toml"]
