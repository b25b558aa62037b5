"""Reading the text files users give (prompts, scripts, shot-specs, configurations): UTF-8, within
a size limit, with one-line reasons for what cannot be read, so every front end reports a bad file
the same way; and writing one back with the bytes it had outside the edits (its byte-order mark).

The limits keep memory and time bounded whatever is named: ``/dev/zero``, a pipe that never ends,
a log file given by mistake. A prompt file holds one prompt, which the API takes up to 2,000
characters, so :data:`PROMPT_FILE_LIMIT` is fifty times that; scripts, shot-specs and
configuration files get :data:`TEXT_FILE_LIMIT` (some thousands of shots). ``HAILUO_MAX_FILE_MB``
(or :func:`size_limit` in a program) sets one limit for every kind.

Line ends are LF or CRLF. A lone carriage return (old Mac line ends) is refused: editors and the
language protocol take it for a line end, the script grammar does not, and a file read two ways
could be rewritten into one line.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

MB = 1_000_000
PROMPT_FILE_LIMIT = 100_000
"""Bytes a prompt file may hold: fifty times the 2,000 characters the API takes."""
TEXT_FILE_LIMIT = 500_000
"""Bytes a ``.shot`` script, a shot-spec or a configuration file may hold: some thousands of
shots, and still a few seconds and a few hundred MB for the worst text (every byte a finding)."""
LIMIT_ENV = "HAILUO_MAX_FILE_MB"
"""The environment variable that sets one limit (decimal MB) for every file read."""

_override: ContextVar[int | None] = ContextVar("hailuo_max_file_bytes", default=None)
_LONE_CR = re.compile(r"\r(?!\n)")


class TextFileError(OSError):
    """A file that is missing, unreadable, too large, binary, not UTF-8 or with lone CR line ends;
    the message is one line."""


@dataclass(frozen=True, slots=True)
class TextFile:
    """A file's text, and whether its bytes began with a UTF-8 byte-order mark (kept on writing)."""

    text: str
    bom: bool = False


@contextmanager
def size_limit(max_bytes: int | None) -> Iterator[None]:
    """Read every file with this limit (None: the defaults) while the block runs."""
    token = _override.set(max_bytes)
    try:
        yield
    finally:
        _override.reset(token)


def file_limit(*, prompt: bool) -> int:
    """The size limit in bytes for a prompt file (``prompt``) or any other text file."""
    chosen = _override.get()
    if chosen is not None:
        return chosen
    raw = os.environ.get(LIMIT_ENV, "").strip()
    if raw:
        return mb_to_bytes(raw, LIMIT_ENV)
    return PROMPT_FILE_LIMIT if prompt else TEXT_FILE_LIMIT


def mb_to_bytes(raw: str | float, what: str) -> int:
    """A limit in decimal MB (``"2.5"``) as bytes; :class:`TextFileError` when it is not a positive number."""
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0 or value == float("inf"):
        raise TextFileError(f"{what}: {raw!r} is not a positive number of MB")
    return max(1, int(value * MB))


def _mb(size: int) -> str:
    if size >= MB:
        return f"{size / MB:.1f} MB".replace(".0 MB", " MB")
    return f"{size / 1000:.0f} kB" if size >= 1000 else f"{size} bytes"


def _too_large(name: str, size: int | None, limit: int, prompt: bool) -> TextFileError:
    kind = "a prompt file (the API takes 2,000 characters)" if prompt else "a script, shot-spec or configuration file"
    held = f"{size:,} bytes, over the {_mb(limit)} limit" if size is not None else f"more than {_mb(limit)}, the limit"
    return TextFileError(f"{name}: {held} of {kind}; set {LIMIT_ENV} to raise it")


def read_limited(handle: object, name: str, *, prompt: bool) -> bytes:
    """At most the limit's bytes of an open binary stream (a file, a pipe, a device, stdin), or
    :class:`TextFileError`: a regular file over the limit is refused before it is read."""
    limit = file_limit(prompt=prompt)
    fileno = getattr(handle, "fileno", None)
    if fileno is not None:
        try:
            info = os.fstat(fileno())
        except (OSError, ValueError):
            info = None
        if info is not None and stat.S_ISREG(info.st_mode) and info.st_size > limit:
            raise _too_large(name, info.st_size, limit, prompt)
    data: bytes = handle.read(limit + 1)  # type: ignore[attr-defined]
    if len(data) > limit:  # a device or a pipe with more to give
        raise _too_large(name, None, limit, prompt)
    return data


def decode(data: bytes, name: str) -> TextFile:
    """``data`` as UTF-8 text, an initial byte-order mark set aside; ``name`` is for the message."""
    if b"\x00" in data:
        raise TextFileError(f"{name}: binary file, not text")
    bom = data.startswith(codecs.BOM_UTF8)
    try:
        text = data[len(codecs.BOM_UTF8) if bom else 0 :].decode("utf-8")
    except UnicodeDecodeError as err:
        raise TextFileError(f"{name}: not UTF-8 text (byte {err.start + (3 if bom else 0)})") from None
    check_line_ends(text, name)
    return TextFile(text, bom)


def lone_cr(text: str) -> int | None:
    """The offset of the first carriage return that is not part of a CRLF, or None."""
    found = _LONE_CR.search(text) if "\r" in text else None
    return None if found is None else found.start()


