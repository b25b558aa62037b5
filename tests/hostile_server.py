"""A hostile HTTP server on loopback, for the tests of what the client and the render survive.

Ordinary requests are answered by the project's emulator app (``EmulatorApp``: real tasks, real
videos); a test overrides any endpoint with an async handler that may answer as a broken or
malicious server would: a body announced as terabytes, an endless or compressed-bomb body, a body
trickled a byte at a time or stalled, a reply that echoes the key, a submit held until N submits
have arrived. Requests are parsed with h11; answers are written raw, so they can lie. Every
connection is closed after its answer.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import inspect
import json
import threading
import zlib
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import h11

from hailuo_dsl.contract import SUBMIT_PATH, UPLOAD_PATH
from hailuo_dsl.emulator.app import EmulatorApp
from hailuo_dsl.emulator.models import HttpRequest

API_KEY = "sk-hostile-SECRET-7f3a9c2e5b"


def key_parts_in(text: str | bytes) -> list[str]:
    """The key, or any prefix of it longer than ``sk-`` and four characters, found in ``text``."""
    data = text.encode("utf-8", "replace") if isinstance(text, str) else text
    return [API_KEY[:n] for n in range(7, len(API_KEY) + 1) if API_KEY[:n].encode() in data]


class Twin:
    """One surface for both clients: every method is awaited, whether the client blocks or not."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self.client, name)

        async def call(*args: Any, **kwargs: Any) -> Any:
            result = method(*args, **kwargs)
            return await result if inspect.isawaitable(result) else result

        return call


@dataclass
class Answer:
    """What to send: a status, headers, and a body given whole or as an async stream of pieces.

    ``length`` is the Content-Length to announce (None: the real length of a whole body, or
    chunked encoding for a stream)."""

    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes | AsyncIterator[bytes] = b""
    length: int | None = None


Handler = Callable[[HttpRequest], Awaitable["Answer | None"]]


def endpoint_of(method: str, path: str) -> str:
    path = path.split("?", 1)[0]
    if path == SUBMIT_PATH and method == "POST":
        return "submit"
    if path.startswith(SUBMIT_PATH + "/") and method == "GET":
        return "query"
    if path == UPLOAD_PATH and method == "POST":
        return "upload"
    if path.startswith("/files/videos/"):
        return "download"
    return "other"


class HostileServer:
    """The server: ``handlers[endpoint]`` overrides an endpoint (returning None falls back to the
    emulator app); ``seen`` counts requests per endpoint and ``requests`` keeps them."""

    def __init__(self, *, api_key: str = API_KEY, time_scale: float = 1000.0, task_seconds: float = 60.0) -> None:
        self.app = EmulatorApp(
            api_key=api_key, latency=0.0, time_scale=time_scale, task_seconds=task_seconds, faults=None, seed=7
        )
        self.handlers: dict[str, Handler] = {}
        self.seen: Counter[str] = Counter()
        self.requests: list[HttpRequest] = []
        self.loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.base_events.Server | None = None
        self._connections: set[asyncio.Task[None]] = set()
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_key(self) -> str:
        return self.app.api_key

    def __enter__(self) -> HostileServer:
        ready: concurrent.futures.Future[None] = concurrent.futures.Future()
        loop = asyncio.new_event_loop()
        self.loop = loop

        async def open_server() -> None:
            self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
            self.port = self._server.sockets[0].getsockname()[1]
            self.app.base_url = self.url

        def run() -> None:
            asyncio.set_event_loop(loop)
            loop.run_until_complete(open_server())
            ready.set_result(None)
            loop.run_forever()
            loop.run_until_complete(self._close())
            loop.close()

        self._thread = threading.Thread(target=run, name="hostile-server", daemon=True)
        self._thread.start()
        ready.result(timeout=10)
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        assert self.loop is not None and self._thread is not None
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)

    async def _close(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._connections):
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        try:
            request = await _read_request(reader)
            if request is None:
                return
            endpoint = endpoint_of(request.method, request.path)
            self.seen[endpoint] += 1
            self.requests.append(request)
            handler = self.handlers.get(endpoint)
            answer = await handler(request) if handler is not None else None
            if answer is None:
                answer = self.ordinary(request)
            await _write(writer, answer)
        except (ConnectionError, h11.ProtocolError):
            pass
        finally:
            writer.close()
            self._connections.discard(task)

    def completed_task(self) -> str:
        """A task of the emulator, submitted and already completed: its id."""
        body = json.dumps({"model": "MiniMax-Hailuo-02", "prompt": "Gulls over the pier [Pan left].", "duration": 6}).encode()
        answer = self.app.handle(HttpRequest("POST", SUBMIT_PATH, {"authorization": f"Bearer {self.api_key}"}, body))
        self.app.clock.advance(3600)
        return str(json.loads(answer.body)["id"])

    def ordinary(self, request: HttpRequest) -> Answer:
        """The emulator's own answer (a video made on the spot: a render checks what it downloads)."""
        response = self.app.handle(request)
        body = response.produce() if response.produce is not None else response.body
        return Answer(response.status, [("Content-Type", response.content_type), *response.headers], body)


