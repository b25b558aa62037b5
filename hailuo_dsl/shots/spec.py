"""The shot-spec: a TOML file of default settings, lint options and per-shot settings.

```toml
[defaults]                 # any setting key
resolution = "768P"
[lint]                     # the keys of [tool.hailuo]: select, ignore, severity, move-budget
ignore = ["HL504"]
[shots.opening]            # per shot, any setting key
duration = 10
first_frame = "frames/mouse.png"   # relative to this file
```

Every problem is a :class:`Diagnostic` located in the spec file (``path`` set): the TOML reader's
own line and column for a syntax error, the key's line and column (found by scanning the text) for
an unknown key or a wrong value, with the key path (``shots.opening.durration``) and the key
meant. The value rules are shared with ``@settings`` and the command line (:func:`coerce`).
"""

from __future__ import annotations

import difflib
import json
import re
import sys
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, ValidationInfo, field_validator

from hailuo_dsl.config import LintConfig
from hailuo_dsl.contract import DURATIONS, MODEL_NAME, RESOLUTIONS, Duration, Model, Resolution
from hailuo_dsl.diagnostics import Diagnostic
from hailuo_dsl.prompt.positions import LineIndex
from hailuo_dsl.rules import script_compile as rules
from hailuo_dsl.rules.base import Rule
from hailuo_dsl.shots.spec_keys import KeyPath, locate_keys, nearest
from hailuo_dsl.shots.syntax import Script
from hailuo_dsl.textfile import NUL_IN_NAME, TextFileError, read_text_file, user_path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

BOOLEAN_KEYS = ("prompt_optimizer", "fast_pretreatment", "watermark")
IMAGE_KEYS = ("first_frame", "last_frame")


def _or(values: tuple[object, ...]) -> str:
    """``a, b or c``."""
    words = [str(v) for v in values]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


_DURATION_TEXTS = tuple(str(d) for d in DURATIONS)
_DURATIONS_SAID = _or(DURATIONS)
_RESOLUTIONS_SAID = _or(RESOLUTIONS)


def _shown(value: object) -> str:
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
            raise ValueError(f"must be {_DURATIONS_SAID}, got {_shown(value)} (a string; write {written} without quotes)")
        raise ValueError(f"must be {_DURATIONS_SAID}, got {_shown(value)}")
    if key == "resolution":
        if isinstance(value, str) and value.strip().upper() in RESOLUTIONS:
            return value.strip().upper()
        raise ValueError(f"must be {_RESOLUTIONS_SAID}, got {_shown(value)}")
    if key == "model":
        if isinstance(value, str) and value.strip().lower() == MODEL_NAME.lower():
            return MODEL_NAME
        raise ValueError(f"must be {MODEL_NAME}, got {_shown(value)}")
    if key in BOOLEAN_KEYS:
        if isinstance(value, bool):
            return value
        if text and isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        raise ValueError(f"must be true or false, got {_shown(value)}")
    if key in IMAGE_KEYS:
        if isinstance(value, str) and value.strip():
            return value.strip()
        raise ValueError(f"must be a file path or an http(s) URL, got {_shown(value) if value != '' else 'an empty string'}")
    raise ValueError(f"unknown setting '{key}'")