def check_line_ends(text: str, name: str) -> None:
    """:class:`TextFileError` (``name:line:col: ...``) when a line of ``text`` ends with a lone CR."""
    at = lone_cr(text)
    if at is not None:
        line_start = text.rfind("\n", 0, at) + 1
        where = f"{name}:{text.count(chr(10), 0, at) + 1}:{at - line_start + 1}"
        raise TextFileError(
            f"{where}: a carriage return (CR) that is not part of a CRLF line end; lines must end with LF or CRLF "
            "(old Mac line ends: convert the file, for example with tr '\\r' '\\n')"
        )


def decode_text(data: bytes, name: str) -> str:
    """``data`` as UTF-8 text (an initial byte-order mark is skipped); ``name`` is for the message."""
    return decode(data, name).text


def read_file(path: Path, name: str | None = None, *, prompt: bool = False) -> TextFile:
    """The text of ``path`` within the limit of its kind; ``name`` (default: the path) is how
    messages call it."""
    name = str(path) if name is None else name
    try:
        with path.open("rb") as handle:
            data = read_limited(handle, name, prompt=prompt)
    except TextFileError:
        raise
    except FileNotFoundError:
        raise TextFileError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise TextFileError(f"{name}: is a directory") from None
    except ValueError:  # a NUL in the name
        raise TextFileError(f"{name}: {NUL_IN_NAME}") from None
    except OSError as err:
        raise TextFileError(f"{name}: cannot read: {err.strerror or err}") from None
    return decode(data, name)


def read_text_file(path: Path, name: str | None = None, *, prompt: bool = False) -> str:
    """The text of ``path`` (see :func:`read_file`)."""
    return read_file(path, name, prompt=prompt).text


def encode(text: str, bom: bool) -> bytes:
    """The bytes of a text to write back: UTF-8, with the byte-order mark the file had."""
    return (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8")


def write_file(path: Path, data: bytes) -> None:
    """Replace a file's bytes so that a failure (a full disk) leaves the old file whole: written
    to a temporary file beside it, then renamed over it (through a symbolic link, to its target),
    with the file's permissions. Where no file can be made beside it, it is written in place."""
    import tempfile

    target = Path(os.path.realpath(path))
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".hailuo-tmp", dir=target.parent)
    except OSError:
        target.write_bytes(data)
        return
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.chmod(temporary, stat.S_IMODE(target.stat().st_mode))
        except OSError:
            pass
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


MAX_TOML_DEPTH = 100
"""Arrays and inline tables nested deeper than this are refused before the TOML reader, which
would recurse once per level (a thousand levels exhaust Python's stack)."""


@cache
def _toml_tokens() -> re.Pattern[str]:
    """Strings and comments (skipped whole) and brackets and braces, in a TOML text."""
    return re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'[^\'\n]*\'|#[^\n]*|[\[\]{}]')


class TomlNestingError(ValueError):
    """A TOML text nested too deep; the message ends as the TOML reader's do: ``(at line L, column C)``."""


def _too_deep(text: str) -> int | None:
    """The offset where brackets and braces (outside strings and comments) first nest deeper than
    :data:`MAX_TOML_DEPTH`, in one pass; None when they never do."""
    if text.count("[") + text.count("{") <= MAX_TOML_DEPTH:
        return None
    depth = 0
    for token in _toml_tokens().finditer(text):
        char = token.group()
        if char in "[{":
            depth += 1
            if depth > MAX_TOML_DEPTH:
                return token.start()
        elif char in "]}":
            depth = max(0, depth - 1)
    return None


def toml_loads(text: str) -> dict[str, Any]:
    """``text`` read as TOML (the reader is imported on first use); ``ValueError`` (the reader's
    ``TOMLDecodeError`` or :class:`TomlNestingError`) when it is not."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]
    deep = _too_deep(text)
    if deep is None:
        try:
            data: dict[str, Any] = tomllib.loads(text)
            return data
        except RecursionError:  # the stack was shallower than the check assumes
            deep = 0
    line_start = text.rfind("\n", 0, deep) + 1
    raise TomlNestingError(
        f"Arrays or inline tables nested more than {MAX_TOML_DEPTH} levels deep "
        f"(at line {text.count(chr(10), 0, deep) + 1}, column {deep - line_start + 1})"
    )


NUL_IN_NAME = "the file name holds a NUL character"
"""Why a path with a NUL cannot name a file (only editor text or a ``file:`` URL's ``%00`` holds one)."""


def user_path(reference: str) -> Path:
    """A path as a user wrote it, ``~`` expanded (left as written when no home folder is known
    for it, so it is then reported as a missing file rather than raising)."""
    path = Path(reference)
    try:
        return path.expanduser()
    except RuntimeError:
        return path


_CONTROLS = {
    **{i: 0x2400 + i for i in range(0x20) if i != 0x09},
    0x7F: 0x2421,
    **dict.fromkeys(range(0x80, 0xA0), 0xFFFD),
    **dict.fromkeys((0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A)), 0xFFFD),
}
"""Characters a terminal would act on rather than show (escape sequences, carriage returns,
line separators, bidirectional overrides), mapped to visible stand-ins of the same width."""


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: control characters shown as symbols (␛ for ESC)."""
    return text if text.isprintable() else text.translate(_CONTROLS)
