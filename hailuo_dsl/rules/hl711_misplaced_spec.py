"""HL711 misplaced-spec."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules._script import misplaced
from hailuo_dsl.rules.base import Finding, Scope, rule
from hailuo_dsl.rules.contexts import ScriptContext


@rule("HL711", "misplaced-spec", Severity.ERROR, "A spec line after the first shot, or a second one", scope=Scope.SCRIPT)
def misplaced_spec(ctx: ScriptContext) -> Iterator[Finding]:
    """A script names at most one shot-spec, with ``spec "file.toml"`` at column 0 before the first
    shot, so the file says at its top what it is compiled with.

    Bad:

        shot opening
          A mouse runs toward the camera.
        spec "launch.toml"

    Good:

        spec "launch.toml"
        shot opening
          A mouse runs toward the camera.
    """
    for line in ctx.script.spec_lines:
        reason = misplaced(ctx, line)
        if reason is not None:
            yield Finding(*line.span, reason)
