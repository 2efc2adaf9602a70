"""``mentorbot``: the command line. Every command exits non-zero with one line on failure.

Each command lives in its own module with ``add_to(subparsers)``; the module sets
``handler`` to a coroutine ``(args, settings) -> exit code``. A command that must not
read the operator's settings (the demo runs on a world of its own) also sets
``uses_settings=False`` and gets None.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence

from bot import __version__, logs
from bot.cli import checkins, clock, db, demo, history, rounds, serve, worker
from bot.config import ConfigError, load_settings
from bot.errors import MentorbotError
from bot.platform import PlatformError
from storage.db import UnsupportedDatabase

COMMANDS = (serve, db, rounds, checkins, history, clock, worker, demo)
EXIT_FAILURE, EXIT_CONFIG, EXIT_INTERRUPTED = 1, 2, 130

log = logging.getLogger("mentorbot")


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="mentorbot",
        description="Mentorship and random-coffee programs for Slack and Microsoft Teams.",
    )
    root.add_argument("--version", action="version", version=f"mentorbot {__version__}")
    root.add_argument(
        "--config",
        metavar="PATH",
        help="TOML settings file (default: $MENTORBOT_CONFIG or ./config.toml)",
    )
    root.add_argument("--log-level", default=None, help="DEBUG, INFO, WARNING or ERROR")
    commands = root.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for command in COMMANDS:
        command.add_to(commands)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    settings = None
    if getattr(args, "uses_settings", True):
        try:
            settings = load_settings(args.config)
        except ConfigError as exc:
            print(f"mentorbot: configuration error: {exc}", file=sys.stderr)
            return EXIT_CONFIG
    logs.configure((args.log_level or (settings.log_level if settings else "INFO")).upper())
    try:
        return int(asyncio.run(args.handler(args, settings)))
    except (MentorbotError, PlatformError, UnsupportedDatabase) as exc:
        print(f"mentorbot: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as exc:  # one line for the operator, the traceback in the log
        log.debug("unexpected failure", exc_info=True)
        print(f"mentorbot: unexpected error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FAILURE
