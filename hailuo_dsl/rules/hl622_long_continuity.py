"""HL622 long-continuity."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules.base import Finding, Scope, rule
from hailuo_dsl.rules.contexts import ScriptContext


@rule(
    "HL622",
    "long-continuity",
    Severity.WARNING,
    "More than 3 shots in a row each continue the one before",
    scope=Scope.SCRIPT,
)
def long_continuity(ctx: ScriptContext) -> Iterator[Finding]:
    """Each continuation starts on a frame of a generated video, and each generation softens the
    picture a little more (people who chain Hailuo clips report it after three or four): past three
    continuations in a row, start a shot afresh from a frame image (a still of the last clip,
    retouched or upscaled, works).

    Bad:

        shot a
          A mouse runs toward the camera.
        shot b
          @continue
          The mouse stops.
        shot c
          @continue
          The mouse looks up.
        shot d
          @continue
          A bird flies over.
        shot e
          @continue
          The mouse waves.

    Good:

        shot a
          A mouse runs toward the camera.
        shot b
          @continue
          The mouse stops.
        shot c
          @continue
          The mouse looks up.
        shot d
          @first_frame "frames/sky-1280x720.png"
          A bird flies over.
    """
    from hailuo_dsl.shots.continuity import SOFT_DEPTH, chain, links, loop_of, parents  # imported when it runs

    graph = parents(ctx.script)
    known = {shot.name for shot in ctx.script.shots}
    for link in links(ctx.script):
        if loop_of(link.shot.name, graph) is not None:
            continue  # HL619 reports it
        line = [name for name in chain(link.shot.name, graph) if name in known]
        depth = len(line) - 1
        if depth == SOFT_DEPTH + 1:  # once, at the first shot past the limit
            where = link.setting.span
            message = (
                f"continuation {depth} in a row ({' → '.join(line)}): each generation softens the picture; "
                "start a shot afresh from a frame image"
            )
            yield Finding(where.start, where.end, message)
