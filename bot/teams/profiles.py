"""A person's profile on Teams, from what Teams and Graph say about them.

- Name: Graph's ``displayName`` (or the Bot Connector's member ``name``, or the name on
  the activity they just sent).
- Title, department, manager: Graph (``jobTitle``, ``department``, ``manager``).
- Time zone: Graph's ``mailboxSettings`` (a Windows name such as ``W. Europe Standard
  Time``, mapped to IANA with CLDR's table), else the IANA zone the Teams client reports
  on the person's own activities, else what mentorbot stored before, else UTC.
- Gone: Graph's ``accountEnabled`` false, or a person Graph/Teams no longer knows.
- Lead: a Teams or Global administrator, where Graph can tell.

The id is always the Entra object id (``aadObjectId``), never the per-bot ``29:`` id.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tzlocal.windows_tz import win_tz

from storage.repositories import Profile

MAX_NAME = 200


def iana(zone: str | None) -> str | None:
    """An IANA zone for a Windows or IANA time-zone name (None if it is neither)."""
    if not zone:
        return None
    candidate = win_tz.get(zone.strip(), zone.strip())
    if candidate == "Etc/UTC":
        candidate = "UTC"
    try:
        ZoneInfo(candidate)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return candidate


def from_graph(
    user: dict[str, Any], *, time_zone: str, is_admin: bool, title_fallback: str | None = None
) -> Profile:
    user_id = str(user["id"])
    name = _text(user.get("displayName")) or _text(user.get("userPrincipalName")) or user_id
    given, surname = _text(user.get("givenName")), _text(user.get("surname"))
    real = " ".join(p for p in (given, surname) if p) or None
    manager = user.get("manager")
    return Profile(
        user_id=user_id,
        display_name=name,
        real_name=real or name,
        title=_text(user.get("jobTitle")) or title_fallback,
        time_zone=time_zone,
        is_workspace_admin=is_admin,
        manager_user_id=_text(manager.get("id")) if isinstance(manager, dict) else None,
        department=_text(user.get("department")),
    )


def from_member(
    member: dict[str, Any], user_id: str, *, time_zone: str, title: str | None
) -> Profile:
    """A Bot Connector member (no title or time zone: those come from elsewhere)."""
    name = _text(member.get("name")) or _text(member.get("userPrincipalName")) or user_id
    given, surname = _text(member.get("givenName")), _text(member.get("surname"))
    real = " ".join(p for p in (given, surname) if p) or None
    return Profile(
        user_id=user_id,
        display_name=name,
        real_name=real or name,
        title=title,
        time_zone=time_zone,
    )


def enabled(user: dict[str, Any]) -> bool:
    return user.get("accountEnabled") is not False


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())[:MAX_NAME]
    return None
