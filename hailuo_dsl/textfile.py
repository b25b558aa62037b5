"""Reading the text files users give (prompts, scripts, shot-specs): UTF-8, with one-line reasons
for what cannot be read, so every front end reports a bad file the same way."""

from __future__ import annotations

from pathlib import Path


class TextFileError(OSError):
    """A file that is missing, unreadable, binary or not UTF-8; the message is one line."""


def decode_text(data: bytes, name: str) -> str:
    """``data`` as UTF-8 text (an initial byte-order mark is skipped); ``name`` is for the message."""
    if b"\x00" in data:
        raise TextFileError(f"{name}: binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise TextFileError(f"{name}: not UTF-8 text (byte {err.start})") from None


def read_text_file(path: Path, name: str | None = None) -> str:
    """The text of ``path``; ``name`` (default: the path) is how messages call it."""
    name = str(path) if name is None else name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise TextFileError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise TextFileError(f"{name}: is a directory") from None
    except OSError as err:
        raise TextFileError(f"{name}: cannot read: {err.strerror}") from None
    return decode_text(data, name)


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
