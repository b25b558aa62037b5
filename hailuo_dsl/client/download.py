"""Writing a download: a temporary file beside the target, renamed into place only when whole."""

from __future__ import annotations

import contextlib
import functools
import os
import secrets
from pathlib import Path
from types import TracebackType
from typing import IO


@functools.cache
def _file_mode() -> int:
    """The mode ``open()`` would give a new file under the process umask (read on the first
    download, not at import: reading the umask means setting it for a moment)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


class PartialFile:
    """A download in progress: a temporary file next to the target, renamed into place on success.

    Used as a context manager; on any exception the temporary file is removed, so a cut-off
    download never leaves a file under the final name.
    """

    def __init__(self, target: Path) -> None:
        self.target = target
        self.size = 0
        self._handle: IO[bytes] | None = None
        self._temp: Path | None = None

    def __enter__(self) -> PartialFile:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        mode = _file_mode()  # a video is an ordinary file, not mkstemp's 0600
        fd = -1
        # Named before it exists, so that a stop at any point knows which file to remove. A signal
        # can raise as ``os.open`` returns, before ``fd`` is assigned: the file then exists though
        # ``fd`` says not, so it is removed by name (the random name is ours unless it already existed).
        self._temp = self.target.parent / f".{self.target.name}.{secrets.token_hex(4)}.part"
        try:
            fd = os.open(self._temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
            self._handle = os.fdopen(fd, "wb")
        except FileExistsError:
            raise
        except BaseException:
            with contextlib.suppress(OSError):  # the first error is the one to report
                if fd >= 0 and self._handle is None:
                    os.close(fd)
                self._temp.unlink(missing_ok=True)
            raise
        return self

    def write(self, chunk: bytes) -> None:
        assert self._handle is not None
        self._handle.write(chunk)
        self.size += len(chunk)

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        assert self._handle is not None and self._temp is not None
        placed = False
        try:
            self._handle.close()
            if kind is None:
                os.replace(self._temp, self.target)
                placed = True
        finally:
            if not placed:
                self._temp.unlink(missing_ok=True)
