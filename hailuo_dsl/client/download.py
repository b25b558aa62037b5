"""Writing a download: a temporary file beside the target, renamed into place only when whole."""

from __future__ import annotations

import functools
import os
import tempfile
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
        fd, name = tempfile.mkstemp(prefix=f".{self.target.name}.", suffix=".part", dir=self.target.parent)
        self._temp = Path(name)
        os.chmod(name, _file_mode())  # mkstemp makes 0600; a video is an ordinary file
        self._handle = os.fdopen(fd, "wb")
        return self

    def write(self, chunk: bytes) -> None:
        assert self._handle is not None
        self._handle.write(chunk)
        self.size += len(chunk)

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        assert self._handle is not None and self._temp is not None
        self._handle.close()
        if kind is None:
            os.replace(self._temp, self.target)
        else:
            self._temp.unlink(missing_ok=True)
