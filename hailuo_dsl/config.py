"""Lint configuration: ``[tool.hailuo]`` in pyproject.toml (or a shot-spec's ``[lint]`` table).

Keys: ``select`` and ``ignore`` (rule codes, code prefixes such as ``HL1``, or rule names),
``severity`` (a table of code to ``error``/``warning``/``info``), ``move-budget`` (a table of
clip duration in seconds to the number of sequential moves that fit) and ``duration`` (the clip
length assumed for plain prompt files).

A configuration table is validated by a pydantic model, which gives its coercions and its error
messages. Pydantic costs a tenth of a second to import and build, more than linting a prompt, so
the model is built only when a table (or a value of the wrong shape) is validated: the defaults
and the command line's values, which already have the plain shapes, are checked directly by the
same checks. A property test holds the two paths to the same result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from hailuo_dsl import rules as registry
from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules import PROMPT_RULES, Rule
from hailuo_dsl.rules.base import DEFAULT_MOVE_BUDGET, Options
from hailuo_dsl.textfile import TextFileError, read_text_file, toml_loads

if TYPE_CHECKING:
    from pydantic import BaseModel, GetCoreSchemaHandler, ValidationError
    from pydantic.fields import FieldInfo
    from pydantic_core import CoreSchema, core_schema

KEYS = ("select", "ignore", "severity", "move-budget", "duration")
"""The keys of a configuration table, as written in TOML."""
RENDER_TABLES = ("pricing", "render")
"""Tables of ``[tool.hailuo]`` that are no lint configuration: prices and render caps."""

_FIELD_OF_KEY = {
    "select": "select",
    "ignore": "ignore",
    "severity": "severity",
    "move-budget": "move_budget",
    "duration": "duration",
}
_FIELDS = tuple(_FIELD_OF_KEY.values())
_SEVERITIES = {s.value: s for s in Severity}
_DURATIONS = (6, 10)


class ConfigError(Exception):
    """A configuration file that cannot be read or holds a wrong value; the message says where."""


def _check_selector(value: str) -> str:
    key = value.strip()
    if key in registry.BY_NAME or (any(code.startswith(key.upper()) for code in registry.BY_CODE) and key[:2].upper() == "HL"):
        return key
    import difflib

    known = list(registry.BY_CODE) + list(registry.BY_NAME)
    close = difflib.get_close_matches(key, known, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    raise ValueError(f"unknown rule '{value}'{hint}")


def _check_budget(value: dict[int, int]) -> dict[int, int]:
    """A move budget: for a clip's duration (6 or 10 s), how many moves in sequence fit (one or more)."""
    for seconds, moves in value.items():
        if seconds not in _DURATIONS:
            raise ValueError(f"{seconds}: clips last {' or '.join(map(str, _DURATIONS))} seconds")
        if moves < 1:
            raise ValueError(f"{seconds} = {moves}: give how many moves fit a {seconds} s clip, at least 1")
    return value


def _resolve_code(key: str) -> str:
    if key.upper() in registry.BY_CODE:
        return key.upper()
    if key in registry.BY_NAME:
        return registry.BY_NAME[key].code
    _check_selector(key)
    raise ValueError(f"'{key}' names a group of rules; give one rule code")


@cache
def _table_model() -> type[BaseModel]:
    """The pydantic model of a configuration table, built on first use."""
    from pydantic import BaseModel, ConfigDict, Field, field_validator

    class LintTable(BaseModel):
        model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True, title="LintConfig")

        select: list[str] | None = None
        ignore: list[str] = Field(default_factory=list)
        severity: dict[str, Severity] = Field(default_factory=dict)
        move_budget: dict[int, int] = Field(default_factory=lambda: dict(DEFAULT_MOVE_BUDGET), alias="move-budget")
        duration: Literal[6, 10] = 6

        @field_validator("select", "ignore")
        @classmethod
        def _known_rules(cls, value: list[str] | None) -> list[str] | None:
            return None if value is None else [_check_selector(v) for v in value]

        @field_validator("move_budget")
        @classmethod
        def _sensible_budget(cls, value: dict[int, int]) -> dict[int, int]:
            return _check_budget(value)

        @field_validator("severity")
        @classmethod
        def _known_codes(cls, value: dict[str, Severity]) -> dict[str, Severity]:
            return {_resolve_code(k): v for k, v in value.items()}

    return LintTable


