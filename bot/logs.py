"""Logging set-up for the CLI and the processes it starts."""

from __future__ import annotations

import logging

from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure(level: str = "INFO") -> None:
    logging.basicConfig(level=level, format=FORMAT)
    # Third-party chatter at INFO is noise for operators; keep their warnings.
    for noisy in ("alembic", "apscheduler.executors", "slack_bolt.AsyncApp", "aiosqlite", "httpx"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
    for name in ("slack_bolt.AsyncApp", "slack_bolt.AsyncRequestVerification"):
        bolt = logging.getLogger(name)
        if not any(isinstance(f, QuietBolt) for f in bolt.filters):
            bolt.addFilter(QuietBolt())


class QuietBolt(logging.Filter):
    """Two Bolt messages that do not belong in an operator's log.

    - "`token` will be unused": Bolt reads ``$SLACK_BOT_TOKEN`` too (the name is shared)
      and warns at every start that the client we give it, holding that same token, wins.
    - "Invalid request signature detected (... body: ...)": the whole body of a refused
      request, which may be a real person's text sent with a stale timestamp. The refusal
      is kept, the body is not.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message == warning_client_prioritized_and_token_skipped():
            return False
        if message.startswith("Invalid request signature detected"):
            record.msg, record.args = "Invalid request signature: refused (body not logged)", ()
        return True
