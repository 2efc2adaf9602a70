"""Two Bolt log messages that do not belong in an operator's log (installed whenever
the Slack adapter is created).

- "`token` will be unused": Bolt reads ``$SLACK_BOT_TOKEN`` too (the name is shared)
  and warns at every start that the client we give it, holding that same token, wins.
- "Invalid request signature detected (... body: ...)": the whole body of a refused
  request, which may be a real person's text sent with a stale timestamp. The refusal
  is kept, the body is not.
"""

from __future__ import annotations

import logging

from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped

BOLT_LOGGERS = ("slack_bolt.AsyncApp", "slack_bolt.AsyncRequestVerification")


class QuietBolt(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message == warning_client_prioritized_and_token_skipped():
            return False
        if message.startswith("Invalid request signature detected"):
            record.msg, record.args = "Invalid request signature: refused (body not logged)", ()
        return True


def quiet_bolt() -> None:
    for name in BOLT_LOGGERS:
        bolt = logging.getLogger(name)
        if not any(isinstance(f, QuietBolt) for f in bolt.filters):
            bolt.addFilter(QuietBolt())
