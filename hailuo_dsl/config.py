"""Lint configuration: ``[tool.hailuo]`` in pyproject.toml (or a shot-spec's ``[lint]`` table).

Keys: ``select`` and ``ignore`` (rule codes, code prefixes such as ``HL1``, or rule names),
``severity`` (a table of code to ``error``/``warning``/``info``), ``move-budget`` (a table of
clip duration in seconds to the number of sequential moves that fit) and ``duration`` (the clip
length assumed for plain prompt files).
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules import BY_CODE, BY_NAME, RULES, Rule
from hailuo_dsl.rules.base import DEFAULT_MOVE_BUDGET, Options

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]


class ConfigError(Exception):
    """A configuration file that cannot be read or holds a wrong value; the message says where."""


def _check_selector(value: str) -> str:
    key = value.strip()
    if key in BY_NAME or (any(code.startswith(key.upper()) for code in BY_CODE) and key[:2].upper() == "HL"):
        return key
    known = list(BY_CODE) + list(BY_NAME)
    close = difflib.get_close_matches(key, known, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    raise ValueError(f"unknown rule '{value}'{hint}")


class LintConfig(BaseModel):
    """Which rules run, how severe they are, and the options the rules read."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    select: list[str] | None = None
    ignore: list[str] = Field(default_factory=list)
    severity: dict[str, Severity] = Field(default_factory=dict)
    move_budget: dict[int, int] = Field(default_factory=lambda: dict(DEFAULT_MOVE_BUDGET), alias="move-budget")
    duration: Literal[6, 10] = 6
    _plan: tuple[tuple[Rule, Severity], ...] | None = PrivateAttr(default=None)
    _prompt_plan: tuple[tuple[Rule, Severity], ...] | None = PrivateAttr(default=None)
    _severities: dict[str, Severity] | None = PrivateAttr(default=None)

    @field_validator("select", "ignore")
    @classmethod
    def _known_rules(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else [_check_selector(v) for v in value]

    @field_validator("severity")
    @classmethod
    def _known_codes(cls, value: dict[str, Severity]) -> dict[str, Severity]:
        return {_resolve_code(k): v for k, v in value.items()}

    def merged(self, **overrides: Any) -> LintConfig:
        """A copy with command-line values on top (``None`` leaves a value as it is)."""
        data = self.model_dump()
        data.update({k: v for k, v in overrides.items() if v is not None})
        return LintConfig.model_validate(data)

    def enabled_rules(self) -> tuple[Rule, ...]:
        return tuple(r for r, _severity in self.plan())

    def plan(self) -> tuple[tuple[Rule, Severity], ...]:
        """The enabled rules with their severities, worked out once per configuration."""
        if self._plan is None:
            self._plan = tuple(
                (r, self.severity.get(r.code, r.severity))
                for r in RULES
                if _matches(r, self.select) and not _matches(r, self.ignore)
            )
        return self._plan

    def prompt_plan(self) -> tuple[tuple[Rule, Severity], ...]:
        """The enabled rules that check a prompt's text."""
        if self._prompt_plan is None:
            self._prompt_plan = tuple((r, s) for r, s in self.plan() if r.check is not None)
        return self._prompt_plan

    def severity_for(self, code: str) -> Severity | None:
        """The severity of rule ``code`` under this configuration, or None when it is disabled."""
        if self._severities is None:
            self._severities = {r.code: s for r, s in self.plan()}
        return self._severities.get(code)

    def options(self, duration: int | None = None, require_text: bool = True) -> Options:
        return Options(duration or self.duration, dict(self.move_budget), require_text)


def _resolve_code(key: str) -> str:
    if key.upper() in BY_CODE:
        return key.upper()
    if key in BY_NAME:
        return BY_NAME[key].code
    _check_selector(key)
    raise ValueError(f"'{key}' names a group of rules; give one rule code")


def _matches(rule: Rule, selectors: list[str] | None) -> bool:
    if selectors is None:
        return True
    return any(s == rule.name or rule.code.startswith(s.upper()) for s in selectors)


def find_pyproject(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` with a ``[tool.hailuo]`` table, walking up from ``start``."""
    folder = start.resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        path = candidate / "pyproject.toml"
        if path.is_file():
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue
            if "hailuo" in data.get("tool", {}):
                return path
    return None


def config_from_mapping(data: dict[str, Any], where: str) -> LintConfig:
    """Validate a configuration table; errors name ``where`` and the key path."""
    try:
        return LintConfig.model_validate(data)
    except ValidationError as err:
        raise ConfigError(f"{where}: {validation_message(err)}") from None


def validation_message(err: ValidationError) -> str:
    """The first problem of a validation error in one line: ``key.path: what is wrong``,
    with a did-you-mean for an unknown key."""
    first = err.errors()[0]
    loc = [str(p) for p in first["loc"]]
    key = ".".join(loc)
    if first["type"] == "extra_forbidden":
        known = [f.alias or name for name, f in LintConfig.model_fields.items()]
        close = difflib.get_close_matches(loc[-1], known, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else f" (known keys: {', '.join(known)})"
        return f"{key}: unknown key{hint}"
    message = str(first["msg"]).removeprefix("Value error, ")
    return f"{key}: {message}" if key else message


def load_config(start: Path | None = None, explicit: Path | None = None) -> tuple[LintConfig, Path | None]:
    """The configuration for files under ``start`` (or from ``explicit``), and the file it came from."""
    path = explicit if explicit is not None else (find_pyproject(start) if start is not None else None)
    if path is None:
        return LintConfig(), None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise ConfigError(f"{path}: cannot read: {err.strerror}") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"{path}: not valid TOML: {err}") from None
    table = data.get("tool", {}).get("hailuo", {}) if path.name == "pyproject.toml" else data
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.hailuo] must be a table")
    return config_from_mapping(table, f"{path} [tool.hailuo]"), path
