"""``mentorbot db upgrade`` — apply the database migrations."""

from __future__ import annotations

import argparse
from typing import Any

from bot.config import Settings
from storage.db import create_engine, redacted
from storage.migrate import current_revision, upgrade


def add_to(commands: Any) -> None:
    db = commands.add_parser("db", help="database maintenance")
    actions = db.add_subparsers(title="actions", metavar="ACTION", required=True)
    up = actions.add_parser("upgrade", help="apply migrations up to the latest schema")
    up.set_defaults(handler=run_upgrade)


async def run_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    engine = create_engine(settings.database_url, limits=settings.database_limits)
    try:
        before = await current_revision(engine)
        await upgrade(engine)
        after = await current_revision(engine)
    finally:
        await engine.dispose()
    where = redacted(settings.database_url)
    if before == after:
        print(f"{where}: schema already at {after}")
    else:
        print(f"{where}: schema upgraded {before or 'empty'} → {after}")
    return 0
