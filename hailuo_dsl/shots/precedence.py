"""Resolving a shot's settings by precedence, each value with where it came from.

Command line > ``@setting`` in the shot > spec ``[shots.NAME]`` > spec ``[defaults]`` > the API's
default. Every resolved value keeps its :class:`Origin`: the precedence level, a label for people
(``@duration at launch.shot:5``), where it stands (for findings) and the folder its relative paths
resolve against (the file that names them). The value rules (:func:`coerce`) are here too, shared
by ``@settings``, the spec's tables and the command line.

This module reads a spec only through :class:`SpecTables` and imports no configuration, so the
rules can read what it resolves.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from hailuo_dsl.contract import DURATIONS, MODEL_NAME, RESOLUTIONS
from hailuo_dsl.prompt.positions import LineIndex
from hailuo_dsl.shots.settings import SETTINGS, TAKES
from hailuo_dsl.shots.syntax import NAME_PATTERN, Script, Setting, Shot

SETTING_KEYS: tuple[str, ...] = tuple(SETTINGS)
"""Every setting's key, in the settings table's order."""
BOOLEAN_KEYS = ("prompt_optimizer", "fast_pretreatment", "watermark")
IMAGE_KEYS = ("first_frame", "last_frame")
URL_KEYS = ("callback_url",)


def said(values: tuple[object, ...]) -> str:
    """``a, b or c``."""
    words = [str(v) for v in values]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


_DURATION_TEXTS = tuple(str(d) for d in DURATIONS)
_TAKES_TEXTS = tuple(str(n) for n in TAKES)
_DURATIONS_SAID = said(DURATIONS)
_RESOLUTIONS_SAID = said(RESOLUTIONS)


def shown(value: object) -> str:
    """A value as the user wrote it, for messages: strings quoted, TOML booleans lower-case."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (dict, list)):
        return "a table" if isinstance(value, dict) else "an array"
    return str(value)


def coerce(key: str, value: object, *, text: bool = False) -> object:
    """The value of setting ``key`` as the request takes it; raises ``ValueError("must be 6 or
    10, got "ten"")``. With ``text`` the value was written as text (``@duration 10``,
    ``--duration 10``) and is read by the setting's kind; a TOML value must also have the right
    type (``duration = "10"`` is a string)."""
    if key == "duration":
        written = value.strip() if isinstance(value, str) else None
        if text and written in _DURATION_TEXTS:
            return int(written)
        if isinstance(value, int) and not isinstance(value, bool) and value in DURATIONS:
            return value
        if written in _DURATION_TEXTS:
            raise ValueError(f"must be {_DURATIONS_SAID}, got {shown(value)} (a string; write {written} without quotes)")
        raise ValueError(f"must be {_DURATIONS_SAID}, got {shown(value)}")
    if key == "resolution":
        if isinstance(value, str) and value.strip().upper() in RESOLUTIONS:
            return value.strip().upper()
        raise ValueError(f"must be {_RESOLUTIONS_SAID}, got {shown(value)}")
    if key == "model":
        if isinstance(value, str) and value.strip().lower() == MODEL_NAME.lower():
            return MODEL_NAME
        raise ValueError(f"must be {MODEL_NAME}, got {shown(value)}")
    if key in BOOLEAN_KEYS:
        if isinstance(value, bool):
            return value
        if text and isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        raise ValueError(f"must be true or false, got {shown(value)}")
    if key == "takes":
        if text and isinstance(value, str) and value.strip() in _TAKES_TEXTS:
            return int(value.strip())
        if isinstance(value, int) and not isinstance(value, bool) and value in TAKES:
            return value
        return _refuse_takes(value)
    if key == "continue":
        # "" (a bare @continue): the shot before this one; the compiler names it
        if isinstance(value, str) and (not value.strip() or NAME_PATTERN.fullmatch(value.strip())):
            return value.strip()
        raise ValueError(f"must name a shot of this script (or stand alone for the shot before), got {shown(value)}")
    if key in IMAGE_KEYS:
        if isinstance(value, str) and value.strip():
            return value.strip()
        raise ValueError(f"must be a file path or an http(s) URL, got {shown(value) if value != '' else 'an empty string'}")
    if key in URL_KEYS:
        problem = http_url_problem(value)
        if problem is None:
            return str(value).strip()
        raise ValueError(problem)
    raise ValueError(f"unknown setting '{key}'")


