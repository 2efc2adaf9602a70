"""``mentorbot demo`` at a small size: the whole product on a simulated workspace, and
what it prints. The demo must ignore the environment (all traffic stays on loopback)
and leave nothing behind outside its temporary directory."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from bot.cli import main
from bot.slack.simulator.driver import signature_headers


@pytest.fixture
def clean_places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """An empty working directory and an empty temporary directory; the environment
    points Slack and the database somewhere the demo must not use."""
    cwd, scratch = tmp_path / "cwd", tmp_path / "tmp"
    cwd.mkdir()
    scratch.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.delenv("MENTORBOT_CONFIG", raising=False)
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api/")  # nothing listens there
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{cwd / 'must-not-exist.db'}")
    return cwd, scratch


def test_the_demo_runs_rounds_shows_what_people_read_and_the_numbers(
    clean_places: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    cwd, scratch = clean_places

    code = main(["demo", "--people", "12", "--rounds", "2", "--seed", "3"])

    out, err = capsys.readouterr()
    assert code == 0, err
    # the lead created both programs through the form, and everyone signed up through it
    assert "✓ coffee" in out and "✓ mentoring" in out
    assert re.search(r"✓ 12 in coffee, \d+ in mentoring \(\d+ mentors?, \d+ mentees?\)", out)
    # each round's groups, and why they were matched
    for number in (1, 2):
        assert f"Round {number} of coffee formed: 6 groups, 12 people." in out
        assert f"Round {number} of mentoring formed:" in out
    # in the words of the introductions
    pairs = re.findall(r"^ +• \S.* & \S.*: .*(hours overlap for|hours don't overlap)", out, re.M)
    assert len(pairs) == 12
    assert re.search(r"• .+ \(mentor\) → .+: The mentor's skills match the goals: ", out)
    assert re.search(r"\d+ asked · \d+ met · \d+ couldn't make it", out)
    # an introduction and a check-in, rendered as a person reads them
    assert "MEET YOUR COFFEE MATCH" in out and "Why you were matched" in out
    assert "Did you get to meet?" in out and "met ✅" in out and "[ We met ]" in out
    assert "┌" in out and "└" in out
    # repeat-free rounds against the N−1 limit, and the headline numbers
    assert "coffee: 2 of 2 rounds repeat-free" in out
    assert "N−1 = 11 rounds" in out and "2 of 11 reached so far" in out
    assert re.search(r"coffee: 12 enrolled · participation 100%", out)
    assert re.search(r"meeting rate \d+% \(\d+ met of \d+ check-ins answered\)", out)
    assert re.search(r"\d+ new cross-team ties, linking \d+ of the \d+ pairs of teams", out)
    assert "never matched:" in out
    assert "COFFEE IN NUMBERS" in out  # the lead's own /mentor stats
    assert "rate-limit windows shortened ×60" in out
    # the mentoring term: check-ins, a stalled nudge, an early end, closing cards, the gap
    assert re.search(r"The mentoring term: \d+ mentorships of 12 weeks", out)
    assert re.search(r"week 2 check-in \(sent .+\): \d+ asked · \d+ met · \d+ goals moved on", out)
    assert "nudged (stalled)" in out and "it's been a while since you met" in out
    assert "types /mentor end we never found the time" in out
    assert (
        "gets a kind note (without the reason)" in out
        and "we never found" not in out.split("gets a kind note")[1].split("edits the program")[0]
    )
    assert "Matching → The mentee chooses" in out
    assert re.search(
        r"the term is over — \d+ closing cards answered; \d+ mentorships continue", out
    )
    assert (
        "MENTORING IN NUMBERS" in out and "Skills gap (mentees waiting vs mentors offering)" in out
    )
    assert (
        re.search(r"Done in (\d+\.\d) s", out)
        and float(
            re.search(r"Done in (\d+\.\d) s", out).group(1)  # type: ignore[union-attr]
        )
        < 60
    )
    # nothing left behind, and nothing written where the environment pointed
    assert list(cwd.iterdir()) == []
    assert list(scratch.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--people", "3"], "--people must be a whole number from 4 to 500, not '3'"),
        (["--people", "many"], "--people must be a whole number from 4 to 500, not 'many'"),
        (["--rounds", "0"], "--rounds must be a whole number from 1 to 12, not '0'"),
        (
            ["--database-url", "mysql://db/x"],
            "--database-url: DATABASE_URL must be sqlite:/// or postgresql://, not mysql://",
        ),
    ],
)
def test_a_bad_option_is_one_line_and_a_failure(
    clean_places: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    code = main(["demo", *args])

    _, err = capsys.readouterr()
    assert code == 1
    assert err.strip().splitlines() == [f"mentorbot: {message}"]


@pytest.mark.slow
def test_keep_serving_leaves_the_app_up_for_signed_requests_until_ctrl_c(
    clean_places: tuple[Path, Path],
) -> None:
    cwd, scratch = clean_places
    env = {**os.environ, "TMPDIR": str(scratch)}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "demo", "--people", "6", "--keep-serving"],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        shown = _read_until(process, "curl -s http", deadline=time.monotonic() + 120)
        app_url = re.search(r"web app +(http://127\.0\.0\.1:\d+) ", shown).group(1)  # type: ignore[union-attr]
        secret = re.search(r"signing secret +(\w+)", shown).group(1)  # type: ignore[union-attr]
        assert httpx.get(f"{app_url}/healthz", timeout=10).json()["status"] == "ok"
        body = urlencode(
            {"command": "/mentor", "text": "help", "team_id": "T0DEMO", "user_id": "U0002DEMO"}
        )
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            **signature_headers(body, secret),
        }
        answer = httpx.post(f"{app_url}/slack/events", content=body, headers=headers, timeout=10)
        assert answer.status_code == 200 and "/mentor signup" in answer.text
        dashboard = re.search(r"lead dashboard +(http://\S+)", shown).group(1)  # type: ignore[union-attr]
        with httpx.Client(follow_redirects=True, timeout=10) as browser:
            page = browser.get(dashboard)
            assert page.status_code == 200 and "Programs in" in page.text
            assert "coffee" in page.text and "mentoring" in page.text
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "Stopping." in out
    assert list(cwd.iterdir()) == []
    assert list(scratch.iterdir()) == []


def _read_until(process: subprocess.Popen[str], marker: str, *, deadline: float) -> str:
    assert process.stdout is not None
    seen = ""
    while marker not in seen:
        line = process.stdout.readline()
        if not line or time.monotonic() > deadline:
            raise AssertionError(f"the demo stopped early or hung:\n{seen}")
        seen += line
    return seen
