"""Small pieces of wording shared by the builders: quoting people's text, times, rates."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.messages import literal

MAX_QUOTED = 300


escape = literal  # people's own text, shown as it is (see bot.messages on the markup)


def quote(text: str | None, limit: int = MAX_QUOTED) -> str:
    """Someone's own text, shown literally: markup characters cannot format, mention
    ``@channel`` or break the message, and it is clipped to ``limit`` characters."""
    clean = " ".join((text or "").split())
    if len(clean) > limit:
        clean = clean[: limit - 1] + "…"
    return escape(clean)


def listing(items: Iterable[str], *, limit: int = 12) -> str:
    """``a, b and c`` (each item quoted), ``… and 3 more`` past ``limit``."""
    shown = [quote(item, 60) for item in items]
    if not shown:
        return ""
    extra = len(shown) - limit
    if extra > 0:
        shown = [*shown[:limit], f"{extra} more"]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def zone(time_zone: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def when(moment: datetime, time_zone: str | None) -> str:
    """``Mon 30 Nov, 09:00`` in ``time_zone`` (the reader's)."""
    local = moment.astimezone(zone(time_zone))
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"


def day(moment: datetime, time_zone: str | None) -> str:
    local = moment.astimezone(zone(time_zone))
    return f"{local:%A} {local.day} {local:%B}"


def percent(rate: float | None) -> str:
    return "–" if rate is None else f"{round(rate * 100)}%"


def minutes_of_day(minutes: int) -> str:
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"


def count(number: int, noun: str) -> str:
    """``1 group``, ``3 groups``."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
