"""Connections that go away — reset, a keep-alive connection the other side just closed —
are transient everywhere: calls that are safe to repeat are repeated, a post goes back
to the outbox (which checks whether it landed), and nobody sees "unexpected error".

Issue 13: ``mentorbot demo`` once stopped with ``ClientOSError: [Errno 104] Connection
reset by peer`` from the simulated Slack client."""

from __future__ import annotations

import asyncio
import socket
import struct
from collections.abc import AsyncIterator

import pytest

from bot.core import Core
from bot.slack.simulator.driver import SlackDriver
from bot.slack.simulator.slack_api import SlackApiSimulator
from tests.e2e.slack_helpers import add_program, later_responses, sign_up, wait_until


@pytest.fixture
async def closing_server() -> AsyncIterator[str]:
    """An HTTP server that keeps each connection alive after its first answer — and then
    resets it when the next request comes, as a server closing an idle connection does."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        answered = False
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                if answered:
                    sock = writer.get_extra_info("socket")
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    writer.transport.abort()
                    return
                length = next(
                    (
                        int(line.split(b":")[1])
                        for line in head.split(b"\r\n")
                        if line.lower().startswith(b"content-length:")
                    ),
                    0,
                )
                await reader.readexactly(length)
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                await writer.drain()
                answered = True
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        yield f"http://127.0.0.1:{port}"


async def test_the_simulated_slack_survives_a_connection_the_app_dropped(
    closing_server: str, slack: SlackApiSimulator
) -> None:
    async with SlackDriver(closing_server, "secret", slack) as driver:
        for _ in range(3):
            assert await driver.post("{}", "application/json") == (200, "ok")


async def test_a_reply_whose_connection_dropped_is_posted_again(
    driver: SlackDriver, slack: SlackApiSimulator
) -> None:
    slack.fail("response_url", drop="before", times=1)
    reply = await driver.command("U0ALAN", "profile", wait=10)
    assert "Sorry" not in reply.text
    assert await wait_until(lambda: later_responses(slack, reply), wait=10)


async def test_the_form_opens_when_opening_it_lost_its_connection(
    driver: SlackDriver, container: Core, slack: SlackApiSimulator
) -> None:
    coffee = await add_program(container, "coffee")
    slack.fail("views.open", drop="before", times=1)
    reply = await sign_up(driver, "U0ALAN", {"program": str(coffee.id)})
    assert reply.status == 200 and not reply.body


async def test_a_welcome_whose_answer_was_lost_arrives_exactly_once(
    driver: SlackDriver, container: Core, slack: SlackApiSimulator
) -> None:
    await add_program(container, "coffee", channel_id="C0COFFEE", join_via_channel=True)
    slack.fail("chat.postMessage", drop="after", times=1)  # posted, but the answer is lost
    event = {"type": "member_joined_channel", "user": "U0ALAN", "channel": "C0COFFEE"}
    assert (await driver.event(event)).status == 200
    dm = await wait_until(lambda: slack.workspace.conversation_of({"U0ALAN"}), wait=10)
    # The sender looks for the post it lost the answer to, finds it, and posts nothing more.
    await wait_until(lambda: len(slack.calls_to("conversations.history")) > 0, wait=15)
    await asyncio.sleep(0.5)
    welcomes = [m for m in slack.workspace.messages_in(dm) if "Welcome" in m.text]
    assert len(welcomes) == 1, [m.text for m in welcomes]
