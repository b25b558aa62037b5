"""What the frame images a shot names are, learnt from their bytes (contract §3): facts, no verdicts.

For a local image: whether it can be read, the format its first bytes announce and the one Pillow
reads (never its name), whether it was cut short, its width, height and weight. The weight comes
first: a file over the upload limit is refused for it, so only its header is read. Pillow reads
only the header (``Image.open`` is lazy, no pixel is decoded), a JPEG's without the fill bytes
between its segments; a file cut short is caught by one pass over its bytes (a PNG's chunks up to
``IEND``, with image data; a JPEG's end marker after its scan begins; WebP's RIFF length). Facts
are cached per (path, modification time, size), so a script naming the same frame in a thousand
shots reads it once.

For a URL: its scheme, and when probed (a HEAD request), whether it answered, its status, and the
type and length it serves. The rules HL607-HL611 and HL613 judge these facts against the limits
of ``hailuo_dsl.contract``.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TypeVar
from urllib.parse import unquote, urlsplit

from hailuo_dsl.contract import IMAGE_FORMATS, MAX_UPLOAD_BYTES, MB
from hailuo_dsl.imagetypes import image_mime

if TYPE_CHECKING:  # httpx is imported only when a URL is probed, Pillow when a file is read
    import httpx

_T = TypeVar("_T")

FORMATS = {mime.removeprefix("image/").upper(): name for mime, name in IMAGE_FORMATS.items()}
"""The frame formats by Pillow's names (``WEBP``), with the names people use (``WebP``)."""

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
HEADER_BYTES = 4 * MB
"""The most of a header that is read (EXIF, colour profiles and previews take far less)."""
HEADER_CHUNKS = 1000
"""The most segments before a JPEG's scan, or chunks before a PNG's image data (real files have
tens); past that, the header cannot be read."""
SCAN_LIMIT = 64 * MB
"""How far into a file over the upload limit its JPEG header is searched for (past fill bytes)."""
_BLOCK = 1 << 20


@dataclass(frozen=True, slots=True)
class ImageFacts:
    """What was learnt about one frame image. Formats are named as people name them (``WebP``;
    another format by Pillow's name, ``GIF``).

    A local file: ``unreadable`` says why there are no bytes to read (``does not exist (PATH)``);
    else ``bytes`` is its weight, ``sniffed`` the format its first bytes announce, and ``format``
    the one Pillow reads from its header (None when it cannot: then ``too_many_pixels`` tells a
    decompression bomb), with ``width`` and ``height``; ``truncated`` is whether a JPEG, PNG or
    WebP file ends before its image data does.

    A URL: ``scheme`` (lower case); when probed, ``unreachable`` says why it did not answer, else
    ``status`` is the HTTP status, and for a successful answer ``served_as`` is the content type
    and ``bytes`` the content length (when given).
    """

    unreadable: str | None = None
    bytes: int | None = None
    sniffed: str | None = None
    format: str | None = None
    too_many_pixels: bool = False
    width: int | None = None
    height: int | None = None
    truncated: bool = False
    scheme: str | None = None
    unreachable: str | None = None
    status: int | None = None
    served_as: str | None = None

    @property
    def size(self) -> tuple[int, int] | None:
        return (self.width, self.height) if self.width is not None and self.height is not None else None


_CACHE: dict[tuple[str, int, int], ImageFacts] = {}
_DIGESTS: dict[tuple[str, int, int], str] = {}
CACHE_LIMIT = 4096
"""Entries kept per cache: every saved version of a frame is a new key, and a language server
runs for days."""


def _remember(cache: dict[tuple[str, int, int], _T], key: tuple[str, int, int], value: _T) -> _T:
    """Store ``value``, dropping the oldest entry once the cache holds :data:`CACHE_LIMIT`."""
    if len(cache) >= CACHE_LIMIT:
        del cache[next(iter(cache))]
    cache[key] = value
    return value