def _refuse_takes(value: object) -> object:
    if isinstance(value, str) and value.strip() in _TAKES_TEXTS:
        raise ValueError(f"must be {said(TAKES)}, got {shown(value)} (a string; write {value.strip()} without quotes)")
    raise ValueError(f"must be {said(TAKES)}, got {shown(value)}")


_HTTP = ("http", "https")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


def http_url_problem(value: object) -> str | None:
    """Why ``value`` is not an http(s) URL with a host (``must be ..., got ...``), or None. The
    gateway posts to it, so ``example.com/hook`` (no scheme), ``ftp://...``, ``https:/host``
    (one slash: no host) and a URL with a space are refused, each with what to write."""
    if not isinstance(value, str):
        return f"must be an http(s) URL, got {shown(value)}"
    url = value.strip()
    if not url:
        return "must be an http(s) URL, got an empty string"
    if any(c.isspace() for c in url):
        return f"must be an http(s) URL, got {shown(value)} (a URL has no spaces; write them as %20)"
    if _SCHEME.match(url) is None:
        if re.match(r"(?i)https?:", url):  # https:/host, https:host
            scheme, rest = url.split(":", 1)
            return f"must be an http(s) URL with a host, got {shown(value)} (write {scheme.lower()}://{rest.lstrip('/')})"
        return f"must be an http(s) URL, got {shown(value)} (no scheme: write https://{url})"
    parts = urlsplit(url)
    if parts.scheme.lower() not in _HTTP:
        return f"must be an http(s) URL, got {shown(value)} (the gateway posts only to http:// or https://)"
    try:
        port_ok = parts.port is None or parts.port > 0
    except ValueError:  # a port that is not a number, or over 65535
        port_ok = False
    if not parts.hostname:
        return f"must be an http(s) URL with a host, got {shown(value)}"
    if not port_ok:
        return f"must be an http(s) URL with a valid port, got {shown(value)}"
    return None


class SpecTables(Protocol):
    """What resolving reads of a shot-spec (``hailuo_dsl.shots.spec.ShotSpec`` is one): the
    settings each of its tables gives, and where each stands."""

    @property
    def path(self) -> Path | None: ...

    def settings_tables(self) -> Iterator[tuple[tuple[str, ...], dict[str, object]]]:
        """``(("defaults",), settings)``, then ``(("shots", NAME), settings)`` for each shot."""
        ...

    def where(self, *keys: str) -> str: ...

    def table(self, *keys: str) -> str: ...

    def location(self, *keys: str) -> tuple[int, int]: ...


API_DEFAULTS: dict[str, object] = {key: info.default for key, info in SETTINGS.items() if info.default is not None}
"""What the API applies to a setting nobody gave (the frames have no default)."""

Located = tuple[str | None, tuple[int, int]]
"""Where a finding stands: the file (None for the script itself) and the span in it."""


