"""The emulator's HTTP/1.1 server: asyncio + h11 on loopback, in a background thread with its own loop.

Keep-alive connections, one request at a time per connection (as HTTP/1.1 clients send them);
the answers and faults come from ``EmulatorApp``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from http import HTTPStatus
from types import TracebackType

import h11

from hailuo_dsl.emulator.animatic import DEFAULT_VIDEO_SCALE
from hailuo_dsl.emulator.app import EmulatorApp
from hailuo_dsl.emulator.faults import Faults
from hailuo_dsl.emulator.models import (
    ConnectionAction,
    EmulatedTask,
    EmulatorClock,
    EmulatorStats,
    HttpRequest,
    HttpResponse,
    error_body,
)

_READ_SIZE = 256 * 1024
_MAX_BODY = 32 * 1024 * 1024
_SERVER_HEADER = "hailuo-emulator"


class Emulator:
    """A real HTTP server of the video API on 127.0.0.1, for tests, benchmarks and offline runs.

    ``time_scale`` is emulated seconds per real second and ``task_seconds`` how long a task takes
    in emulated time: ``task_seconds=60, time_scale=1000`` completes a task in 60 ms. Videos expire
    ``expiry_seconds`` of emulated time after completion (24 h, as documented; at a large time scale
    that is soon in real time, so long runs may want more). Videos are animatics of their requests
    (``hailuo_dsl.emulator.animatic``) at ``video_scale`` of the real size, made on their first
    download, or while their task runs with ``prepare_videos`` (as the service makes them: a
    download then only sends the file, so a timed render measures the client, not this encoder).
    """

    def __init__(
        self,
        *,
        api_key: str = "emulator-key",
        latency: float = 0.0,
        time_scale: float = 1.0,
        task_seconds: float = 60.0,
        faults: Faults | None = None,
        seed: int = 0,
        expiry_seconds: float = 24 * 3600,
        video_scale: float = DEFAULT_VIDEO_SCALE,
        prepare_videos: bool = False,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.app = EmulatorApp(
            api_key=api_key,
            latency=latency,
            time_scale=time_scale,
            task_seconds=task_seconds,
            faults=faults,
            seed=seed,
            expiry_seconds=expiry_seconds,
            video_scale=video_scale,
            prepare_videos=prepare_videos,
        )
        self.host = host
        self.port = port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.base_events.Server | None = None
        self._connections: set[asyncio.Task[None]] = set()

    # -- the public surface ---------------------------------------------------------------------

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the emulator is not running; call start() first")
        return f"http://{self.host}:{self.port}"

    @property
    def api_key(self) -> str:
        return self.app.api_key

    @property
    def stats(self) -> EmulatorStats:
        return self.app.stats

    @property
    def tasks(self) -> dict[str, EmulatedTask]:
        return self.app.tasks

    @property
    def clock(self) -> EmulatorClock:
        return self.app.clock

    @property
    def faults(self) -> Faults:
        return self.app.faults

    @faults.setter
    def faults(self, faults: Faults) -> None:
        self.app.faults = faults

    def __repr__(self) -> str:
        where = f"http://{self.host}:{self.port}" if self._server is not None else "stopped"
        return f"Emulator({where})"

    def __enter__(self) -> Emulator:
        self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    def start(self) -> Emulator:
        """Bind and serve in a background thread; returns once the port is open (``OSError`` if it cannot bind)."""
        if self._thread is not None:
            return self
        ready: concurrent.futures.Future[None] = concurrent.futures.Future()
        loop = asyncio.new_event_loop()
        self._loop = loop

        def run() -> None:
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._open())
            except BaseException as exc:
                ready.set_exception(exc)
                loop.close()
                return
            ready.set_result(None)
            loop.run_forever()
            loop.run_until_complete(self._close())
            loop.close()

        self._thread = threading.Thread(target=run, name="hailuo-emulator", daemon=True)
        self._thread.start()
        try:
            ready.result()
        except BaseException:
            self._thread.join()
            self._thread = None
            self._loop = None
            raise
        return self

    def stop(self) -> None:
        """Close the server and every connection, and end the thread."""
        if self._thread is None or self._loop is None:
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._thread = None
        self._loop = None
        self._server = None

    # -- the server -----------------------------------------------------------------------------

    async def _open(self) -> None:
        self._server = await asyncio.start_server(self._accept, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        self.app.base_url = f"http://{self.host}:{self.port}"

    async def _close(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._connections):
            task.cancel()
        if self._connections:
            await asyncio.gather(*self._connections, return_exceptions=True)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        try:
            await self._serve(reader, writer)
        except (ConnectionError, h11.ProtocolError):
            pass
        finally:
            writer.close()
            self._connections.discard(task)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conn = h11.Connection(h11.SERVER)
        while True:
            try:
                request = await _read_request(conn, reader, writer)
            except h11.RemoteProtocolError as err:
                # A garbage request line, a target that is not ASCII, a body too large: answered
                # 400 as a real server would, then the connection is closed.
                status = err.error_status_hint if 400 <= err.error_status_hint < 500 else 400
                await _write(conn, writer, HttpResponse(status, _reason(status), content_type="text/plain"))
                return
            if request is None:
                return
            try:
                response = self.app.handle(request)
                if response.produce is not None:  # made off the loop, so other connections are served meanwhile
                    response.body = await asyncio.to_thread(response.produce)
            except Exception as exc:  # an emulator bug: answer it rather than hang the client
                response = HttpResponse(500, error_body(500, f"emulator error: {type(exc).__name__}: {exc}"))
            if response.delay > 0:
                await asyncio.sleep(response.delay)
            if response.action is ConnectionAction.DROP:
                return
            await _write(conn, writer, response)
            if response.action is ConnectionAction.CUT or conn.our_state is not h11.DONE or conn.their_state is not h11.DONE:
                return
            conn.start_next_cycle()


async def _read_request(conn: h11.Connection, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> HttpRequest | None:
    """The next whole request on the connection, or None when the client closed it."""
    head: h11.Request | None = None
    body = bytearray()
    while True:
        event = conn.next_event()
        if event is h11.NEED_DATA:
            if conn.they_are_waiting_for_100_continue:
                writer.write(conn.send(h11.InformationalResponse(status_code=100, headers=[])) or b"")
            conn.receive_data(await reader.read(_READ_SIZE))
        elif isinstance(event, h11.Request):
            head = event
        elif isinstance(event, h11.Data):
            body += event.data
            if len(body) > _MAX_BODY:
                raise h11.RemoteProtocolError("request body too large", error_status_hint=413)
        elif isinstance(event, h11.EndOfMessage):
            assert head is not None
            headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in head.headers}
            return HttpRequest(head.method.decode("ascii"), head.target.decode("latin-1"), headers, bytes(body))
        elif isinstance(event, h11.ConnectionClosed) or event is h11.PAUSED:
            return None


def _reason(status: int) -> bytes:
    try:
        return HTTPStatus(status).phrase.encode("ascii")
    except ValueError:
        return b""


async def _write(conn: h11.Connection, writer: asyncio.StreamWriter, response: HttpResponse) -> None:
    headers = [
        ("Content-Type", response.content_type),
        ("Content-Length", str(len(response.body))),
        ("Server", _SERVER_HEADER),
        *response.headers,
    ]
    if conn.our_state not in (h11.SEND_RESPONSE, h11.IDLE):  # IDLE: the request could not be read
        return
    if conn.our_state is h11.IDLE:
        headers.append(("Connection", "close"))
    data = conn.send(h11.Response(status_code=response.status, headers=headers, reason=_reason(response.status)))
    assert data is not None
    if response.action is ConnectionAction.CUT:
        writer.write(data + response.body[: len(response.body) // 2])
        await writer.drain()
        return
    body = conn.send(h11.Data(data=response.body)) if response.body else b""
    end = conn.send(h11.EndOfMessage())
    writer.write(data + (body or b"") + (end or b""))
    await writer.drain()