def image_facts(path: Path) -> ImageFacts:
    """The facts of a local image file; cached per (path, mtime, size)."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return ImageFacts(unreadable=f"does not exist ({path})")
    except OSError as err:
        return ImageFacts(unreadable=f"cannot be read: {err.strerror} ({path})")
    if not path.is_file():
        return ImageFacts(unreadable=f"is not a file ({path})")
    if stat.st_size == 0:
        return ImageFacts(unreadable="is an empty file (0 bytes)")
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    found = _CACHE.get(key)
    if found is None:
        found = _remember(_CACHE, key, _inspect(path, stat.st_size))
    return found


def _sniff(head: bytes) -> str | None:
    """The format the first bytes announce, as people name it."""
    mime = image_mime(head)
    return IMAGE_FORMATS.get(mime, mime.removeprefix("image/").upper()) if mime is not None else None


def _jpeg_header(source: bytes | BinaryIO) -> tuple[bytes, int | None]:
    """A JPEG's header as Pillow needs it, without the fill bytes (``FF`` runs) and stray bytes
    that may stand between segments (Pillow steps over those one byte at a time: 30 MB of them
    took half a minute; here they are searched past a block at a time), and the offset where the
    first scan's data begins (None when the bytes end before it, or the header is past reason:
    over :data:`HEADER_CHUNKS` segments or :data:`HEADER_BYTES`). The segments are walked from
    the start, each skipped by its length: an EXIF thumbnail before the scan holds an end marker
    of its own. ``source`` is the file's bytes, or the open file (one over the upload limit)."""
    read = _reader(source)
    segments = [read(0, 2)]
    kept = 2
    position = 2
    while len(segments) <= HEADER_CHUNKS and kept <= HEADER_BYTES:
        at = _next_marker(read, position)
        if at is None:
            break
        head = read(at, 4)
        kind = head[1]
        if kind == 0x01 or 0xD0 <= kind <= 0xD9:  # markers without a length
            segments.append(head[:2])
            position = at + 2
            if kind == 0xD9:  # the image ends before any scan
                break
            continue
        length = int.from_bytes(head[2:4], "big")
        segment = read(at, 2 + length)
        if length < 2 or len(segment) < 2 + length:
            break
        segments.append(segment)
        kept += len(segment)
        position = at + 2 + length
        if kind == 0xDA:  # start of scan
            return b"".join(segments), position
    return b"".join(segments), None


def _reader(source: bytes | BinaryIO) -> Callable[[int, int], bytes]:
    """``read(offset, count)`` over bytes in memory or an open file."""
    if isinstance(source, bytes):
        return lambda offset, count: source[offset : offset + count]

    def read(offset: int, count: int) -> bytes:
        source.seek(offset)
        return source.read(count)

    return read


def _next_marker(read: Callable[[int, int], bytes], position: int) -> int | None:
    """The offset of the next marker at or after ``position``, searched a block at a time."""
    search = _jpeg_marker().search
    while position < SCAN_LIMIT:
        block = read(position, _BLOCK + 1)  # one byte more: a marker across two blocks is found
        found = search(block)
        if found is not None:
            return position + found.start()
        if len(block) <= _BLOCK:
            return None
        position += _BLOCK
    return None


@cache
def _jpeg_marker() -> re.Pattern[bytes]:
    """A marker: ``FF`` then a byte that is neither a fill byte (``FF``) nor a stuffed zero."""
    return re.compile(rb"\xff[^\x00\xff]")


def _png_walk(data: bytes) -> tuple[int, bool]:
    """A PNG's chunks (a length, a type, the data, a CRC each), walked once: how many come before
    the image data (``IDAT``, counted up to :data:`HEADER_CHUNKS` + 1), and whether the file was cut short: the chunks stop before
    ``IEND`` or hold no image data (a header that declares 12000x12000 pixels and nothing else).
    Data after ``IEND`` is not looked at."""
    position = len(_PNG_MAGIC)
    before = 0
    image_data = 0
    while position + 8 <= len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        position += 12 + length
        if kind == b"IDAT":
            image_data += length
        elif not image_data:
            before += 1
            if before > HEADER_CHUNKS:  # past reason: not walked further
                return before, True
        if position > len(data):
            return before, True
        if kind == b"IEND":
            return before, image_data == 0
    return before, True


