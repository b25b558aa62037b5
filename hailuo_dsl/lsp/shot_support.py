"""What the server reads about ``.shot`` settings: names, allowed values and descriptions from
``hailuo_dsl.shots.settings.SETTINGS`` (the one table the parser and compiler use too), and the
values a shot will send as the compiler resolves them."""

from __future__ import annotations

from pathlib import Path

from hailuo_dsl.config import LintConfig
from hailuo_dsl.shots import SETTINGS, SettingInfo, compile_script, parse_script


def setting_names() -> list[str]:
    return list(SETTINGS)


def setting_info(name: str) -> SettingInfo | None:
    return SETTINGS.get(name)


def setting_values(name: str) -> list[str]:
    """The values worth offering for a setting: its allowed values (true/false for a switch)."""
    info = SETTINGS.get(name)
    return [] if info is None or info.allowed is None else list(info.allowed)


def setting_detail(name: str) -> str | None:
    info = SETTINGS.get(name)
    return None if info is None else f"{info.kind} → {info.api_field}"


def setting_description(name: str) -> str | None:
    info = SETTINGS.get(name)
    return None if info is None else info.description


def resolved_settings(
    text: str, offset: int, config: LintConfig, path: Path | None
) -> tuple[dict[str, object], dict[str, str]] | None:
    """The settings the shot around ``offset`` will send and where each value comes from, as the
    compiler resolves them (command line > ``@settings`` > spec ``[shots.NAME]`` > ``[defaults]``
    > API defaults); None when there is no shot there or it does not compile."""
    script = parse_script(text, path)
    shot = script.shot_at(offset)
    if shot is None:
        return None
    try:
        result = compile_script(script, shots=[shot.name], config=config)
    except (ValueError, OSError):  # a duplicate or unreadable shot: nothing to show
        return None
    for compiled in result.shots:
        if compiled.name == shot.name:
            return dict(compiled.settings), dict(compiled.sources)
    return None
