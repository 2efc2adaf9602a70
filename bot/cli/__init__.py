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
import os
import sys
from collections.abc import Callable, Iterator, Sequence

import aiohttp
from sqlalchemy.exc import DBAPIError

from bot import __version__, logs
from bot.cli import checkins, clock, db, demo, history, impact, rounds, serve, teams, worker
from bot.config import ConfigError, load_settings
from bot.errors import MentorbotError
from bot.platform import PlatformError
from bot.unavailable import as_unavailable
from storage.db import UnsupportedDatabase, redacted

COMMANDS = (serve, db, rounds, checkins, history, impact, clock, worker, teams, demo)
EXIT_FAILURE, EXIT_CONFIG, EXIT_INTERRUPTED = 1, 2, 130

log = logging.getLogger("mentorbot")


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="mentorbot",
        description="Mentorship and random-coffee programs for Slack and Microsoft Teams.",
    )
    root.add_argument("--version", action="version", version=f"mentorbot {__version__}")
    _add_common(root, default=None)
    commands = root.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for command in COMMANDS:
        command.add_to(commands)
    for leaf in _leaves(root):  # `mentorbot serve --config x.toml` works as well
        if leaf.get_default("uses_settings") is not False:
            _add_common(leaf, default=argparse.SUPPRESS)
    return root


def _add_common(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--config",
        metavar="PATH",
        default=default,
        help="TOML settings file (default: $MENTORBOT_CONFIG or ./config.toml)",
    )
    parser.add_argument("--log-level", default=default, help="DEBUG, INFO, WARNING or ERROR")


def _leaves(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """The parsers of the commands themselves (``db upgrade``, ``round run``, ``serve``)."""
    subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subparsers:
        yield parser
    for action in subparsers:
        for child in action.choices.values():
            yield from _leaves(child)


def _event_loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop where it is installed (Linux, macOS): the web process answers a burst of
    Slack requests in about two thirds of the CPU time of asyncio's own loop."""
    try:
        import uvloop
    except ImportError:  # Windows
        return None
    return uvloop.new_event_loop


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
        import uvloop

        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            return int(runner.run(args.handler(args, settings)))
    except (MentorbotError, PlatformError, UnsupportedDatabase) as exc:
        print(f"mentorbot: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except BrokenPipeError:  # `mentorbot history ... | head`: the reader has had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILURE
    except (DBAPIError, OSError, aiohttp.ClientError) as exc:
        if isinstance(exc, DBAPIError) or as_unavailable(exc) is not None:
            # server down, no such database, login refused
            cause = exc.orig if isinstance(exc, DBAPIError) else exc
            reason = (str(cause).splitlines() or [type(cause).__name__])[0]
            where = redacted(settings.database_url) if settings else "the database"
            print(f"mentorbot: cannot use the database {where}: {reason}", file=sys.stderr)
            return EXIT_FAILURE
        if isinstance(exc, ConnectionError | TimeoutError | aiohttp.ClientError):
            return _network_failure(exc)
        return _unexpected(exc)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as exc:  # one line for the operator, the traceback in the log
        return _unexpected(exc)


def _unexpected(exc: BaseException) -> int:
    log.debug("unexpected failure", exc_info=True)
    print(f"mentorbot: unexpected error: {type(exc).__name__}: {exc}", file=sys.stderr)
    return EXIT_FAILURE


def _network_failure(exc: BaseException) -> int:
    """A connection that was reset, refused or timed out: transient, not a bug."""
    reason = (str(exc).splitlines() or [""])[0] or type(exc).__name__
    print(
        f"mentorbot: a network connection failed ({type(exc).__name__}: {reason}); "
        "this is usually transient: run the command again",
        file=sys.stderr,
    )
    return EXIT_FAILURE
