"""The files each open document's findings were read from: the ``pyproject.toml`` files the
configuration search looked at (also those that do not exist yet: one may be created) and the
shot-spec of a script. When one changes, the documents that read it are linted again at once:
on the editor's watched-file events where it sends them, otherwise on a light check of the
files' modification times while documents are open (Neovim on Linux and Helix watch nothing).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

Stamp = tuple[int, int] | None
"""A file's modification time (ns) and size; None when it does not exist or cannot be read."""


def stamp(path: Path) -> Stamp:
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return None
    return found.st_mtime_ns, found.st_size


def stamps(paths: Iterable[Path]) -> dict[Path, Stamp]:
    return {path: stamp(path) for path in paths}


class Dependencies:
    """For each open document, the files its last lint read and their stamps before it read them."""

    def __init__(self) -> None:
        self._by_uri: dict[str, dict[Path, Stamp]] = {}

    def record(self, uri: str, read: dict[Path, Stamp]) -> None:
        self._by_uri[uri] = dict(read)

    def forget(self, uri: str) -> None:
        self._by_uri.pop(uri, None)

    def __bool__(self) -> bool:
        return bool(self._by_uri)

    def users_of(self, paths: Iterable[Path]) -> set[str]:
        """The documents that read any of ``paths``."""
        wanted = {_normal(p) for p in paths}
        return {uri for uri, read in self._by_uri.items() if any(_normal(p) in wanted for p in read)}

    def changed(self) -> tuple[set[str], set[Path]]:
        """The documents whose files changed since they were read, and those files; each file is
        stat-ed once. The new stamps are kept, so one change is reported once."""
        now: dict[Path, Stamp] = {}
        users: set[str] = set()
        files: set[Path] = set()
        for uri, read in self._by_uri.items():
            for path, old in read.items():
                if path not in now:
                    now[path] = stamp(path)
                if now[path] != old:
                    read[path] = now[path]
                    users.add(uri)
                    files.add(path)
        return users, files


def _normal(path: Path) -> str:
    return os.path.normcase(os.path.abspath(path))


def file_key(path: Path | str) -> str:
    """A file's path as a key that two spellings of the same path share (``a/../b`` and ``b``)."""
    return os.path.normcase(os.path.normpath(os.path.abspath(path)))
