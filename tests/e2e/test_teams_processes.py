"""What a whole process does with the Teams settings and the SDK: nothing is imported
until Teams is configured, and a ``.env`` in the working directory — which the SDK
would load into the environment — changes nothing (checked in fresh interpreters)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.e2e.teams_helpers import APP_ID, PASSWORD

PROBE = r"""
import asyncio, json, os, sys
import httpx
from bot.bootstrap import build
from bot.config import load_settings
from bot.web import create_app

SDK = "microsoft_teams."
WATCHED = ("CLIENT_ID", "SERVICE_URL", "DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS", "TEAMS_APP_ID")

async def main():
    settings = load_settings(None)
    core = build(settings)
    app = create_app(core)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
        unsigned = await client.post("/api/messages", content=b'{"type": "message"}')
    await core.aclose()
    print(json.dumps({
        "teams": settings.teams_configured,
        "platforms": list(core.platforms.names()),
        "sdk_loaded": sorted({m.split(".")[1] for m in sys.modules if m.startswith(SDK)}),
        "status": unsigned.status_code,
        "environment": {k: os.environ.get(k) for k in WATCHED},
    }))

asyncio.run(main())
"""
DOTENV = (
    "DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS=true\n"
    "CLIENT_ID=someone-else\n"
    "SERVICE_URL=https://evil.example/\n"
    "TEAMS_APP_ID=00000000-0000-0000-0000-000000000000\n"
    "TEAMS_APP_PASSWORD=from-dotenv\n"
)


def _probe(cwd: Path, **env: str) -> dict[str, object]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TEAMS_", "SLACK_"))}
    clean.pop("DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS", None)
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=cwd,
        env={**clean, "MENTORBOT_CONFIG": "", "PYTHONPATH": str(Path.cwd()), **env},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def test_without_teams_settings_the_sdk_is_never_imported_and_a_dotenv_does_not_turn_it_on(
    tmp_path: Path,
) -> None:
    (tmp_path / ".env").write_text(DOTENV)
    found = _probe(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'a.db'}")
    assert found["teams"] is False and found["platforms"] == []
    assert found["sdk_loaded"] == []
    assert found["status"] == 404  # no Teams endpoint at all


def test_with_teams_configured_a_dotenv_in_the_working_directory_changes_nothing(
    tmp_path: Path,
) -> None:
    (tmp_path / ".env").write_text(DOTENV)
    found = _probe(
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path / 'b.db'}",
        TEAMS_APP_ID=APP_ID,
        TEAMS_APP_PASSWORD=PASSWORD,  # production tokens: the SDK's msal token manager loads
        TEAMS_OPENID_METADATA_URL="http://127.0.0.1:9/never-called",
    )
    assert found["teams"] is True and found["platforms"] == ["teams"]
    assert "apps" in found["sdk_loaded"] and "api" in found["sdk_loaded"]
    assert found["environment"] == {
        "CLIENT_ID": None,
        "SERVICE_URL": None,
        "DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS": None,
        "TEAMS_APP_ID": APP_ID,
    }
    assert found["status"] == 401  # still authenticated, whatever the .env says
