"""``/mentor`` slash command."""

from __future__ import annotations

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.bootstrap import Container

HELP = (
    "*mentorbot* — mentorship and coffee pairing.\n"
    "• `/mentor signup` — join a program (or edit your answers)\n"
    "• `/mentor help` — this message"
)


def register(app: AsyncApp, container: Container) -> None:
    @app.command("/mentor")
    async def mentor(ack: AsyncAck) -> None:
        await ack(text=HELP, response_type="ephemeral")
