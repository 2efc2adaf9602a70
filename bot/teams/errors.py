"""Microsoft's HTTP answers, as the port's error classes.

- 429: ``RateLimited`` for ``Retry-After`` (seconds or an HTTP date; 1 s when absent);
- 412, 5xx, timeouts and dropped connections: ``TransientError`` (Microsoft asks bots
  to retry 412, 502 and 504);
- 401: ``TransientError`` too — a token problem is the operator's to fix, and must not
  mark anyone unreachable;
- 403 ``MessageWritesBlocked`` (the person blocked or removed the bot) and other 403s,
  404, 400, 413: ``PermanentError``, with Microsoft's error code as the code.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from bot.platform import PermanentError, PlatformError, RateLimited, TransientError

BLOCKED = "MessageWritesBlocked"
DEFAULT_RETRY_AFTER = 1.0
MAX_RETRY_AFTER = 600.0
RETRIED = frozenset({401, 408, 412})


def classify(what: str, status: int, headers: Mapping[str, str], text: str) -> PlatformError:
    code = error_code(text)
    if status == 429:
        return RateLimited(what, retry_after(headers.get("Retry-After")))
    if status >= 500 or status in RETRIED:
        return TransientError(f"{what}: HTTP {status} {code}".strip(), code=f"http_{status}")
    if status == 403 and BLOCKED in text:
        return PermanentError(f"{what}: the person blocked or removed the bot", code=BLOCKED)
    if 400 <= status < 500:
        return PermanentError(
            f"{what}: HTTP {status} {code}".strip(), code=code or f"http_{status}"
        )
    return TransientError(f"{what}: unexpected HTTP {status}", code=f"http_{status}")


def error_code(text: str) -> str:
    """Microsoft's error code in a response body (``error.code``), if there is one."""
    try:
        body: Any = json.loads(text) if text else None
    except ValueError:
        return ""
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict) and isinstance(error.get("code"), str):
        return str(error["code"])[:80]
    if isinstance(error, str):
        return error[:80]
    return ""


def retry_after(value: str | None) -> float:
    if not value:
        return DEFAULT_RETRY_AFTER
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return DEFAULT_RETRY_AFTER
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)
