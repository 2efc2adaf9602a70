"""Reading what people type into forms and buttons: tag lists, whole numbers, clock times.

Each reader returns the value or raises ``ValueError`` with a message meant for the
person; the caller puts that message on the field at fault. Nothing here trusts the
form's own limits (a forged or buggy client may send anything).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
MAX_TAGS = 25
MAX_TAG_LENGTH = 60
MAX_TAGS_TEXT = 2000
MAX_SHORT_TEXT = 80
_SEPARATORS = re.compile(r"[,;\n\r\t•·|]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_ID = re.compile(r"[0-9]{1,10}")
MAX_ID = 2**31 - 1  # row ids are 32-bit integers on PostgreSQL


def record_id(raw: object) -> int | None:
    """A row id from a form or a button value, or None when it cannot be one.

    Only ASCII digits, and at most ``MAX_ID``: ``"²"`` passes ``str.isdigit`` but not
    ``int``, and a larger number overflows the database's integer column.
    """
    text = raw if isinstance(raw, str) else str(raw) if isinstance(raw, int) else ""
    if not _ID.fullmatch(text):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


def tags(text: str | None, *, what: str = "items", most: int = MAX_TAGS) -> tuple[str, ...]:
    """``"Python, cooking;\\n climbing"`` → ``("Python", "cooking", "climbing")``.

    Duplicates (ignoring case) are dropped; the first spelling is kept.
    """
    raw = _CONTROL.sub("", text or "")
    if len(raw) > MAX_TAGS_TEXT:
        raise ValueError(f"Please keep this under {MAX_TAGS_TEXT} characters.")
    found: list[str] = []
    seen: set[str] = set()
    for part in _SEPARATORS.split(raw):
        item = " ".join(part.split()).strip(" -*")
        if not item or item.casefold() in seen:
            continue
        if len(item) > MAX_TAG_LENGTH:
            raise ValueError(
                f"“{item[:20]}…” is long — separate {what} with commas "
                f"(each up to {MAX_TAG_LENGTH} characters)."
            )
        seen.add(item.casefold())
        found.append(item)
    if len(found) > most:
        raise ValueError(f"Please name at most {most} {what}.")
    return tuple(found)


def whole_number(text: str | None, *, low: int, high: int) -> int | None:
    """A whole number between ``low`` and ``high``; None when the field was left empty."""
    clean = (text or "").strip()
    if not clean:
        return None
    if not re.fullmatch(r"[+]?\d{1,6}", clean):
        raise ValueError(f"Please enter a whole number from {low} to {high}.")
    value = int(clean)
    if not low <= value <= high:
        raise ValueError(f"Please enter a whole number from {low} to {high}.")
    return value


def clock_minutes(text: str | None) -> int | None:
    """``"09:30"`` → 570 minutes since midnight; None when empty."""
    clean = (text or "").strip()
    if not clean:
        return None
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", clean)
    if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise ValueError("Please pick a time of day, like 09:00.")
    return int(match.group(1)) * 60 + int(match.group(2))


def short_text(text: str | None, *, limit: int = MAX_SHORT_TEXT) -> str | None:
    """One line of text (a team, a name); None when empty."""
    clean = " ".join(_CONTROL.sub("", text or "").split())
    if len(clean) > limit:
        raise ValueError(f"Please keep this under {limit} characters.")
    return clean or None


def hhmm(minutes: int) -> str:
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"


def collect(errors: dict[str, str], name: str, reader: Callable[[], T], default: T) -> T:
    """``reader()``, or ``default`` with the reader's message recorded for field ``name``."""
    try:
        return reader()
    except ValueError as exc:
        errors[name] = str(exc)
        return default
