"""Request bodies are bounded: anything over the limit gets 413 before it is read, and a
body that trickles in too slowly is given up on. (Slack's own payloads are small.)"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from bot.http_limits import MAX_BODY_BYTES
from bot.slack.simulator.driver import SlackDriver

FIFTY_MB = 50 * 1024 * 1024


async def _raw(app_url: str, head: bytes, body_parts: list[bytes], wait: float = 3.0) -> bytes:
    """Send ``head`` and then ``body_parts`` on one connection; what came back meanwhile."""
    address = urlsplit(app_url)
    reader, writer = await asyncio.open_connection(address.hostname, address.port)
    try:
        writer.write(head)
        for part in body_parts:
            writer.write(part)
            try:
                await writer.drain()
            except ConnectionError:
                break  # the server stopped listening: fine, it answered already
        try:
            return await asyncio.wait_for(reader.read(65536), wait)
        except TimeoutError:
            return b""
    finally:
        writer.close()


def _head(path: str, **headers: str) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def test_a_body_declared_over_the_limit_is_refused_before_it_is_sent(app_url: str) -> None:
    """Issue 13: POST /slack/events read a whole 50 MB body before checking anything."""
    head = _head(
        "/slack/events",
        Content_Type="application/x-www-form-urlencoded",
        Content_Length=str(FIFTY_MB),
    )
    answer = await _raw(app_url, head, [b"x" * 65536])
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


async def test_a_chunked_body_is_cut_off_once_it_passes_the_limit(app_url: str) -> None:
    head = _head("/slack/events", Content_Type="application/json", Transfer_Encoding="chunked")
    chunk = b"x" * 65536
    parts = [b"%x\r\n%s\r\n" % (len(chunk), chunk)] * (MAX_BODY_BYTES // len(chunk) + 8)
    answer = await _raw(app_url, head, parts)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


async def test_requests_within_the_limit_work_as_before(app_url: str, driver: SlackDriver) -> None:
    reply = await driver.command("U0ADA", "help " + "x" * 50_000)
    assert reply.status == 200 and "signup" in reply.text
    status, _ = await driver.post("a=" + "x" * (MAX_BODY_BYTES - 1000), "text/plain", signed=False)
    assert status == 401  # read in full, then refused for its signature as always
