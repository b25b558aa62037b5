"""Limits on what the client reads from a server, and the one bounded reader of every answer's body.

A server may announce terabytes, send an endless body, compress a gigabyte into a megabyte or
trickle a byte every few seconds. Every body is therefore read through :class:`BoundedBody`:
it decodes ``gzip``/``deflate`` itself in pieces of at most ``PIECE`` bytes (httpx would inflate a
whole network chunk at once, a thousandfold), counts the *decoded* bytes against a limit, and
checks a deadline between reads. Requests ask for ``identity``; other encodings are refused.
"""

from __future__ import annotations

import enum
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from hailuo_dsl.contract import MB

PIECE = 1 << 20
"""The most bytes decoded at once from a compressed body."""
ACCEPT_ENCODING = "identity"


@dataclass(frozen=True)
class TransferLimits:
    """How much, and for how long, the client reads (sizes in bytes, times in seconds).

    ``max_reply_bytes`` bounds an API answer (a task object is a few kB); ``max_download_bytes``
    a video (a 10 s 1080P clip is tens of MB); a download fails when no byte arrives for
    ``download_stall_timeout`` or when it is not done within ``download_deadline``.
    """

    max_reply_bytes: int = 1 * MB
    max_download_bytes: int = 500 * MB
    download_stall_timeout: float = 60.0
    download_deadline: float = 600.0

    def __post_init__(self) -> None:
        if min(self.max_reply_bytes, self.max_download_bytes) < 1:
            raise ValueError("size limits must be at least 1 byte")
        if not (self.download_stall_timeout > 0 and self.download_deadline > 0):
            raise ValueError("the stall timeout and the download deadline must be positive")


class Overrun(enum.Enum):
    """Why a body was given up."""

    SIZE = "size"
    TIME = "time"
    ENCODING = "encoding"


class BodyError(Exception):
    """A body given up while being read; the client turns it into a typed error."""

    def __init__(self, overrun: Overrun, detail: str, *, video: bool = False) -> None:
        super().__init__(detail)
        self.overrun = overrun
        self.detail = detail
        self.video = video


def size_text(count: int) -> str:
    """A byte count as people read it (decimal units)."""
    for unit, size in (("TB", 10**12), ("GB", 10**9), ("MB", MB), ("kB", 1000)):
        if count >= size:
            return f"{count / size:.3g} {unit}"
    return f"{count} bytes"


class _Undecodable(ValueError):
    """A body this client cannot decode (the reason is the message)."""


class _Inflater:
    """A zlib stream (gzip or deflate) decoded in bounded pieces."""

    def __init__(self, encoding: str) -> None:
        self.gzip = encoding in ("gzip", "x-gzip")
        self._z = zlib.decompressobj(16 + zlib.MAX_WBITS if self.gzip else zlib.MAX_WBITS)
        self._started = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        while not self._z.eof:
            try:
                piece = self._z.decompress(data, PIECE)
            except zlib.error as err:
                if self.gzip or self._started:
                    raise _Undecodable(f"a compressed body that does not decode ({err})") from None
                # "deflate" is sometimes sent without its zlib header (as httpx also accepts).
                self._z, self._started = zlib.decompressobj(-zlib.MAX_WBITS), True
                continue
            self._started = True
            data = self._z.unconsumed_tail
            if piece:
                yield piece
            if not data and len(piece) < PIECE:
                return


def _decoder(encoding: str | None) -> _Inflater | None:
    value = (encoding or "identity").strip().lower()
    if value in ("", "identity"):
        return None
    if value in ("gzip", "x-gzip", "deflate"):
        return _Inflater(value)
    raise _Undecodable(f"a body encoded as {value!r}, which was not asked for (the client asks for identity)")


class BoundedBody:
    """One answer's body as it arrives: decoded, counted against ``limit``, under a deadline.

    ``feed`` takes the raw bytes of each read and yields the decoded pieces; ``raw`` counts the
    bytes received (what ``Content-Length`` describes) and ``size`` the bytes decoded.
    """

    def __init__(
        self,
        content_encoding: str | None,
        *,
        limit: int,
        deadline_at: float,
        video: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.video = video
        self.deadline_at = deadline_at
        self.clock = clock
        self.raw = 0
        self.size = 0
        try:
            self._decoder = _decoder(content_encoding)
        except _Undecodable as err:
            raise BodyError(Overrun.ENCODING, str(err), video=video) from None

    def feed(self, data: bytes) -> Iterator[bytes]:
        self.raw += len(data)
        pieces = (data,) if self._decoder is None else self._decoder.feed(data)
        try:
            for piece in pieces:
                self.size += len(piece)
                if self.size > self.limit:
                    raise BodyError(Overrun.SIZE, f"more than {size_text(self.limit)}", video=self.video)
                yield piece
        except _Undecodable as err:
            raise BodyError(Overrun.ENCODING, str(err), video=self.video) from None
        if self.clock() > self.deadline_at:
            raise BodyError(Overrun.TIME, "the answer was still arriving at the deadline", video=self.video)


class ReplyBuffer:
    """A whole answer kept in memory, within its limit (API replies, error pages)."""

    def __init__(self, body: BoundedBody) -> None:
        self.body = body
        self.content = bytearray()

    def feed(self, data: bytes) -> None:
        for piece in self.body.feed(data):
            self.content += piece