def _truncated(fmt: str, data: bytes, scan_start: int | None) -> bool:
    """Whether a whole file with a readable header was cut short: a WebP shorter than its RIFF
    length says, a PNG whose chunks stop before their end or hold no image data, a JPEG with no
    end marker after its scan begins (in scan data a ``FF`` byte is always followed by ``00`` or
    a restart marker, so the first ``FF D9`` there is the end of the image). Data appended after
    the image (motion photos, editors' trailers) is not damage."""
    if fmt == "WEBP":
        return len(data) < int.from_bytes(data[4:8], "little") + 8
    if fmt == "PNG":
        return _png_walk(data)[1]
    return scan_start is None or data.find(b"\xff\xd9", scan_start) < 0


def _inspect(path: Path, size: int) -> ImageFacts:
    """The facts of a file's bytes. The size limit comes first: a file over the upload limit is
    refused for its weight, so only its header is read (its first :data:`HEADER_BYTES`, or a
    JPEG's segments), and it is not searched for damage; a file within it is read whole (at most
    10 MB), once, and every check is one pass over it."""
    whole = size <= MAX_UPLOAD_BYTES
    try:
        with path.open("rb") as handle:
            data = handle.read(size if whole else HEADER_BYTES)
            jpeg = image_mime(data[:16]) == "image/jpeg"
            header, scan_start = _jpeg_header(data if whole else handle) if jpeg else (data, None)
    except OSError as err:
        return ImageFacts(unreadable=f"cannot be read: {err.strerror} ({path})")
    sniffed = _sniff(data[:16])
    if data.startswith(_PNG_MAGIC) and _png_walk(data)[0] > HEADER_CHUNKS:  # Pillow would read each
        return ImageFacts(bytes=size, sniffed=sniffed)
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(header)) as image:
                fmt, (width, height) = image.format or "", image.size
    except Image.DecompressionBombError:
        return ImageFacts(bytes=size, sniffed=sniffed, too_many_pixels=True)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        return ImageFacts(bytes=size, sniffed=sniffed)
    truncated = whole and fmt in FORMATS and _truncated(fmt, data, scan_start)
    return ImageFacts(bytes=size, sniffed=sniffed, format=FORMATS.get(fmt, fmt), width=width, height=height, truncated=truncated)


def file_digest(path: Path) -> str:
    """The sha256 of a file's bytes, cached per (path, mtime, size)."""
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    found = _DIGESTS.get(key)
    if found is None:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        found = _remember(_DIGESTS, key, digest.hexdigest())
    return found


def local_path(reference: str) -> Path | None:
    """The file a ``file:`` URL names, or None for anything else."""
    parts = urlsplit(reference)
    if parts.scheme != "file":
        return None
    return Path(unquote(parts.path))


def url_facts(reference: str) -> ImageFacts:
    """The facts of a URL reference before any request: its scheme."""
    return ImageFacts(scheme=urlsplit(reference).scheme.lower())


def is_url(reference: str) -> bool:
    """Whether a reference is a URL (``scheme:...``) rather than a file path.

    A one-letter scheme is a Windows drive (``C:\\frames``), not a URL."""
    scheme = urlsplit(reference).scheme
    return (len(scheme) > 1 and "://" in reference) or scheme.lower() == "data"


def probe_url(url: str, client: httpx.Client) -> ImageFacts:
    """HEAD an http(s) image URL (a GET's headers where HEAD is refused): the facts of its answer."""
    import httpx

    scheme = urlsplit(url).scheme.lower()
    try:
        response = client.head(url)
        if response.status_code == 405:  # some servers refuse HEAD: read the headers of a GET
            with client.stream("GET", url) as streamed:
                response = streamed
    except httpx.HTTPError as err:
        return ImageFacts(scheme=scheme, unreachable=str(err) or type(err).__name__)
    if response.status_code >= 400:
        return ImageFacts(scheme=scheme, status=response.status_code)
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    length = response.headers.get("content-length", "")
    size = int(length) if length.isdigit() else None
    return ImageFacts(bytes=size, scheme=scheme, status=response.status_code, served_as=kind or None)


def clear_cache() -> None:
    """Forget every cached result (for long-running processes that want a fresh look)."""
    _CACHE.clear()
    _DIGESTS.clear()


__all__ = [
    "FORMATS",
    "ImageFacts",
    "clear_cache",
    "file_digest",
    "image_facts",
    "is_url",
    "local_path",
    "probe_url",
    "url_facts",
]
