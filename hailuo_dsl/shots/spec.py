"""The shot-spec: a TOML file of default settings, lint options and per-shot settings.

```toml
[defaults]                 # any setting key
resolution = "768P"
[lint]                     # the keys of [tool.hailuo]: select, ignore, severity, move-budget
ignore = ["HL504"]
[shots.opening]            # per shot, any setting key
duration = 10
first_frame = "frames/mouse.png"   # relative to this file
[pricing]                  # prices per clip, and [render]: budget and rate (shots.pricing)
currency = "USD"
768P = { 6 = 0.28, 10 = 0.56 }
```

Reading records what it found (:class:`~hailuo_dsl.shots.spec_keys.SpecRead`): the TOML reader's
reason and position for a syntax error, each key the schema refused with its key path
(``shots.opening.durration``) and its line and column (found by scanning the text). The rules
(HL601, HL602, HL614-HL616) judge that record into findings located in the spec file (``path``
set). The value rules are shared with ``@settings`` and the command line (``precedence.coerce``).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from stat import S_ISDIR, S_ISREG

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, ValidationInfo, field_validator

from hailuo_dsl.config import LintConfig
from hailuo_dsl.contract import Duration, Model, Resolution
from hailuo_dsl.diagnostics import Diagnostic
from hailuo_dsl.prompt.positions import LineIndex
from hailuo_dsl.rules import SPEC_CHECKS, run_checks
from hailuo_dsl.rules.contexts import SpecContext
from hailuo_dsl.shots.precedence import coerce, shown
from hailuo_dsl.shots.pricing import PRICING_KEYS, RENDER_KEYS, PricingTable, RenderTable
from hailuo_dsl.shots.settings import SPEC_SETTINGS
from hailuo_dsl.shots.spec_keys import KeyPath, KeyProblem, SpecRead, locate_keys, nearest, toml_key
from hailuo_dsl.shots.syntax import Script
from hailuo_dsl.textfile import NUL_IN_NAME, TextFileError, TomlNestingError, read_text_file, toml_loads, user_path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]


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
    takes: int | None = None
    callback_url: str | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _coerce(cls, value: object, info: ValidationInfo) -> object:
        return None if value is None else coerce(str(info.field_name), value)

    def given(self) -> dict[str, object]:
        """The settings this table sets, in key order."""
        return {k: v for k, v in self.model_dump().items() if v is not None}


class ShotSpec(BaseModel):
    """A whole shot-spec. ``path`` is the file it was read from (paths in it are relative to it)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    defaults: ShotSettings = Field(default_factory=ShotSettings)
    lint: LintConfig | None = None
    shots: dict[str, ShotSettings] = Field(default_factory=dict)
    pricing: PricingTable | None = None
    render: RenderTable | None = None
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
        return f"[{'.'.join(toml_key(k) for k in keys)}]"

    def settings_tables(self) -> Iterator[tuple[tuple[str, ...], dict[str, object]]]:
        """The settings each table gives: ``[defaults]``, then each ``[shots.NAME]``."""
        yield ("defaults",), self.defaults.given()
        for name, table in self.shots.items():
            yield ("shots", name), table.given()

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


_AT = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")


def _toml_error(err: ValueError, text: str) -> tuple[str, int]:
    """The TOML reader's reason and the offset of its own line and column (1-based, code points)."""
    message = str(err)
    found = _AT.search(message)
    offset = len(text)
    if found is not None and found.group(1):
        index = LineIndex(text)
        line = min(int(found.group(1)) - 1, len(index.line_starts) - 1)
        offset = min(index.line_starts[line] + int(found.group(2)) - 1, len(text))
    return (_AT.sub("", message) if found is not None else message), offset


def _known_keys(loc: tuple[str, ...]) -> tuple[str, ...]:
    """The keys allowed where ``loc`` points."""
    if len(loc) == 1:
        return tuple(ShotSpec.model_fields)
    if loc[0] == "lint":
        return tuple(f.alias or name for name, f in LintConfig.model_fields.items())
    if loc[0] == "pricing":
        return PRICING_KEYS
    if loc[0] == "render":
        return RENDER_KEYS
    return SPEC_SETTINGS


