"""HL606 low-resolution-text."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.contract import Mode, Offer, Resolution, offer
from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules.base import Finding, Scope, rule
from hailuo_dsl.rules.contexts import ShotContext, finding_at


@rule(
    "HL606",
    "low-resolution-text",
    Severity.WARNING,
    "512P text-to-video, which the official API does not offer",
    scope=Scope.SHOT,
)
def low_resolution_text(ctx: ShotContext) -> Iterator[Finding]:
    """The gateway's table allows 512P for text-to-video, but its own resolution notes and the
    official MiniMax API offer 512P for image-to-video only. The shot compiles; expect the service
    to refuse it or upscale. Silence the rule where you know the gateway takes it.

    Bad:

        shot sketch
          @resolution 512P
          Waves hitting the beach at sunset.

    Good:

        shot sketch
          @resolution 768P
          Waves hitting the beach at sunset.
    """
    resolved = ctx.resolved
    resolution: Resolution = resolved.get("resolution")  # type: ignore[assignment]  # coerced when resolved
    if offer(resolution, ctx.mode) is Offer.DOUBTFUL and resolved.valid("resolution", "first_frame"):
        offered = " or ".join(m.value for m in Mode if offer(resolution, m) is Offer.YES)
        message = f"{resolution} {ctx.mode.value}: the official API offers {resolution} for {offered} only"
        yield finding_at(resolved.at(["resolution"]), message)
