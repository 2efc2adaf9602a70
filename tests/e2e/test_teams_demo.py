"""``mentorbot demo --platform teams`` at a small size: the same story as the Slack demo
on a simulated Teams tenant (programs and signups through the forms, as dialogs), what
it prints, and that it ignores the operator's Teams settings and leaves nothing behind."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest

from bot.cli import main


def test_the_teams_demo_runs_rounds_in_group_chats_and_shows_the_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cwd, scratch = tmp_path / "cwd", tmp_path / "tmp"
    cwd.mkdir()
    scratch.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.delenv("MENTORBOT_CONFIG", raising=False)
    for name, value in {  # an operator's real settings: the demo must not touch them
        "TEAMS_APP_ID": "00000000-0000-0000-0000-000000000000",
        "TEAMS_APP_PASSWORD": "real-secret",
        "TEAMS_OPENID_METADATA_URL": "http://127.0.0.1:9/openid",
        "TEAMS_GRAPH_URL": "http://127.0.0.1:9/graph/",
        "TEAMS_TOKEN_URL": "http://127.0.0.1:9/token",
        "DATABASE_URL": f"sqlite:///{cwd / 'must-not-exist.db'}",
    }.items():
        monkeypatch.setenv(name, value)

    code = main(["demo", "--platform", "teams", "--people", "8", "--rounds", "2", "--seed", "5"])

    out, err = capsys.readouterr()
    assert code == 0, err
    assert "on a simulated Microsoft Teams tenant" in out
    assert "✓ a welcome and the home card" in out
    assert "✓ coffee" in out and "✓ mentoring" in out  # through the program dialog
    assert re.search(r"✓ 8 in coffee, \d+ in mentoring \(\d+ mentors?, \d+ mentees?\)", out)
    for number in (1, 2):
        assert f"Round {number} of coffee formed: 4 groups, 8 people." in out
        assert f"Round {number} of mentoring formed:" in out
    assert "group chats so far" in out
    assert re.search(r"\d+ asked · \d+ met · \d+ couldn't make it", out)
    assert "MEET YOUR COFFEE MATCH" in out and "[ We met ]" in out
    assert "after one of them answered (redrawn in place)" in out
    assert "coffee: 2 of 2 rounds repeat-free" in out
    assert "COFFEE IN NUMBERS" in out
    assert re.search(r"no answer · \d+ said what came of it", out)  # the follow-up, on Teams
    assert "E-I index of the company network" in out and "start −1.00 → 1: " in out
    assert not re.search(r"/mentor(?!bot)", out)  # commands read as the words typed
    assert list(cwd.iterdir()) == [] and list(scratch.iterdir()) == []
