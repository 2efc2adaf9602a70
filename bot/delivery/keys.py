"""Idempotency keys of outbox rows: one per message, unique in the database.

The key is also attached to the posted message (Slack message metadata) so that a
retry can recognise a message that already went out.
"""

from __future__ import annotations


def intro(round_id: int, group_id: int) -> str:
    return f"r{round_id}:g{group_id}:intro"


def announcement(round_id: int) -> str:
    return f"r{round_id}:announce"


def left_out(round_id: int, user_id: str) -> str:
    return f"r{round_id}:leftout:{user_id}"


def checkin(round_id: int, group_id: int) -> str:
    return f"r{round_id}:g{group_id}:checkin"


def pause_question(round_id: int, user_id: str) -> str:
    return f"r{round_id}:pause:{user_id}"


def welcome(channel_id: str, user_id: str, occasion: str) -> str:
    """The welcome for joining a program's channel (``occasion``: the join event's time)."""
    return f"welcome:{channel_id}:{user_id}:{occasion}"


def digest(program_id: int, month: str, user_id: str) -> str:
    """The monthly impact digest of a program to one lead: once per month (``YYYY-MM``)."""
    return f"p{program_id}:digest:{month}:{user_id}"


def mentorship_checkin(mentorship_id: int, number: int) -> str:
    return f"m{mentorship_id}:checkin:{number}"


def mentorship_nudge(mentorship_id: int, number: int) -> str:
    return f"m{mentorship_id}:nudge:{number}"


def mentorship_ended(mentorship_id: int, user_id: str) -> str:
    return f"m{mentorship_id}:ended:{user_id}"


def mentorship_closing(mentorship_id: int, term: int, user_id: str) -> str:
    return f"m{mentorship_id}:t{term}:closing:{user_id}"


def suggestions(round_id: int, user_id: str) -> str:
    return f"r{round_id}:suggest:{user_id}"


def mentorship_request(mentorship_id: int) -> str:
    return f"m{mentorship_id}:request"


def mentorship_start(mentorship_id: int) -> str:
    return f"m{mentorship_id}:start"


def mentorship_declined(mentorship_id: int) -> str:
    return f"m{mentorship_id}:declined"
