"""Failures of what mentorbot depends on, told to people as such — not as a bug.

A database that is down, stuck or overloaded, or a chat platform that keeps failing,
is no fault of the person asking and no defect to page anyone about: they get a polite
"try again in a minute" and the log gets one warning line, not a traceback.
``as_unavailable(error)`` is that translation (None for anything else).
"""

from __future__ import annotations

import sqlite3

import sqlalchemy.exc

from bot.errors import MentorbotError
from bot.platform import TransientError


class DatabaseUnavailable(MentorbotError):
    def __init__(self) -> None:
        super().__init__(
            "Sorry — I can't reach my database right now, so I couldn't do that. "
            "Please try again in a minute."
        )


class PlatformUnavailable(MentorbotError):
    def __init__(self) -> None:
        super().__init__(
            "Sorry — Slack didn't answer me just now, so I couldn't do that. "
            "Please try again in a minute."
        )


_DATABASE_ERRORS: tuple[type[BaseException], ...] = (
    sqlalchemy.exc.OperationalError,  # server gone, "database is locked", statement timeout
    sqlalchemy.exc.InterfaceError,  # the connection was closed under us
    sqlalchemy.exc.TimeoutError,  # no free connection in the pool in time
    sqlalchemy.exc.DisconnectionError,
    sqlite3.OperationalError,
)


def as_unavailable(error: BaseException) -> MentorbotError | None:
    """The person-facing form of an infrastructure failure, or None if it is not one."""
    if isinstance(error, TransientError):
        return PlatformUnavailable()
    if isinstance(error, _DATABASE_ERRORS):
        return DatabaseUnavailable()
    if isinstance(error, sqlalchemy.exc.DBAPIError) and (
        error.connection_invalidated or _is_timeout(error.orig)
    ):
        return DatabaseUnavailable()
    if isinstance(error, OSError) and _from_database(error):  # timeouts, resets, refusals
        return DatabaseUnavailable()
    return None


def _is_timeout(orig: BaseException | None) -> bool:
    # asyncpg: QueryCanceledError (statement_timeout), ConnectionDoesNotExistError …
    name = type(orig).__name__ if orig is not None else ""
    return name in {
        "QueryCanceledError",
        "ConnectionDoesNotExistError",
        "CannotConnectNowError",
        "TooManyConnectionsError",
        "AdminShutdownError",
    }


def _from_database(error: OSError) -> bool:
    """Raised by the database driver: a connection refused, reset or timed out."""
    tb = error.__traceback__
    while tb is not None:
        module = tb.tb_frame.f_globals.get("__name__", "")
        if module.startswith(("asyncpg", "sqlalchemy", "aiosqlite")):
            return True
        tb = tb.tb_next
    return False
