"""``/mentor match``: who you're meeting in each program, and why you were matched."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.builders.mentorship import relationship_summary, relationship_text
from bot.builders.reasons import describe_all
from bot.builders.text import quote, when
from bot.kinds import left_out
from bot.messages import Block, Context, Divider, Header, Message, Section
from bot.viewmodels import CurrentMatch, next_round_at
from pairing.models import Role
from storage.records import PersonRecord

OUTCOMES = {"met": "You met — great!", "not_met": "You couldn't meet this time."}


def match_message(matches: Sequence[CurrentMatch], *, now: datetime) -> Message:
    blocks: list[Block] = [Header("Your matches")]
    for index, match in enumerate(matches):
        if index:
            blocks.append(Divider())
        blocks.extend(match_blocks(match, now=now))
    summary = "; ".join(summary_line(m) for m in matches)
    return Message(text=summary or "You have no matches yet.", blocks=tuple(blocks))


def match_blocks(match: CurrentMatch, *, now: datetime) -> list[Block]:
    title = f"*{quote(match.program.name, 80)}*"
    if match.mentorships:
        return [
            Section(f"{title} · mentorship\n{relationship_text(m, match.me.user_id)}")
            for m in match.mentorships
        ]
    if match.group is None:
        return [Section(f"{title}\n{_no_group(match, now)}")]
    lines = [f"{title} · round {match.round_number}", _who(match)]
    people = [m.person for m in match.group.members]
    reasons = describe_all(match.group.reasons, people, now)
    blocks: list[Block] = [Section("\n".join(lines))]
    if reasons:
        blocks.append(Section("*Why you were matched*\n" + "\n".join(f"• {r}" for r in reasons)))
    if match.group.outcome in OUTCOMES:
        blocks.append(Context((OUTCOMES[match.group.outcome],)))
    return blocks


def summary_line(match: CurrentMatch) -> str:
    partners = ", ".join(person_name(p) for p in match.partners())
    name = quote(match.program.name, 80)
    if match.mentorships:
        return f"{name}: {relationship_summary(match.mentorships, match.me.user_id)}"
    if partners:
        return f"{name}: {partners}"
    return f"{name}: no round yet" if match.round_number is None else f"{name}: no match this round"


def person_name(person: PersonRecord, *, with_title: bool = False) -> str:
    name = quote(person.real_name or person.display_name, 80)
    if with_title and person.title:
        return f"*{name}* ({quote(person.title, 80)})"
    return name


def _who(match: CurrentMatch) -> str:
    assert match.group is not None
    me = next((m.role for m in match.group.members if m.person.id == match.me.id), Role.PEER)
    others = [m for m in match.group.members if m.person.id != match.me.id]
    if not others:
        return "You're on your own in this group."
    names = [person_name(m.person, with_title=True) for m in others]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    if me is Role.MENTEE:
        return f"Your mentor: {joined}"
    if me is Role.MENTOR:
        return f"Your mentee{'s' if len(names) > 1 else ''}: {joined}"
    return f"You're meeting {joined}."


def _no_group(match: CurrentMatch, now: datetime) -> str:
    upcoming = next_round_at(match.program, now)
    later = f" The next round is on {when(upcoming, match.me.time_zone)}." if upcoming else ""
    if match.round_number is None:
        return "No round yet." + later
    if match.left_out is not None:
        why = left_out(match.program, match.left_out).to_them
        return (
            f"You weren't matched in round {match.round_number} ({why}), so you're first "
            f"in line next time.{later}"
        )
    # not in the round at all: joined after it, or paused when it was formed
    return f"You weren't in round {match.round_number}.{later}"
