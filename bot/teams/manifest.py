"""The Teams app package an admin uploads: ``manifest.json`` (schema 1.19) and the two
icons mentorbot ships (192×192 colour, 32×32 white outline on transparent).

The manifest declares the bot (personal chat, teams and group chats), the words people
type to it (Teams lists at most 10 per scope), the domain mentorbot is served at, and —
with the Graph permissions on — the resource-specific permission to read back the chats
it is in (the exactly-once look-up). The tenant-wide Graph permissions (users, mailbox
settings, chats, app installations) are granted on the Entra app registration, not
here: see the README.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from bot.errors import MentorbotError

SCHEMA = "https://developer.microsoft.com/json-schemas/teams/v1.19/MicrosoftTeams.schema.json"
MANIFEST_VERSION = "1.19"
ACCENT = "#464EB8"
ICONS = ("color.png", "outline.png")
GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
MAX_COMMANDS = 10  # per command list (Teams' limit)
PERSONAL_COMMANDS = (
    ("signup", "Join a program, or edit your answers: signup [program]"),
    ("profile", "What mentorbot knows about you"),
    ("match", "Your current match, and why you were matched"),
    ("pause", "Skip rounds for a few weeks, or until you resume: pause [weeks]"),
    ("resume", "Take part again"),
    ("leave", "Leave, and delete the answers you gave: leave [program]"),
    ("help", "Everything you can type to mentorbot"),
    ("round", "Program leads: form a round now: round <program>"),
    ("stats", "Program leads: participation and meeting rate: stats <program>"),
    ("dashboard", "Program leads: a link to the web dashboard, for you alone"),
)
TEAM_COMMANDS = (
    ("help", "Everything you can type to mentorbot"),
    ("signup", "Join a program (the form opens in your personal chat)"),
    ("match", "Your current match"),
)
READ_CHATS = {"name": "ChatMessage.Read.Chat", "type": "Application"}


class PackageError(MentorbotError):
    """The package cannot be made; the message says which setting to fix."""


def manifest(*, app_id: str, public_url: str | None, version: str, graph: bool) -> dict[str, Any]:
    if not GUID.match(app_id):
        raise PackageError(
            f"TEAMS_APP_ID {app_id!r} is not an app id (a GUID, from the Azure bot's "
            "Configuration page)"
        )
    parts = urlsplit(public_url or "")
    if parts.scheme != "https" or not parts.hostname:
        raise PackageError(
            "the package needs PUBLIC_URL (or --public-url): the https address mentorbot "
            "is served at, e.g. https://mentorbot.example.com"
        )
    site = f"https://{parts.netloc}"
    data: dict[str, Any] = {
        "$schema": SCHEMA,
        "manifestVersion": MANIFEST_VERSION,
        "version": _semver(version),
        "id": app_id,
        "developer": {
            "name": "mentorbot",
            "websiteUrl": site,
            "privacyUrl": site,
            "termsOfUseUrl": site,
        },
        "name": {"short": "mentorbot", "full": "mentorbot: mentoring and random coffee"},
        "description": {
            "short": "Mentoring and random-coffee matches across your organisation",
            "full": (
                "mentorbot runs mentorship and random-coffee programs in Teams: people sign "
                "up, a pairing engine forms coffee groups that never repeat a pairing while "
                "a new one is possible and matches mentors to mentees on skills, "
                "introductions arrive on schedule with times that suit everyone, a few days "
                "later everyone is asked whether they met, and program leads see the history "
                "and the impact on a dashboard."
            ),
        },
        "icons": {"color": ICONS[0], "outline": ICONS[1]},
        "accentColor": ACCENT,
        "bots": [
            {
                "botId": app_id,
                "scopes": ["personal", "team", "groupChat"],
                "supportsFiles": False,
                "isNotificationOnly": False,
                "commandLists": [
                    {"scopes": ["personal"], "commands": _commands(PERSONAL_COMMANDS)},
                    {"scopes": ["team", "groupChat"], "commands": _commands(TEAM_COMMANDS)},
                ],
            }
        ],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [parts.netloc],
        "webApplicationInfo": {"id": app_id, "resource": f"api://{parts.netloc}/{app_id}"},
    }
    if graph:
        data["authorization"] = {"permissions": {"resourceSpecific": [READ_CHATS]}}
    return data


def package(data: dict[str, Any]) -> bytes:
    """The zip Teams takes: manifest.json and the icons, at its top level."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(data, indent=2, ensure_ascii=False))
        for icon in ICONS:
            archive.writestr(icon, icon_bytes(icon))
    return buffer.getvalue()


def icon_bytes(name: str) -> bytes:
    return resources.files("bot.teams").joinpath("assets", name).read_bytes()


def _commands(commands: tuple[tuple[str, str], ...]) -> list[dict[str, str]]:
    return [{"title": t[:32], "description": d[:128]} for t, d in commands[:MAX_COMMANDS]]


def _semver(version: str) -> str:
    found = re.match(r"^(\d+)\.(\d+)\.(\d+)", version)
    return ".".join(found.groups()) if found else "1.0.0"
