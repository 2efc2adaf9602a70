"""The usage message: the answer to ``/mentor help``, to empty and to unknown text."""

from __future__ import annotations

from bot.builders.text import quote
from bot.messages import Context, Message, Section

COMMANDS = (
    ("signup [PROGRAM]", "join a program, or edit your answers"),
    ("profile", "what mentorbot knows about you"),
    ("match", "your current match, and why you were matched"),
    ("end [REASON]", "end your mentorship early, privately"),
    ("pause [WEEKS]", "skip rounds for a few weeks (or until you resume)"),
    ("resume", "take part again"),
    ("leave [PROGRAM]", "leave, and delete the answers you gave"),
    ("help", "this message"),
)
LEAD_COMMANDS = (
    "round PROGRAM",
    "history PROGRAM",
    "stats PROGRAM",
    "program [PROGRAM]",
    "dashboard",
)


def help_message(unknown: str | None = None) -> Message:
    intro = "*mentorbot* pairs people for mentoring and coffee chats across the company."
    if unknown:
        intro = f"I don't know “{quote(unknown, 30)}”. " + intro
    lines = "\n".join(f"• `/mentor {usage}` — {what}" for usage, what in COMMANDS)
    leads = " · ".join(f"`/mentor {usage}`" for usage in LEAD_COMMANDS)
    return Message(
        text=f"{intro} Try `/mentor signup` to join a program.",
        blocks=(
            Section(f"{intro}\n\n{lines}"),
            Context((f"For program leads: {leads}",)),
        ),
    )
