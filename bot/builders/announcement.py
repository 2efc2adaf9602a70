"""The round's post in the program channel, and the kind note to whoever was left out."""

from __future__ import annotations

from bot.builders.text import quote
from bot.kinds import KINDS, left_out
from bot.messages import Context, Header, Message, Section
from storage.records import ProgramRecord


def announcement(
    *, program: ProgramRecord, round_number: int, groups: int, people: int, left_out: int
) -> Message:
    wording = KINDS.of(program).wording
    kind = wording.group if groups == 1 else wording.groups
    headline = f"Round {round_number} of {quote(program.name, 80)} is out"
    body = f"*{groups}* {kind} with *{people}* people — introductions are in your messages."
    if left_out:
        body += (
            f"\n{left_out} {'person is' if left_out == 1 else 'people are'} first in line "
            "next time."
        )
    join = "Want in next time? Type `/mentor signup`"
    join += " or simply join this channel." if program.join_via_channel else "."
    return Message(
        text=f"{headline}: {groups} {kind}, {people} people.",
        blocks=(Header(headline), Section(body), Context((join,))),
    )


def left_out_note(*, program: ProgramRecord, round_number: int, reason: str) -> Message:
    why = left_out(program, reason).to_them
    text = (
        f"No match for you in round {round_number} of *{quote(program.name, 80)}*: {why}. "
        "Sorry about that! You're first in line for the next round."
    )
    return Message(
        text=f"No match this round in {quote(program.name, 80)} — you're first in line next time.",
        blocks=(
            Section(text),
            Context(("Need a break instead? `/mentor pause` and `/mentor resume`.",)),
        ),
    )
