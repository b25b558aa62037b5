"""HL708 unterminated-string."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules._script import misplaced
from hailuo_dsl.rules.base import Finding, Scope, rule
from hailuo_dsl.rules.contexts import ScriptContext

_MESSAGE = "The quoted value has no closing '\"'"


@rule("HL708", "unterminated-string", Severity.ERROR, "A quoted value without its closing quote", scope=Scope.SCRIPT)
def unterminated_string(ctx: ScriptContext) -> Iterator[Finding]:
    r"""A double-quoted value ends at the next ``"`` on the same line that is not escaped as ``\"``.
    Without it, where the value ends is a guess.

    Bad:

        shot opening
          @first_frame "frames/mouse.png

    Good:

        shot opening
          @first_frame "frames/mouse.png"
    """
    for line in ctx.script.setting_lines:
        if line.key and line.shape == "open":
            yield Finding(*line.value_span, _MESSAGE)
    for spec in ctx.script.spec_lines:
        if spec.shape == "open" and misplaced(ctx, spec) is None:
            yield Finding(*spec.value_span, _MESSAGE)