def _key_problems(err: ValidationError, locations: dict[KeyPath, tuple[int, int]]) -> tuple[KeyProblem, ...]:
    """The schema's refusals as facts, in its order."""
    found = []
    for problem in err.errors():
        loc = tuple(str(p) for p in problem["loc"])
        span = nearest(locations, loc)
        if problem["type"] == "extra_forbidden":
            found.append(KeyProblem(loc, span, "unknown", known=_known_keys(loc)))
        elif problem["type"] in ("model_type", "dict_type", "model_attributes_type"):
            found.append(KeyProblem(loc, span, "table", shown(problem.get("input"))))
        else:
            found.append(KeyProblem(loc, span, "value", str(problem["msg"]).removeprefix("Value error, ")))
    return tuple(found)


def read_spec(text: str, path: str | Path | None = None) -> tuple[ShotSpec | None, SpecRead]:
    """Read a shot-spec's text: the spec (None when it has problems) and what the reading found."""
    where = str(path) if path is not None else None
    try:
        data = toml_loads(text)
    except (tomllib.TOMLDecodeError, TomlNestingError) as err:
        return None, SpecRead(where, text, toml_error=_toml_error(err, text))
    locations = locate_keys(text)
    try:
        spec = ShotSpec.model_validate(data)
    except ValidationError as err:
        return None, SpecRead(where, text, key_problems=_key_problems(err, locations))
    spec._path = Path(path) if path is not None else None
    spec._text = text
    spec._locations = locations
    tables = tuple((name, spec.location("shots", name)) for name in spec.shots)
    return spec, SpecRead(where, text, shot_tables=tables)


def spec_findings(read: SpecRead, shot_names: tuple[str, ...] | None = None) -> list[Diagnostic]:
    """What the rules make of a spec as read (``shot_names``: the script's shots, which its
    ``[shots.NAME]`` tables must match; None judges the spec alone), sorted by offset."""
    found = [r.diagnostic(f) for r, f in run_checks(SPEC_CHECKS, SpecContext(read, shot_names))]
    return sorted(found, key=lambda d: d.start)


def parse_spec(text: str, path: str | Path | None = None) -> tuple[ShotSpec | None, list[Diagnostic]]:
    """Read a shot-spec's text; the spec is None when it has errors (all of them reported)."""
    spec, read = read_spec(text, path)
    return spec, spec_findings(read)


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

_SPECS: dict[tuple[str, int, int], tuple[ShotSpec | None, SpecRead]] = {}
_SPEC_CACHE_SIZE = 64
"""Spec versions kept: an editor session edits specs for hours."""


def _spec_from_file(path: Path) -> tuple[ShotSpec | None, SpecRead]:
    """Read a spec file, cached per (path, mtime, size); raises :class:`SpecError` when unreadable."""
    if "\0" in str(path):  # only editor text can hold one; stat() would raise ValueError
        raise SpecError(NUL_IN_NAME)
    try:
        stat = path.stat()
    except OSError:
        read_spec_text(path)  # raises SpecError with the one-line reason
        raise SpecError(f"{path}: cannot read") from None
    if not S_ISREG(stat.st_mode):  # a folder, a device, a pipe (read twice, it would block)
        raise SpecError(f"{path}: {'is a directory' if S_ISDIR(stat.st_mode) else 'not a regular file'}")
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _SPECS:
        if len(_SPECS) > _SPEC_CACHE_SIZE:
            _SPECS.clear()
        _SPECS[key] = read_spec(read_spec_text(path), path)
    return _SPECS[key]


def read_script_spec(script: Script, spec: str | Path | None = None) -> tuple[ShotSpec | None, SpecRead | None]:
    """The script's shot-spec (``spec`` given, else the script's ``spec`` line) and what reading
    it found; ``(None, None)`` when there is none. A file that cannot be read is recorded with
    where the script names it (its ``spec`` line's value), or nowhere for a given spec."""
    if spec is not None:
        path, where = Path(spec), None
    elif script.spec is not None:
        path = user_path(script.spec.value)
        if not path.is_absolute():
            path = (script.path.parent if script.path is not None else Path()) / path
        where = script.spec.value_span
    else:
        return None, None
    try:
        return _spec_from_file(path)
    except SpecError as err:
        return None, SpecRead(str(path), named_at=(where.start, where.end) if where is not None else None, unreadable=str(err))


__all__ = [
    "ShotSettings",
    "ShotSpec",
    "SpecError",
    "load_spec",
    "parse_spec",
    "read_script_spec",
    "read_spec",
    "read_spec_text",
    "spec_findings",
    "spec_text_or_empty",
]
