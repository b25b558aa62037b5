"""HL709 repeated-setting."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules.base import Finding, Scope, rule
from hailuo_dsl.rules.contexts import ScriptContext


@rule("HL709", "repeated-setting", Severity.WARNING, "The same setting twice in one shot", scope=Scope.SCRIPT)
def repeated_setting(ctx: ScriptContext) -> Iterator[Finding]:
    """A shot sets each key once. When a key is repeated the last value wins, which is rarely what
    the first line's author expected; remove one of them.

    Bad:

        shot opening
          @duration 6
          @duration 10
          A mouse runs toward the camera.

    Good:

        shot opening
          @duration 10
          A mouse runs toward the camera.
    """
    for shot in ctx.every_shot:
        seen: dict[str, int] = {}
        for setting in shot.settings:
            if setting.key in seen:
                start, end = setting.key_span
                message = f"@{setting.key} is already set on line {ctx.line_of(seen[setting.key])}; the last one wins"
                yield Finding(start - 1, end, message)
            seen[setting.key] = setting.span.start
