"""The lint configuration of each open document, found as the CLI finds it and cached per folder.

``load_config`` walks up from the document's folder to the nearest ``pyproject.toml`` with a
``[tool.hailuo]`` table. The result is kept per folder and checked against the file's
modification time, so an edited configuration is picked up on the next lint without reading
and parsing TOML on every keystroke. ``files`` lists every ``pyproject.toml`` the search looked at,
existing or not, so the server can notice one being created or gaining a ``[tool.hailuo]`` table
and call ``forget``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from hailuo_dsl.config import ConfigError, LintConfig, load_config


@dataclass(frozen=True, slots=True)
class _Entry:
    config: LintConfig
    source: Path | None
    mtime: float | None
    error: str | None
    files: tuple[Path, ...]


def _mtime(path: Path | None) -> float | None:
    if path is None:
        return None
    try:
        return os.stat(path).st_mtime
    except OSError:
        return None


class ConfigCache:
    """Configurations by folder. A broken configuration file gives the defaults plus its error."""

    def __init__(self) -> None:
        self._entries: dict[Path, _Entry] = {}

    def get(self, folder: Path | None) -> tuple[LintConfig, str | None]:
        """The configuration for documents in ``folder`` and the configuration error, if any."""
        if folder is None:
            return LintConfig(), None
        entry = self._entries.get(folder)
        if entry is None or _mtime(entry.source) != entry.mtime:
            entry = self._load(folder)
            self._entries[folder] = entry
        return entry.config, entry.error

    def files(self, folder: Path | None) -> tuple[Path, ...]:
        """The ``pyproject.toml`` paths whose change can change the configuration of ``folder``:
        each one from ``folder`` up to the one in use (up to the root when none is)."""
        if folder is None:
            return ()
        self.get(folder)
        return self._entries[folder].files

    def forget(self) -> None:
        """Drop every cached configuration (a configuration file was created, changed or deleted)."""
        self._entries.clear()

    @staticmethod
    def _load(folder: Path) -> _Entry:
        try:
            config, source = load_config(folder)
        except ConfigError as err:
            return _Entry(LintConfig(), None, None, str(err), _searched(folder, None))
        return _Entry(config, source, _mtime(source), None, _searched(folder, source))


def _searched(folder: Path, source: Path | None) -> tuple[Path, ...]:
    """Every ``pyproject.toml`` the search from ``folder`` looks at before it stops at ``source``."""
    found = []
    start = folder.resolve()
    for candidate in (start, *start.parents):
        path = candidate / "pyproject.toml"
        found.append(path)
        if path == source:
            break
    return tuple(found)