def _checked(values: Mapping[str, Any]) -> dict[str, Any] | None:
    """``values`` as the table model would give them, when each has the plain shape the program
    itself passes (lists of strings, codes to severities, integer budgets and durations); None
    for anything else (an unknown key, a value to coerce, a wrong value), which the model then
    validates and explains."""
    out: dict[str, Any] = {}
    try:
        for key, value in values.items():
            name = _FIELD_OF_KEY.get(key, key)
            if name in out or name not in _FIELDS:
                return None
            if name in ("select", "ignore"):
                if value is None and name == "select":
                    out[name] = None
                elif type(value) in (list, tuple) and all(type(v) is str for v in value):
                    out[name] = [_check_selector(v) for v in value]
                else:
                    return None
            elif name == "severity":
                if type(value) is not dict or any(type(k) is not str for k in value):
                    return None
                levels = {}
                for code, level in value.items():
                    level = level if isinstance(level, Severity) else _SEVERITIES.get(level) if type(level) is str else None
                    if level is None:
                        return None
                    levels[_resolve_code(code)] = level
                out[name] = levels
            elif name == "move_budget":
                if type(value) is not dict or any(type(k) is not int or type(v) is not int for k, v in value.items()):
                    return None
                out[name] = _check_budget(dict(value))
            elif type(value) is int and value in _DURATIONS:
                out[name] = value
            else:
                return None
    except ValueError:
        return None
    return out


class _TableFields:
    """``LintConfig.model_fields``: the table model's fields (built on first use)."""

    def __get__(self, instance: object, owner: type | None = None) -> dict[str, FieldInfo]:
        return _table_model().model_fields


class LintConfig:
    """Which rules run, how severe they are, and the options the rules read.

    Frozen. ``LintConfig(**values)`` and ``LintConfig.model_validate(table)`` validate as a
    pydantic model does (and raise its ``ValidationError``); the object also keeps the parts of a
    model's surface that callers use (``model_dump``, ``model_fields``, ``model_fields_set``), and
    stands as a table in other models (a shot-spec's ``[lint]``)."""

    __slots__ = (
        "_plan",
        "_prompt_plan",
        "_severities",
        "duration",
        "ignore",
        "model_fields_set",
        "move_budget",
        "select",
        "severity",
    )

    select: list[str] | None
    ignore: list[str]
    severity: dict[str, Severity]
    move_budget: dict[int, int]
    duration: Literal[6, 10]
    model_fields_set: set[str]
    model_fields = _TableFields()

    def __init__(self, **values: Any) -> None:
        checked = _checked(values)
        if checked is None:
            self._assign_table(_table_model().model_validate(values))
        else:
            self._assign(checked, set(checked))

    def _assign(self, values: Mapping[str, Any], fields_set: set[str]) -> None:
        put = object.__setattr__
        put(self, "select", values.get("select"))
        put(self, "ignore", values.get("ignore", []))
        put(self, "severity", values.get("severity", {}))
        put(self, "move_budget", values.get("move_budget", dict(DEFAULT_MOVE_BUDGET)))
        put(self, "duration", values.get("duration", 6))
        put(self, "model_fields_set", fields_set)
        put(self, "_plan", None)
        put(self, "_prompt_plan", None)
        put(self, "_severities", None)

    def _assign_table(self, table: BaseModel) -> None:
        self._assign({name: getattr(table, name) for name in _FIELDS}, set(table.model_fields_set))

    @classmethod
    def model_validate(cls, data: Any) -> LintConfig:
        """Validate a configuration table (pydantic's ``ValidationError`` when it is wrong)."""
        config = cls.__new__(cls)
        config._assign_table(_table_model().model_validate(data))
        return config

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        """As a field of another model: validated as a table, given as a :class:`LintConfig`."""
        from pydantic_core import core_schema

        def validate(value: Any, inner: core_schema.ValidatorFunctionWrapHandler) -> LintConfig:
            if isinstance(value, LintConfig):
                return value
            config = cls.__new__(cls)
            config._assign_table(inner(value))
            return config

        return core_schema.no_info_wrap_validator_function(
            validate,
            handler.generate_schema(_table_model()),
            serialization=core_schema.plain_serializer_function_ser_schema(lambda config: config.model_dump()),
        )

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"LintConfig is frozen: cannot set '{name}'")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LintConfig) and self.model_dump() == other.model_dump()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"LintConfig({', '.join(f'{name}={getattr(self, name)!r}' for name in _FIELDS)})"

    def model_dump(self) -> dict[str, Any]:
        """The values by field name, in new containers."""
        select = None if self.select is None else list(self.select)
        return {
            "select": select,
            "ignore": list(self.ignore),
            "severity": dict(self.severity),
            "move_budget": dict(self.move_budget),
            "duration": self.duration,
        }

    def merged(self, **overrides: Any) -> LintConfig:
        """A copy with command-line values on top (``None`` leaves a value as it is)."""
        data = self.model_dump()
        data.update({k: v for k, v in overrides.items() if v is not None})
        return LintConfig(**data)

    def enabled_rules(self) -> tuple[Rule, ...]:
        return tuple(r for r, _severity in self.plan())

    def plan(self) -> tuple[tuple[Rule, Severity], ...]:
        """The enabled rules with their severities, worked out once per configuration."""
        if self._plan is None:
            object.__setattr__(self, "_plan", self._enabled(registry.RULES))
        assert self._plan is not None
        return self._plan

    def prompt_plan(self) -> tuple[tuple[Rule, Severity], ...]:
        """The enabled rules that check a prompt's text: of the prompt rules alone, so that linting
        a prompt never loads the script rules."""
        if self._prompt_plan is None:
            object.__setattr__(self, "_prompt_plan", self._enabled(r for r in PROMPT_RULES if r.check is not None))
        assert self._prompt_plan is not None
        return self._prompt_plan

    def _enabled(self, rules: Iterable[Rule]) -> tuple[tuple[Rule, Severity], ...]:
        return tuple(
            (r, self.severity.get(r.code, r.severity)) for r in rules if _matches(r, self.select) and not _matches(r, self.ignore)
        )

    def severity_for(self, code: str) -> Severity | None:
        """The severity of rule ``code`` under this configuration, or None when it is disabled."""
        if self._severities is None:
            object.__setattr__(self, "_severities", {r.code: s for r, s in self.plan()})
        assert self._severities is not None
        return self._severities.get(code)

    def options(self, duration: int | None = None, require_text: bool = True) -> Options:
        return Options(duration or self.duration, dict(self.move_budget), require_text)

    _plan: tuple[tuple[Rule, Severity], ...] | None
    _prompt_plan: tuple[tuple[Rule, Severity], ...] | None
    _severities: dict[str, Severity] | None


