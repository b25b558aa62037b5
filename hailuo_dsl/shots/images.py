"""Checks of the frame images a shot names, by their bytes (contract §3).

A local image must exist, be a JPEG, PNG or WebP file (told by its bytes, never by its name), weigh
at most 10 MB (the upload endpoint's limit; the model's own is 20 MB), have a short side over 300
px and an aspect ratio between 2:5 and 5:2. Pillow reads only the header (``Image.open`` is lazy,
no pixel is decoded); a file cut short is caught from its last bytes (PNG ``IEND``, JPEG ``EOI``,
WebP's RIFF length). Results are cached per (path, modification time, size), so a script naming
the same frame in a thousand shots reads it once.

Image references that are URLs: ``http(s)`` URLs are taken as they are, or probed with a HEAD
request when asked; ``data:`` URIs and other schemes are refused, since the API takes neither.
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import unquote, urlsplit

from PIL import Image, UnidentifiedImageError

from hailuo_dsl.contract import IMAGE_FORMATS, MAX_MODEL_IMAGE_BYTES, MAX_UPLOAD_BYTES, MB, MIN_SHORT_SIDE, aspect_ok
from hailuo_dsl.imagetypes import image_mime
from hailuo_dsl.rules import script_compile as rules

if TYPE_CHECKING:  # httpx is imported only when a URL is probed
    import httpx

_T = TypeVar("_T")

FORMATS = {mime.removeprefix("image/").upper(): name for mime, name in IMAGE_FORMATS.items()}
"""The frame formats by Pillow's names (``WEBP``), with the names people use (``WebP``)."""

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"
_TAIL = 64


