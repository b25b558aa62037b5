"""HL603 last-frame-only."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.contract import needs_first_frame
from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules.base import Finding, Scope, rule
from hailuo_dsl.rules.contexts import ShotContext, finding_at


@rule("HL603", "last-frame-only", Severity.ERROR, "A last frame without a first frame", scope=Scope.SHOT, enforced=True)
def last_frame_only(ctx: ShotContext) -> Iterator[Finding]:
    """The mode follows the images: a first frame makes image-to-video, a first and a last frame make
    first-last-frame. A last frame alone is no mode at all; the API rejects it.

    Bad:

        shot growing-up
          @last_frame "frames/woman-480x640.png"
          A young girl gradually grows into an adult woman.

    Good:

        shot growing-up
          @first_frame "frames/girl-480x640.png"
          @last_frame "frames/woman-480x640.png"
          A young girl gradually grows into an adult woman.
    """
    resolved = ctx.resolved
    has_first = resolved.get("first_frame") is not None or resolved.get("continue") is not None  # @continue gives one
    if needs_first_frame(resolved.get("last_frame") is not None, has_first) and resolved.valid("first_frame", "last_frame"):
        yield finding_at(resolved.at(["last_frame"]), "a last frame needs a first frame; add @first_frame")
