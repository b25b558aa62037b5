"""HL705 setting-outside-shot."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules.base import Finding, Scope, rule
from hailuo_dsl.rules.contexts import ScriptContext


@rule("HL705", "setting-outside-shot", Severity.ERROR, "A setting before the first shot", scope=Scope.SCRIPT)
def setting_outside_shot(ctx: ScriptContext) -> Iterator[Finding]:
    """``@key value`` settings belong to the shot whose header comes before them. Defaults for every
    shot go in the shot-spec's ``[defaults]`` table (see ``docs/shot-spec.md``).

    Bad:

          @duration 10
        shot opening
          A mouse runs toward the camera.

    Good:

        shot opening
          @duration 10
          A mouse runs toward the camera.
    """
    for line in ctx.script.stray_lines:
        if line.setting and line.indented:
            yield Finding(*line.span, "A setting outside a shot; settings go under a shot header")