def _matches(rule: Rule, selectors: list[str] | None) -> bool:
    if selectors is None:
        return True
    return any(s == rule.name or rule.code.startswith(s.upper()) for s in selectors)


def _may_name_hailuo(text: str) -> bool:
    """Whether a TOML text can hold a ``hailuo`` key: it says ``hailuo``, or it has a backslash
    (an escape in a quoted key could spell it). Spares reading most pyproject.toml files."""
    return "hailuo" in text or "\\" in text


def find_pyproject(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` with a ``[tool.hailuo]`` table, walking up from ``start``."""
    folder = start.resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        path = candidate / "pyproject.toml"
        if path.is_file():
            try:
                text = read_text_file(path)
                data = toml_loads(text) if _may_name_hailuo(text) else {}
            except (OSError, ValueError):
                continue
            if "hailuo" in data.get("tool", {}):
                return path
    return None


def config_from_mapping(data: dict[str, Any], where: str, text: str | None = None, table: tuple[str, ...] = ()) -> LintConfig:
    """Validate a configuration table; errors name ``where`` and the key path, and with the
    file's ``text`` (the table at the key path ``table`` in it) the line and column of the key."""
    from pydantic import ValidationError

    try:
        return LintConfig.model_validate(data)
    except ValidationError as err:
        if text is not None:
            from hailuo_dsl.shots.spec_keys import locate_keys, nearest  # a scan of the text, for errors only

            at = nearest(locate_keys(text), table + tuple(str(p) for p in err.errors()[0]["loc"]))[0]
            where = f"{where.removesuffix(' [tool.hailuo]')}:{text.count(chr(10), 0, at) + 1}:{at - text.rfind(chr(10), 0, at)}"
        raise ConfigError(f"{where}: {validation_message(err)}") from None


def with_overrides(config: LintConfig, overrides: Mapping[str, Any]) -> LintConfig:
    """``config`` with the command line's values on top; a wrong one is a :class:`ConfigError`
    naming the option (``command line: --select.0: unknown rule ...``)."""
    try:
        return config.merged(**overrides)
    except ValueError as err:  # pydantic's ValidationError is a ValueError
        from pydantic import ValidationError

        if not isinstance(err, ValidationError):
            raise
        raise ConfigError(f"command line: --{validation_message(err)}") from None


def validation_message(err: ValidationError) -> str:
    """The first problem of a validation error in one line: ``key.path: what is wrong``,
    with a did-you-mean for an unknown key."""
    first = err.errors()[0]
    loc = [str(p) for p in first["loc"]]
    key = ".".join(loc)
    if first["type"] == "extra_forbidden":
        import difflib

        close = difflib.get_close_matches(loc[-1], KEYS, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else f" (known keys: {', '.join(KEYS)})"
        return f"{key}: unknown key{hint}"
    message = str(first["msg"]).removeprefix("Value error, ")
    return f"{key}: {message}" if key else message


def load_config(start: Path | None = None, explicit: Path | None = None) -> tuple[LintConfig, Path | None]:
    """The configuration for files under ``start`` (or from ``explicit``), and the file it came from."""
    path = explicit if explicit is not None else (find_pyproject(start) if start is not None else None)
    if path is None:
        return LintConfig(), None
    try:
        text = read_text_file(path)
        data = toml_loads(text)
    except TextFileError as err:
        raise ConfigError(str(err)) from None
    except ValueError as err:  # not TOML
        raise ConfigError(f"{path}: not valid TOML: {err}") from None
    keys = ("tool", "hailuo") if path.name == "pyproject.toml" else ()
    table = data.get("tool", {}).get("hailuo", {}) if keys else data
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.hailuo] must be a table")
    lint = {k: v for k, v in table.items() if k not in RENDER_TABLES}  # read by hailuo_dsl.shots.pricing
    return config_from_mapping(lint, f"{path} [tool.hailuo]", text, keys), path
