"""HL612 frame-size-mismatch."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules.base import Finding, Scope, rule
from hailuo_dsl.rules.contexts import ShotContext, finding_at


@rule("HL612", "frame-size-mismatch", Severity.WARNING, "The last frame's size differs from the first frame's", scope=Scope.SHOT)
def frame_size_mismatch(ctx: ShotContext) -> Iterator[Finding]:
    """The video takes its resolution and aspect from the first frame; a last frame of another size
    is cropped to match, which may cut off what it shows.

    Bad:

        shot growing-up
          @first_frame "frames/girl-480x640.png"
          @last_frame "frames/woman-640x360.png"

    Good:

        shot growing-up
          @first_frame "frames/girl-480x640.png"
          @last_frame "frames/woman-480x640.png"
    """
    first, last = ctx.frames.get("first_frame"), ctx.frames.get("last_frame")
    if first is None or last is None or first.facts.size is None or last.facts.size is None:
        return
    if first.facts.size != last.facts.size:
        (fw, fh), (lw, lh) = first.facts.size, last.facts.size
        message = f"the last frame is {lw}x{lh} px and the first {fw}x{fh} px; the last frame will be cropped to match"
        yield finding_at(ctx.resolved.value_at("last_frame"), message)