async def _read_request(reader: asyncio.StreamReader) -> HttpRequest | None:
    conn = h11.Connection(h11.SERVER)
    head: h11.Request | None = None
    body = bytearray()
    while True:
        event = conn.next_event()
        if event is h11.NEED_DATA:
            data = await reader.read(65536)
            conn.receive_data(data)
        elif isinstance(event, h11.Request):
            head = event
        elif isinstance(event, h11.Data):
            body += event.data
        elif isinstance(event, h11.EndOfMessage):
            assert head is not None
            headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in head.headers}
            return HttpRequest(head.method.decode("ascii"), head.target.decode("latin-1"), headers, bytes(body))
        else:
            return None


async def _write(writer: asyncio.StreamWriter, answer: Answer) -> None:
    streamed = not isinstance(answer.body, bytes)
    headers = list(answer.headers)
    if answer.length is not None:
        headers.append(("Content-Length", str(answer.length)))
    elif streamed:
        headers.append(("Transfer-Encoding", "chunked"))
    else:
        assert isinstance(answer.body, bytes)
        headers.append(("Content-Length", str(len(answer.body))))
    headers.append(("Connection", "close"))
    head = f"HTTP/1.1 {answer.status} {h11_reason(answer.status)}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
    writer.write(head.encode("latin-1"))
    if isinstance(answer.body, bytes):
        writer.write(answer.body)
        await writer.drain()
        return
    chunked = answer.length is None
    async for piece in answer.body:
        writer.write(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
        await writer.drain()
    if chunked:
        writer.write(b"0\r\n\r\n")
    await writer.drain()


def h11_reason(status: int) -> str:
    return {200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 500: "Internal Server Error"}.get(
        status, "Status"
    )


# -- hostile bodies -------------------------------------------------------------------------------


async def endless(piece: bytes = b"\0" * 65536) -> AsyncIterator[bytes]:
    """The same bytes for ever (until the client goes away)."""
    while True:
        yield piece


async def prefixed(prefix: bytes, rest: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    yield prefix
    async for piece in rest:
        yield piece


async def gzip_bomb(prefix: bytes = b"", fill: bytes = b"\0") -> AsyncIterator[bytes]:
    """An endless gzip stream: ``prefix``, then ``fill`` repeated; each megabyte costs about 1 kB
    on the wire."""
    z = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = fill * (1 << 20)
    yield z.compress(prefix) + z.flush(zlib.Z_SYNC_FLUSH)
    while True:
        yield z.compress(block) + z.flush(zlib.Z_SYNC_FLUSH)


async def trickle(interval: float, byte: bytes = b"\0") -> AsyncIterator[bytes]:
    """One byte every ``interval`` seconds, for ever."""
    while True:
        yield byte
        await asyncio.sleep(interval)


async def stall(first: bytes) -> AsyncIterator[bytes]:
    """Some bytes, then nothing at all (the connection stays open)."""
    yield first
    await asyncio.Event().wait()
    yield b""  # pragma: no cover - never reached
