"""A TCP proxy of the tests' own, on loopback, that makes a database misbehave.

It forwards ``127.0.0.1:<port>`` to a target (PostgreSQL) and can be told to:

- ``refuse()``: stop listening and reset every connection (a server that is down);
- ``blackhole()``: stop passing bytes either way, and hold new connections unanswered
  (a stuck server, a network partition). Nothing is lost: the kernel keeps what was
  sent, and ``heal()`` lets it through in order, as TCP would after a partition;
- ``cut()``: reset every open connection at once (a restart, a dropped link);
- ``cut_when(b"…")``: reset every open connection the moment a client sends those
  bytes (``INSERT INTO round_groups`` cuts a round's formation mid-transaction), once;
- ``heal()``: forward again (listening again after ``refuse()``).

It runs its own event loop in a thread, so a test whose loop is blocked on the database
never stops the proxy; every method may be called from any thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import threading
from collections.abc import Coroutine
from typing import Any

from sqlalchemy.engine import make_url

CHUNK = 65536


class _Pair:
    def __init__(self, client: asyncio.StreamWriter, server: asyncio.StreamWriter) -> None:
        self.client = client
        self.server = server
        self.tasks: list[asyncio.Task[None]] = []


class FaultProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self.accepted = 0  # connections accepted so far
        self.cuts = 0  # connections reset by cut() or cut_when()
        self._trigger: bytes | None = None
        self._pairs: set[_Pair] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._flowing: asyncio.Event | None = None
        self._server: asyncio.Server | None = None
        self._thread: threading.Thread | None = None

    @classmethod
    def to(cls, database_url: str) -> FaultProxy:
        url = make_url(database_url)
        return cls(url.host or "127.0.0.1", url.port or 5432)

    # -- lifecycle ---------------------------------------------------------------------
    def start(self) -> FaultProxy:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(ready,), daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("fault proxy did not start")
        return self

    def stop(self) -> None:
        if self._loop is None:
            return
        self._call(self._shut(listen=False))
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def url_for(self, database_url: str) -> str:
        """``database_url`` with its host and port replaced by the proxy's."""
        return (
            make_url(database_url)
            .set(host="127.0.0.1", port=self.port)
            .render_as_string(hide_password=False)
        )

    # -- faults ------------------------------------------------------------------------
    def refuse(self) -> None:
        self._call(self._shut(listen=False))

    def blackhole(self) -> None:
        self._call(self._set_flowing(False))

    def cut(self) -> None:
        self._call(self._reset_all())

    def cut_when(self, marker: bytes) -> None:
        self._trigger = marker

    def heal(self) -> None:
        self._trigger = None
        self._call(self._listen())
        self._call(self._set_flowing(True))

    # -- inside the proxy's loop -------------------------------------------------------
    def _run(self, ready: threading.Event) -> None:
        self._loop = loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._flowing = asyncio.Event()
        self._flowing.set()
        loop.run_until_complete(self._listen())
        ready.set()
        loop.run_forever()
        loop.close()

    def _call(self, coroutine: Coroutine[Any, Any, None]) -> None:
        assert self._loop is not None
        asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(10)

    async def _set_flowing(self, flowing: bool) -> None:
        assert self._flowing is not None
        if flowing:
            self._flowing.set()
        else:
            self._flowing.clear()

    async def _listen(self) -> None:
        if self._server is None:
            self._server = await asyncio.start_server(
                self._accept, "127.0.0.1", self.port, reuse_address=True
            )
            self.port = self._server.sockets[0].getsockname()[1]

    async def _shut(self, *, listen: bool) -> None:
        if self._server is not None and not listen:
            self._server.close()
            self._server = None
        await self._reset_all()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        assert self._flowing is not None
        await self._flowing.wait()  # a stuck server: the handshake is never answered
        try:
            server_reader, server_writer = await asyncio.open_connection(*self.target)
        except OSError:
            _reset(writer)
            return
        pair = _Pair(writer, server_writer)
        self._pairs.add(pair)
        pair.tasks = [
            asyncio.create_task(self._pipe(reader, server_writer, pair, upstream=True)),
            asyncio.create_task(self._pipe(server_reader, writer, pair, upstream=False)),
        ]

    async def _pipe(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        pair: _Pair,
        *,
        upstream: bool,
    ) -> None:
        assert self._flowing is not None
        try:
            while True:
                await self._flowing.wait()  # blackholed: leave the bytes in the kernel
                data = await reader.read(CHUNK)
                if not data:
                    break
                if upstream and self._trigger is not None and self._trigger in data:
                    self._trigger = None
                    await self._reset_all()
                    return
                await self._flowing.wait()
                writer.write(data)
                await writer.drain()
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            if pair in self._pairs:  # one side ended: end the other (an orderly close)
                self._pairs.discard(pair)
                for task in pair.tasks:
                    if task is not asyncio.current_task():
                        task.cancel()
                for end in (pair.client, pair.server):
                    with contextlib.suppress(Exception):
                        end.close()

    async def _reset_all(self) -> None:
        pairs, self._pairs = list(self._pairs), set()
        for pair in pairs:
            self.cuts += 1
            for task in pair.tasks:
                if task is not asyncio.current_task():
                    task.cancel()
            _reset(pair.client)
            _reset(pair.server)


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with RST (SO_LINGER 0), as a dropped connection looks to its peer."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(Exception):
        writer.transport.abort()
