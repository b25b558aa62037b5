"""HL619 continue-loop."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules.base import Finding, Scope, rule
from hailuo_dsl.rules.contexts import ScriptContext


@rule(
    "HL619",
    "continue-loop",
    Severity.ERROR,
    "Shots that continue each other in a loop",
    scope=Scope.SCRIPT,
    enforced=True,  # none of them could ever start
)
def continue_loop(ctx: ScriptContext) -> Iterator[Finding]:
    """A shot that continues another waits for that shot's video; shots that continue each other
    in a loop (a shot continuing itself, or ``a`` continuing ``b`` continuing ``a``) would wait
    for ever. One of them must start from a frame image or a prompt.

    Bad:

        shot a
          @continue b
          A mouse runs toward the camera.
        shot b
          @continue a
          The mouse looks up at the sky.

    Good:

        shot a
          A mouse runs toward the camera.
        shot b
          @continue a
          The mouse looks up at the sky.
    """
    from hailuo_dsl.shots.continuity import links, loop_of, parents  # imported when it runs

    graph = parents(ctx.script)
    for link in links(ctx.script):
        loop = loop_of(link.shot.name, graph)
        if loop is not None:  # at each shot of the loop: none of them compiles
            where = link.setting.span
            yield Finding(where.start, where.end, f"@continue makes a loop: {' → '.join(loop)}; none of these shots could start")
