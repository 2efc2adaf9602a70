"""Short replies to a person's own actions (ephemeral on Slack)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.builders import actions
from bot.builders.text import day, escape, quote
from bot.kinds import KINDS
from bot.messages import Actions, Button, Message, Section
from storage.records import ProgramRecord

APOLOGY = "Sorry — something went wrong on my side. Please try again in a minute."
UNKNOWN_SELF = (
    "Your chat app doesn't know your account in this workspace any more, so I can't do that. "
    "Nothing was changed."
)


def names(programs: Sequence[ProgramRecord]) -> str:
    shown = [f"*{quote(p.name, 80)}*" for p in programs]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def say(text: str) -> Message:
    return Message(text=text, blocks=(Section(text),))


def problem(message: str) -> Message:
    """A domain error's own message (written for the person; it may quote their text,
    which must not turn into links or mentions)."""
    return say(escape(message))


def apology() -> Message:
    return say(APOLOGY)


def unknown_self() -> Message:
    return say(UNKNOWN_SELF)


def paused(programs: Sequence[ProgramRecord], until: datetime | None, time_zone: str) -> Message:
    if until is not None:
        return say(
            f"Paused {names(programs)} until {day(until, time_zone)}. You'll be back in "
            "the rounds after that by yourself — or `/mentor resume` any time."
        )
    return say(f"Paused {names(programs)} until you `/mentor resume`. Enjoy the break!")


def resumed(programs: Sequence[ProgramRecord]) -> Message:
    return say(f"Welcome back! You're in the next round of {names(programs)}.")


def leave_question(programs: Sequence[ProgramRecord], value: str) -> Message:
    question = (
        f"Leave {names(programs)}? You won't be matched any more and the answers you gave "
        "(interests, goals, preferences) will be deleted. Past matches stay in the "
        "program's history, anonymised if you leave every program."
    )
    return Message(
        text=question,
        blocks=(
            Section(question),
            Actions(
                (
                    Button("Leave and delete", actions.LEAVE_CONFIRM, value, style="danger"),
                    Button("Stay", actions.LEAVE_CANCEL, value),
                )
            ),
        ),
    )


def left(programs: Sequence[ProgramRecord], erased: bool) -> Message:
    text = f"You've left {names(programs)} and your answers are deleted."
    if erased:
        text += (
            " mentorbot no longer keeps your name or profile; your past matches stay in "
            "the history as “Former member”."
        )
    return say(text + " You're welcome back any time with `/mentor signup`.")


def stayed() -> Message:
    return say("Good to have you — nothing changed.")


def program_saved(program: ProgramRecord, created: bool, next_round: str | None) -> Message:
    verb = "Created" if created else "Saved"
    later = f" Next round: {next_round}." if next_round and program.active else ""
    return say(f"{verb} the program *{quote(program.name, 80)}*.{later}")


def signed_up(program: ProgramRecord, created: bool, next_round: str | None = None) -> Message:
    if not created:
        return say(f"Saved your answers for {names([program])}.")
    term = KINDS.of(program).term(program)
    if term is not None and term.on_join:
        return say(
            f"You're signed up for {names([program])}! I look for matches every few minutes: "
            "you'll hear from me as soon as there is one for you."
        )
    later = f" The next round is on {next_round}." if next_round else ""
    return say(f"You're signed up for {names([program])}!{later} I'll introduce you then.")


def welcome(programs: Sequence[ProgramRecord]) -> Message:
    text = (
        f"Welcome to {names(programs)}! You'll be matched from the next round. Tell me a "
        "little about yourself so I can find you a good match."
    )
    return Message(
        text=text,
        blocks=(
            Section(text),
            Actions(
                (
                    Button(
                        "Complete my profile",
                        actions.OPEN_SIGNUP,
                        str(programs[0].id),
                        style="primary",
                    ),
                )
            ),
        ),
    )
