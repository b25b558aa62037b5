"""HL605 resolution-mode."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.contract import Offer, Resolution, offer, resolutions_for
from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules.base import Finding, Scope, rule
from hailuo_dsl.rules.contexts import ShotContext, finding_at


@rule("HL605", "resolution-mode", Severity.ERROR, "512P is not available for first-last-frame", scope=Scope.SHOT, enforced=True)
def resolution_mode(ctx: ShotContext) -> Iterator[Finding]:
    """First-last-frame shots take 768P or 1080P; 512P is for image-to-video (and, with a warning,
    text-to-video).

    Bad:

        shot growing-up
          @resolution 512P
          @first_frame "frames/girl-480x640.png"
          @last_frame "frames/woman-480x640.png"

    Good:

        shot growing-up
          @resolution 768P
          @first_frame "frames/girl-480x640.png"
          @last_frame "frames/woman-480x640.png"
    """
    resolved = ctx.resolved
    resolution: Resolution = resolved.get("resolution")  # type: ignore[assignment]  # coerced when resolved
    if offer(resolution, ctx.mode) is Offer.NO and resolved.valid("resolution", "first_frame", "last_frame"):
        message = f"{resolution} is not available for {ctx.mode.value}; use {' or '.join(resolutions_for(ctx.mode))}"
        yield finding_at(resolved.at(["resolution", "last_frame"]), message)
