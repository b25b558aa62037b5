"""What the frame images a shot names are, learnt from their bytes (contract §3): facts, no verdicts.

For a local image: whether it can be read, the format its first bytes announce and the one Pillow
reads (never its name), whether it was cut short, its width, height and weight. Pillow reads only
the header (``Image.open`` is lazy, no pixel is decoded); a file cut short is caught from its last
bytes (PNG ``IEND``, JPEG ``EOI``, WebP's RIFF length). Facts are cached per (path, modification
time, size), so a script naming the same frame in a thousand shots reads it once.

For a URL: its scheme, and when probed (a HEAD request), whether it answered, its status, and the
type and length it serves. The rules HL607-HL611 and HL613 judge these facts against the limits
of ``hailuo_dsl.contract``.
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import unquote, urlsplit

from hailuo_dsl.contract import IMAGE_FORMATS
from hailuo_dsl.imagetypes import image_mime

if TYPE_CHECKING:  # httpx is imported only when a URL is probed, Pillow when a file is read
    import httpx

_T = TypeVar("_T")

FORMATS = {mime.removeprefix("image/").upper(): name for mime, name in IMAGE_FORMATS.items()}
"""The frame formats by Pillow's names (``WEBP``), with the names people use (``WebP``)."""

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"
_TAIL = 64


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


def _truncated(path: Path, fmt: str, data_start: int, head: bytes, tail: bytes, size: int) -> bool:
    """Whether a file with a readable header was cut short. The last bytes decide for a whole
    file; only when they do not end as the format ends is the file searched for its end marker
    after the image data starts, so data appended after the image (motion photos, editors'
    trailers) is not mistaken for damage."""
    if fmt == "WEBP":
        return size < int.from_bytes(head[4:8], "little") + 8
    marker = _PNG_END if fmt == "PNG" else b"\xff\xd9"
    if tail.endswith(marker):
        return False
    if fmt == "JPEG":
        data_start = _jpeg_scan_start(path)
    return not _contains(path, marker, data_start)


def _jpeg_scan_start(path: Path) -> int:
    """The offset where a JPEG's first scan data begins: the marker segments are walked from the
    start (an EXIF thumbnail before it holds an end marker of its own)."""
    position = 2
    with path.open("rb") as handle:
        while True:
            handle.seek(position)
            segment = handle.read(4)
            if len(segment) < 4 or segment[0] != 0xFF:
                return position
            kind = segment[1]
            if kind == 0xFF:  # fill byte
                position += 1
            elif kind in (0x01, 0xD8) or 0xD0 <= kind <= 0xD7:  # markers without a length
                position += 2
            else:
                position += 2 + int.from_bytes(segment[2:4], "big")
                if kind == 0xDA:  # start of scan
                    return position


def _contains(path: Path, marker: bytes, start: int) -> bool:
    """Whether ``marker`` occurs in the file after ``start``, read in blocks. In JPEG scan data
    a 0xFF byte is always followed by 0x00 or a restart marker, so the first ``FF D9`` there is
    the end of the image."""
    keep = len(marker) - 1
    with path.open("rb") as handle:
        handle.seek(start)
        carry = b""
        for block in iter(lambda: handle.read(1 << 20), b""):
            if marker in carry + block:
                return True
            carry = block[-keep:]
    return False


def _inspect(path: Path, size: int) -> ImageFacts:
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
            handle.seek(max(0, size - _TAIL))
            tail = handle.read(_TAIL)
    except OSError as err:
        return ImageFacts(unreadable=f"cannot be read: {err.strerror} ({path})")
    sniffed = _sniff(head)
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path) as image:
                fmt, (width, height) = image.format or "", image.size
                data_start = image.tile[0][2] if image.tile and fmt == "PNG" else 0
    except Image.DecompressionBombError:
        return ImageFacts(bytes=size, sniffed=sniffed, too_many_pixels=True)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return ImageFacts(bytes=size, sniffed=sniffed)
    truncated = fmt in FORMATS and _truncated(path, fmt, data_start, head, tail, size)
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
