"""HL610 image-too-small."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from hailuo_dsl.contract import MIN_SHORT_SIDE
from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules.base import Finding, Scope, rule
from hailuo_dsl.rules.contexts import FrameContext

if TYPE_CHECKING:
    from hailuo_dsl.shots.images import ImageFacts


@rule("HL610", "image-too-small", Severity.ERROR, "A frame whose short side is 300 px or less", scope=Scope.FRAME, enforced=True)
def image_too_small(ctx: FrameContext) -> Iterator[Finding]:
    """The short side of a frame must be over 300 pixels.

    Bad:

        shot opening
          @first_frame "frames/thumb-240x320.png"

    Good:

        shot opening
          @first_frame "frames/still-480x640.png"
    """
    problem = _short_side_problem(ctx.facts)
    if problem is not None:
        yield ctx.finding(problem)


def _short_side_problem(facts: ImageFacts) -> str | None:
    if facts.size is None:
        return None
    width, height = facts.size
    if min(width, height) > MIN_SHORT_SIDE:
        return None
    return f"is {width}x{height} px; its short side must be over {MIN_SHORT_SIDE} px"
