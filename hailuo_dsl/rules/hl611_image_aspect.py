"""HL611 image-aspect."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from hailuo_dsl.contract import ASPECT_MAX, ASPECT_MIN, aspect_ok
from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules.base import Finding, Scope, rule
from hailuo_dsl.rules.contexts import FrameContext

if TYPE_CHECKING:
    from hailuo_dsl.shots.images import ImageFacts

_BETWEEN = f"between {ASPECT_MIN[0]}:{ASPECT_MIN[1]} and {ASPECT_MAX[0]}:{ASPECT_MAX[1]}"


@rule(
    "HL611", "image-aspect", Severity.ERROR, "A frame whose aspect ratio is outside 2:5 to 5:2", scope=Scope.FRAME, enforced=True
)
def image_aspect(ctx: FrameContext) -> Iterator[Finding]:
    """A frame's width divided by its height must lie between 2:5 (0.4) and 5:2 (2.5).

    Bad:

        shot opening
          @first_frame "frames/banner-1800x400.png"

    Good:

        shot opening
          @first_frame "frames/wide-1280x720.png"
    """
    problem = _aspect_problem(ctx.facts)
    if problem is not None:
        yield ctx.finding(problem)


def _aspect_problem(facts: ImageFacts) -> str | None:
    if facts.size is None or aspect_ok(*facts.size):
        return None
    width, height = facts.size
    return f"is {width}x{height} px (aspect {width / height:.2f}); the aspect must be {_BETWEEN}"