class ShotSettings(BaseModel):
    """The settings of a shot (``[defaults]`` or ``[shots.NAME]``); unset ones are None."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    model: Model | None = None
    duration: Duration | None = None
    resolution: Resolution | None = None
    first_frame: str | None = None
    last_frame: str | None = None
    prompt_optimizer: bool | None = None
    fast_pretreatment: bool | None = None
    watermark: bool | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _coerce(cls, value: object, info: ValidationInfo) -> object:
        return None if value is None else coerce(str(info.field_name), value)

    def given(self) -> dict[str, object]:
        """The settings this table sets, in key order."""
        return {k: v for k, v in self.model_dump().items() if v is not None}


SETTING_KEYS: tuple[str, ...] = tuple(ShotSettings.model_fields)


class ShotSpec(BaseModel):
    """A whole shot-spec. ``path`` is the file it was read from (paths in it are relative to it)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    defaults: ShotSettings = Field(default_factory=ShotSettings)
    lint: LintConfig | None = None
    shots: dict[str, ShotSettings] = Field(default_factory=dict)
    _path: Path | None = PrivateAttr(default=None)
    _text: str = PrivateAttr(default="")
    _locations: dict[KeyPath, tuple[int, int]] = PrivateAttr(default_factory=dict)

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def text(self) -> str:
        return self._text

    def location(self, *keys: str) -> tuple[int, int]:
        """The span of a key (``key = value``) or table header in the spec's text; the nearest
        enclosing key or table that was found, else the start of the file."""
        return nearest(self._locations, keys)

    def where(self, *keys: str) -> str:
        """A table for people: ``launch.toml [shots.opening]``."""
        name = self._path.name if self._path is not None else "<spec>"
        return f"{name} {self.table(*keys)}"

    @staticmethod
    def table(*keys: str) -> str:
        """A table's header as TOML writes it: ``[shots.opening]``."""
        return f"[{'.'.join(_toml_key(k) for k in keys)}]"

    def lint_overrides(self) -> dict[str, object]:
        """The ``[lint]`` keys this spec sets, ready for :meth:`LintConfig.merged`."""
        if self.lint is None:
            return {}
        return {k: getattr(self.lint, k) for k in self.lint.model_fields_set}


class SpecError(Exception):
    """A shot-spec that cannot be used; the message is ``file:line:col: problem`` and
    ``diagnostics`` hold every problem."""

    def __init__(self, message: str, diagnostics: list[Diagnostic] | None = None) -> None:
        super().__init__(message)
        self.diagnostics = diagnostics or []


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)


def _diagnostic(rule: Rule, message: str, span: tuple[int, int], path: str | None) -> Diagnostic:
    return Diagnostic(rule.code, rule.name, rule.severity, message, span[0], span[1], path=path)


_AT = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")


def _syntax_error(err: tomllib.TOMLDecodeError, text: str, path: str | None) -> Diagnostic:
    """The TOML reader's error at its own line and column (1-based, in code points)."""
    message = str(err)
    found = _AT.search(message)
    offset = len(text)
    if found is not None and found.group(1):
        index = LineIndex(text)
        line = min(int(found.group(1)) - 1, len(index.line_starts) - 1)
        offset = min(index.line_starts[line] + int(found.group(2)) - 1, len(text))
    reason = _AT.sub("", message) if found is not None else message
    return _diagnostic(rules.SPEC_SYNTAX, f"not valid TOML: {reason}", (offset, min(offset + 1, len(text))), path)


def _known_keys(loc: tuple[str, ...]) -> list[str]:
    """The keys allowed where ``loc`` points (for did-you-mean)."""
    if len(loc) == 1:
        return list(ShotSpec.model_fields)
    if loc[0] == "lint":
        return [f.alias or name for name, f in LintConfig.model_fields.items()]
    return list(SETTING_KEYS)


