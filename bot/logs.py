"""Logging set-up for the CLI and the processes it starts."""

from __future__ import annotations

import logging

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Third-party chatter at INFO is noise for operators; their warnings are kept.
NOISY = ("alembic", "apscheduler.executors", "slack_bolt.AsyncApp", "aiosqlite", "httpx")


def configure(level: str = "INFO") -> None:
    logging.basicConfig(level=level, format=FORMAT)
    for noisy in NOISY:
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
