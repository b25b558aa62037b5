"""The values a ``.shot`` shot will send, as the compiler resolves them (for hover). Names, allowed
values and descriptions come straight from ``hailuo_dsl.shots.settings.SETTINGS``, the one table
the parser and compiler use too."""

from __future__ import annotations

from pathlib import Path

from hailuo_dsl.config import LintConfig
from hailuo_dsl.rules import PROMPT_RULES
from hailuo_dsl.shots import compile_script, parse_script


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
    # What a shot sends does not depend on its prompt's wording: judge the settings without the
    # prompt rules, so the values show while the prompt is being written (the enforced length and
    # presence rules, HL501 and HL502, still count).
    settings_only = config.merged(ignore=[*(config.ignore or []), *(r.code for r in PROMPT_RULES)])
    try:
        result = compile_script(script, shots=[shot.name], config=settings_only)
    except (ValueError, OSError):  # a duplicate or unreadable shot: nothing to show
        return None
    for compiled in result.shots:
        if compiled.name == shot.name:
            return dict(compiled.settings), dict(compiled.sources)
    return None
