"""HL621 continue-first-shot."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules.base import Finding, Scope, rule
from hailuo_dsl.rules.contexts import ScriptContext


@rule(
    "HL621",
    "continue-first-shot",
    Severity.ERROR,
    "A bare @continue on the first shot, which has no shot before it",
    scope=Scope.SCRIPT,
    enforced=True,
)
def continue_first_shot(ctx: ScriptContext) -> Iterator[Finding]:
    """A bare ``@continue`` continues the shot before it in the script; the first shot has none.
    Name the shot to continue, or start the first shot from a frame image or a prompt.

    Bad:

        shot opening
          @continue
          A mouse runs toward the camera.

    Good:

        shot opening
          A mouse runs toward the camera.
        shot sky
          @continue
          The mouse looks up at the sky.
    """
    from hailuo_dsl.shots.continuity import links  # imported when it runs: every command reads the registry

    for link in links(ctx.script):
        if link.parent is None:
            yield Finding(
                *link.setting.span, "@continue on the first shot: there is no shot before it; name the shot to continue"
            )
