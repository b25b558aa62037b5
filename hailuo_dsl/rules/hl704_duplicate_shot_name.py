"""HL704 duplicate-shot-name."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules.base import Finding, Scope, rule
from hailuo_dsl.rules.contexts import ScriptContext

if TYPE_CHECKING:
    from hailuo_dsl.shots.syntax import Shot


@rule(
    "HL704",
    "duplicate-shot-name",
    Severity.ERROR,
    "Two shots with the same name",
    scope=Scope.SCRIPT,
    enforced=True,  # a render journals and names its videos by shot name: two would share one record
)
def duplicate_shot_name(ctx: ScriptContext) -> Iterator[Finding]:
    """Shot names must be unique within a script: the shot-spec, the command line and the render
    journal find shots by name, so a second shot of the same name would be unreachable or
    overwrite the first one's video. ``hailuo compile`` refuses it even where it is silenced.

    Bad:

        shot opening
          A mouse runs toward the camera.
        shot opening
          The mouse stops and looks up.

    Good:

        shot opening
          A mouse runs toward the camera.
        shot opening-2
          The mouse stops and looks up.
    """
    first: dict[str, Shot] = {}
    for shot in ctx.script.shots:
        earlier = first.setdefault(shot.name, shot)
        if earlier is not shot:
            line = ctx.line_of(earlier.span.start)
            yield Finding(*shot.name_span, f"Duplicate shot name '{shot.name}' (the first is on line {line})")