@dataclass(frozen=True, slots=True)
class ImageProblem:
    """One thing wrong with an image: the HL6xx rule it breaks and what is wrong, in words."""

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class ImageInfo:
    """What the checks learnt about one image: its format and size when readable, and its problems."""

    format: str | None = None
    width: int | None = None
    height: int | None = None
    bytes: int | None = None
    problems: tuple[ImageProblem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def size(self) -> tuple[int, int] | None:
        return (self.width, self.height) if self.width is not None and self.height is not None else None


_CACHE: dict[tuple[str, int, int], ImageInfo] = {}
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


def _missing(message: str) -> ImageInfo:
    return ImageInfo(problems=(ImageProblem(rules.IMAGE_MISSING.code, message),))


def check_image(path: Path) -> ImageInfo:
    """Check a local image file; cached per (path, mtime, size)."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return _missing(f"does not exist ({path})")
    except OSError as err:
        return _missing(f"cannot be read: {err.strerror} ({path})")
    if not path.is_file():
        return _missing(f"is not a file ({path})")
    if stat.st_size == 0:
        return _missing("is an empty file (0 bytes)")
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    found = _CACHE.get(key)
    if found is None:
        found = _remember(_CACHE, key, _inspect(path, stat.st_size))
    return found


def _sniff(head: bytes) -> str | None:
    """The format the first bytes announce, as Pillow names it (to name the format of a damaged
    file)."""
    mime = image_mime(head)
    return mime.removeprefix("image/").upper() if mime is not None else None


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


def _inspect(path: Path, size: int) -> ImageInfo:
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
            handle.seek(max(0, size - _TAIL))
            tail = handle.read(_TAIL)
    except OSError as err:
        return _missing(f"cannot be read: {err.strerror} ({path})")
    sniffed = _sniff(head)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path) as image:
                fmt, (width, height) = image.format or "", image.size
                data_start = image.tile[0][2] if image.tile and fmt == "PNG" else 0
    except Image.DecompressionBombError:
        return ImageInfo(bytes=size, problems=(ImageProblem(rules.IMAGE_FORMAT.code, "has too many pixels to be a frame"),))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        if sniffed in FORMATS:
            message = f"is a truncated or damaged {FORMATS[sniffed]} file: its header cannot be read"
        elif sniffed == "GIF":
            message = "is a GIF image; Hailuo takes JPEG, PNG or WebP"
        else:
            message = "is not an image (not JPEG, PNG or WebP, whatever its name says)"
        return ImageInfo(bytes=size, problems=(ImageProblem(rules.IMAGE_FORMAT.code, message),))
    problems: list[ImageProblem] = []
    if fmt not in FORMATS:
        problems.append(ImageProblem(rules.IMAGE_FORMAT.code, f"is a {fmt} image; Hailuo takes JPEG, PNG or WebP"))
    elif _truncated(path, fmt, data_start, head, tail, size):
        problems.append(
            ImageProblem(rules.IMAGE_FORMAT.code, f"is a truncated {FORMATS[fmt]} file: it ends before its image data does")
        )
    problems.extend(_limits(width, height, size))
    return ImageInfo(FORMATS.get(fmt, fmt), width, height, size, tuple(problems))


def _limits(width: int, height: int, size: int | None) -> list[ImageProblem]:
    """The size rules of section 3 (bytes, short side, aspect) for an image of known dimensions."""
    problems = []
    if size is not None and size > MAX_UPLOAD_BYTES:
        limit = (
            f"the model takes images under {MAX_MODEL_IMAGE_BYTES // MB} MB"
            if size >= MAX_MODEL_IMAGE_BYTES
            else f"the upload endpoint takes at most {MAX_UPLOAD_BYTES // MB} MB"
        )
        problems.append(ImageProblem(rules.IMAGE_FILE_SIZE.code, f"is {size / MB:.1f} MB; {limit}"))
    if min(width, height) <= MIN_SHORT_SIDE:
        problems.append(
            ImageProblem(rules.IMAGE_TOO_SMALL.code, f"is {width}x{height} px; its short side must be over {MIN_SHORT_SIDE} px")
        )
    if not aspect_ok(width, height):
        problems.append(
            ImageProblem(
                rules.IMAGE_ASPECT.code,
                f"is {width}x{height} px (aspect {width / height:.2f}); the aspect must be between 2:5 and 5:2",
            )
        )
    return problems


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


def url_problem(reference: str) -> ImageProblem | None:
    """Why a URL-like reference cannot be sent (``data:`` or an unknown scheme), or None."""
    scheme = urlsplit(reference).scheme.lower()
    if scheme == "data":
        return ImageProblem(
            rules.IMAGE_REFERENCE.code, "is a data: URI, which the API does not take; use a file path or an http(s) URL"
        )
    if scheme not in ("http", "https"):
        return ImageProblem(
            rules.IMAGE_REFERENCE.code, f"uses the unsupported scheme '{scheme}:'; use a file path or an http(s) URL"
        )
    return None


def is_url(reference: str) -> bool:
    """Whether a reference is a URL (``scheme:...``) rather than a file path.

    A one-letter scheme is a Windows drive (``C:\\frames``), not a URL."""
    scheme = urlsplit(reference).scheme
    return (len(scheme) > 1 and "://" in reference) or scheme.lower() == "data"


def probe_url(url: str, client: httpx.Client) -> ImageInfo:
    """HEAD an http(s) image URL: it must answer 2xx, as an image type the model takes, under 20 MB."""
    import httpx

    try:
        response = client.head(url)
        if response.status_code == 405:  # some servers refuse HEAD: read the headers of a GET
            with client.stream("GET", url) as streamed:
                response = streamed
    except httpx.HTTPError as err:
        reason = str(err) or type(err).__name__
        return ImageInfo(problems=(ImageProblem(rules.IMAGE_REFERENCE.code, f"cannot be reached: {reason}"),))
    if response.status_code >= 400:
        return ImageInfo(problems=(ImageProblem(rules.IMAGE_REFERENCE.code, f"answers HTTP {response.status_code}"),))
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    problems = []
    if kind and kind not in IMAGE_FORMATS:
        problems.append(ImageProblem(rules.IMAGE_FORMAT.code, f"is served as {kind}; Hailuo takes JPEG, PNG or WebP"))
    length = response.headers.get("content-length", "")
    size = int(length) if length.isdigit() else None
    if size is not None and size >= MAX_MODEL_IMAGE_BYTES:
        problems.append(ImageProblem(rules.IMAGE_FILE_SIZE.code, f"is {size / MB:.1f} MB; the model takes images under 20 MB"))
    return ImageInfo(bytes=size, problems=tuple(problems))


def clear_cache() -> None:
    """Forget every cached result (for long-running processes that want a fresh look)."""
    _CACHE.clear()
    _DIGESTS.clear()


__all__ = [
    "FORMATS",
    "ImageInfo",
    "ImageProblem",
    "check_image",
    "clear_cache",
    "file_digest",
    "is_url",
    "local_path",
    "probe_url",
    "url_problem",
]
