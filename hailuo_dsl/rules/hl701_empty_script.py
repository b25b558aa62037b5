"""HL701 empty-script."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules.base import Finding, Scope, rule
from hailuo_dsl.rules.contexts import ScriptContext


@rule("HL701", "empty-script", Severity.WARNING, "A script with no shots", scope=Scope.SCRIPT)
def empty_script(ctx: ScriptContext) -> Iterator[Finding]:
    """The file holds no ``shot NAME`` header, so there is nothing to compile or render. A shot
    begins with ``shot`` at column 0, followed by its name; its settings and prompt are indented.

    Bad:

        # launch.shot: the storyboard, still to write

    Good:

        shot opening
          A mouse runs toward the camera [Push in].
    """
    if not ctx.every_shot:
        yield Finding(0, 0, "No shots in this script; a shot begins with 'shot NAME' at column 0")
