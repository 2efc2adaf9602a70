"""Logging set-up for the CLI and the processes it starts."""

from __future__ import annotations

import logging

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure(level: str = "INFO") -> None:
    logging.basicConfig(level=level, format=FORMAT)
    # Third-party chatter at INFO is noise for operators; keep their warnings.
    for noisy in ("alembic", "apscheduler.executors", "slack_bolt.AsyncApp", "aiosqlite", "httpx"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
