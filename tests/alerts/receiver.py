"""A real local HTTP receiver for outbound deliveries (no mocked HTTP): a minimal HTTP/1.1
server on 127.0.0.1 that records each request and answers from a script."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field


@dataclass
class Received:
    method: str
    target: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Answer:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    stall: bool = False  # never answer


@dataclass
class Receiver:
    """A minimal HTTP/1.1 server: one request per connection, answered from `script` (then
    200 "ok")."""

    script: list[Answer] = field(default_factory=list)
    requests: list[Received] = field(default_factory=list)
    connections: int = 0
    port: int = 0

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
            request_line, *lines = head.rstrip("\r\n").split("\r\n")
            method, target, _ = request_line.split(" ", 2)
            headers = {}
            for line in lines:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            self.requests.append(Received(method, target, headers, body))
            answer = self.script.pop(0) if self.script else Answer(200, b"ok")
            if answer.stall:  # until the client gives up and closes
                await reader.read(1)
                return
            extra = "".join(f"{k}: {v}\r\n" for k, v in answer.headers.items())
            writer.write(
                f"HTTP/1.1 {answer.status} Scripted\r\nContent-Length: {len(answer.body)}\r\n"
                f"Connection: close\r\n{extra}\r\n".encode("latin-1")
                + answer.body
            )
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()


@asynccontextmanager
async def serve() -> AsyncIterator[Receiver]:
    receiver = Receiver()
    server = await asyncio.start_server(receiver.handle, "127.0.0.1", 0)
    receiver.port = server.sockets[0].getsockname()[1]
    async with server:
        yield receiver
        server.close()
