"""The server's side of the wire: reading framed JSON-RPC messages from standard input, robustly.

pygls's own loop drops a message it cannot read without a word to the client: a request whose
params do not fit the protocol's types (a negative position) gets no reply, so the client waits
for ever; a header without a valid ``Content-Length`` desynchronises the stream and every later
message is lost. Here:

- a request with invalid params or an invalid shape is answered with the JSON-RPC error
  (-32602 Invalid params, -32600 Invalid request) naming what is wrong;
- a frame that cannot be read (a bad or missing ``Content-Length``, a body that is not JSON) is
  skipped and reported in one line (stderr and ``window/logMessage``); reading resumes at the next
  ``Content-Length`` header, so the messages after it are handled.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams, JsonRpcInvalidRequest
from pygls.protocol import JsonRPCProtocol
from pygls.protocol.json_rpc import JsonRPCNotification, JsonRPCRequestMessage

logger = logging.getLogger(__name__)

MAX_BODY = 256 * 1024 * 1024
"""The longest body accepted: a larger ``Content-Length`` is a broken header, not a document."""
_LENGTH = re.compile(rb"content-length[ \t]*:[ \t]*(\d+)[ \t]*\r?\n?$", re.IGNORECASE)
_OTHER_HEADER = re.compile(rb"^(?!content-length)[A-Za-z][A-Za-z0-9-]*[ \t]*:[^\r\n]*\r?\n$", re.IGNORECASE)


class AsyncReader(Protocol):
    def readline(self) -> Awaitable[bytes]: ...

    def readexactly(self, n: int) -> Awaitable[bytes]: ...


Report = Callable[[str], None]
"""Tells the user (stderr and the client's log) about a message that was skipped."""


async def read_frame(reader: AsyncReader, report: Report) -> bytes | None:
    """The body of the next readable frame; None at the end of input. Garbage before a header
    (the rest of a frame that could not be read) is skipped and reported once per frame."""
    length: int | None = None
    junk = False
    while True:
        line = await reader.readline()
        if not line:
            return None
        found = _LENGTH.search(line)
        if found is not None:
            junk = junk or found.start() > 0
            length = int(found.group(1))
            continue
        if not line.strip():
            if length is None:
                continue  # the blank line after a broken header: look for the next one
            if junk:
                report("skipped a message with a malformed header (no valid Content-Length)")
            if length > MAX_BODY:
                report(f"skipped a message of {length} bytes: more than {MAX_BODY} is taken for a broken header")
                length, junk = None, True
                continue
            body = await reader.readexactly(length) if length else b""
            return body if len(body) == length else None
        if _OTHER_HEADER.match(line) is None:
            junk = True


def dispatch(protocol: JsonRPCProtocol, body: bytes, report: Report) -> None:
    """Hand one message to pygls, answering a request it cannot take with the JSON-RPC error."""
    try:
        data = json.loads(body)
    except ValueError:
        report("skipped a message whose body is not JSON")
        return
    request_id = data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), (int, str)) else None
    method = data.get("method") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("jsonrpc") != JsonRPCProtocol.VERSION or not isinstance(method, (str, type(None))):
        if request_id is not None and method is not None:
            _reply_error(protocol, request_id, JsonRpcInvalidRequest("not a JSON-RPC 2.0 request"))
        else:
            report("skipped a message that is not JSON-RPC 2.0")
        return
    try:
        message = _structure(protocol, data, method)
    except Exception as err:  # cattrs' validation errors, or a type the converter cannot make
        why = _why(err)
        if request_id is not None and method is not None:
            _reply_error(protocol, request_id, JsonRpcInvalidParams(f"invalid params for {method}: {why}"))
        else:
            report(f"ignored {method or 'a message'}: {why}")
        return
    protocol.handle_message(message)


def _reply_error(protocol: JsonRPCProtocol, request_id: int | str, error: JsonRpcException) -> None:
    logger.warning("request %r: %s", request_id, error.message)
    protocol._send_response(request_id, error=error.to_response_error())


def _structure(protocol: JsonRPCProtocol, data: dict[str, Any], method: str | None) -> Any:
    """A request or notification as its protocol type (as pygls makes it, without its traceback
    on stderr when the params do not fit); a response as pygls makes it."""
    if method is None:
        return protocol.structure_message(data)
    kind = protocol.get_message_type(method) or (JsonRPCRequestMessage if "id" in data else JsonRPCNotification)
    return protocol._converter.structure(data, kind)


def _why(err: Exception) -> str:
    """What was wrong with a message, as cattrs tells it (``… @ $.params.position``)."""
    try:
        from cattrs import transform_error

        details = transform_error(err, path="$", format_exception=_problem)
    except Exception:  # not a cattrs error: say what it is
        details = [str(err)]
    return "; ".join(details[:3]) or type(err).__name__


def _problem(exc: BaseException, _type: object) -> str:
    return "required field missing" if isinstance(exc, KeyError) else str(exc)


async def serve(protocol: JsonRPCProtocol, reader: AsyncReader, stop: threading.Event, report: Report) -> None:
    """Read and handle messages until the end of input or ``stop``."""
    while not stop.is_set():
        body = await read_frame(reader, report)
        if body is None:
            return
        try:
            dispatch(protocol, body, report)
        except Exception:  # a bug in a handler's dispatch must not end the session
            logger.exception("unable to handle a message")
