"""HL620 continue-with-first-frame."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules.base import Finding, Scope, rule
from hailuo_dsl.rules.contexts import ShotContext, finding_at


@rule(
    "HL620",
    "continue-with-first-frame",
    Severity.ERROR,
    "@continue together with @first_frame",
    scope=Scope.SHOT,
    enforced=True,  # two first frames: the request can carry one
)
def continue_with_first_frame(ctx: ShotContext) -> Iterator[Finding]:
    """``@continue`` gives the shot its first frame (the last frame of the shot it continues), so
    the shot cannot name another with ``@first_frame`` (or ``--first-frame``). A ``first_frame``
    of the shot-spec gives way to ``@continue``, as any spec value gives way to an ``@setting``.

    Bad:

        shot opening
          A mouse runs toward the camera.
        shot sky
          @continue opening
          @first_frame "frames/sky-1280x720.png"
          The mouse looks up at the sky.

    Good:

        shot opening
          A mouse runs toward the camera.
        shot sky
          @continue opening
          The mouse looks up at the sky.
    """
    from hailuo_dsl.shots.precedence import Level  # imported when it runs: every command reads the registry

    resolved = ctx.resolved
    first = resolved.values.get("first_frame")
    if resolved.get("continue") is None or first is None or first[1].level < Level.SCRIPT:
        return
    given = "--first-frame" if first[1].level is Level.COMMAND_LINE else "@first_frame"
    message = f"{given} and @continue both give the first frame; @continue starts on the last frame of the shot it continues"
    yield finding_at(resolved.value_at("first_frame"), message)