def _validation_diagnostics(
    err: ValidationError, locations: dict[KeyPath, tuple[int, int]], path: str | None
) -> list[Diagnostic]:
    found = []
    for problem in err.errors():
        loc = tuple(str(p) for p in problem["loc"])
        key = ".".join(_toml_key(k) for k in loc)
        span = nearest(locations, loc)
        if problem["type"] == "extra_forbidden":
            close = difflib.get_close_matches(loc[-1], _known_keys(loc), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f" (known keys: {', '.join(_known_keys(loc))})"
            found.append(_diagnostic(rules.UNKNOWN_KEY, f"{key}: unknown key{hint}", span, path))
            continue
        if problem["type"] in ("model_type", "dict_type", "model_attributes_type"):
            message = f"{key} must be a table, got {_shown(problem.get('input'))}"
        else:
            reason = str(problem["msg"]).removeprefix("Value error, ")
            message = f"{key} {reason}" if reason.startswith("must ") else f"{key}: {reason}"
        found.append(_diagnostic(rules.INVALID_SETTING_VALUE, message, span, path))
    return found


def parse_spec(text: str, path: str | Path | None = None) -> tuple[ShotSpec | None, list[Diagnostic]]:
    """Read a shot-spec's text; the spec is None when it has errors (all of them reported)."""
    where = str(path) if path is not None else None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        return None, [_syntax_error(err, text, where)]
    locations = locate_keys(text)
    try:
        spec = ShotSpec.model_validate(data)
    except ValidationError as err:
        return None, sorted(_validation_diagnostics(err, locations, where), key=lambda d: d.start)
    spec._path = Path(path) if path is not None else None
    spec._text = text
    spec._locations = locations
    return spec, []


def read_spec_text(path: Path) -> str:
    """The text of a spec file, or :class:`SpecError` with a one-line reason."""
    try:
        return read_text_file(path)
    except TextFileError as err:
        raise SpecError(str(err)) from None


def spec_text_or_empty(path: str | Path) -> str:
    """The text a spec finding's offsets count in, read as :func:`read_spec_text` reads it (a
    byte-order mark skipped), or "" when the file cannot be read now: for showing positions."""
    try:
        return read_spec_text(Path(path))
    except SpecError:
        return ""


def load_spec(path: str | Path) -> ShotSpec:
    """Read and check a spec file; raises :class:`SpecError` (``file:line:col: problem``)."""
    path = Path(path)
    text = read_spec_text(path)
    spec, diagnostics = parse_spec(text, path)
    if spec is None:
        index = LineIndex(text)
        first = diagnostics[0]
        pos = index.position(first.start)
        raise SpecError(f"{path}:{pos.line + 1}:{pos.column + 1}: {first.code} {first.message}", diagnostics)
    return spec


# -- the spec a script names -----------------------------------------------------------------------

_SPECS: dict[tuple[str, int, int], tuple[ShotSpec | None, list[Diagnostic]]] = {}
_SPEC_CACHE_SIZE = 64
"""Spec versions kept: an editor session edits specs for hours."""


def _spec_from_file(path: Path) -> tuple[ShotSpec | None, list[Diagnostic]]:
    """Parse a spec file, cached per (path, mtime, size); raises :class:`SpecError` when unreadable."""
    if "\0" in str(path):  # only editor text can hold one; stat() would raise ValueError
        raise SpecError(NUL_IN_NAME)
    try:
        stat = path.stat()
    except OSError:
        read_spec_text(path)  # raises SpecError with the one-line reason
        raise SpecError(f"{path}: cannot read") from None
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _SPECS:
        if len(_SPECS) > _SPEC_CACHE_SIZE:
            _SPECS.clear()
        _SPECS[key] = parse_spec(read_spec_text(path), path)
    spec, found = _SPECS[key]
    return spec, list(found)


def load_script_spec(script: Script, spec: str | Path | None = None) -> tuple[ShotSpec | None, list[Diagnostic]]:
    """The script's shot-spec (``spec`` given, else the script's ``spec`` line), with its
    diagnostics: a missing file is HL614 at the ``spec`` line (or, for a given spec, at the
    start of that file)."""
    if spec is not None:
        path, where = Path(spec), None
    elif script.spec is not None:
        path = user_path(script.spec.value)
        if not path.is_absolute():
            path = (script.path.parent if script.path is not None else Path()) / path
        where = script.spec.value_span
    else:
        return None, []
    try:
        return _spec_from_file(path)
    except SpecError as err:
        rule = rules.SPEC_UNREADABLE
        message = f"cannot read the shot-spec: {err}"
        if where is None:
            return None, [Diagnostic(rule.code, rule.name, rule.severity, message, 0, 0, path=str(path))]
        return None, [Diagnostic(rule.code, rule.name, rule.severity, message, where.start, where.end)]


__all__ = [
    "SETTING_KEYS",
    "ShotSettings",
    "ShotSpec",
    "SpecError",
    "coerce",
    "load_script_spec",
    "load_spec",
    "parse_spec",
    "read_spec_text",
    "spec_text_or_empty",
]