class Level(enum.IntEnum):
    """The levels of precedence, lowest first."""

    API_DEFAULT = 0
    SPEC_DEFAULTS = 1
    SPEC_SHOT = 2
    SCRIPT = 3
    COMMAND_LINE = 4


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a resolved value came from: its precedence level, a label for people, its location
    (``path`` None for the script, the spec's path for the spec; ``span`` None when nowhere, as
    for the command line), the folder its relative paths resolve against and, for the spec, the
    table it stands in (``[shots.opening]``)."""

    level: Level
    label: str
    path: str | None
    span: tuple[int, int] | None
    base: Path
    table: str = ""


Value = tuple[object, Origin]


@dataclass(slots=True)
class ResolvedShot:
    """A shot with its settings resolved: each value and its origin, and the ``@settings`` whose
    value was refused (HL601) with the reason."""

    shot: Shot
    values: dict[str, Value] = field(default_factory=dict)
    refused: list[tuple[Setting, str]] = field(default_factory=list)
    invalid: set[str] = field(default_factory=set)
    """Settings whose last ``@value`` was refused: checks that read them are skipped, since the
    value they would see is not the one meant."""

    @property
    def header(self) -> tuple[int, int]:
        """The span of ``shot NAME``: where a finding goes when no setting is to blame."""
        return (self.shot.span.start, self.shot.name_span.end)

    def get(self, key: str) -> object:
        """The resolved value of ``key`` (None when nobody set it and it has no default)."""
        entry = self.values.get(key)
        return None if entry is None else entry[0]

    def valid(self, *keys: str) -> bool:
        """Whether none of ``keys`` had its ``@value`` refused."""
        return self.invalid.isdisjoint(keys)

    def at(self, keys: Iterable[str]) -> Located:
        """Where to point for a finding caused by ``keys``: the located origin closest to the
        shot (highest precedence, first key on a tie), else the shot's header."""
        best: Origin | None = None
        for key in keys:
            entry = self.values.get(key)
            if entry is None or entry[1].span is None:
                continue
            if best is None or entry[1].level > best.level:
                best = entry[1]
        if best is None or best.span is None:
            return None, self.header
        return best.path, best.span

    def value_at(self, key: str) -> Located:
        """Where the value of ``key`` stands: the value itself for an ``@setting``."""
        origin = self.values[key][1]
        if origin.level == Level.SCRIPT:
            setting = self.shot.setting(key)
            if setting is not None:
                return None, (setting.value_span.start, setting.value_span.end)
        return self.at([key])


class Layers:
    """The layers of settings of one script and spec, worked out once for all its shots."""

    def __init__(self, script: Script, spec: SpecTables | None, overrides: Mapping[str, object], index: LineIndex) -> None:
        self.folder = script_folder(script)
        self.script_name = script.path.name if script.path is not None else "<script>"
        self.index = index
        self.command_line: dict[str, Value] = {}
        if overrides:  # their paths are relative to the working folder (asked only then)
            cwd = Path.cwd()
            origin = Origin(Level.COMMAND_LINE, "command line", None, None, cwd)
            self.command_line = {key: (value, origin) for key, value in overrides.items()}
        api = Origin(Level.API_DEFAULT, "API default", None, None, self.folder)
        self.base: dict[str, Value] = {key: (value, api) for key, value in API_DEFAULTS.items()}
        self.shots: dict[str, dict[str, Value]] = {}
        if spec is not None:
            for table, given in spec.settings_tables():
                if table == ("defaults",):
                    self.base.update(self._spec_layer(spec, Level.SPEC_DEFAULTS, table, given))
                else:
                    self.shots[table[-1]] = self._spec_layer(spec, Level.SPEC_SHOT, table, given)

    def _spec_layer(self, spec: SpecTables, level: Level, table: tuple[str, ...], given: dict[str, object]) -> dict[str, Value]:
        base = spec.path.parent if spec.path is not None else self.folder
        path = str(spec.path) if spec.path is not None else None
        label, header = spec.where(*table), spec.table(*table)
        return {
            key: (value, Origin(level, label, path, spec.location(*table, key), base, header)) for key, value in given.items()
        }

    def resolve(self, shot: Shot) -> ResolvedShot:
        """The shot's settings, each from the highest level that sets it."""
        resolved = ResolvedShot(shot)
        values = resolved.values
        values.update(self.base)
        values.update(self.shots.get(shot.name, {}))
        for setting in shot.settings:
            if setting.key not in SETTING_KEYS:  # the parser reports it (HL706)
                continue
            try:
                value = coerce(setting.key, setting.value, text=True)
            except ValueError as err:
                resolved.refused.append((setting, str(err)))
                resolved.invalid.add(setting.key)
                continue
            resolved.invalid.discard(setting.key)  # a repeated key: the last one wins
            line = self.index.line_of(setting.span.start) + 1
            label = f"@{setting.key} at {self.script_name}:{line}"
            span = (setting.span.start, setting.span.end)
            values[setting.key] = (value, Origin(Level.SCRIPT, label, None, span, self.folder))
        values.update(self.command_line)
        return resolved


def script_folder(script: Script) -> Path:
    """The folder a script's relative paths resolve against (the current one for unsaved text)."""
    return script.path.parent if script.path is not None else Path()
