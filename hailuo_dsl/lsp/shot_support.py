"""What the server reads about ``.shot`` settings: names, allowed values and descriptions, taken
from ``hailuo_dsl.shots.settings.SETTINGS`` (the one table the parser and compiler use too)."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from hailuo_dsl.config import LintConfig


def _settings() -> dict[str, Any]:
    try:
        module = importlib.import_module("hailuo_dsl.shots.settings")
    except ImportError:
        return {}
    table: dict[str, Any] = module.SETTINGS
    return table


def setting_names() -> list[str]:
    return list(_settings())


def setting_info(name: str) -> Any | None:
    return _settings().get(name)


def setting_values(name: str) -> list[str]:
    """The values worth offering for a setting: its allowed values, or true/false."""
    info = setting_info(name)
    if info is None:
        return []
    if info.kind == "bool":
        return ["true", "false"]
    return [_show(v) for v in info.allowed or ()]


def setting_detail(name: str) -> str | None:
    info = setting_info(name)
    return None if info is None else f"{info.kind} → {info.api_field}"


def setting_description(name: str) -> str | None:
    info = setting_info(name)
    return None if info is None else str(info.description)


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def resolved_settings(
    text: str, offset: int, config: LintConfig, path: Path | None
) -> tuple[dict[str, object], dict[str, str]] | None:
    """The settings the shot around ``offset`` will send and where each value comes from, as the
    compiler resolves them (command line > ``@settings`` > spec ``[shots.NAME]`` > ``[defaults]``
    > API defaults); None when there is no shot there or it does not compile."""
    try:
        shots = importlib.import_module("hailuo_dsl.shots")
    except ImportError:
        return None
    script = shots.parse_script(text, path)
    shot = script.shot_at(offset)
    if shot is None:
        return None
    result = shots.compile_script(script, shots=[shot.name], config=config)
    for compiled in result.shots:
        if compiled.name == shot.name:
            return dict(compiled.settings), dict(compiled.sources)
    return None
