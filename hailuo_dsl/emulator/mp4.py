"""A minimal valid MP4 built in code: ``ftyp`` + ``moov`` (``mvhd`` + ``udta``) + ``mdat``.

Each file is distinct: the task id sits in a ``udta/name`` box and seeds the ``mdat`` payload,
so a test can tell which task's video it downloaded.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterator

MOVIE_TIMESCALE = 1000


def box(kind: bytes, payload: bytes) -> bytes:
    """One ISO BMFF box: 32-bit size, four-character type, payload."""
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def _mvhd(duration_seconds: int) -> bytes:
    matrix = struct.pack(">9I", 0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000)
    payload = (
        struct.pack(">B3xIIII", 0, 0, 0, MOVIE_TIMESCALE, duration_seconds * MOVIE_TIMESCALE)
        + struct.pack(">IH10x", 0x00010000, 0x0100)
        + matrix
        + bytes(24)
        + struct.pack(">I", 1)
    )
    return box(b"mvhd", payload)


def build_mp4(task_id: str, *, duration_seconds: int = 6, payload_bytes: int = 64 * 1024) -> bytes:
    """The video of one task: a valid box structure whose content depends on ``task_id``."""
    ftyp = box(b"ftyp", b"isom" + struct.pack(">I", 0x200) + b"isomiso2mp41")
    udta = box(b"udta", box(b"name", task_id.encode("utf-8")))
    moov = box(b"moov", _mvhd(duration_seconds) + udta)
    seed = hashlib.sha256(task_id.encode("utf-8")).digest()
    data = (seed * (payload_bytes // len(seed) + 1))[:payload_bytes]
    return ftyp + moov + box(b"mdat", data)


def iter_boxes(data: bytes, start: int = 0, end: int | None = None) -> Iterator[tuple[bytes, bytes]]:
    """The (type, payload) of each box between ``start`` and ``end``; ``ValueError`` on a bad size."""
    end = len(data) if end is None else end
    offset = start
    while offset < end:
        if end - offset < 8:
            raise ValueError(f"truncated box header at {offset}")
        size, kind = struct.unpack_from(">I4s", data, offset)
        if size < 8 or offset + size > end:
            raise ValueError(f"box {kind!r} at {offset} has a bad size {size}")
        yield kind, data[offset + 8 : offset + size]
        offset += size
