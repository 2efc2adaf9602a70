"""``mentorbot teams package`` — the Teams app package (manifest and icons) to upload."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.errors import MentorbotError

DEFAULT_OUTPUT = "mentorbot-teams.zip"


def add_to(commands: Any) -> None:
    teams = commands.add_parser("teams", help="Microsoft Teams: the app package")
    actions = teams.add_subparsers(title="teams commands", metavar="ACTION", required=True)
    package = actions.add_parser(
        "package", help="write the Teams app package (manifest.json and icons) to upload"
    )
    package.add_argument(
        "--output", default=DEFAULT_OUTPUT, metavar="PATH", help=f"default {DEFAULT_OUTPUT}"
    )
    package.add_argument(
        "--public-url",
        metavar="URL",
        help="the https address mentorbot is served at (default: PUBLIC_URL)",
    )
    package.set_defaults(handler=run_package)


async def run_package(args: argparse.Namespace, settings: Settings) -> int:
    from bot import __version__
    from bot.teams.manifest import manifest, package

    if settings.teams_app_id is None:
        raise MentorbotError(
            "the package is for a Teams app: set TEAMS_APP_ID and TEAMS_APP_PASSWORD first"
        )
    data = manifest(
        app_id=settings.teams_app_id,
        public_url=args.public_url or settings.public_url,
        version=__version__,
        graph=settings.teams_graph_permissions,
    )
    output = Path(args.output)
    try:
        await asyncio.to_thread(output.write_bytes, package(data))
    except OSError as exc:
        raise MentorbotError(f"cannot write {output}: {exc.strerror or exc}") from None
    print(
        f"Wrote {output}: manifest.json (schema {data['manifestVersion']}), color.png, outline.png"
    )
    print(
        "Upload it in Teams: Apps → Manage your apps → Upload an app (or the Teams admin center)."
    )
    return 0
