"""The lint configuration of each open document, found as the CLI finds it and cached per folder.

``load_config`` walks up from the document's folder to the nearest ``pyproject.toml`` with a
``[tool.hailuo]`` table. The result is kept per folder and checked against the file's
modification time, so an edited configuration is picked up on the next lint without reading
and parsing TOML on every keystroke. A new configuration file is noticed when the client reports
changed files (``forget``).
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

    def forget(self) -> None:
        """Drop every cached configuration (a configuration file was created, changed or deleted)."""
        self._entries.clear()

    @staticmethod
    def _load(folder: Path) -> _Entry:
        try:
            config, source = load_config(folder)
        except ConfigError as err:
            return _Entry(LintConfig(), None, None, str(err))
        return _Entry(config, source, _mtime(source), None)
